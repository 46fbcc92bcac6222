"""Member journeys: a city's and a contact's timeline of everything that happened, engagement, dormant members."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from crm.features import Feature

bp = Blueprint("journeys", __name__)

# No secretariat navigation link (its bar is full): the dormant list is a dashboard panel's link, and every
# journey page links to it. A member city's officials get "Our journey".
feature = Feature(
    "journeys",
    models=(),  # reads the other features' tables; holds none of its own
    nav=(("member", _l("Our journey"), "journeys.my_journey"),),
)
