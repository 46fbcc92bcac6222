"""Import member cities from CSV (the import page and ``crm import cities`` share this code)."""

from __future__ import annotations

import re

from flask_babel import gettext as _

from crm import vocabulary
from crm.audit.services import record
from crm.core.csvimport import (
    PROGRESS_EVERY,
    Plan,
    Result,
    Row,
    check_cells,
    read_rows,
    split_list,
)
from crm.core.names import fold_name, resolve_country
from crm.db import database, utcnow
from crm.features import current_registry
from crm.indexing import touch
from crm.membership.models import City, CityStatusChange

CITY_COLUMNS = ("name", "country", "region", "population", "languages", "expertise")
OPTIONAL_CITY_COLUMNS = ("level", "website")



def extra_columns() -> dict:
    """Extra columns other features handle: column name → function(city, value) called after the city is
    saved, in the same transaction (e.g. ``incident_summary``); declared as ``Feature.import_columns``."""
    return current_registry().import_columns("cities")


def parse_languages(value: str, errors: list[str]) -> list[str]:
    """Return ISO 639-1 codes for a ``;``-separated list of codes or names ("fr", "Mandarin", "Farsi", "pt-BR").

    A name that is no language is reported in ``errors`` (the row's errors, or its warnings when the
    importer leaves it out instead)."""
    codes = []
    for item in split_list(value.replace(",", ";").replace("/", ";")):
        code = vocabulary.resolve_language(item)
        if code is None:
            errors.append(_("unknown language “%(language)s” (use a code like fr or a name like French)", language=item))
        elif code not in codes:
            codes.append(code)
    return codes


def parse_themes(value: str) -> list[str]:
    """Return theme keys for a ``;``-separated list, keeping what matches no theme as free text."""
    keys = []
    for item in split_list(value):
        key = vocabulary.resolve_theme(item)
        if key and key not in keys:
            keys.append(key)
    return keys


def parse_population(value: str) -> int | None:
    """Return a whole number typed as 709000, 709,000, 709 000, 709.000 or 709000.0; None when it is not one."""
    text = "".join((value or "").split()).replace("\u202f", "").replace("_", "").replace("'", "")
    if re.fullmatch(r"\d{1,3}([.,]\d{3})+", text):
        text = re.sub(r"[.,]", "", text)
    elif re.fullmatch(r"\d+\.0*", text):
        text = text.split(".")[0]
    if text.isdigit() and int(text) < 2_000_000_000:
        return int(text)
    return None


def _check_city(number: int, raw: dict, seen: set) -> Row:
    row = Row(number, raw)
    errors, warnings = row.errors, row.warnings
    check_cells(raw, errors)
    name = raw.get("name", "")
    if not name:
        errors.append(_("name is empty"))
    elif len(name) > 200:
        errors.append(_("name is longer than 200 characters"))
    country = resolve_country(raw.get("country"))
    if country is None:
        errors.append(_("unknown country “%(country)s” (use an English name or a code like FR)",
                        country=raw.get("country", "")))
    region_key, note = vocabulary.resolve_region(raw.get("region", ""), country)
    if note and country:
        warnings.append(note)
    population = None
    if raw.get("population"):
        population = parse_population(raw["population"])
        if population is None:
            errors.append(_("population “%(population)s” is not a whole number", population=raw["population"]))
    level = "city"
    if raw.get("level"):
        level = vocabulary.match_key(vocabulary.levels(), raw["level"]) or "city"
        if vocabulary.match_key(vocabulary.levels(), raw["level"]) is None:
            warnings.append(_("level “%(level)s” is not one of the network's levels: City is used", level=raw["level"]))
    website = raw.get("website", "")
    if website and not website.startswith(("http://", "https://")):
        if "." in website and " " not in website:
            website = "https://" + website.lstrip("/")
        else:
            warnings.append(_("website “%(website)s” is not an address: left out", website=website))
            website = ""
    languages = parse_languages(raw.get("languages", ""), warnings)
    expertise = parse_themes(raw.get("expertise", ""))
    key = (fold_name(name), country)
    if name and country and key in seen:
        errors.append(_("%(name)s appears twice in the file", name=name))
    seen.add(key)
    row.values = {"name": name, "name_key": fold_name(name), "country": country, "region": region_key or "",
                  "population": population, "languages": languages, "expertise": expertise, "level": level,
                  **({"website": website} if website else {})}
    row.values["extra"] = {col: raw[col] for col in extra_columns() if raw.get(col)}
    if row.ok:
        row.existing = (City.select()
                        .where(City.name_key == row.values["name_key"], City.country == country)
                        .first())
    return row


def check_cities(text: str, *, progress=None) -> Plan:
    """Read and check a cities CSV without writing anything."""
    known = set(CITY_COLUMNS) | set(OPTIONAL_CITY_COLUMNS) | set(extra_columns())
    warnings: list[str] = []
    rows, file_errors = read_rows(text, required=("name", "country"), known=known, warnings=warnings)
    seen: set = set()
    plan_rows = []
    for done, (number, raw) in enumerate(rows, start=1):
        plan_rows.append(_check_city(number, raw, seen))
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress(done, len(rows))
    return Plan(plan_rows, file_errors, warnings)


def import_cities(plan: Plan, *, mode: str = "update", only_valid: bool = False, actor=None,
                  progress=None) -> Result:
    """Write a checked plan: new cities become active members; existing ones are skipped, updated or filled."""
    result = Result.for_plan(plan, only_valid=only_valid)
    today = utcnow().date()
    handlers = extra_columns()
    with database.atomic():
        for done, row in enumerate(plan.valid, start=1):
            if progress is not None and done % PROGRESS_EVERY == 0:
                progress(done, len(plan.valid))
            values = dict(row.values)
            extra = values.pop("extra")
            city = row.existing
            if city is None:
                city = City.create(status="active", joined_on=today, **values)
                CityStatusChange.create(city=city, status="active", reason="Imported from CSV", changed_on=today,
                                        actor=getattr(actor, "id", None))
                result.created += 1
            elif mode == "skip":
                result.skipped += 1
                continue
            else:
                for key, value in values.items():
                    if key in ("name_key",):
                        continue
                    current = getattr(city, key)
                    if mode == "fill" and current not in (None, "", []):
                        continue
                    if value in (None, "", []) and mode == "update" and key not in ("name",):
                        continue  # an empty cell does not erase what is there
                    setattr(city, key, value)
                city.updated_at = utcnow()
                city.save()
                result.updated += 1
            touch(city)  # the search index follows (crm.indexing)
            for column, value in extra.items():
                handlers[column](city, value)
        record(actor, "city.import", None, object_type="City",
               summary=f"Imported cities from CSV: {result}"[:300],
               changes=result.changes(mode))
    return result

