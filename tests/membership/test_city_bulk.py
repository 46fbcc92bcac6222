"""Bulk actions on the member-city list: change the status of ticked cities or all matching ones, export."""

import csv
import io

import pytest

from crm.audit.models import AuditEntry
from crm.membership.models import City, CityStatusChange


@pytest.fixture
def cities(make_city):
    """24 Norwegian cities (one already suspended) and 3 French ones."""
    norway = [make_city(f"Norby {n:02}", country="NO", status="suspended" if n == 0 else "active")
              for n in range(24)]
    france = [make_city(f"Ville {n}", country="FR", region="western_europe") for n in range(3)]
    return {"no": norway, "fr": france}


@pytest.fixture
def staff(login_as):
    return login_as("staff")


def _statuses(found):
    return [City.get_by_id(c.id).status for c in found]


def test_ticked_cities_change_status_through_the_membership_service(staff, cities):
    ticked = cities["no"][:3]
    response = staff.post("/cities/bulk?country=NO&sort=name",
                          data={"action": "status", "status": "suspended", "reason": "Dues review",
                                "ids": [str(c.id) for c in ticked]})
    assert response.headers["Location"].endswith("/cities/?country=NO&sort=name")
    html = staff.get(response.headers["Location"]).get_data(as_text=True)
    assert "Moved 2 cities to suspended; 1 already had that status." in html
    assert _statuses(cities["no"][:4]) == ["suspended", "suspended", "suspended", "active"]
    changes = list(CityStatusChange.select().order_by(CityStatusChange.id))
    assert [(c.city_id, c.reason) for c in changes] == [(ticked[1].id, "Dues review"), (ticked[2].id, "Dues review")]
    assert AuditEntry.select().where(AuditEntry.action == "city.status").count() == 2  # one per city, as one at a time
    entry = AuditEntry.get(AuditEntry.action == "city.bulk_status")
    assert entry.changes["count"] == 2 and entry.changes["ids"] == sorted([ticked[1].id, ticked[2].id])


def test_all_matching_asks_first_above_20_and_changes_the_filtered_cities_only(staff, cities):
    data = {"action": "status", "status": "withdrawn", "reason": "Left the network", "all_matching": "y",
            "ids": [str(cities["fr"][0].id)]}
    response = staff.post("/cities/bulk?country=NO", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Change the status of 24 cities?" in html
    assert "moved to <strong>withdrawn</strong>" in html and 'name="reason" value="Left the network"' in html
    assert not CityStatusChange.select().exists()
    response = staff.post("/cities/bulk?country=NO", data=dict(data, confirmed="yes"), follow_redirects=True)
    assert "Moved 24 cities to withdrawn." in response.get_data(as_text=True)
    assert set(_statuses(cities["no"])) == {"withdrawn"} and set(_statuses(cities["fr"])) == {"active"}
    assert AuditEntry.get(AuditEntry.action == "city.bulk_status").changes["count"] == 24


def test_a_status_change_needs_a_status_and_a_reason(staff, cities):
    ids = [str(c.id) for c in cities["fr"]]
    html = staff.post("/cities/bulk", data={"action": "status", "status": "withdrawn", "reason": " ", "ids": ids},
                      follow_redirects=True).get_data(as_text=True)
    assert "Give the reason for the change" in html and set(_statuses(cities["fr"])) == {"active"}
    html = staff.post("/cities/bulk", data={"action": "status", "status": "", "reason": "x", "ids": ids},
                      follow_redirects=True).get_data(as_text=True)
    assert "Choose the new status." in html and not AuditEntry.select().where(
        AuditEntry.action.startswith("city.")).exists()


def test_export_of_all_matching_cities(staff, cities):
    response = staff.post("/cities/bulk?country=FR", data={"action": "export", "all_matching": "y"})
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0][0] == "name" and [r[0] for r in rows[1:]] == ["Ville 0", "Ville 1", "Ville 2"]
    assert AuditEntry.get(AuditEntry.action == "city.bulk_export").changes["count"] == 3


def test_staff_see_the_bulk_tools_members_do_not(staff, login_as, cities):
    html = staff.get("/cities/?country=NO").get_data(as_text=True)
    assert html.count('name="ids"') == 24 and "Apply to the chosen cities" in html
    assert "matching cities" not in html  # one page holds them all
    member = login_as("member")
    html = member.get("/cities/").get_data(as_text=True)
    assert "Norby 01" in html and 'name="ids"' not in html and "Apply to the chosen" not in html


@pytest.mark.parametrize("role", ["member", None])
def test_members_and_visitors_cannot_act(login_as, client, cities, role):
    user = login_as(role) if role else client
    ids = [str(c.id) for c in cities["fr"]]
    for data in ({"action": "status", "status": "withdrawn", "reason": "x", "ids": ids, "confirmed": "yes"},
                 {"action": "export", "all_matching": "y"}):
        response = user.post("/cities/bulk", data=data)
        assert response.status_code == (403 if role else 302) and b"Ville" not in response.data
    assert set(_statuses(cities["fr"])) == {"active"} and not CityStatusChange.select().exists()
