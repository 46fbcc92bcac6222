"""Pagination of peewee queries from the ``page`` request argument."""

from __future__ import annotations

import math
from dataclasses import dataclass

from flask import request


@dataclass
class Page:
    """One page of a query's rows, with what templates need to link the others."""

    items: list
    number: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


def paginate(query, per_page: int = 25) -> Page:
    """Return the page of ``query`` named by ``?page=`` (clamped to the pages that exist)."""
    try:
        number = max(1, int(request.args.get("page", 1)))
    except ValueError:
        number = 1
    total = query.count()
    number = min(number, max(1, math.ceil(total / per_page)))
    return Page(list(query.paginate(number, per_page)), number, per_page, total)
