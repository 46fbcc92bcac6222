"""CSV import plumbing shared by every import (cities, contacts, lessons): parse, check each row, then apply.

A file is checked completely before anything is written; ``apply`` refuses a plan with errors unless
the caller chose to import only the valid rows, and writes everything in one transaction.
"""

from __future__ import annotations

import csv
import io
from dataclasses import asdict, dataclass, field

import click
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

MODES = {"skip": _l("Skip existing records"), "update": _l("Update existing records"),
         "fill": _l("Fill only the empty fields of existing records")}


# A cell longer than this is a row error (a pasted document, not a value); the csv module's own limit is
# raised to the size of the file being read, so a long cell never stops the reading of the file.
MAX_CELL = 100_000
PROGRESS_EVERY = 1000  # rows between two progress reports of a long check or import


class ImportRefused(Exception):
    """Raised when a file with errors is applied without choosing to import only the valid rows."""


class NotCSVText(ValueError):
    """Raised when an uploaded or given file is not CSV text at all (a workbook, an image, …)."""


def decode_csv(raw: bytes) -> str:
    """Return the text of CSV file bytes (UTF-8, else Windows-1252), or raise NotCSVText for a binary file."""
    if raw[:4] == b"PK\x03\x04":
        raise NotCSVText(_("This is not a CSV text file but a workbook or archive (.xlsx, .zip). "
                           "Save the sheet as “CSV UTF-8 (comma delimited)” and use that file."))
    head = raw[:65536]
    controls = sum(head.count(bytes([c])) for c in range(32) if c not in (9, 10, 13))
    if b"\x00" in raw or controls > max(8, len(head) // 100):
        raise NotCSVText(_("This is not a CSV text file (it holds binary data). "
                           "Export the data as CSV (UTF-8, comma-separated) and use that file."))
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


@dataclass
class Row:
    """One data row of the file: its number in the file (header = 1), values, errors, and the match found."""

    number: int
    raw: dict
    values: dict = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    existing: object = None
    warnings: list[str] = field(default_factory=list)  # what was read differently or left out; never blocks

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class Plan:
    """A checked file: its rows and the errors of the file as a whole."""

    rows: list[Row]
    file_errors: list[str] = field(default_factory=list)
    file_warnings: list[str] = field(default_factory=list)

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
        # In English: the audit log and the commands print it.
        return (f"{self.created} created, {self.updated} updated, {self.skipped} skipped (already there)"
                + (f", {self.rejected} invalid row(s) left out" if self.rejected else ""))

    def describe(self) -> str:
        """The counts in the reader's language, for the import page."""
        if self.rejected:
            return _("%(created)s created, %(updated)s updated, %(skipped)s skipped (already there), "
                     "%(rejected)s invalid row(s) left out", created=self.created, updated=self.updated,
                     skipped=self.skipped, rejected=self.rejected)
        return _("%(created)s created, %(updated)s updated, %(skipped)s skipped (already there)",
                 created=self.created, updated=self.updated, skipped=self.skipped)

    @classmethod
    def for_plan(cls, plan: Plan, *, only_valid: bool) -> Result:
        """Start counting the import of ``plan``: refused while it has errors, unless only its valid rows go in."""
        if plan.file_errors or (plan.invalid and not only_valid):
            raise ImportRefused(_("The file has errors: fix them, or choose to import only the valid rows."))
        return cls(rejected=len(plan.invalid))

    def changes(self, mode: str) -> dict:
        """The counts and the mode, as the audit log records an import."""
        return {**asdict(self), "mode": mode}


def read_rows(text: str, *, required: tuple[str, ...], known: set[str],
              warnings: list[str] | None = None) -> tuple[list[tuple[int, dict]], list[str]]:
    """Return the numbered rows of a CSV text and the errors of the file.

    Line endings may be LF, CRLF or CR alone. Columns that are not ``known`` are left out (with a note
    in ``warnings`` when a list is given, else they are an error); a file the csv module cannot read
    gives an error naming the line instead of an exception.
    """
    text = text.lstrip("\ufeff")
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
    # newline=None reads "\r", "\n" and "\r\n" alike (files saved by old Mac spreadsheets end lines in "\r")
    reader = csv.DictReader(io.StringIO(text, newline=None))
    errors: list[str] = []
    try:
        fieldnames = reader.fieldnames
    except csv.Error as exc:
        return [], [_("Line 1 cannot be read as CSV (%(error)s). Save the file as CSV (UTF-8, comma-separated).",
                      error=exc)]
    header = [h.strip().lower() for h in (fieldnames or [])]
    if not header:
        return [], [_("The file is empty: the first line must name the columns.")]
    missing = [c for c in required if c not in header]
    if missing:
        errors.append(_("Missing column(s): %(missing)s. The first line must be: %(required)s",
                        missing=", ".join(missing), required=",".join(required)))
    unknown = [c for c in header if c and c not in known]
    if unknown and warnings is not None:
        warnings.append(_("Column(s) %(unknown)s are not imported (known columns: %(known)s).",
                          unknown=", ".join(unknown), known=", ".join(sorted(known))))
    elif unknown:
        errors.append(_("Unknown column(s): %(unknown)s. Known columns: %(known)s",
                        unknown=", ".join(unknown), known=", ".join(sorted(known))))
    reader.fieldnames = header
    keep = [c for c in header if c and c in known]
    rows = []
    number = 1
    try:
        for number, raw in enumerate(reader, start=2):
            if not any((v or "").strip() for k, v in raw.items() if k):
                continue
            rows.append((number, {k: (raw.get(k) or "").strip() for k in keep}))
    except csv.Error as exc:
        errors.append(_("Row %(number)s cannot be read as CSV (%(error)s). Save the file as CSV (UTF-8, "
                        "comma-separated).", number=number + 1, error=exc))
    return rows, errors


def check_cells(raw: dict, errors: list[str]) -> None:
    """Add an error for each cell longer than ``MAX_CELL`` characters."""
    for column, value in raw.items():
        if len(value) > MAX_CELL:
            limit = f"{MAX_CELL:,}"
            errors.append(_("%(column)s is longer than %(count)s characters", column=column, count=limit))


def read_csv_file(path: str) -> str:
    """Return the CSV text of the file at ``path`` for a command; a binary file stops it with a clear message."""
    with open(path, "rb") as handle:
        raw = handle.read()
    try:
        return decode_csv(raw)
    except NotCSVText as exc:
        raise click.ClickException(f"{path}: {exc}") from None


def echo_plan(plan: Plan) -> None:
    """Print a checked file's errors and notes on standard error, with row numbers, for a command."""
    for message in plan.file_errors:
        click.echo(f"error: {message}", err=True)
    for message in plan.file_warnings:
        click.echo(f"note: {message}", err=True)
    for row in plan.rows:
        if row.errors:
            click.echo(f"row {row.number}: {'; '.join(row.errors)}", err=True)
        if row.warnings:
            click.echo(f"row {row.number}: note: {'; '.join(row.warnings)}", err=True)


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
