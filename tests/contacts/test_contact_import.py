"""CSV import of contacts and cities: preview, per-row errors, modes, all-or-nothing, and the commands."""


import pytest

from crm.audit.models import AuditEntry
from crm.contacts.imports import check_contacts, import_contacts
from crm.contacts.models import Contact
from crm.core.csvimport import ImportRefused
from crm.features import Feature, Registry, registry
from crm.membership import imports as city_imports
from crm.membership.models import City
from tests.helpers import upload_import, wait_for_job

HEADER = "name,email,position,organisation,sector,city,country,phone,languages,tags,notes\n"


def test_check_reports_row_numbers_and_imports_nothing_until_fixed(city):
    text = (HEADER + "Kari Nordvik,KARI@oslo.example.org,Adviser,City of Oslo,City government,Oslo,Norway,+47,no;en,a;b,\n"
            "Bad Email,not-an-email,,,,,,,,,\n"
            "No City,nc@x.org,,,,Atlantis,,,,,\n"
            ",noname@x.org,,,pirates,,,,xx,,\n"
            "Dup,kari@oslo.example.org,,,,,,,,,\n")
    plan = check_contacts(text)
    assert [r.number for r in plan.invalid] == [3, 4, 5, 6]
    errors = {r.number: " ".join(r.errors) for r in plan.invalid}
    assert "not a valid email" in errors[3] and "no member city called “Atlantis”" in errors[4]
    assert "name is empty" in errors[5] and "unknown sector" in errors[5] and "unknown language" in errors[5]
    assert "also on row 2" in errors[6]
    with pytest.raises(ImportRefused):
        import_contacts(plan)
    assert Contact.select().count() == 0  # nothing half-imported
    result = import_contacts(plan, only_valid=True)
    assert (result.created, result.rejected) == (1, 4)
    kari = Contact.get()
    assert kari.email == "kari@oslo.example.org" and kari.city_id == city.id and kari.sector == "city_government"
    assert kari.languages == ["no", "en"] and kari.tags == ["a", "b"] and kari.name_key == "kari nordvik"


@pytest.mark.parametrize("mode, position, phone, name", [("skip", "Old", "", "Kari"),
                                                          ("update", "New", "+47", "Kari Nordvik"),
                                                          ("fill", "Old", "+47", "Kari")])
def test_modes_for_existing_records(city, mode, position, phone, name):
    Contact.create(name="Kari", name_key="kari", email="kari@oslo.example.org", position="Old", notes="keep")
    plan = check_contacts(HEADER + "Kari Nordvik,kari@oslo.example.org,New,,,,,+47,,,\n")
    assert plan.rows[0].existing is not None
    import_contacts(plan, mode=mode)
    kari = Contact.get()
    assert (kari.position, kari.phone, kari.name) == (position, phone, name)
    assert kari.notes == "keep"  # an empty cell never erases


def test_import_page_preview_then_confirm(login_as, city):
    staff = login_as("staff")
    text = HEADER + "Kari,kari@oslo.example.org,,,,Oslo,,,,,\nBad,bad,,,,,,,,,\n"
    _, job_url, html = upload_import(staff, "/contacts/import", text)
    assert "2 row(s): 1 valid, 1 with errors" in html and "not a valid email" in html
    assert Contact.select().count() == 0
    response = staff.post(job_url, data={"mode": "skip", "confirm": "1"})
    assert response.status_code == 400
    assert "fix them, or choose to import only the valid rows" in response.get_data(as_text=True)
    assert Contact.select().count() == 0
    response = staff.post(job_url, data={"mode": "skip", "confirm": "1", "only_valid": "y"})
    assert response.status_code == 302
    assert "Imported: 1 created" in wait_for_job(staff, job_url)
    assert Contact.select().count() == 1
    assert AuditEntry.get(AuditEntry.action == "contact.import").changes["created"] == 1


CITIES = "name,country,region,population,languages,expertise\n"


