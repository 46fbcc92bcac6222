"""A contact's mail language (issue 13): set on the form, read from and written to CSV, shown, erased.

That mail follows it is proved in tests/test_mail_language.py."""

import csv
import io

from crm.contacts.imports import CONTACT_COLUMNS, check_contacts, import_contacts
from crm.contacts.models import Contact

HEADER = "name,email,mail_language\n"


def test_the_form_stores_the_mail_language_and_the_page_names_it(staff, form):
    response = staff.post("/contacts/new", data=form(language="fr"))
    assert response.status_code == 302
    kari = Contact.get()
    assert kari.language == "fr"
    html = staff.get(f"/contacts/{kari.id}").get_data(as_text=True)
    assert "<dt>Mail language</dt><dd>Français</dd>" in html
    staff.post(f"/contacts/{kari.id}/edit", data=form(language="zz"))
    assert Contact.get().language == "fr"  # a language the interface does not offer is refused, nothing changed


def test_a_contact_without_a_mail_language_says_not_set(staff, form):
    staff.post("/contacts/new", data=form())
    kari = Contact.get()
    assert kari.language == ""
    assert "<dt>Mail language</dt><dd>Not set</dd>" in staff.get(f"/contacts/{kari.id}").get_data(as_text=True)


def test_import_reads_codes_and_names_in_any_language_and_refuses_two(app):
    plan = check_contacts(HEADER + "A,a@x.org,French\nB,b@x.org,es\nC,c@x.org,العربية\nD,d@x.org,\n"
                                   "E,e@x.org,fr;es\nF,f@x.org,Klingon\n")
    assert [r.number for r in plan.invalid] == [6, 7]
    assert "one language" in " ".join(plan.invalid[0].errors) and "unknown language" in " ".join(plan.invalid[1].errors)
    import_contacts(plan, only_valid=True)
    assert {c.email: c.language for c in Contact.select()} == {"a@x.org": "fr", "b@x.org": "es", "c@x.org": "ar",
                                                                 "d@x.org": ""}


def test_import_update_sets_it_and_an_empty_cell_keeps_it(app):
    Contact.create(name="A", name_key="a", email="a@x.org", language="es")
    import_contacts(check_contacts(HEADER + "A,a@x.org,\n"), mode="update")
    assert Contact.get().language == "es"
    import_contacts(check_contacts(HEADER + "A,a@x.org,fr\n"), mode="update")
    assert Contact.get().language == "fr"


def test_export_writes_the_column_and_erasure_blanks_it(staff, form):
    staff.post("/contacts/new", data=form(language="ar"))
    kari = Contact.get()
    text = staff.get("/contacts/export.csv").get_data(as_text=True).lstrip("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == list(CONTACT_COLUMNS) and rows[0]["mail_language"] == "ar"
    staff.post(f"/contacts/{kari.id}/erase", data={"confirm": "y"})
    assert Contact.get().language == ""
