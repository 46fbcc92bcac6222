"""Page polish (issue 11): the current page marked in the navigation, long values that wrap, badge contrast."""

import re
from pathlib import Path

import pytest

CSS = Path(__file__).resolve().parents[1] / "crm" / "static" / "css" / "app.css"


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_contrast_formula_matches_the_reported_figure():
    assert round(contrast("#9e9e9e", "#ffffff"), 2) == 2.68  # the Cancelled badge the issue measured


@pytest.mark.parametrize("selector", [".badge-reg-cancelled", ".badge-event-cancelled", ".badge-reg-expired"])
def test_cancelled_badges_have_at_least_4_5_to_1(selector):
    css = CSS.read_text()
    rule = re.search(re.escape(selector) + r"[^{]*\{([^}]*)\}", css).group(1)
    background = re.search(r"background:\s*(#[0-9a-fA-F]{6})", rule).group(1)
    colour = re.search(r"(?<!-)color:\s*(#[0-9a-fA-F]{6}|#fff)\b", rule).group(1)
    colour = "#ffffff" if colour == "#fff" else colour
    assert contrast(background, colour) >= 4.5


def test_table_cells_wrap_long_unbroken_values():
    css = CSS.read_text()
    rule = re.search(r"(^|\n)([^{}\n]*\btd\b[^{}\n]*)\{([^}]*overflow-wrap:\s*anywhere[^}]*)\}", css)
    assert rule and "dd" in rule.group(2)


def test_current_page_is_marked_in_the_navigation(login_as):
    staff = login_as("staff")
    html = staff.get("/events/").get_data(as_text=True)
    assert re.findall(r'<a href="([^"]+)" aria-current="page">', html) == ["/events/"]
    html = staff.get("/dashboard").get_data(as_text=True)
    assert re.findall(r'<a href="([^"]+)" aria-current="page">', html) == ["/dashboard"]
    assert html.startswith("<!doctype html>")
