"""Public city profiles, linked from the directory: what a city is and knows, never its people or its incidents."""

from __future__ import annotations

import datetime as dt

from crm.contacts.models import Contact
from crm.core.names import fold_name
from crm.membership.models import City


def _city(name, **values):
    values.setdefault("status", "active")
    return City.create(name=name, name_key=fold_name(name), country="NO", **values)


def test_the_directory_links_each_member_to_its_public_profile(client):
    bodo = _city("Bodø", level="municipality", region="northern_europe", population=52000, languages=["no", "en"],
                 expertise=["victim_support"], website="https://bodo.kommune.no", joined_on=dt.date(2019, 5, 1))
    Contact.create(name="Kari Focal", email="kari@bodo.example.org", phone="+47 555 0101", city=bodo,
                   city_role="focal_point")
    directory = client.get("/members/").get_data(as_text=True)
    assert f'<a href="/members/{bodo.id}">Bodø</a>' in directory
    page = client.get(f"/members/{bodo.id}")
    html = " ".join(page.get_data(as_text=True).split())
    assert page.status_code == 200
    assert "Municipality in Norway · Northern Europe · member of the network since 2019" in html
    assert "52,000" in html and "Norwegian, English" in html and "Victim support" in html
    assert f'href="/lessons/?city={bodo.id}"' in html and 'href="https://bodo.kommune.no"' in html
    for private in ("Kari Focal", "kari@bodo.example.org", "+47 555 0101", "The full record"):
        assert private not in html  # people stay behind sign-in
    assert "Membership is free" in html


def test_only_active_members_have_a_public_profile(client):
    for status in ("suspended", "withdrawn", "pending"):
        city = _city(f"City {status}", status=status)
        assert client.get(f"/members/{city.id}").status_code == 404
    assert client.get("/members/999999").status_code == 404


def test_a_website_that_is_not_a_web_address_is_not_linked(client):
    city = _city("Trollhättan", website="javascript:alert(1)")
    html = client.get(f"/members/{city.id}").get_data(as_text=True)
    assert "javascript:" not in html


def test_the_citys_own_members_and_staff_see_a_link_to_the_full_record(app, login_as, make_user):
    from tests.helpers import login

    city = _city("Bodø")
    staff = login_as("staff")
    assert f'href="/cities/{city.id}">The full record' in staff.get(f"/members/{city.id}").get_data(as_text=True)
    other = _city("Tromsø")
    user = make_user("member", email="m@tromso.example.org")
    user.city = other.id
    user.save()
    member = app.test_client()
    login(member, user.email)
    assert "The full record" not in member.get(f"/members/{city.id}").get_data(as_text=True)
