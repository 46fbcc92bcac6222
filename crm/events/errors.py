"""Events: the refusals a service raises, with a message for the person."""

from __future__ import annotations

from crm.core.errors import DomainError


class EventError(DomainError):
    """A user-facing refusal: the message says what happened and what to do."""


class RegistrationRefused(EventError):
    """Registration is not possible; ``reason`` is one of closed, not_open, full, past,
    invitation_only, cancelled, not_published."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason
