"""CSV exports that a spreadsheet opens as data, never as formulas.

Every export writes through ``to_csv``. A cell that a spreadsheet would run as a formula (OWASP's rule: it
starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return, or their full-width forms) gets a
leading single quote, which Excel and LibreOffice show as plain text. Phone numbers such as
``+45 555 0112`` and negative numbers such as ``-3`` stay as they are: made of digits, spaces, dashes and
brackets only, they can name no function, no cell and no other program.
"""

from __future__ import annotations

import csv
import io
import re

FORMULA_STARTS = frozenset("=+-@\t\r\n\uff1d\uff0b\uff0d\uff20")  # …, then ＝ ＋ － ＠
_PHONE = re.compile(r"\+[\d ()\-]*\d[\d ()\-]*")
_NUMBER = re.compile(r"-\d+(?:[.,]\d+)?")


def safe_cell(value) -> str:
    """Return ``value`` as CSV cell text that no spreadsheet runs as a formula (lists joined with ``;``)."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        value = ";".join(str(item) for item in value)
    text = str(value)
    stripped = text.lstrip(" ")
    if not text or text[0] not in FORMULA_STARTS and (not stripped or stripped[0] not in FORMULA_STARTS):
        return text
    if _PHONE.fullmatch(stripped.rstrip()) or _NUMBER.fullmatch(stripped.rstrip()):
        return text
    return "'" + text


def to_csv(header: list[str], rows) -> str:
    """Return CSV text with ``header`` and ``rows``, every cell made safe by ``safe_cell``."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([safe_cell(name) for name in header])
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
    return out.getvalue()


def csv_response(text: str, filename: str):
    """A CSV download of ``text``. With ``?excel=1`` the file starts with a UTF-8 byte order mark, without
    which Excel reads "Bærum" or "Medellín" as "BÃ¦rum" and "MedellÃ­n"; LibreOffice and scripts do not need it.
    """
    from flask import Response, request

    excel = request.args.get("excel") == "1"
    return Response(("\ufeff" if excel else "") + text, mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
