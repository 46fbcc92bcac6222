"""Member cities: directory, list and filters, profile, editing rights, status lifecycle, dashboard."""

import csv
import datetime as dt
import io

import pytest

from crm.audit.models import AuditEntry
from crm.contacts.models import Contact
from crm.membership.models import City, CityStatusChange
from tests.helpers import upload_import, wait_for_job


@pytest.fixture
def cities(make_city):
    return {
        "oslo": make_city("Oslo", "NO", population=709000, joined_on=dt.date(2015, 9, 29),
                          expertise=["victim_support"], languages=["no"]),
        "nice": make_city("Nice", "FR", region="western_europe", population=342000, joined_on=dt.date(2017, 1, 1),
                          expertise=["memorials_anniversaries"]),
        "gone": make_city("Gonetown", "FR", region="western_europe", status="withdrawn", population=5000,
                          joined_on=dt.date(2016, 5, 5)),
    }


def member_of(login_as, city):
    c = login_as("member")
    c.user.city = city.id
    c.user.save()
    return c


def test_public_directory_lists_active_members_with_filters(client, cities):
    html = client.get("/members/").get_data(as_text=True)
    assert "Oslo" in html and "Nice" in html and "Gonetown" not in html and "2015" in html
    html = client.get("/members/?region=western_europe").get_data(as_text=True)
    assert "Nice" in html and "Oslo" not in html
    html = client.get("/members/?country=NO&q=osl").get_data(as_text=True)
    assert "Oslo" in html and "Nice" not in html
    assert "709" not in html  # the public directory shows no population or contacts


def test_staff_list_filters_and_sorts(login_as, cities):
    staff = login_as("staff")
    html = staff.get("/cities/?status=withdrawn").get_data(as_text=True)
    assert "Gonetown" in html and "Oslo" not in html
    html = staff.get("/cities/?expertise=victim_support").get_data(as_text=True)
    assert "Oslo" in html and "Nice" not in html
    html = staff.get("/cities/?population=large").get_data(as_text=True)
    assert "Oslo" in html and "Nice" not in html
    html = staff.get("/cities/?population=small").get_data(as_text=True)
    assert "Gonetown" in html and "Oslo" not in html
    html = staff.get("/cities/?sort=population").get_data(as_text=True)
    assert html.index("Oslo") < html.index("Nice") < html.index("Gonetown")
    html = staff.get("/cities/?sort=joined").get_data(as_text=True)
    assert html.index("Nice") < html.index("Gonetown") < html.index("Oslo")


def test_export_of_filtered_list(login_as, cities):
    response = login_as("staff").get("/cities/export.csv?region=western_europe")
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert response.mimetype == "text/csv"
    assert sorted(r["name"] for r in rows) == ["Gonetown", "Nice"]
    assert rows[0]["country"] == "FR"


def test_profile_shows_contacts_expertise_and_history(login_as, cities):
    oslo = cities["oslo"]
    Contact.create(name="Kari Nordvik", name_key="kari nordvik", email="kari@oslo.example.org", city=oslo,
                   city_role="focal_point")
    Contact.create(name="Per Police", name_key="per police", email="per@oslo.example.org", city=oslo)
    CityStatusChange.create(city=oslo, status="active", reason="Joined", changed_on=dt.date(2015, 9, 29))
    html = login_as("staff").get(f"/cities/{oslo.id}").get_data(as_text=True)
    for text in ("Kari Nordvik", "Per Police", "Focal point", "Victim support", "Norwegian", "29 Sep 2015", "Joined"):
        assert text in html, text
    # another city's member sees the focal point but not the other contacts
    html = member_of(login_as, cities["nice"]).get(f"/cities/{oslo.id}").get_data(as_text=True)
    assert "Kari Nordvik" in html and "Per Police" not in html


def test_member_edits_own_city_only(login_as, cities):
    oslo, nice = cities["oslo"], cities["nice"]
    member = member_of(login_as, oslo)
    response = member.post(f"/cities/{oslo.id}/edit", data={"website": "https://oslo.no", "population": "710000",
                                                             "languages": ["no", "en"], "expertise": ["media"],
                                                             "name": "Hacked", "country": "SE"})
    assert response.status_code == 302
    oslo = City.get_by_id(oslo.id)
    assert oslo.website == "https://oslo.no" and oslo.population == 710000 and oslo.expertise == ["media"]
    assert oslo.name == "Oslo" and oslo.country == "NO"  # staff-only fields are not the member's to change
    entry = AuditEntry.get(AuditEntry.action == "city.update")
    assert entry.actor_id == member.user.id and entry.changes["population"] == [709000, 710000]
    assert member.get(f"/cities/{nice.id}/edit").status_code == 403
    assert member.post(f"/cities/{nice.id}/edit", data={"website": "https://evil.example"}).status_code == 403
    assert City.get_by_id(nice.id).website == ""
    assert member.post(f"/cities/{oslo.id}/status", data={"status": "withdrawn", "reason": "x"}).status_code == 403


