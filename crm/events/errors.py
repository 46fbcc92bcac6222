"""Events: the refusals a service raises, with a message for the person."""

from __future__ import annotations

from crm.core.errors import DomainError


class EventError(DomainError):
    """A user-facing refusal: the message says what happened and what to do.

    ``field`` names the form field the refusal is about, when there is one, so a view can show the
    message beside it (whatever language the message is in).
    """

    def __init__(self, message: str = "", *, field: str | None = None):
        super().__init__(message)
        self.field = field


class RegistrationRefused(EventError):
    """Registration is not possible; ``reason`` is one of closed, not_open, full, past,
    invitation_only, cancelled, not_published."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason
