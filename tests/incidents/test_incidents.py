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
