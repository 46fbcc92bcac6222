"""Import member cities from CSV (the import page and ``crm import cities`` share this code)."""

from __future__ import annotations

import pycountry

from crm import vocabulary
from crm.audit.services import record
from crm.db import database, utcnow
from crm.indexing import touch
from crm.membership.csvimport import ImportRefused, Plan, Result, Row, read_rows, split_list
from crm.membership.models import City, CityStatusChange
from crm.membership.names import default_region, fold_name, resolve_country

CITY_COLUMNS = ("name", "country", "region", "population", "languages", "expertise")
OPTIONAL_CITY_COLUMNS = ("level", "website")

# Extra columns other features handle: column name → function(city, value) called after the city is saved,
# in the same transaction (e.g. ``incident_summary``). Register with ``CITY_IMPORT_EXTRA_COLUMNS[name] = func``.
CITY_IMPORT_EXTRA_COLUMNS: dict = {}


def parse_languages(value: str, errors: list[str]) -> list[str]:
    """Return ISO 639-1 codes for a ``;``-separated list of codes or English names."""
    codes = []
    known = vocabulary.languages()
    for item in split_list(value):
        code = item.lower() if item.lower() in known else vocabulary.match_key(known, item)
        if code is None:
            found = pycountry.languages.get(alpha_2=item.lower()) if len(item) == 2 else None
            found = found or pycountry.languages.get(name=item.title())
            code = getattr(found, "alpha_2", None)
        if code is None:
            errors.append(f"unknown language “{item}” (use a code like fr or a name like French)")
        elif code not in codes:
            codes.append(code)
    return codes


def parse_themes(value: str, errors: list[str]) -> list[str]:
    """Return theme keys for a ``;``-separated list of keys or labels."""
    keys = []
    for item in split_list(value):
        key = vocabulary.match_key(vocabulary.themes(), item)
        if key is None:
            errors.append(f"unknown area of expertise “{item}”")
        elif key not in keys:
            keys.append(key)
    return keys


def _check_city(number: int, raw: dict, seen: set) -> Row:
    row = Row(number, raw)
    errors = row.errors
    name = raw.get("name", "")
    if not name:
        errors.append("name is empty")
    elif len(name) > 200:
        errors.append("name is longer than 200 characters")
    country = resolve_country(raw.get("country"))
    if country is None:
        errors.append(f"unknown country “{raw.get('country', '')}” (use an English name or a code like FR)")
    region = raw.get("region", "")
    if region:
        region_key = vocabulary.match_key(vocabulary.regions(), region)
        if region_key is None:
            errors.append(f"unknown region “{region}”")
    else:
        region_key = default_region(country)
    population = None
    if raw.get("population"):
        digits = raw["population"].replace(",", "").replace(" ", "").replace("_", "")
        if digits.isdigit() and int(digits) < 2_000_000_000:
            population = int(digits)
        else:
            errors.append(f"population “{raw['population']}” is not a whole number")
    level = "city"
    if raw.get("level"):
        level = vocabulary.match_key(vocabulary.levels(), raw["level"]) or ""
        if not level:
            errors.append(f"unknown level “{raw['level']}”")
    website = raw.get("website", "")
    if website and not website.startswith(("http://", "https://")):
        errors.append("website must start with http:// or https://")
    languages = parse_languages(raw.get("languages", ""), errors)
    expertise = parse_themes(raw.get("expertise", ""), errors)
    key = (fold_name(name), country)
    if name and country and key in seen:
        errors.append(f"{name} appears twice in the file")
    seen.add(key)
    row.values = {"name": name, "name_key": fold_name(name), "country": country, "region": region_key or "",
                  "population": population, "languages": languages, "expertise": expertise, "level": level,
                  **({"website": website} if website else {})}
    row.values["extra"] = {col: raw[col] for col in CITY_IMPORT_EXTRA_COLUMNS if raw.get(col)}
    if row.ok:
        row.existing = (City.select()
                        .where(City.name_key == row.values["name_key"], City.country == country)
                        .first())
    return row


def check_cities(text: str) -> Plan:
    """Read and check a cities CSV without writing anything."""
    known = set(CITY_COLUMNS) | set(OPTIONAL_CITY_COLUMNS) | set(CITY_IMPORT_EXTRA_COLUMNS)
    rows, file_errors = read_rows(text, required=("name", "country"), known=known)
    seen: set = set()
    return Plan([_check_city(n, raw, seen) for n, raw in rows], file_errors)


def import_cities(plan: Plan, *, mode: str = "update", only_valid: bool = False, actor=None) -> Result:
    """Write a checked plan: new cities become active members; existing ones are skipped, updated or filled."""
    if plan.file_errors or (plan.invalid and not only_valid):
        raise ImportRefused("The file has errors: fix them, or choose to import only the valid rows.")
    result = Result(rejected=len(plan.invalid))
    today = utcnow().date()
    with database.atomic():
        for row in plan.valid:
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
                CITY_IMPORT_EXTRA_COLUMNS[column](city, value)
        record(actor, "city.import", None, object_type="City",
               summary=f"Imported cities from CSV: {result}"[:300],
               changes={"created": result.created, "updated": result.updated, "skipped": result.skipped,
                        "rejected": result.rejected, "mode": mode})
    return result