def test_member_without_city_cannot_edit_any(login_as, cities):
    assert login_as("member").get(f"/cities/{cities['oslo'].id}/edit").status_code == 403


def test_staff_edits_any_field_with_duplicate_check(login_as, cities):
    staff = login_as("staff")
    nice = cities["nice"]
    response = staff.post(f"/cities/{nice.id}/edit", data={"name": "OSLO", "country": "NO", "region": "northern_europe",
                                                            "level": "city", "website": ""})
    assert response.status_code == 400 and "Another member city" in response.get_data(as_text=True)
    staff.post(f"/cities/{nice.id}/edit", data={"name": "Nice Côte", "country": "FR", "region": "western_europe",
                                                 "level": "city", "website": "not a url"})
    assert City.get_by_id(nice.id).name == "Nice"  # a bad website is refused
    staff.post(f"/cities/{nice.id}/edit", data={"name": "Nice Côte", "country": "FR", "region": "western_europe",
                                                 "level": "city", "website": ""})
    assert City.get_by_id(nice.id).name_key == "nice cote"


def test_status_lifecycle_with_reason_date_history_and_mail(login_as, cities, smtp):
    oslo = cities["oslo"]
    Contact.create(name="Kari", name_key="kari", email="kari@oslo.example.org", city=oslo, city_role="focal_point")
    staff = login_as("staff")
    staff.post(f"/cities/{oslo.id}/status", data={"status": "suspended", "reason": "No focal point for a year",
                                                   "changed_on": "2026-03-01"})
    assert City.get_by_id(oslo.id).status == "suspended"
    assert "suspended" in smtp.text(smtp.last_to("kari@oslo.example.org"))
    response = staff.post(f"/cities/{oslo.id}/status", data={"status": "suspended", "reason": "again"},
                          follow_redirects=True)
    assert "already suspended" in response.get_data(as_text=True)
    staff.post(f"/cities/{oslo.id}/status", data={"status": "active", "reason": "New focal point named"})
    staff.post(f"/cities/{oslo.id}/status", data={"status": "withdrawn", "reason": ""})  # refused: no reason
    changes = list(CityStatusChange.select().where(CityStatusChange.city == oslo).order_by(CityStatusChange.id))
    assert [(c.old_status, c.status) for c in changes] == [("active", "suspended"), ("suspended", "active")]
    assert changes[0].changed_on == dt.date(2026, 3, 1) and changes[0].reason == "No focal point for a year"
    assert AuditEntry.select().where(AuditEntry.action == "city.status").count() == 2
    html = staff.get(f"/cities/{oslo.id}").get_data(as_text=True)
    assert "No focal point for a year" in html and "01 Mar 2026" in html


def test_anonymous_sees_only_public_pages(client, cities):
    oslo = cities["oslo"]
    for url in ("/cities/", f"/cities/{oslo.id}", f"/cities/{oslo.id}/edit", "/cities/export.csv", "/cities/import",
                "/applications/", "/contacts/"):
        assert client.get(url).status_code == 302, url
    for url in ("/", "/apply", "/members/"):
        assert client.get(url).status_code == 200, url


def test_member_home_shows_their_city(login_as, cities):
    html = member_of(login_as, cities["oslo"]).get("/").get_data(as_text=True)
    assert "Oslo" in html and f"/cities/{cities['oslo'].id}/edit" in html


def test_dashboard_panels(login_as, cities, form_data, client):
    from crm.membership import services

    services.submit_application(dict(form_data(), languages=["en"]), submitted_at=dt.datetime(2026, 1, 1), notify=False)
    html = login_as("staff").get("/dashboard").get_data(as_text=True)
    assert 'data-testid="pending-count">1<' in html and "Malmö" in html
    assert "Northern Europe" in html and "Withdrawn: 1" in html
    assert "<svg" in html and "2015: 1 new member" in html and "2016: 1 new member" in html


def test_cities_import_page_preview_then_update(login_as, cities):
    staff = login_as("staff")
    text = "name,country,region,population,languages,expertise\nOslo,Norway,,720000,,\nTromsø,NO,,77000,no,\n"
    _, job_url, html = upload_import(staff, "/cities/import", text, mode="update")
    assert "2 row(s): 2 valid, 0 with errors; 1 match an existing record." in html
    assert City.select().where(City.name == "Tromsø").count() == 0  # the preview writes nothing
    staff.post(job_url, data={"mode": "update", "confirm": "1"})
    assert "Imported: 1 created, 1 updated" in wait_for_job(staff, job_url)
    assert City.get(City.name == "Oslo").population == 720000
    assert City.get(City.name == "Tromsø").status == "active"
