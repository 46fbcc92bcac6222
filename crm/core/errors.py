"""The base of every user-facing refusal a service raises.

Each feature keeps its own subclass (``AccountError``, ``EventError``…) so its views catch what its
services raise; code that serves several features catches ``DomainError``.
"""


class DomainError(Exception):
    """A user-facing refusal: the message says what happened and what to do."""
