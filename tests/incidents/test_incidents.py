"""Incidents: recorded by the city or staff, facets from the controlled vocabulary, import with a summary."""

from crm.audit.models import AuditEntry
from crm.incidents.models import FacetTerm, Incident
from tests.search_integration.network import link


def test_member_records_an_incident_of_its_own_city_only(login_as, network):
    member = login_as("member")
    link(member.user, network["quiet"])
    response = member.post(f"/incidents/new?city={network['quiet'].id}", data={
        "title": "Arson at a synagogue", "occurred_on": "2024-05-02", "summary": "A fire was set at night.",
        "attack": ["arson"], "target": ["place_of_worship"], "motive": ["antisemitic"], "visibility": "network"})
    assert response.status_code == 302
    row = Incident.get(Incident.title == "Arson at a synagogue")
    assert row.facets == {"attack": ["arson"], "motive": ["antisemitic"], "target": ["place_of_worship"]}
    assert AuditEntry.select().where(AuditEntry.action == "incident.create", AuditEntry.object_id == str(row.id)).exists()
    assert member.get(f"/incidents/new?city={network['market'].id}").status_code == 403
    assert member.get(f"/incidents/{row.id}/edit").status_code == 200
    other = login_as("member")
    link(other.user, network["market"])
    assert other.get(f"/incidents/{row.id}").status_code == 200  # the network reads incidents
    assert other.get(f"/incidents/{row.id}/edit").status_code == 403
    assert login_as("staff").get(f"/incidents/{row.id}/edit").status_code == 200


def test_unknown_facet_values_are_refused_with_a_message(login_as, network):
    staff = login_as("staff")
    response = staff.post(f"/incidents/new?city={network['quiet'].id}", data={
        "title": "X", "attack": ["not_a_kind"], "visibility": "network"})
    assert response.status_code == 400 and "field-error" in response.get_data(as_text=True)
    assert not Incident.select().where(Incident.title == "X").exists()


def test_staff_extend_the_vocabulary(login_as, network):
    staff = login_as("staff")
    assert staff.post("/incidents/vocabulary", data={"facet": "attack", "label": "Drone attack"}).status_code == 302
    assert FacetTerm.get(FacetTerm.facet == "attack", FacetTerm.key == "drone_attack").label == "Drone attack"
    assert "Drone attack" in staff.get(f"/incidents/new?city={network['quiet'].id}").get_data(as_text=True)
    again = staff.post("/incidents/vocabulary", data={"facet": "attack", "label": "Drone attack"})
    assert again.status_code == 400 and "already" in again.get_data(as_text=True)
    member = login_as("member")
    assert member.get("/incidents/vocabulary").status_code == 403


def test_import_cities_with_incident_summary(app, network, tmp_path):
    path = tmp_path / "cities.csv"
    path.write_text("name,country,region,population,languages,expertise,incident_summary\n"
                    "Lyonnaise,FR,,500000,fr,,\"Un camion a foncé sur la foule du marché de Noël. Attentat djihadiste.\"\n"
                    "Quietton,GB,,10000,en,,\n", encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["import", "cities", str(path)])
    assert result.exit_code == 0, result.output
    row = Incident.get(Incident.summary.contains("camion"))
    assert row.city.name == "Lyonnaise" and row.visibility == "network"
    assert "vehicle_ramming" in row.facets.get("attack", []) and "jihadist" in row.facets.get("motive", [])
    assert Incident.select().join_from(Incident, type(row.city)).where(type(row.city).name == "Quietton").count() == 0


def test_member_records_an_incident_of_its_own_city_without_city_in_the_address(login_as, network):
    member = login_as("member")
    link(member.user, network["quiet"])
    page = member.get("/incidents/new")
    assert page.status_code == 200 and network["quiet"].name in page.get_data(as_text=True)
    response = member.post("/incidents/new", data={
        "title": "Stabbing at a bus stop", "occurred_on": "2024-06-01", "summary": "One attacker.",
        "attack": ["arson"], "visibility": "network"})
    assert response.status_code == 302
    assert Incident.get(Incident.title == "Stabbing at a bus stop").city_id == network["quiet"].id
    assert login_as("staff").get("/incidents/new").status_code == 404  # staff have no city of their own


def test_import_splits_a_summary_of_two_attacks_into_two_incidents(app, network, tmp_path):
    path = tmp_path / "cities.csv"
    path.write_text("name,country,region,population,languages,expertise,incident_summary\n"
                    "Twiceton,NO,,700000,no;en,,\"In July 2011 a bomb exploded in the government quarter and a "
                    "far-right gunman then shot young people at a youth camp. In June 2022, a man opened fire "
                    "outside a gay bar during Pride, a jihadist attack.\"\n", encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["import", "cities", str(path)])
    assert result.exit_code == 0, result.output
    rows = sorted(Incident.select().where(Incident.summary.contains("")).join_from(Incident, type(network["quiet"]))
                  .where(type(network["quiet"]).name == "Twiceton"), key=lambda r: r.occurred_on)
    assert [r.occurred_on.year for r in rows] == [2011, 2022]
    first, second = rows
    assert "bombing" in first.facets["attack"] and "far_right" in first.facets["motive"]
    assert "jihadist" not in first.facets.get("motive", []) and "lgbtq_venue" not in first.facets.get("target", [])
    assert "lgbtq_venue" in second.facets["target"] and "jihadist" in second.facets["motive"]
    assert "far_right" not in second.facets.get("motive", []) and "bombing" not in second.facets.get("attack", [])


TWO_ATTACKS = ("In July 2011 a bomb exploded in the government quarter and a far-right gunman then shot young "
               "people at a youth camp. In June 2022, a man opened fire outside a gay bar during Pride, a jihadist "
               "attack.")


def _two_attacks_form(**extra):
    return {"title": "Attacks on our city", "occurred_on": "2022-06-25", "summary": TWO_ATTACKS,
            "attack": ["bombing", "shooting"], "target": ["lgbtq_venue"], "motive": ["far_right", "jihadist"],
            "scale": "77 killed", "response": "A national memorial.", "visibility": "network", **extra}


def test_saving_a_summary_of_two_attacks_offers_one_incident_per_attack(login_as, network):
    member = login_as("member")
    link(member.user, network["quiet"])
    url = f"/incidents/new?city={network['quiet'].id}"
    offer = member.post(url, data=_two_attacks_form())
    page = offer.get_data(as_text=True)
    assert offer.status_code == 200 and "This summary tells of 2 attacks" in page
    assert "Attacks on our city (2011)" in page and "Attacks on our city (2022)" in page
    assert "A national memorial." in page and "In June 2022, a man opened fire" in page  # what was typed stays
    assert not Incident.select().where(Incident.city == network["quiet"]).exists()  # nothing saved yet

    saved = member.post(url, data=_two_attacks_form(split="yes"), follow_redirects=True)
    page = saved.get_data(as_text=True)
    assert "This account tells of 2 attacks: saved as 2 incidents" in page
    first = Incident.get(Incident.title == "Attacks on our city (2011)")
    second = Incident.get(Incident.title == "Attacks on our city (2022)")
    assert f"/incidents/{first.id}" in page and f"/incidents/{second.id}" in page  # the city's list links both
    assert first.summary.startswith("In July 2011") and second.summary.startswith("In June 2022")
    # each chosen value goes to the attack whose own account names it
    assert first.facets == {"attack": ["bombing", "shooting"], "motive": ["far_right"]}
    assert second.facets == {"attack": ["shooting"], "motive": ["jihadist"], "target": ["lgbtq_venue"]}
    assert str(second.occurred_on) == "2022-06-25" and first.occurred_on.year == 2011
    assert (first.scale, second.scale) == ("77 killed", "") and second.response == ""
    assert AuditEntry.select().where(AuditEntry.action == "incident.create").count() >= 2


def test_a_summary_of_two_attacks_may_be_kept_as_one_incident(login_as, network):
    staff = login_as("staff")
    offer = staff.post(f"/incidents/new?city={network['quiet'].id}", data=_two_attacks_form())
    assert offer.status_code == 200 and "Save as one incident" in offer.get_data(as_text=True)
    response = staff.post(f"/incidents/new?city={network['quiet'].id}", data=_two_attacks_form(split="no"))
    assert response.status_code == 302
    row = Incident.get(Incident.city == network["quiet"])
    assert row.title == "Attacks on our city" and row.summary == TWO_ATTACKS
    assert Incident.select().where(Incident.city == network["quiet"]).count() == 1
    # editing it without changing the summary does not ask again
    again = staff.post(f"/incidents/{row.id}/edit", data=_two_attacks_form(title="Two attacks"))
    assert again.status_code == 302 and Incident.get_by_id(row.id).title == "Two attacks"


def test_editing_a_summary_into_two_attacks_keeps_the_incident_and_adds_the_other(login_as, network):
    staff = login_as("staff")
    staff.post(f"/incidents/new?city={network['quiet'].id}", data={
        "title": "Bombing", "occurred_on": "2011-07-22", "summary": "A bomb exploded.", "attack": ["bombing"],
        "visibility": "network"})
    row = Incident.get(Incident.city == network["quiet"])
    offer = staff.post(f"/incidents/{row.id}/edit", data=_two_attacks_form(title="Bombing"))
    assert offer.status_code == 200 and "Save as 2 incidents" in offer.get_data(as_text=True)
    assert Incident.get_by_id(row.id).summary == "A bomb exploded."
    done = staff.post(f"/incidents/{row.id}/edit", data=_two_attacks_form(title="Bombing", split="yes"))
    assert done.status_code == 302
    rows = list(Incident.select().where(Incident.city == network["quiet"]).order_by(Incident.id))
    assert [r.id for r in rows][0] == row.id and len(rows) == 2
    assert rows[0].summary.startswith("In July 2011") and rows[1].summary.startswith("In June 2022")
    assert "jihadist" in rows[1].facets["motive"] and "jihadist" not in rows[0].facets.get("motive", [])
