"""Dates, times, numbers and lists in the page's language (issue 13); English exactly as before."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from flask_babel import force_locale, refresh
from flask_login import login_user

from crm.templating import format_date, format_datetime, format_items, format_number, localized_strftime

MOMENT = dt.datetime(2027, 3, 5, 14, 0)  # a Friday, stored naive UTC

FORMATS = ["%d %b %Y, %H:%M", "%d %b %Y", "%d %b", "%a %d %b %Y, %H:%M", "%A %d %B %Y", "%B %Y", "%a %d %b, %H:%M"]
EXPECTED = {
    "fr": ["5 mars 2027, 14:00", "5 mars 2027", "5 mars", "ven. 5 mars 2027, 14:00", "vendredi 5 mars 2027",
           "mars 2027", "ven. 5 mars, 14:00"],
    "es": ["5 mar 2027, 14:00", "5 mar 2027", "5 mar", "vie, 5 mar 2027, 14:00", "viernes, 5 de marzo de 2027",
           "marzo de 2027", "vie, 5 mar, 14:00"],
    "ar": ["5 مارس 2027، 14:00", "5 مارس 2027", "5 مارس", "الجمعة، 5 مارس 2027، 14:00", "الجمعة، 5 مارس 2027",
           "مارس 2027", "الجمعة، 5 مارس، 14:00"],
}


@pytest.mark.parametrize("fmt", FORMATS + ["%Y-%m-%d", "%H:%M", "%d/%m/%Y %j"])
def test_english_is_strftime_byte_for_byte(fmt):
    assert localized_strftime(MOMENT, fmt, "en") == MOMENT.strftime(fmt)


@pytest.mark.parametrize("language", ["fr", "es", "ar"])
def test_other_languages_name_months_and_days_in_their_words_and_order(language):
    assert [localized_strftime(MOMENT, fmt, language) for fmt in FORMATS] == EXPECTED[language]


@pytest.mark.parametrize("language", ["fr", "es", "ar"])
def test_numeric_formats_stay_machine_readable_in_every_language(language):
    # "%Y-%m-%d" may be an input's value or a file name: never "05/03/2027"
    assert localized_strftime(MOMENT, "%Y-%m-%d", language) == "2027-03-05"
    assert localized_strftime(MOMENT, "%H:%M", language) == "14:00"


def test_an_aware_time_keeps_its_own_wall_clock():
    oslo = MOMENT.replace(tzinfo=dt.UTC).astimezone(ZoneInfo("Europe/Oslo"))
    assert localized_strftime(oslo, "%a %d %b %Y, %H:%M", "fr") == "ven. 5 mars 2027, 15:00"


def test_filters_follow_the_page_language_and_the_viewer_zone(app, make_user):
    user = make_user("staff")
    user.timezone = "America/Bogota"
    user.save()
    # the test's app context outlives each request context, and Flask-Babel keeps the locale on it: each
    # request chooses again (the app's before_request does the same)
    with app.test_request_context("/", headers={"Accept-Language": "fr"}):
        refresh()
        assert format_datetime(MOMENT) == "5 mars 2027, 14:00 UTC"
        assert format_date(MOMENT.date()) == "5 mars 2027"
        assert format_date(MOMENT.date(), "%d %b") == "5 mars"
        login_user(user)
        assert format_datetime(MOMENT) == "5 mars 2027, 09:00 -05"  # the viewer's zone, in French
        assert format_number(1234567.5, 1) == "1\u202f234\u202f567,5"
        assert format_number(12) == "12"
        assert format_items(["Oslo", "Lyon", "Nice"]) == "Oslo, Lyon et Nice"
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        refresh()
        login_user(user)
        assert format_datetime(MOMENT) == "05 Mar 2027, 09:00 -05"
        assert format_number(1234567) == "1234567" and format_number(2.5, 2) == "2.50"
        assert format_items(["Oslo", "Lyon", "Nice"]) == "Oslo, Lyon, Nice"
        assert format_date(None) == format_datetime(None) == format_number(None) == "—"


def test_a_mail_rendered_outside_a_request_follows_force_locale(app):
    # a cron job renders a mail in its recipient's language: app context, no request
    with force_locale("es"):
        assert format_date(MOMENT.date(), "%A %d %B %Y") == "viernes, 5 de marzo de 2027"
        assert format_items(["A", "B"]) == "A y B"
    assert format_date(MOMENT.date()) == "05 Mar 2027"


def test_the_filters_in_a_template(app):
    rendered = app.jinja_env.from_string("{{ d|date }} · {{ t|datetime('%a %d %b %Y, %H:%M') }} · {{ n|number }}")
    with app.test_request_context("/", headers={"Accept-Language": "ar"}):
        refresh()
        assert rendered.render(d=MOMENT.date(), t=MOMENT, n=12500) == "5 مارس 2027 · الجمعة، 5 مارس 2027، 14:00 UTC · 12,500"
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        refresh()
        assert rendered.render(d=MOMENT.date(), t=MOMENT, n=12500) == "05 Mar 2027 · Fri 05 Mar 2027, 14:00 UTC · 12500"


@pytest.mark.parametrize("language", ["fr", "es", "ar"])
def test_the_fast_path_says_what_babel_says_for_every_month_and_weekday(language):
    from babel import Locale
    from babel.dates import format_date, format_skeleton

    pattern = Locale.parse(language).datetime_formats["medium"]
    for day in range(0, 365, 9):
        when = dt.datetime(2027, 1, 1, 7, 5) + dt.timedelta(days=day, hours=day % 17)
        assert localized_strftime(when, "%a %d %b %Y, %H:%M", language) == pattern.format(
            format_skeleton("Hm", when, locale=language), format_skeleton("yMMMEd", when, locale=language))
        assert localized_strftime(when.date(), "%A %d %B %Y", language) == format_date(when, "full", locale=language)
        assert localized_strftime(when.date(), "%d %b", language) == format_skeleton("MMMd", when, locale=language)
        assert localized_strftime(when.date(), "%B %Y", language) == format_skeleton("yMMMM", when, locale=language)


def test_outside_a_request_only_a_forced_locale_counts(app, client):
    from crm.i18n import current_language

    # the test's app context outlives the request, and Flask-Babel cached the French locale on its g
    assert '<html lang="fr"' in client.get("/apply?lang=fr").get_data(as_text=True)
    assert current_language() == "en"
    assert format_date(MOMENT.date()) == "05 Mar 2027"
    with force_locale("ar"):
        assert current_language() == "ar" and format_date(MOMENT.date()) == "5 مارس 2027"
    assert current_language() == "en"


def test_grouped_numbers_keep_english_commas_and_take_each_language_separator(app):
    with app.test_request_context("/"):
        assert format_number(1234567, grouped=True) == "1,234,567"
        assert format_number(1234567) == "1234567"
        for language, separator in (("fr", "\u202f"), ("es", "."), ("ar", ",")):
            with force_locale(language):
                assert format_number(1234567, grouped=True) == f"1{separator}234{separator}567", language
