"""The admin's user pages: list, invite, change role, deactivate — each audited."""

from crm.accounts.models import User
from crm.audit.models import AuditEntry


def test_user_list_filters_by_role_and_search(login_as, make_user):
    admin = login_as("admin")
    make_user("member", email="mayor@oslo.example.org", name="Oslo Mayor")
    make_user("staff", email="desk@example.org", name="Desk Officer")
    body = admin.get("/account/users/?role=member").get_data(as_text=True)
    assert "mayor@oslo.example.org" in body and "desk@example.org" not in body
    body = admin.get("/account/users/?q=desk").get_data(as_text=True)
    assert "desk@example.org" in body and "mayor@oslo.example.org" not in body


def test_change_role_and_deactivate_are_audited(login_as, make_user):
    admin = login_as("admin")
    target = make_user("staff")
    response = admin.post(f"/account/users/{target.id}", data={"role": "admin", "active": ""})
    assert response.status_code == 302
    target = User.get_by_id(target.id)
    assert target.role == "admin" and not target.active
    entry = AuditEntry.select().where(AuditEntry.action == "user.update").get()
    assert entry.actor_id == admin.user.id and entry.object_id == str(target.id)
    assert entry.changes == {"role": ["staff", "admin"], "active": [True, False]}
    log = admin.get("/audit/?action=user.update").get_data(as_text=True)
    assert "staff → admin" in log and admin.user.email in log


def test_last_admin_cannot_demote_themselves(login_as):
    admin = login_as("admin")
    body = admin.post(f"/account/users/{admin.user.id}", data={"role": "staff", "active": "y"}).get_data(as_text=True)
    assert "last active admin" in body
    assert User.get_by_id(admin.user.id).role == "admin"


def test_unknown_user_gives_404(login_as):
    response = login_as("admin").get("/account/users/99999")
    assert response.status_code == 404 and b"Page not found" in response.data
