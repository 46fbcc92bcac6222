"""Every setting of the application, read from ``CRM_*`` environment variables.

Each setting has one documented default here; README's configuration table is generated from
``SETTINGS`` (``crm config`` prints it), so the two cannot drift apart.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DEV_SECRET_KEY = "dev-only-insecure-secret-key"

# Instance data (SQLite database, search index) lives in the working directory, never beside the code
# (which may be a read-only site-packages).
INSTANCE = "instance"


@dataclass(frozen=True)
class Setting:
    """One configuration value: its Flask key, environment variable, default and meaning."""

    key: str
    default: object
    help: str
    kind: type = str

    @property
    def env(self) -> str:
        return f"CRM_{self.key}"

    def read(self, environ) -> object:
        raw = environ.get(self.env)
        if raw is None:
            return self.default
        if self.kind is bool:
            return raw.strip().lower() in {"1", "true", "yes", "on"}
        if self.kind is int:
            return int(raw)
        return raw


SETTINGS: list[Setting] = [
    Setting("SECRET_KEY", DEV_SECRET_KEY, "Signs sessions and emailed links. Required outside debug and tests."),
    Setting("DEBUG", False, "Development mode: debugger, reloader, development secret key allowed.", bool),
    Setting("INSTANCE_DIR", INSTANCE, "Folder of the instance data (the SQLite database and the search index by "
            "default); a relative path starts from the working directory."),
    Setting("DATABASE_URL", f"sqlite:///{INSTANCE}/crm.sqlite3",
            "Database: `sqlite:///path` or `postgresql://user@host:5432/name`."),
    Setting("INDEX_DIR", f"{INSTANCE}/index", "Folder of the Whoosh search index."),
    Setting("SEARCH_REBUILD_WAIT", 3, "Seconds a search waits for a missing or damaged index to be rebuilt "
            "from the database before it shows \"search is being rebuilt, try again in a moment\".", int),
    Setting("INDEX_AFTER_RESPONSE_BUDGET", 5, "Seconds a worker spends, after sending a page, applying the "
            "index changes that page made; what is left is applied by the next search or `crm search sync`.", int),
    Setting("BASE_URL", "http://127.0.0.1:5000", "Public address used in emailed links."),
    Setting("MAIL_SERVER", "127.0.0.1", "SMTP server host."),
    Setting("MAIL_PORT", 25, "SMTP server port.", int),
    Setting("MAIL_USERNAME", None, "SMTP user name (none: no authentication)."),
    Setting("MAIL_PASSWORD", None, "SMTP password."),
    Setting("MAIL_USE_TLS", False, "Use STARTTLS with the SMTP server.", bool),
    Setting("MAIL_USE_SSL", False, "Use SMTP over TLS.", bool),
    Setting("MAIL_DEFAULT_SENDER", "Strong Cities CRM <noreply@example.org>", "From address of every mail."),
    Setting("MAIL_MAX_ATTEMPTS", 8, "Attempts before a queued mail is given up.", int),
    Setting("MAIL_TIMEOUT", 10, "Seconds any SMTP step (connect, greeting, each command) may take before the "
            "attempt counts as failed and is retried later.", int),
    Setting("MAIL_AFTER_RESPONSE_BUDGET", 5, "Seconds a worker spends, after sending a page, delivering the mail "
            "that page queued; what is left waits for `crm mail send-queued`.", int),
    Setting("MAIL_CLAIM_TIMEOUT", 900, "Seconds a mail may stay 'sending' before a sender takes it back (only "
            "after a sender died mid-send; that mail may then go out twice).", int),
    Setting("MAIL_RATE", 0, "Messages sent per minute: `crm mailings send` paces mailings at this rate and `crm mail "
            "send-queued` (run every minute) sends at most this many per run (0: no limit).", int),
    Setting("MAILINGS_UNSUBSCRIBE_ADDRESS", "", "Address of the mailto: List-Unsubscribe of mailings (default: the "
            "sender's address)."),
    Setting("MAIL_BOUNCE_LIMIT", 3, "Hard bounces after which an address is bouncing and gets no mailing.", int),
    Setting("SECRETARIAT_EMAIL", "secretariat@example.org", "Where notifications for the secretariat go."),
    Setting("RATELIMIT_STORAGE_URI", "memory://",
            "Rate-limit store: `memory://` (per process) or `redis://127.0.0.1:6379`."),
    Setting("LOGIN_RATE_LIMIT", "10 per minute", "Failed sign-ins (and reset requests) allowed per account's email "
            "address, from any client."),
    Setting("LOGIN_ADDRESS_RATE_LIMIT", "30 per minute", "Failed sign-ins (and reset requests) allowed per client "
            "address, whatever the account: higher, as colleagues may share an office's address."),
    Setting("TRUSTED_PROXIES", 0, "Reverse proxies in front of the app that set X-Forwarded-For/-Proto "
            "(1 for one nginx); 0 trusts no such header.", int),
    Setting("APPLICATION_RATE_LIMIT", "10 per hour", "Membership applications accepted per client."),
    Setting("SECURE_COOKIES", None, "Mark the session and remember-me cookies `Secure` (sent over HTTPS only). "
            "Unset: on, except in debug mode and tests; set 0 to serve over plain HTTP.", bool),
    Setting("MAX_CONTENT_LENGTH", 10 * 1024 * 1024, "Largest request body accepted, in bytes.", int),
    Setting("RESET_ANSWER_MS", 400, "Milliseconds the password-reset form takes to answer, whether or not "
            "an account uses the address (so its timing tells nothing).", int),
    Setting("TOKEN_MAX_AGE", 2 * 24 * 3600, "Seconds a password-reset link stays valid.", int),
    Setting("INVITATION_MAX_AGE", 14 * 24 * 3600, "Seconds an invitation link stays valid.", int),
    Setting("REMEMBER_DAYS", 30, "Days a 'remember me' login lasts.", int),
    Setting("ADVICE_URGENT_HOURS", 24, "Hours after which an unanswered urgent advice request is flagged to staff.", int),
]


def from_environment(environ=None) -> dict:
    """Return the Flask configuration mapping read from the environment."""
    environ = os.environ if environ is None else environ
    config = {s.key: s.read(environ) for s in SETTINGS}
    # Resolved now, so a later change of working directory cannot move the data.
    instance = Path(config["INSTANCE_DIR"]).resolve()
    config["INSTANCE_DIR"] = str(instance)
    if environ.get("CRM_DATABASE_URL") is None:
        config["DATABASE_URL"] = f"sqlite:///{instance / 'crm.sqlite3'}"
    if environ.get("CRM_INDEX_DIR") is None:
        config["INDEX_DIR"] = str(instance / "index")
    config.update(
        MAIL_USERNAME=config["MAIL_USERNAME"] or None,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        RATELIMIT_HEADERS_ENABLED=True,
        WTF_CSRF_TIME_LIMIT=None,
    )
    return config


def settings_table() -> str:
    """Return the settings as a Markdown table (used in README)."""
    lines = ["| variable | default | meaning |", "|---|---|---|"]
    for s in SETTINGS:
        lines.append(f"| `{s.env}` | `{s.default}` | {s.help} |")
    return "\n".join(lines)
