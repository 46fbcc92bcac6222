"""The anniversaries calendar and its iCal feed in the reader's language (issue 13)."""

from __future__ import annotations

import datetime as dt
import re

from tests.anniversaries.conftest import TODAY


def _feed_token(client) -> str:
    html = client.get("/anniversaries/").get_data(as_text=True)
    url = re.search(r'id="feed-url" type="text" readonly value="([^"]+)"', html).group(1)
    return url.rsplit("/", 1)[1].removesuffix(".ics")


def test_calendar_page_in_spanish_and_arabic(net, login_as):
    staff = login_as("staff")
    html = staff.get("/anniversaries/?lang=es").get_data(as_text=True)
    assert "<h1>Aniversarios</h1>" in html and '<th scope="col">Punto focal</th>' in html
    assert "10.º aniversario" in html and ">Fecha señalada</span>" in html  # the 10th, a milestone
    assert "3.º aniversario" in html and ">Preparar un envío de solidaridad</button>" in html
    assert "anniversary" not in re.sub(r"<[^>]+>", " ", html.split('<main id="main"', 1)[1]).replace(
        "#anniversary-", "")
    html = staff.get("/anniversaries/?lang=ar").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl"' in html and "<h1>الذكريات السنوية</h1>" in html
    assert "الذكرى السنوية 10" in html and "الذكرى السنوية 3" in html


def test_feed_speaks_its_owners_language_whatever_the_calendar_sends(net, login_as, client):
    staff = login_as("staff")
    staff.post("/anniversaries/feed-link", data={"action": "rotate"})
    token = _feed_token(staff)
    english = client.get(f"/anniversaries/feed/{token}.ics", headers={"Accept-Language": "fr"})
    assert b"10th anniversary (milestone): Wombatnetwork" in english.get_data().replace(b"\r\n ", b"")
    staff.user.language = "fr"
    staff.user.save()
    french = client.get(f"/anniversaries/feed/{token}.ics").get_data().replace(b"\r\n ", b"").decode()
    assert "X-WR-CALNAME:Anniversaires des attentats vécus par les villes membres" in french
    assert r"10e anniversaire (date marquante) : Wombatnetwork shooting\, at the mosque" in french
    assert "Anniversaire : Wombatnetwork shooting" in french
    tenth = net.rows["tenth"]
    day = (TODAY + dt.timedelta(days=10)).replace(year=tenth.occurred_on.year)
    assert f"Oslo commémore « Wombatnetwork shooting\\, at the mosque\\; evening prayers » ({day.day:02d} " in french
    assert "anniversary" not in french.replace("anniversary-", "").replace("CRM anniversaries", "")
