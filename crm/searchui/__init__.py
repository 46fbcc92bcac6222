"""The general search page, the peer-adviser API, and the index commands."""

from flask import Blueprint

from crm.features import Feature

bp = Blueprint("search", __name__, cli_group=None)

feature = Feature(
    "searchui",
    cli=("crm.searchui.commands:search_group", "crm.searchui.commands:peers"),
    nav=(("member", "Search", "search.search_page"),
         ("secretariat", "Search", "search.search_page")),
)
