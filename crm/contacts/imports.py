"""Import contacts from CSV (the import page and ``crm import contacts`` share this code)."""

from __future__ import annotations

from flask_babel import gettext as _

from crm import vocabulary
from crm.audit.services import record
from crm.contacts.models import Contact
from crm.core.csvimport import (
    PROGRESS_EVERY,
    Plan,
    Result,
    Row,
    check_cells,
    parse_bool,
    read_rows,
    split_list,
)
from crm.core.names import fold_name, resolve_country
from crm.db import database, utcnow
from crm.membership.imports import parse_languages
from crm.membership.models import City

CONTACT_COLUMNS = ("name", "email", "position", "organisation", "sector", "city", "country", "phone", "languages",
                   "tags", "notes", "accepts_event_invitations", "accepts_network_news", "do_not_contact",
                   "mail_language")
LIMITS = {"name": 200, "email": 254, "position": 200, "organisation": 200, "phone": 60, "notes": 10_000}
BATCH = 500


def _city_index() -> dict[str, list[tuple[int, str]]]:
    index: dict[str, list[tuple[int, str]]] = {}
    for city in City.select(City.id, City.name_key, City.country):
        index.setdefault(city.name_key, []).append((city.id, city.country))
    return index


def _existing_by_email(emails: list[str]) -> dict[str, Contact]:
    found = {}
    for start in range(0, len(emails), 500):
        chunk = emails[start:start + 500]
        for contact in Contact.select().where(Contact.email.in_(chunk)):
            found[contact.email] = contact
    return found


def check_contacts(text: str, *, progress=None) -> Plan:
    """Read and check a contacts CSV without writing anything."""
    from email_validator import EmailNotValidError, validate_email

    warnings: list[str] = []
    rows, file_errors = read_rows(text, required=("name",), known=set(CONTACT_COLUMNS), warnings=warnings)
    cities = _city_index()
    sectors = vocabulary.sectors()
    plan_rows, seen = [], {}
    for done, (number, raw) in enumerate(rows, start=1):
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress(done, len(rows))
        row = Row(number, raw)
        errors = row.errors
        check_cells(raw, errors)
        for column, limit in LIMITS.items():
            if len(raw.get(column, "")) > limit:
                errors.append(_("%(column)s is longer than %(limit)s characters", column=column, limit=limit))
        if not raw.get("name"):
            errors.append(_("name is empty"))
        email = raw.get("email", "").lower() or None
        if email:
            try:
                validate_email(email, check_deliverability=False)
            except EmailNotValidError:
                errors.append(_("“%(email)s” is not a valid email address", email=raw["email"]))
            if email in seen:
                errors.append(_("%(email)s is also on row %(row)s", email=email, row=seen[email]))
            seen.setdefault(email, number)
        sector = "other"
        if raw.get("sector"):
            sector = vocabulary.match_key(sectors, raw["sector"]) or ""
            if not sector:
                errors.append(_("unknown sector “%(sector)s” (one of: %(sectors)s)", sector=raw["sector"],
                                sectors=", ".join(str(label) for label in sectors.values())))
        city_id = None
        if raw.get("city"):
            country = resolve_country(raw["country"]) if raw.get("country") else None
            if raw.get("country") and country is None:
                errors.append(_("unknown country “%(country)s”", country=raw["country"]))
            options = [c for c in cities.get(fold_name(raw["city"]), []) if country in (None, c[1])]
            if not options:
                errors.append(_("no member city called “%(city)s” in %(country)s", city=raw["city"], country=raw["country"])
                              if country else _("no member city called “%(city)s”", city=raw["city"]))
            elif len(options) > 1:
                errors.append(_("several member cities are called “%(city)s”: add the country column", city=raw["city"]))
            else:
                city_id = options[0][0]
        flags = {}
        for column, default in (("accepts_event_invitations", True), ("accepts_network_news", True),
                                ("do_not_contact", False)):
            flags[column] = parse_bool(raw.get(column, ""), default)
            if flags[column] is None:
                errors.append(_("%(column)s must be yes or no", column=column))
        languages = parse_languages(raw.get("languages", ""), errors)
        # the language the network writes to the person in: one code or name ("fr", "French", "Français")
        mail_language = parse_languages(raw.get("mail_language", ""), errors)
        if len(mail_language) > 1:
            errors.append(_("mail_language takes one language, not %(count)s", count=len(mail_language)))
        row.values = {"name": raw.get("name", ""), "name_key": fold_name(raw.get("name", "")), "email": email,
                      "position": raw.get("position", ""), "organisation": raw.get("organisation", ""),
                      "sector": sector, "city": city_id, "phone": raw.get("phone", ""), "languages": languages,
                      "tags": split_list(raw.get("tags", "")), "notes": raw.get("notes", ""),
                      "language": mail_language[0] if mail_language else "", **flags}
        row.present = {"language" if k == "mail_language" else k for k, v in raw.items() if v}
        plan_rows.append(row)
    existing = _existing_by_email([r.values["email"] for r in plan_rows if r.ok and r.values["email"]])
    for row in plan_rows:
        row.existing = existing.get(row.values.get("email"))
    return Plan(plan_rows, file_errors, warnings)


def import_contacts(plan: Plan, *, mode: str = "skip", only_valid: bool = False, actor=None,
                    progress=None) -> Result:
    """Write a checked plan in one transaction: new contacts are created; existing ones skipped, updated or filled."""
    result = Result.for_plan(plan, only_valid=only_valid)
    now = utcnow()
    new_rows = []
    with database.atomic():
        for row in plan.valid:
            contact = row.existing
            if contact is None:
                new_rows.append(dict(row.values, created_at=now, updated_at=now))
                continue
            if mode == "skip":
                result.skipped += 1
                continue
            changed = False
            for key, value in row.values.items():
                if key == "email" or (key not in row.present and key != "name_key"):
                    continue  # a column left empty never erases what is there
                attr = "city_id" if key == "city" else key
                current = getattr(contact, attr)
                if mode == "fill" and current not in (None, "", []):
                    continue
                if current != value:
                    setattr(contact, attr, value)
                    changed = True
            if changed:
                contact.name_key = fold_name(contact.name)
                contact.updated_at = now
                contact.save()
            result.updated += 1
        for start in range(0, len(new_rows), BATCH):
            Contact.insert_many(new_rows[start:start + BATCH]).execute()
            if progress is not None:
                progress(start + BATCH, len(new_rows))
        result.created = len(new_rows)
        record(actor, "contact.import", None, object_type="Contact",
               summary=f"Imported contacts from CSV: {result}"[:300],
               changes=result.changes(mode))
    return result

