"""CSV imports of files as they come: binary files, old Mac line endings, huge cells, large files (issue 8,
finding 17) and real-world spreadsheets of cities and lessons (issue 10, part 1), on the page and the commands."""

import json
import struct
import zlib

import pytest

from crm.contacts.models import Contact
from crm.lessons.models import Lesson
from crm.membership.models import City, ImportJob
from tests.helpers import upload_import, wait_for_job

CONTACTS = "name,email,notes\n"


def _png() -> bytes:
    raw = b"\x00" + b"\xff\x00\x00" * 4
    chunk = struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)[4:]
    return (b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + chunk + b"\x00" * 4
            + struct.pack(">I", len(zlib.compress(raw))) + b"IDAT" + zlib.compress(raw) + b"\x00" * 4)


BINARY_FILES = {"image": (_png(), "not a CSV text file"),
                "workbook": (b"PK\x03\x04\x14\x00\x06\x00" + bytes(range(256)), "workbook")}


@pytest.mark.parametrize("kind", sorted(BINARY_FILES))
def test_binary_upload_gets_a_message_next_to_the_field(login_as, kind):
    data, words = BINARY_FILES[kind]
    staff = login_as("staff")
    response, job_url, _ = upload_import(staff, "/contacts/import", data)
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and job_url is None
    assert words in html and 'class="field-error"' in html and 'aria-invalid="true"' in html
    assert ImportJob.select().count() == 0


def test_mac_line_endings_and_a_huge_cell_on_the_page(login_as):
    staff = login_as("staff")
    text = CONTACTS.replace("\n", "\r") + "Ana,ana@x.org,hi\rBo,bo@x.org,\"two\rlines\"\r"
    _, job_url, html = upload_import(staff, "/contacts/import", text)
    assert "2 row(s): 2 valid, 0 with errors" in html
    staff.post(job_url, data={"mode": "skip", "confirm": "1"})
    assert "Imported: 2 created" in wait_for_job(staff, job_url)
    assert Contact.get(Contact.email == "bo@x.org").notes == "two\nlines"

    huge = CONTACTS + "Cy,cy@x.org," + "x" * 200_000 + "\nDi,di@x.org,ok\n"  # over the csv module's 131,072
    _, job_url, html = upload_import(staff, "/contacts/import", huge)
    assert "2 row(s): 1 valid, 1 with errors" in html and "notes is longer than 10000 characters" in html


def test_commands_refuse_binary_files_and_read_mac_line_endings(app, tmp_path):
    runner = app.test_cli_runner()
    binary = tmp_path / "photo.csv"
    binary.write_bytes(BINARY_FILES["image"][0])
    result = runner.invoke(args=["import", "contacts", str(binary)])
    assert result.exit_code == 1 and "not a CSV text file" in result.output
    assert isinstance(result.exception, SystemExit)  # a message, not a crash
    mac = tmp_path / "mac.csv"
    mac.write_bytes(b"name,email\rAna,ana@x.org\rBo,bo@x.org\r")
    result = runner.invoke(args=["import", "contacts", str(mac)])
    assert result.exit_code == 0, result.output
    assert Contact.select().count() == 2
    huge = tmp_path / "huge.csv"
    huge.write_text("city,title,phase,themes,body\nNowhere,T,long term,," + "y" * 150_000 + "\n", encoding="utf-8")
    result = runner.invoke(args=["import", "lessons", str(huge)])
    assert result.exit_code == 1 and "body is longer than 100,000 characters" in result.output
    assert isinstance(result.exception, SystemExit)


def test_a_large_file_is_checked_and_imported_in_the_background(login_as):
    staff = login_as("staff")
    rows = 6000  # bench/import_bench.py measures 150,000
    text = "name,email,languages,tags\n" + "".join(f"Person {i},p{i}@bench.example.org,en;Mandarin,t{i % 5}\n"
                                                  for i in range(rows))
    response, job_url, html = upload_import(staff, "/contacts/import", text, timeout=300)
    assert response.status_code == 302  # the upload request returns at once; the job page follows the check
    assert f"{rows:,} row(s): {rows:,} valid, 0 with errors" in html
    staff.post(job_url, data={"mode": "skip", "confirm": "1"})
    assert f"Imported: {rows} created" in wait_for_job(staff, job_url, timeout=300)
    assert Contact.select().count() == rows
    assert Contact.get(Contact.email == "p5999@bench.example.org").languages == ["en", "zh"]
    assert ImportJob.get().text == ""  # the stored file is dropped once imported


def test_job_page_refreshes_while_running_and_belongs_to_its_kind(login_as):
    staff = login_as("staff")
    job = ImportJob.create(kind="contacts", state="checking", text="name\nA\n", rows_total=10, rows_done=3)
    html = staff.get(f"/contacts/import/{job.id}").get_data(as_text=True)
    assert '<meta http-equiv="refresh"' in html and "3 of 10 rows checked" in html
    assert staff.get(f"/cities/import/{job.id}").status_code == 404


# --- issue 10: a real-world spreadsheet -------------------------------------------------------------

