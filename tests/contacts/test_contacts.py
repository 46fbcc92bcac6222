"""Contacts: create with duplicate warnings, edit, list with search and filters, merge, privacy."""

import csv
import io
import json

import peewee
import pytest

from crm.audit.models import AuditEntry
from crm.contacts import services
from crm.contacts.models import Contact, ContactMerge
from crm.db import BaseModel, database


def test_create_stores_normalised_values_and_audits(staff, form, city):
    response = staff.post("/contacts/new", data=form(city=str(city.id), city_role="focal_point"))
    contact = Contact.get()
    assert response.headers["Location"].endswith(f"/contacts/{contact.id}")
    assert contact.email == "kari@oslo.example.org" and contact.tags == ["focal point", "speaker"]
    assert contact.city_id == city.id and contact.name_key == "kari nordvik" and contact.languages == ["no"]
    assert contact.accepts_event_invitations and not contact.do_not_contact
    assert AuditEntry.get(AuditEntry.action == "contact.create").object_id == str(contact.id)


def test_bad_input_is_explained_and_kept(staff, form):
    response = staff.post("/contacts/new", data=form(name="", email="nope", sector="pirates"))
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and Contact.select().count() == 0
    assert "Enter the person" in html and "Enter a valid email address" in html and 'value="nope"' in html
    assert "Not a valid choice" in html


def test_same_email_in_any_case_is_refused(staff, form):
    staff.post("/contacts/new", data=form())
    response = staff.post("/contacts/new", data=form(name="Someone Else", email="KARI@oslo.EXAMPLE.org"))
    assert response.status_code == 400 and "already has this address" in response.get_data(as_text=True)
    assert Contact.select().count() == 1
    with pytest.raises(services.ContactError):
        services.create_contact({"name": "X", "email": " kari@oslo.example.org "}, actor=None)


@pytest.mark.parametrize("name, why", [("Kari Nordvik", "same name in the same city"),
                                       ("Kári Nordvik", "same name in the same city"),
                                       ("Kari Nordvick", "similar name")])
def test_likely_duplicates_warn_before_creating(staff, form, city, name, why):
    services.create_contact({"name": "Kari Nordvik", "email": "kari@oslo.example.org", "city": city.id}, actor=None)
    response = staff.post("/contacts/new", data=form(name=name, email="other@oslo.example.org", city=str(city.id)))
    html = response.get_data(as_text=True)
    assert "may already be in the CRM" in html and why in html and "Create anyway" in html
    assert Contact.select().count() == 1
    # confirming creates the record
    staff.post("/contacts/new", data=form(name=name, email="other@oslo.example.org", city=str(city.id),
                                          confirm_duplicate="1"))
    assert Contact.select().count() == 2


def test_edit_records_changes_in_history(staff, form):
    contact = services.create_contact({"name": "Kari", "email": "kari@oslo.example.org"}, actor=None)
    staff.post(f"/contacts/{contact.id}/edit", data=form(name="Kari N", email="kari@oslo.example.org",
                                                         do_not_contact="y"))
    contact = Contact.get_by_id(contact.id)
    assert contact.name == "Kari N" and contact.do_not_contact and not contact.may_be_invited
    html = staff.get(f"/contacts/{contact.id}").get_data(as_text=True)
    assert "Edited Kari N" in html and "Do not contact" in html


def test_list_search_filters_sort_and_pages(staff, city, make_city=None):
    from crm.membership.models import City

    nice = City.create(name="Nice", name_key="nice", country="FR", region="western_europe")
    people = [("Ana Lopez", "ana@un.example.org", "United Nations", "international_organisation", None, ["speaker"]),
              ("Björn Berg", "bjorn@oslo.example.org", "Oslo Police", "law_enforcement", city, []),
              ("Claire Roux", "claire@nice.example.org", "Ville de Nice", "city_government", nice, ["speaker"])]
    for name, email, org, sector, c, tags in people:
        services.create_contact({"name": name, "email": email, "organisation": org, "sector": sector,
                                 "city": c.id if c else None, "tags": tags}, actor=None)
    def names(url):
        html = staff.get(url).get_data(as_text=True)
        return [n for n, *_ in people if n in html]
    assert names("/contacts/?q=bjorn") == ["Björn Berg"]  # accents folded
    assert names("/contacts/?q=BERG") == ["Björn Berg"]  # a name, any case
    assert names("/contacts/?q=UN.EXAMPLE") == ["Ana Lopez"]  # email, any case
    assert names("/contacts/?q=police") == ["Björn Berg"]  # organisation
    assert names("/contacts/?q=Claire@Nice") == ["Claire Roux"]  # an address from its start
    assert names("/contacts/?q=@nice.example") == ["Claire Roux"]  # part of an address
    assert names("/contacts/?sector=city_government") == ["Claire Roux"]
    assert names(f"/contacts/?city={city.id}") == ["Björn Berg"]
    assert names("/contacts/?country=FR") == ["Claire Roux"]
    assert names("/contacts/?tag=speaker") == ["Ana Lopez", "Claire Roux"]
    html = staff.get("/contacts/?sort=-name").get_data(as_text=True)
    assert html.index("Claire Roux") < html.index("Björn Berg") < html.index("Ana Lopez")
    rows = list(csv.DictReader(io.StringIO(staff.get("/contacts/export.csv?tag=speaker").get_data(as_text=True))))
    assert [r["name"] for r in rows] == ["Ana Lopez", "Claire Roux"] and rows[1]["city"] == "Nice"


