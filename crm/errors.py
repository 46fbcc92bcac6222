"""Error pages in the application's own look."""

from flask import render_template
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

MESSAGES = {
    400: (_l("Bad request"), _l("The request could not be understood. Go back, check what you entered and try "
                                "again.")),
    403: (_l("Not allowed"), _l("Your account does not give access to this page. "
                                "If you think it should, ask the secretariat.")),
    404: (_l("Page not found"), _l("There is nothing at this address. It may have moved, or the link may be "
                                   "incomplete.")),
    405: (_l("Not allowed"), _l("This page cannot be used this way.")),
    413: (_l("Too large"), _l("What you sent is larger than we accept. Send a smaller file, or split it in parts.")),
    429: (_l("Too many attempts"), _l("You have tried too often in a short time. Wait a minute, then try again.")),
    500: (_l("Something went wrong"), _l("An unexpected error happened on our side and nothing was saved. "
                                         "Try again; if it happens again, tell the secretariat.")),
}


def render_error(code: int, detail: str | None = None):
    """Render the error page for ``code`` with an optional extra sentence."""
    title, message = MESSAGES.get(code, MESSAGES[500])
    return render_template("errors/error.html", code=code, title=title, message=message, detail=detail), code


def init_app(app) -> None:
    """Register the handlers for HTTP errors, CSRF failures and unexpected exceptions."""

    @app.errorhandler(CSRFError)
    def _csrf(exc):
        return render_error(400, _l("The form had expired or was sent from elsewhere. "
                                    "Reload the page and send it again."))

    @app.errorhandler(HTTPException)
    def _http(exc):
        if exc.code is None or exc.code < 400:
            return exc
        return render_error(exc.code)

    @app.errorhandler(InternalServerError)
    def _internal(exc):
        return render_error(500)
