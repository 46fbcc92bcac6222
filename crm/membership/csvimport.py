"""CSV import plumbing shared by the cities and contacts imports: parse, check each row, then apply.

A file is checked completely before anything is written; ``apply`` refuses a plan with errors unless
the caller chose to import only the valid rows, and writes everything in one transaction.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

MODES = {"skip": "Skip existing records", "update": "Update existing records",
         "fill": "Fill only the empty fields of existing records"}


class ImportRefused(Exception):
    """Raised when a file with errors is applied without choosing to import only the valid rows."""


@dataclass
class Row:
    """One data row of the file: its number in the file (header = 1), values, errors, and the match found."""

    number: int
    raw: dict
    values: dict = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    existing: object = None

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class Plan:
    """A checked file: its rows and the errors of the file as a whole."""

    rows: list[Row]
    file_errors: list[str] = field(default_factory=list)

    @property
    def valid(self) -> list[Row]:
        return [r for r in self.rows if r.ok]

    @property
    def invalid(self) -> list[Row]:
        return [r for r in self.rows if not r.ok]

    @property
    def ok(self) -> bool:
        return not self.file_errors and not self.invalid


@dataclass
class Result:
    """What an import did."""

    created: int = 0
    updated: int = 0
    skipped: int = 0
    rejected: int = 0

    def __str__(self) -> str:
        return (f"{self.created} created, {self.updated} updated, {self.skipped} skipped (already there)"
                + (f", {self.rejected} invalid row(s) left out" if self.rejected else ""))


def read_rows(text: str, *, required: tuple[str, ...], known: set[str]) -> tuple[list[tuple[int, dict]], list[str]]:
    """Return the numbered rows of a CSV text and the errors of its header."""
    text = text.lstrip("\ufeff")
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    errors = []
    if not header:
        return [], ["The file is empty: the first line must name the columns."]
    missing = [c for c in required if c not in header]
    if missing:
        errors.append(f"Missing column(s): {', '.join(missing)}. The first line must be: {','.join(required)}")
    unknown = [c for c in header if c and c not in known]
    if unknown:
        errors.append(f"Unknown column(s): {', '.join(unknown)}. Known columns: {', '.join(sorted(known))}")
    reader.fieldnames = header
    rows = []
    for number, raw in enumerate(reader, start=2):
        if not any((v or "").strip() for k, v in raw.items() if k):
            continue
        rows.append((number, {k: (v or "").strip() for k, v in raw.items() if k}))
    return rows, errors


def split_list(value: str) -> list[str]:
    """Split a ``;``-separated cell into its trimmed, non-empty items."""
    return [item.strip() for item in (value or "").split(";") if item.strip()]


def parse_bool(value: str, default: bool) -> bool | None:
    """Return a boolean cell's value (yes/no, true/false, 1/0); None when it is not one."""
    text = (value or "").strip().lower()
    if not text:
        return default
    if text in {"1", "yes", "y", "true"}:
        return True
    if text in {"0", "no", "n", "false"}:
        return False
    return None


def to_csv(header: list[str], rows) -> str:
    """Return CSV text with ``header`` and ``rows`` (lists are joined with ``;``)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow([";".join(v) if isinstance(v, list) else ("" if v is None else v) for v in row])
    return out.getvalue()
