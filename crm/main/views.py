"""Home pages by role."""

from flask import render_template
from flask_login import current_user

from crm.accounts.access import public, secretariat_required
from crm.main import bp
from crm.main.services import dashboard_panels, member_home_panels


@bp.route("/")
@public
def home():
    """Show the public welcome, or the home page that fits the signed-in user's role."""
    if not current_user.is_authenticated:
        return render_template("main/welcome.html")
    if current_user.is_secretariat:
        return render_template("main/dashboard.html", panels=dashboard_panels())
    return render_template("main/member_home.html", panels=member_home_panels(current_user))


@bp.route("/dashboard")
@secretariat_required
def dashboard():
    """The secretariat's dashboard."""
    return render_template("main/dashboard.html", panels=dashboard_panels())
