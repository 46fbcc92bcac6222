"""The general search page, the peer-adviser API, and the index commands."""

from flask import Blueprint

from crm.templating import register_nav

bp = Blueprint("search", __name__, cli_group=None)

register_nav("member", "Search", "search.search_page")
register_nav("secretariat", "Search", "search.search_page")


@bp.record_once
def _init(state):
    from crm import indexing

    indexing.init_app(state.app)


from crm.searchui import commands, views  # noqa: E402,F401
