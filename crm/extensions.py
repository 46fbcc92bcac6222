"""Flask extensions, created unbound and bound to the app in ``create_app``."""

import threading

from flask_login import LoginManager
from flask_mail import Mail
from flask_wtf.csrf import CSRFProtect

login_manager = LoginManager()
csrf = CSRFProtect()
mail = Mail()

_limiter_lock = threading.Lock()


def __getattr__(name: str):
    """Create ``limiter`` on first use: Flask-Limiter takes ~50 ms to import, and commands serving no page
    (``crm peers``, ``crm import``…) never use it."""
    global limiter
    if name != "limiter":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    with _limiter_lock:
        if "limiter" not in globals():
            from flask_limiter import Limiter
            from flask_limiter.util import get_remote_address

            limiter = Limiter(key_func=get_remote_address)
    return limiter