def test_list_paginates(staff):
    Contact.insert_many([{"name": f"Person {n:03d}", "name_key": f"person {n:03d}", "languages": [], "tags": []}
                         for n in range(120)]).execute()
    html = staff.get("/contacts/?page=3").get_data(as_text=True)
    assert "Page 3 of 3" in html and "Person 100" in html and "Person 099" not in html


def test_contacts_are_for_the_secretariat_only(login_as, client):
    contact = services.create_contact({"name": "Kari"}, actor=None)
    for url in ("/contacts/", f"/contacts/{contact.id}", f"/contacts/{contact.id}/export.json", "/contacts/import"):
        assert client.get(url).status_code == 302
    member = login_as("member")
    for url in ("/contacts/", f"/contacts/{contact.id}", f"/contacts/{contact.id}/export.json"):
        assert member.get(url).status_code == 403
    assert member.post(f"/contacts/{contact.id}/erase", data={"confirm": "y"}).status_code == 403
    assert Contact.get_by_id(contact.id).name == "Kari"


@pytest.fixture
def registrations(app):
    """A stand-in for a later feature's link to contacts (e.g. event registrations), removed afterwards."""

    class Registration(BaseModel):
        contact = peewee.ForeignKeyField(Contact, backref="test_registrations", on_delete="CASCADE")
        event = peewee.CharField()

        class Meta:
            table_name = "test_contact_link"
            indexes = ((("contact", "event"), True),)

    database.create_tables([Registration])
    yield Registration
    database.drop_tables([Registration])
    Registration._meta.remove_field("contact")  # forget the backref so other tests see Contact as declared
    delattr(Contact, "test_registrations")


def test_merge_keeps_links_history_and_chosen_fields(staff, city, registrations):
    kept = services.create_contact({"name": "Kari Nordvik", "email": "kari@oslo.example.org", "notes": "A",
                                    "tags": ["a"]}, actor=staff.user)
    other = services.create_contact({"name": "K. Nordvik", "email": "k.nordvik@oslo.example.org", "notes": "B",
                                     "phone": "+47 2", "city": city.id, "tags": ["b"]}, actor=staff.user)
    services.update_contact(other, {"position": "Adviser"}, actor=staff.user)
    registrations.create(contact=kept, event="summit")
    registrations.create(contact=other, event="summit")  # the same registration on both: kept once
    registrations.create(contact=other, event="webinar")
    page = staff.get(f"/contacts/{kept.id}/merge/{other.id}").get_data(as_text=True)
    assert "k.nordvik@oslo.example.org" in page and "+47 2" in page
    staff.post(f"/contacts/{kept.id}/merge/{other.id}", data={"phone": "other", "city": "other", "notes": "both",
                                                               "tags": "both", "email": "kept", "position": "other"})
    assert Contact.get_or_none(Contact.id == other.id) is None
    kept = Contact.get_by_id(kept.id)
    assert kept.phone == "+47 2" and kept.city_id == city.id and kept.position == "Adviser"
    assert kept.notes == "A\n\nB" and kept.tags == ["a", "b"] and kept.email == "kari@oslo.example.org"
    assert sorted(r.event for r in registrations.select().where(registrations.contact == kept)) == ["summit", "webinar"]
    assert ContactMerge.get().merged_contact_id == other.id
    entry = AuditEntry.get(AuditEntry.action == "contact.merge")
    assert entry.changes["merged_id"] == other.id and entry.changes["links_moved"]["test_contact_link.contact"] == 1
    history = staff.get(f"/contacts/{kept.id}").get_data(as_text=True)
    assert "Created contact K. Nordvik" in history and "Edited K. Nordvik" in history  # the merged one's history


def test_merge_can_take_the_other_email(staff):
    kept = services.create_contact({"name": "A", "email": "old@x.org"}, actor=None)
    other = services.create_contact({"name": "A", "email": "new@x.org"}, actor=None)
    services.merge_contacts(kept, other, {"email": "other"}, actor=staff.user)
    assert Contact.get_by_id(kept.id).email == "new@x.org"


def test_export_then_erase(staff, city, registrations):
    contact = services.create_contact({"name": "Kari Nordvik", "email": "kari@oslo.example.org", "phone": "+47 1",
                                       "notes": "Allergic to nuts", "city": city.id, "tags": ["vip"]},
                                      actor=staff.user)
    registrations.create(contact=contact, event="summit")
    response = staff.get(f"/contacts/{contact.id}/export.json")
    data = json.loads(response.get_data(as_text=True))
    assert data["contact"]["email"] == "kari@oslo.example.org" and data["contact"]["city_name"] == "Oslo"
    assert data["linked_records"]["test_contact_link.contact"][0]["event"] == "summit"
    assert any(h["action"] == "contact.create" for h in data["history"])
    assert AuditEntry.get(AuditEntry.action == "contact.export").object_id == str(contact.id)

    assert staff.post(f"/contacts/{contact.id}/erase", data={}).status_code == 302
    assert Contact.get_by_id(contact.id).email == "kari@oslo.example.org"  # not confirmed: nothing erased
    staff.post(f"/contacts/{contact.id}/erase", data={"confirm": "y"})
    erased = Contact.get_by_id(contact.id)
    assert erased.name == f"Erased contact #{contact.id}" and erased.email is None and erased.phone == ""
    assert erased.notes == "" and erased.tags == [] and erased.do_not_contact and erased.erased_at
    assert erased.city_id == city.id  # aggregate figures (per city, attendance) are kept
    assert registrations.select().where(registrations.contact == erased).count() == 1
    entry = AuditEntry.get(AuditEntry.action == "contact.erase")
    assert "kari" not in entry.changes_json.lower() and "nuts" not in entry.summary
