"""The workspace and the toolkit in the network's languages: headings, phase names, reasons and toolkit titles."""

import re

from crm.workspace.models import Workspace
from tests.search_integration.network import apply, lesson

FRENCH = ("Vendredi, un homme armé a ouvert le feu dans la mosquée pendant la prière. "
          "L'auteur avait des idées d'extrême droite.")


def _workspace(member, network):
    lesson(network["mosque"], "Protect the vigil after a mosque attack",
           "After the shooting at the mosque we secured the vigil with the community.", phase="first_week",
           themes=["vigils_gatherings", "security_of_events"])
    apply()
    response = member.post("/workspace/new", data={"description": FRENCH, "phase": "first_week",
                                                   "needs": "Organiser une veillée en sécurité"})
    assert response.status_code == 302, response.get_data(as_text=True)
    return Workspace.get()


def test_the_workspace_in_arabic_names_phases_headings_reasons_and_toolkit_items_in_arabic(login_as, network):
    from tests.search_integration.network import link

    member = login_as("member")
    link(member.user, network["asking"])
    workspace = _workspace(member, network)
    html = member.get(f"/workspace/{workspace.id}?lang=ar").get_data(as_text=True)
    assert 'lang="ar"' in html and 'dir="rtl"' in html
    assert "المرحلة: <strong>الأسبوع الأول</strong>" in html
    assert "<h2>المدن النظيرة</h2>" in html and "<h2>القائمة المرجعية: الأسبوع الأول</h2>" in html
    lessons = html.split('id="lessons"')[1].split('id="toolkit"')[0]
    assert re.findall(r"<h3>([^<]+)", lessons)[0].strip() == "الأسبوع الأول"
    # The reasons: Arabic words around the record's own values (the city, the year stay as recorded).
    peers = html.split('id="peers"')[1].split('id="lessons"')[0]
    reasons = re.findall(r"<li>([^<]+)</li>", peers.split('class="reasons"')[1].split("</ul>")[0])
    assert any(r.startswith("إطلاق نار في دار عبادة (Harbourton") for r in reasons), reasons
    assert any(r.startswith("أوجه التشابه: الهجوم: إطلاق نار؛ الهدف: دار عبادة") for r in reasons), reasons
    # Toolkit items of the phase: the seed's Arabic title, the English one gone.
    toolkit = html.split('id="toolkit"')[1]
    assert "التخطيط للوقفات والتجمعات بالتعاون مع منظميها" in toolkit
    assert "Plan vigils and gatherings together with their organisers" not in toolkit
    assert 'aria-label="تأشير التخطيط للوقفات والتجمعات بالتعاون مع منظميها"' in toolkit
    # Back in English, byte for byte the English words of the page.
    english = member.get(f"/workspace/{workspace.id}?lang=en").get_data(as_text=True)
    assert "Phase: <strong>First week</strong>" in english and "<h2>Checklist: First week</h2>" in english
    assert "Shares: attack: shooting; target: place of worship" in english
    assert "Plan vigils and gatherings together with their organisers" in english


def test_the_workspace_form_offers_facet_values_and_phases_in_french(login_as, network):
    from tests.search_integration.network import link

    member = login_as("member")
    link(member.user, network["asking"])
    html = member.get("/workspace/new?lang=fr").get_data(as_text=True)
    assert "<h1>Ouvrir un espace de gestion d'incident</h1>" in html
    assert '<option value="first_week">Première semaine</option>' in html
    assert 'value="vehicle_ramming" > Attaque à la voiture-bélier</label>' in html
    assert 'value="place_of_worship" > Lieu de culte</label>' in html
    assert 'value="victim_support" > Soutien aux victimes</label>' in html


def test_the_toolkit_page_in_arabic_and_french(client, network):
    arabic = client.get("/lessons/toolkit/?lang=ar").get_data(as_text=True)
    assert "<h1>مجموعة أدوات الاستجابة</h1>" in arabic
    assert [h.strip() for h in re.findall(r"<h2>([^<]+)</h2>", arabic)][:5] == [
        "الساعات الأربع والعشرون الأولى", "الأسبوع الأول", "الأشهر الأولى", "المدى الطويل", "الاستعداد للاستجابة"]
    assert "1. إصدار بيان علني من رئيس البلدية خلال ساعات" in arabic
    french = client.get("/lessons/toolkit/?lang=fr").get_data(as_text=True)
    assert "<h2>Première semaine</h2>" in french and "<h2>Se préparer à répondre</h2>" in french
    assert "1. Faire une déclaration publique du maire dans les premières heures" in french
    assert "<strong>ne jamais spéculer sur l" in french and "never speculate" not in french  # the guidance too
    assert '<span class="chip">Communication de crise</span>' in french
    english = client.get("/lessons/toolkit/?lang=en").get_data(as_text=True)
    assert "<h2>First week</h2>" in english and "1. Make a public statement as mayor within hours" in english


def test_an_item_staff_rewrote_shows_its_own_words_in_every_language(login_as, network):
    from crm.lessons.models import ToolkitItem

    item = ToolkitItem.get(ToolkitItem.title == "Make a public statement as mayor within hours")
    item.title = "Speak as mayor within the hour"
    item.save()
    second = ToolkitItem.get(ToolkitItem.title == "Agree roles with national authorities straight away")
    second.guidance = "Call the prefect first."
    second.save()
    staff = login_as("staff")
    french = staff.get("/lessons/toolkit/?lang=fr").get_data(as_text=True)
    assert "1. Speak as mayor within the hour" in french
    assert "2. Convenir immédiatement des rôles avec les autorités nationales" in french
    assert "Call the prefect first." in french and "Les autorités nationales dirigent" not in french


def test_api_peers_keeps_its_keys_and_gives_reasons_in_the_request_language(login_as, network):
    from tests.search_integration.network import link

    member = login_as("member")
    link(member.user, network["asking"])
    query = {"q": "A gunman opened fire on worshippers at a mosque", "limit": "3"}
    french = member.get("/api/peers", query_string={**query, "lang": "fr"}).get_json()
    english = member.get("/api/peers", query_string={**query, "lang": "en"}).get_json()
    assert [set(row) for row in french] == [{"city", "country", "score", "reasons"}] * len(french)
    assert [(r["city"], r["score"]) for r in french] == [(r["city"], r["score"]) for r in english]
    assert french[0]["city"] == "Harbourton"
    assert any(reason.startswith("Points communs : attaque : fusillade") for reason in french[0]["reasons"])
    assert any(reason.startswith("Shares: attack: shooting") for reason in english[0]["reasons"])
