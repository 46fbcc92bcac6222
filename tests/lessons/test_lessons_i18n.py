"""Lessons in the network's languages: the page in the reader's language, the lesson in its own."""

import re

from tests.search_integration.network import lesson

FRENCH_BODY = ("Après l'attentat, nous avons ouvert un centre d'accueil pour les familles des victimes. "
               "Il faut nommer un seul interlocuteur pour chaque famille et le dire dans tous les communiqués.")


def test_a_lesson_says_the_language_it_is_written_in_when_it_is_not_the_readers(client, network):
    row = lesson(network["quiet"], "Un seul interlocuteur pour les familles", FRENCH_BODY, visibility="public",
                 phase="first_24_hours", themes=["family_liaison"])
    english = client.get(f"/lessons/{row.id}?lang=en").get_data(as_text=True)
    assert '<p class="muted lesson-language" data-language="fr">Written in French.</p>' in english
    assert '<div class="lesson-body" lang="fr">' in english
    spanish = client.get(f"/lessons/{row.id}?lang=es").get_data(as_text=True)
    assert "Texto en francés." in spanish and "Primeras 24 horas" in spanish
    assert '<span class="chip">Enlace con las familias</span>' in spanish
    french = client.get(f"/lessons/{row.id}?lang=fr").get_data(as_text=True)
    assert "lesson-language" not in french and 'class="lesson-body">' in french  # nothing to say to a French reader
    assert "Premières 24 heures" in french and "Soutien aux victimes" not in french


def test_an_english_lesson_to_an_english_reader_is_unchanged(client, network):
    row = lesson(network["quiet"], "One contact for every family", "Name one person who answers the families of "
                 "the victims, and publish the number on every channel of the city.", visibility="public")
    html = client.get(f"/lessons/{row.id}").get_data(as_text=True)
    assert "lesson-language" not in html and '<div class="lesson-body">' in html


def test_the_lesson_list_and_its_filters_in_arabic(client, network):
    lesson(network["quiet"], "Public one", "text", visibility="public", phase="long_term", themes=["prevention"])
    html = client.get("/lessons/?lang=ar").get_data(as_text=True)
    assert "<h1>الدروس المستفادة</h1>" in html
    options = re.findall(r'<option value="([a-z_0-9]*)"[^>]*>([^<]+)</option>', html)
    assert ("", "جميع المراحل") in options and ("long_term", "المدى الطويل") in options
    assert ("prevention", "الوقاية من الكراهية والتطرف") in options
    assert "المدى الطويل · عامة" in html  # the card: phase and visibility in Arabic
