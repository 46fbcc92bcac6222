"""The general search page, the peer-adviser API, and the index commands."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from crm.features import Feature

bp = Blueprint("search", __name__, cli_group=None)

feature = Feature(
    "searchui",
    cli=("crm.searchui.commands:search_group", "crm.searchui.commands:peers"),
    nav=(("member", _l("Search"), "search.search_page"),
         ("secretariat", _l("Search"), "search.search_page")),
)