REAL_CITIES = """\
name,country,region,population,languages,expertise
Christchurch,New Zealand,Oceania,389300,English;Māori,Community resilience;victim support
Oslo,Norway,Europe,709000,Norwegian;en,Crisis communications;Memorials
Nice,France,,342000,French;Italian,Security of large public events
Manchester,United Kingdom,Europe,"552,858",English;Urdu;Arabic,Victim support;Mental health support
Halle (Saale),Germany,,238000,Deutsch,Protecting Jewish institutions
Pittsburgh,United States,North America,302971,English,Interfaith;Community resilience
Kuala Lumpur,Malaysia,Asia,1982112,Malay;Mandarin;Tamil;en,Counter-messaging online
Christchurch,NZ,Oceania,389300,en,
Tehran,Iran,Middle East,8693706,Farsi,Emergency medical response
Manila,Philippines,Asia,1846513,Filipino;en,Disaster coordination
Sao Paulo,Brazil,Latin America,11451245,Português,Community policing
Atlantis,Nowhere,,many,,
"""

REAL_LESSONS = """\
city,title,phase,themes,body
Christchurch,Stop the spread of the attack video,Immediate response,Online harms;Livestream takedown,"Within hours we worked with platforms to take down the livestreamed video of the mosque shooting and asked residents not to share it."
Oslo,Name one contact person for each bereaved family,first week,Family liaison,"After the bombing and the shooting on the island every family had one named contact person in the municipality."
Nice,Plan the security of crowded public events,Preparedness,Security of events,"A truck drove into the crowd on the promenade; we now plan barriers for every large public event."
Manchester,Support young victims of a concert attack,Recovery,Victim support;Youth,"The bombing at the arena killed children and teenagers; a support hub for young people stayed open for years."
Halle (Saale),Protect the synagogue on holy days,long term,Protecting Jewish institutions,"The attacker tried to enter the synagogue on Yom Kippur; the city now funds the security of Jewish institutions."
"""


def test_real_world_cities_and_lessons_import_through_the_commands_and_peers_find_them(app, tmp_path):
    runner = app.test_cli_runner()
    cities = tmp_path / "cities.csv"
    cities.write_text(REAL_CITIES, encoding="utf-8")
    result = runner.invoke(args=["import", "cities", str(cities), "--only-valid"])
    assert result.exit_code == 0, result.output
    # only what cannot be stored is an error: the duplicate row and the city with no country or number
    assert "row 9: Christchurch appears twice" in result.output
    assert "row 13:" in result.output and "unknown country" in result.output and "not a whole number" in result.output
    assert "Cities: 10 created" in result.output
    by_name = {c.name: c for c in City.select()}
    assert by_name["Oslo"].region == "northern_europe" and by_name["Nice"].region == "western_europe"
    assert by_name["Tehran"].region == "mena" and by_name["Kuala Lumpur"].region == "asia_pacific"
    assert by_name["Sao Paulo"].region == "latin_america_caribbean" and by_name["Pittsburgh"].region == "north_america"
    assert by_name["Kuala Lumpur"].languages == ["ms", "zh", "ta", "en"]
    assert by_name["Tehran"].languages == ["fa"] and by_name["Manila"].languages == ["tl", "en"]
    assert by_name["Sao Paulo"].languages == ["pt"] and by_name["Halle (Saale)"].languages == ["de"]
    assert by_name["Christchurch"].languages == ["en", "mi"] and by_name["Manchester"].population == 552858
    # free text kept next to the vocabulary's keys
    assert by_name["Manchester"].expertise == ["victim_support", "Mental health support"]
    assert by_name["Oslo"].expertise == ["crisis_communications", "Memorials"]

    lessons = tmp_path / "lessons.csv"
    lessons.write_text(REAL_LESSONS, encoding="utf-8")
    result = runner.invoke(args=["import", "lessons", str(lessons)])
    assert result.exit_code == 0, result.output
    assert "Lessons: 5 created" in result.output
    video = Lesson.get(Lesson.title == "Stop the spread of the attack video")
    assert video.phase == "first_24_hours" and video.themes == ["online_harms", "Livestream takedown"]
    assert Lesson.get(Lesson.title.startswith("Plan the security")).phase == "preparing"

    result = runner.invoke(args=["peers", "--json", "A man livestreamed a shooting at a mosque during Friday prayers"])
    assert result.exit_code == 0, result.output
    found = [row["city"] for row in json.loads(result.output)]
    assert "Christchurch" in found
    result = runner.invoke(args=["peers", "--json", "Livestream takedown"])  # a free-text theme is searchable
    assert "Christchurch" in [row["city"] for row in json.loads(result.output)]
    result = runner.invoke(args=["peers", "--json", "Mental health support"])  # so is free-text expertise
    assert "Manchester" in [row["city"] for row in json.loads(result.output)]


def test_city_page_shows_free_text_expertise(login_as, tmp_path, app):
    runner = app.test_cli_runner()
    path = tmp_path / "c.csv"
    path.write_text("name,country,region,expertise\nNice,France,Europe,Security of large public events;media\n",
                    encoding="utf-8")
    assert runner.invoke(args=["import", "cities", str(path)]).exit_code == 0
    nice = City.get(City.name == "Nice")
    html = login_as("staff").get(f"/cities/{nice.id}").get_data(as_text=True)
    assert "Security of large public events" in html and "Media relations" in html
