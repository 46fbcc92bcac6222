"""Demo seeds: the demo network's cities, contacts and applications, and the demo member's city."""

from crm import seeding
from crm.accounts.models import User
from crm.contacts.models import Contact
from crm.membership.models import APPLICATION_STATUSES, Application, City


def test_demo_network_loads_once_and_links_the_member_to_oslo(app):
    from crm.membership import seeds

    seeding.demo_users()
    created = seeds.demo_cities() + seeds.demo_applications() + seeds.demo_member_city()
    assert created > 0
    assert City.select().count() >= 30
    assert len({c.region for c in City.select()}) >= 6
    assert Contact.select().where(Contact.city_role == "focal_point").count() >= 30
    assert {a.status for a in Application.select()} == set(APPLICATION_STATUSES)
    assert all(a.reference.startswith("SCN-") for a in Application.select())
    member = User.get(User.email == "member@example.org")
    assert member.city.name == "Oslo"
    # idempotent: a second run adds nothing
    assert seeds.demo_cities() + seeds.demo_applications() + seeds.demo_member_city() == 0


def test_demo_member_sees_and_edits_oslo(app, client):
    from crm.membership import seeds

    seeding.demo_users()
    seeds.demo_cities()
    seeds.demo_member_city()
    client.post("/account/login", data={"email": "member@example.org", "password": "demo-member-2026"})
    html = client.get("/").get_data(as_text=True)
    oslo = City.get(City.name == "Oslo")
    assert f"/cities/{oslo.id}/edit" in html
    assert client.get(f"/cities/{oslo.id}/edit").status_code == 200
