"""Lessons: the review workflow with comments back to the author, visibility on pages, Markdown, toolkit, import."""

import pytest

from crm.audit.models import AuditEntry
from crm.lessons.models import Lesson, ToolkitItem
from tests.search_integration.network import apply, lesson, link


@pytest.fixture
def author(login_as, network):
    client = login_as("member")
    link(client.user, network["quiet"])
    return client


def _write(author, **extra):
    data = {"title": "Hold the vigil with faith leaders", "phase": "first_week", "themes": ["vigils_gatherings"],
            "body": "Plan **security** with the police.\n\n<script>alert(1)</script>", "incident": "",
            "visibility": "network", **extra}
    response = author.post("/lessons/new", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    return Lesson.select().order_by(Lesson.id.desc()).first()


def test_draft_submit_return_with_comment_resubmit_publish_archive(login_as, author, network, smtp):
    row = _write(author)
    assert row.status == "draft" and row.author_id == author.user.id
    reader = login_as("member")
    link(reader.user, network["market"])
    assert reader.get(f"/lessons/{row.id}").status_code == 404  # drafts: the author's city and staff only
    assert author.post(f"/lessons/{row.id}/submit").status_code == 302
    assert "submitted a lesson for review" in smtp.text(smtp.last_to("secretariat@example.org"))
    staff = login_as("staff")
    assert "Hold the vigil" in staff.get("/lessons/?status=submitted").get_data(as_text=True)
    staff.post(f"/lessons/{row.id}/review", data={"review-action": "return", "review-comment": ""})
    assert Lesson.get_by_id(row.id).status == "submitted"  # sending back needs a comment
    staff.post(f"/lessons/{row.id}/review", data={"review-action": "return",
                                                  "review-comment": "Say how many stewards you had."})
    assert Lesson.get_by_id(row.id).status == "draft"
    assert "Say how many stewards you had." in smtp.text(smtp.last_to(author.user.email))
    assert "Say how many stewards" in author.get(f"/lessons/{row.id}").get_data(as_text=True)
    author.post(f"/lessons/{row.id}/edit", data={"title": "Hold the vigil with faith leaders", "phase": "first_week",
                                                 "themes": ["vigils_gatherings"], "body": "We had 40 stewards.",
                                                 "incident": "", "visibility": "network"})
    author.post(f"/lessons/{row.id}/submit")
    staff.post(f"/lessons/{row.id}/review", data={"review-action": "publish", "review-comment": "Thank you"})
    assert Lesson.get_by_id(row.id).status == "published"
    assert "published" in smtp.last_to(author.user.email)["Subject"]
    assert reader.get(f"/lessons/{row.id}").status_code == 200
    assert author.post(f"/lessons/{row.id}/edit", data={"title": "x"}).status_code == 403  # published: staff only
    staff.post(f"/lessons/{row.id}/review", data={"review-action": "archive", "review-comment": ""})
    assert reader.get(f"/lessons/{row.id}").status_code == 404
    actions = [e.action for e in AuditEntry.select().where(AuditEntry.object_type == "Lesson",
                                                           AuditEntry.object_id == str(row.id)).order_by(AuditEntry.id)]
    assert actions == ["lesson.create", "lesson.submitted", "lesson.returned", "lesson.update", "lesson.submitted",
                       "lesson.published", "lesson.archived"]


def test_markdown_is_sanitised(author):
    row = _write(author)
    html = author.get(f"/lessons/{row.id}").get_data(as_text=True)
    assert "<strong>security</strong>" in html and "<script>alert(1)</script>" not in html


def test_named_cities_lesson_pages(login_as, author, network):
    row = lesson(network["quiet"], "For named cities", "text", visibility="cities", shared=[network["market"]])
    apply()
    named, other = login_as("member"), login_as("member")
    link(named.user, network["market"])
    link(other.user, network["mosque"])
    assert named.get(f"/lessons/{row.id}").status_code == 200
    assert other.get(f"/lessons/{row.id}").status_code == 404
    assert "For named cities" not in other.get("/lessons/").get_data(as_text=True)
    assert "For named cities" in named.get("/lessons/").get_data(as_text=True)
    assert login_as("staff").get(f"/lessons/{row.id}").status_code == 200
    assert "For named cities" in author.get(f"/cities/{network['quiet'].id}").get_data(as_text=True)


def test_visitors_read_public_lessons_and_the_toolkit_only(client, network):
    public = lesson(network["quiet"], "Public one", "text", visibility="public")
    network_only = lesson(network["quiet"], "Network one", "text")
    named = lesson(network["quiet"], "Named one", "text", visibility="cities", shared=[network["market"]])
    draft = lesson(network["quiet"], "Draft one", "text", visibility="public", status="draft")
    listing = client.get("/lessons/").get_data(as_text=True)
    assert "Public one" in listing
    assert not any(title in listing for title in ("Network one", "Named one", "Draft one"))
    assert client.get(f"/lessons/{public.id}").status_code == 200
    for row in (network_only, named, draft):
        assert client.get(f"/lessons/{row.id}").status_code == 404  # never confirms it exists
    # Asking for another status list shows the published public lessons, not the review queue.
    assert "Draft one" not in client.get("/lessons/?status=draft").get_data(as_text=True)
    assert client.get("/lessons/new").status_code == 302
    toolkit = client.get("/lessons/toolkit/").get_data(as_text=True)
    assert "First 24 hours" in toolkit and "Add an item" not in toolkit


def test_cities_visibility_needs_named_cities(author, network):
    response = author.post("/lessons/new", data={"title": "T", "phase": "first_week", "body": "b", "incident": "",
                                                  "visibility": "cities"})
    assert response.status_code == 400 and "Name at least one city" in response.get_data(as_text=True)


def test_toolkit_is_seeded_and_edited_by_staff_only(login_as, author, network):
    item = ToolkitItem.select().order_by(ToolkitItem.id).first()
    assert ToolkitItem.select().count() >= 20
    assert item.title in author.get("/lessons/toolkit/").get_data(as_text=True)
    assert author.get(f"/lessons/toolkit/{item.id}/edit").status_code == 403
    staff = login_as("staff")
    staff.post(f"/lessons/toolkit/{item.id}/edit", data={"phase": item.phase, "position": 1,
                                                          "title": "Speak within the first hour", "guidance": "g",
                                                          "themes": ["media"]})
    assert ToolkitItem.get_by_id(item.id).title == "Speak within the first hour"
    assert AuditEntry.select().where(AuditEntry.action == "toolkit.update").exists()
    assert "Speak within the first hour" in staff.get("/search?q=first+hour").get_data(as_text=True)


def test_import_lessons_csv(app, network, tmp_path):
    path = tmp_path / "lessons.csv"
    path.write_text("city,title,phase,themes,body\n"
                    "Calmville,Brief the schools,first week,Youth and schools;media,Call every head teacher.\n"
                    "Nowhere,Bad,first_week,,x\n", encoding="utf-8")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["import", "lessons", str(path)])
    assert result.exit_code != 0 and "row 3" in result.output
    assert not Lesson.select().where(Lesson.title == "Brief the schools").exists()
    result = runner.invoke(args=["import", "lessons", str(path), "--only-valid"])
    assert result.exit_code == 0, result.output
    row = Lesson.get(Lesson.title == "Brief the schools")
    assert (row.status, row.visibility, row.phase, row.themes) == ("published", "network", "first_week",
                                                                   ["youth_schools", "media"])
    again = runner.invoke(args=["import", "lessons", str(path), "--only-valid"])
    assert "0 created" in again.output and Lesson.select().where(Lesson.title == "Brief the schools").count() == 1
