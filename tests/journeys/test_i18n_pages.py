"""The contacts list, a contact page, a city's journey, the search page and an incident in Spanish and Arabic.

Each page is read in English and in the other language: the headings, table headings, terms, summaries,
legends, buttons and aria-labels of its main content must all change, except people's data (names) and words
that are the same in both languages. The parts other features put on these pages (saved filters, the bulk
selection tools) are theirs to translate and are left out here.
"""

from __future__ import annotations

import re
from html import unescape

import pytest

from tests.search_integration.network import apply, make_city, reference_data

HEADING_TAGS = ("h1", "h2", "h3", "th", "dt", "summary", "legend", "button")
OTHER_FEATURES = re.compile(r'<section class="saved-filters".*?</section>|<div class="select-tools">.*?</div>', re.S)
SAME_WORD = {"es": {"Sector"}, "ar": set()}  # the same word in English and in that language


def _main(html: str) -> str:
    return re.search(r'<main id="main"[^>]*>(.*?)</main>', html, re.S).group(1)


def _words(fragment: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def headings(html: str) -> set[str]:
    """The texts of the main content's headings, table headings, terms, summaries, legends and buttons."""
    main = OTHER_FEATURES.sub("", _main(html))
    found = {_words(inner) for tag in HEADING_TAGS
             for inner in re.findall(rf"<{tag}\b[^>]*>(.*?)</{tag}>", main, re.S)}
    found |= {unescape(label) for label in re.findall(r'aria-label="([^"]+)"', main)}
    return {text for text in found if text}


def _pages(history):
    reference_data()  # the facet vocabulary, its seeded values labelled in every language
    history.incident.facets = {"attack": ["arson"]}
    history.incident.save()
    make_city("Puerto Sereno", "ES", ["es"])
    apply()
    return {"contacts list": "/contacts/",
            "contact page": f"/contacts/{history.ana.id}",
            "city journey": f"/cities/{history.river.id}/journey",
            "search": "/search?q=Sereno",
            "incident page": f"/incidents/{history.incident.id}"}


@pytest.mark.parametrize("lang, expected", [
    ("es", {"contacts list": ["<h1>Contactos</h1>", ">Nuevo contacto</a>", 'aria-label="Filtrar contactos"',
                              '<th scope="col">Organización</th>', "Nombre, correo electrónico u organización"],
            "contact page": ["<dt>Cargo</dt>", "<dt>Idiomas</dt>", "<h2>Historial</h2>",
                             "Invitaciones a eventos: sí · noticias de la red: sí",
                             "Privacidad: exportar o borrar los datos de esta persona"],
            "city journey": ["<h1>Trayectoria de Rivertown</h1>", '<h2 id="engagement-heading">Participación</h2>',
                             '<h2 id="timeline-heading">Cronología</h2>', "Qué cuenta como actividad",
                             "Solicitud SCN-2024-0001: aprobada por Desk Officer", "Incidente: Arson at the community centre",
                             "Ponentes en Regional summit: Ana Focal"],
            "search": ["<h1>Búsqueda</h1>", "1 resultado para «Sereno».", "Escriba palabras en cualquier idioma"],
            "incident page": ["<h2>Lo que ocurrió</h2>", "<h2>Lecciones aprendidas extraídas</h2>", "(primera semana)",
                              '<span class="chip">Incendio provocado</span>']}),
    ("ar", {"contacts list": ["<h1>جهات الاتصال</h1>", ">جهة اتصال جديدة</a>", 'aria-label="تصفية جهات الاتصال"',
                              '<th scope="col">الجهة</th>'],
            "contact page": ["<dt>المنصب</dt>", "<dt>اللغات</dt>", "<h2>السجل التاريخي</h2>",
                             "دعوات الفعاليات: نعم · أخبار الشبكة: نعم"],
            "city journey": ["<h1>مسار Rivertown</h1>", '<h2 id="timeline-heading">الخط الزمني</h2>',
                             "الطلب SCN-2024-0001: قُبل بواسطة Desk Officer", "حادث: Arson at the community centre",
                             "المتحدثون في Regional summit: Ana Focal"],
            "search": ["<h1>بحث</h1>", "نتيجة واحدة لـ«Sereno».", "اكتب كلمات بأي لغة"],
            "incident page": ["<h2>ما حدث</h2>", "(الأسبوع الأول)", '<span class="chip">حرق متعمد</span>']}),
])
def test_pages_in_spanish_and_arabic_leave_no_english_heading(history, login_as, lang, expected):
    staff = login_as("staff")
    people = {history.ana.name, history.river.name, "Puerto Sereno", "Sereno", history.incident.title}
    rendered = {}
    for page, url in _pages(history).items():
        english = staff.get(url + ("&" if "?" in url else "?") + "lang=en").get_data(as_text=True)
        response = staff.get(url + ("&" if "?" in url else "?") + f"lang={lang}")
        assert response.status_code == 200, page
        html = rendered[page] = response.get_data(as_text=True)
        assert f'<html lang="{lang}"' in html
        for text in expected[page]:
            assert text in html, (page, text)
        left = {text for text in headings(english) & headings(html)
                if text not in people | SAME_WORD[lang] and not re.fullmatch(r"[\d\s#().:,–-]*", text)}
        assert not left, (page, sorted(left))
    # the timeline's months are headings in the page's language
    months = re.findall(r'<h3 id="m\d{4}-\d\d-h">([^<]+)<small', rendered["city journey"])
    assert len(months) > 5 and all(month[0] == month[0].upper() for month in months), months
    assert not any(re.search(r"\b(January|February|March|April|May|June|July|August|September|October|November|"
                             r"December)\b", month) for month in months), months


def test_the_english_pages_keep_their_words(history, login_as):
    staff = login_as("staff")
    pages = _pages(history)
    assert "<h1>Contacts</h1>" in staff.get(pages["contacts list"] + "?lang=en").get_data(as_text=True)
    contact = staff.get(pages["contact page"]).get_data(as_text=True)
    assert "<dt>Position</dt>" in contact and "Event invitations: yes · network news: yes" in contact
    journey = staff.get(pages["city journey"]).get_data(as_text=True)
    assert "Application SCN-2024-0001: approved by Desk Officer" in journey
    assert "Speaking at Regional summit: Ana Focal" in journey
    assert "1 result for “Sereno”." in staff.get(pages["search"]).get_data(as_text=True)
    assert "<h2>What happened</h2>" in staff.get(pages["incident page"]).get_data(as_text=True)
    incident = staff.get(pages["incident page"]).get_data(as_text=True)
    assert '<span class="muted">(first week)</span>' in incident and '<span class="chip">Arson</span>' in incident
