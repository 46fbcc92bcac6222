"""The workspace checklist links the lessons that answer each item by meaning and phase, not any shared theme."""

from crm.workspace import services
from crm.workspace.models import Workspace
from tests.search_integration.network import apply, lesson, link


def test_a_point_of_contact_item_links_the_point_of_contact_lesson_first(login_as, network):
    client = login_as("member")
    link(client.user, network["asking"])
    # the returnees lesson is published last: linking by any shared theme, newest first, listed it first
    lesson(network["market"], "Families need one point of contact and timely information",
           "Families of the victims asked for one point of contact; we named one contact person per family.",
           phase="first_24_hours", themes=["family_liaison", "national_local_coordination"])
    lesson(network["quiet"], "Support the families of people returning from conflict zones",
           "Returnees and their families need social services and prevention work.",
           phase="preparing", themes=["social_services", "family_liaison", "prevention"])
    apply()
    response = client.post("/workspace/new", data={"description": "A truck drove into the market.",
                                                   "phase": "first_24_hours"})
    assert response.status_code == 302
    workspace = Workspace.get()
    items = {row["item"].title: [lsn.title for lsn in row["lessons"]]
             for row in services.checklist(workspace, client.user)}
    linked = items["Name a single point of contact for families"]
    assert linked[0] == "Families need one point of contact and timely information", linked
    page = client.get(f"/workspace/{workspace.id}").get_data(as_text=True)
    item_at = page.index("Name a single point of contact for families")
    assert page.index("Families need one point of contact", item_at) < page.find("returning from conflict", item_at) \
        or "returning from conflict" not in page[item_at:]


def test_link_score_reads_titles_themes_and_phase(app):
    class Item:
        title, themes, phase = "Channel donations and volunteers", ["volunteer_coordination", "victim_support"], \
            "first_week"

    class Lesson:
        def __init__(self, title, themes, phase):
            self.title, self.themes, self.phase = title, themes, phase

    fund = services._LessonKey(Lesson("One fund, clear rules for donations", ["victim_support"], "first_week"))
    other = services._LessonKey(Lesson("Build a resilience centre", ["victim_support"], "first_months"))
    unrelated = services._LessonKey(Lesson("Exit programmes", ["prevention"], "preparing"))
    assert services.link_score(Item, fund) > services.link_score(Item, other) > 0
    assert services.link_score(Item, unrelated) == 0