def test_cities_import_resolves_countries_and_updates_existing(app):
    City.create(name="Ankara", name_key="ankara", country="TR", status="active", population=1)
    text = (CITIES + "Ankara,Turkey,,5700000,tr;English,Victim support;media\n"
            "Kazan,Russia,,1300000,ru,\n"
            "Brno,Czech Republic,central_eastern_europe,380000,cs,\n"
            "Abidjan,Ivory Coast,,4700000,fr,\n"
            "Busan,South Korea,Asia-Pacific,3400000,ko,\n"
            "Oslo,NO,,709000,no,\n")
    plan = city_imports.check_cities(text)
    assert plan.ok, [(r.number, r.errors) for r in plan.invalid]
    result = city_imports.import_cities(plan)
    assert (result.created, result.updated) == (5, 1)
    ankara = City.get(City.name == "Ankara")
    assert ankara.population == 5_700_000 and ankara.languages == ["tr", "en"]
    assert ankara.expertise == ["victim_support", "media"] and ankara.region == "mena"
    codes = {c.name: (c.country, c.status, c.region) for c in City.select()}
    assert codes["Kazan"][0] == "RU" and codes["Brno"] == ("CZ", "active", "central_eastern_europe")
    assert codes["Abidjan"][0] == "CI" and codes["Busan"] == ("KR", "active", "asia_pacific")
    assert City.get(City.name == "Oslo").joined_on is not None


def test_cities_import_with_bad_rows_writes_nothing(app):
    text = CITIES + "Good,France,,1,,\nBad,Atlantis,,many,xx,flying\n"
    plan = city_imports.check_cities(text)
    assert [r.number for r in plan.invalid] == [3]
    errors = " ".join(plan.invalid[0].errors)
    assert "unknown country" in errors and "not a whole number" in errors
    # issue 10: a language that is none is a note, free-text expertise is kept; neither blocks the row
    assert "unknown language" in " ".join(plan.invalid[0].warnings) and "expertise" not in errors
    assert plan.invalid[0].values["expertise"] == ["flying"]
    with pytest.raises(ImportRefused):
        city_imports.import_cities(plan)
    assert City.select().count() == 0


def test_cities_import_unknown_column_is_left_out_with_a_note(app):
    plan = city_imports.check_cities("name,country,mascot\nNice,FR,x\n")
    assert not plan.file_errors and plan.ok and "mascot" in plan.file_warnings[0]
    assert "mascot" not in plan.rows[0].raw


SEEN_EXTRA: list = []


def _record_extra(city, value):
    SEEN_EXTRA.append((city.name, value))


def test_cities_import_extra_column_hook(app, monkeypatch):
    # A feature declaring the column (replacing the incidents feature's handler) receives its values.
    features = Registry([*registry(app).features, Feature("probe", import_columns={
        ("cities", "incident_summary"): "tests.contacts.test_contact_import:_record_extra"})])
    monkeypatch.setitem(app.extensions, "crm_features", features)
    seen = SEEN_EXTRA
    seen.clear()
    plan = city_imports.check_cities("name,country,incident_summary\nNice,France,Truck attack 2016\nLyon,FR,\n")
    assert plan.ok
    city_imports.import_cities(plan)
    assert seen == [("Nice", "Truck attack 2016")]


def test_import_commands(app, tmp_path, city):
    runner = app.test_cli_runner()
    good = tmp_path / "contacts.csv"
    good.write_text(HEADER + "Kari,kari@oslo.example.org,,,,Oslo,,,,,\n", encoding="utf-8")
    result = runner.invoke(args=["import", "contacts", str(good)])
    assert result.exit_code == 0, result.output
    assert "1 created" in result.output and Contact.select().count() == 1
    bad = tmp_path / "cities.csv"
    bad.write_text(CITIES + "Nice,France,,342000,fr,\nBad,Atlantis,,,,\n", encoding="utf-8")
    result = runner.invoke(args=["import", "cities", str(bad)])
    assert result.exit_code != 0 and "row 3: unknown country" in result.output
    assert City.select().where(City.name == "Nice").count() == 0
    result = runner.invoke(args=["import", "cities", str(bad), "--only-valid"])
    assert result.exit_code == 0 and "1 created" in result.output
    assert City.get(City.name == "Nice").status == "active"
