"""The interface language: which locale a request gets, and the switcher every page shows.

The choice, in order: ``?lang=xx`` (kept in the session, and on the account of a signed-in user), the
signed-in user's stored choice, the browser's ``Accept-Language``, then English. The catalogues are
``crm/translations/<lang>/LC_MESSAGES/messages.po`` and their compiled ``.mo`` beside them (committed,
and proved equal to a fresh compile by tests/test_i18n_catalogues.py).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

from flask import current_app, g, has_app_context, has_request_context, request, session
from flask.json.provider import DefaultJSONProvider
from flask_babel import Babel, get_locale, refresh
from flask_babel.speaklater import LazyString
from flask_login import current_user
from markupsafe import Markup, escape

DEFAULT = "en"
# Each language by its own name, as a reader of that language looks for it in the switcher.
LANGUAGES = {"en": "English", "fr": "Français", "es": "Español", "ar": "العربية"}
RIGHT_TO_LEFT = {"ar"}
TRANSLATIONS_DIR = Path(__file__).parent / "translations"
SESSION_KEY = "lang"

babel = Babel()


def supported(code: str | None) -> str | None:
    """Return ``code`` when it is a language of the interface, else None."""
    code = (code or "").strip().lower()
    return code if code in LANGUAGES else None


def _user_language() -> str | None:
    if current_user and current_user.is_authenticated:
        return supported(getattr(current_user, "language", ""))
    return None


def select_locale() -> str:
    """Return the request's language: the session's switch, the user's choice, the browser's, English."""
    if not has_request_context():  # a command: the language `crm` chose (crm.cli.cli_language)
        return supported(current_app.config.get("CLI_LANGUAGE")) or DEFAULT
    return (supported(session.get(SESSION_KEY))
            or _user_language()
            or request.accept_languages.best_match(list(LANGUAGES))
            or DEFAULT)


def remember_switch() -> None:
    """Keep a ``?lang=xx`` switch for the session, and on the signed-in user's account."""
    # Flask-Babel caches the locale on the app context, which may outlive one request (tests, CLI
    # helpers that make requests): each request chooses again.
    refresh()
    code = supported(request.args.get("lang"))
    if code is None:
        return
    session[SESSION_KEY] = code
    user = current_user._get_current_object() if current_user else None
    if user is not None and user.is_authenticated and getattr(user, "language", code) != code:
        # The user's own preference, not a record others see: no audit entry, one UPDATE of one column.
        user.language = code
        user.save(only=[type(user).language])


def current_language() -> str:
    """Return the code of the language the page (or the mail, under ``force_locale``) is rendered in."""
    if has_request_context():
        return str(get_locale() or DEFAULT)
    # Outside a request (a cron job rendering a mail in its recipient's language), only a locale forced by
    # ``flask_babel.force_locale`` counts: a locale Flask-Babel cached on ``g`` by an earlier request of a
    # long-lived app context (tests, CLI helpers) is not this code's language.
    forced = getattr(g.get("_flask_babel"), "forced_babel_locale", None) if has_app_context() else None
    return str(forced) if forced else DEFAULT


def country_name(code: str | None) -> str:
    """A country's name in the page's (or the mail's) language: crm.core.names.country_name in it."""
    from crm.core import names

    return names.country_name(code, current_language())


def country_choices() -> list[tuple[str, str]]:
    """``(alpha-2, name)`` for every country, named and sorted in the page's language."""
    from crm.core import names

    return names.country_choices(current_language())


def text_direction() -> str:
    """Return ``rtl`` for right-to-left languages, else ``ltr``."""
    return "rtl" if current_language() in RIGHT_TO_LEFT else "ltr"


def language_links() -> list[dict]:
    """Return the switcher's links: the current page with ``?lang=xx``, each in its own language."""
    if not has_request_context():
        return []
    kept = [(key, value) for key, value in request.args.items(multi=True) if key != "lang"]
    current = current_language()
    return [{"code": code, "name": name, "current": code == current,
             "url": f"{request.path}?{urlencode([*kept, ('lang', code)])}"}
            for code, name in LANGUAGES.items()]


# Flask-Babel's lazy strings say they are safe HTML (``__html__`` returns the text as it is), so Jinja and
# WTForms print them unescaped: a lazy message that carries a value (``_l("Registered: %(title)s",
# title=event.title)``) or a translation with a "<" would reach the page raw. Known upstream and kept there
# (python-babel/flask-babel#121, #224); here a lazy string is text like any other and is escaped when printed.
def _lazy_as_html(self: LazyString) -> Markup:
    return escape(str(self))


LazyString.__html__ = _lazy_as_html


class JSONProvider(DefaultJSONProvider):
    """Flask's JSON, with lazy strings written as their text (Flask would write their escaped HTML)."""

    @staticmethod
    def default(o):
        if isinstance(o, LazyString):
            return str(o)
        return DefaultJSONProvider.default(o)


def init_app(app) -> None:
    """Bind Flask-Babel to the app with the package's catalogues and the locale choice above."""
    babel.init_app(app, locale_selector=select_locale, default_translation_directories=str(TRANSLATIONS_DIR))
    app.json = JSONProvider(app)
    if app.config.get("VIEWS", True):
        app.before_request(remember_switch)
    app.jinja_env.globals.update(current_language=current_language, text_direction=text_direction,
                                 language_links=language_links)
