"""Reasons are messages: the English text is the string itself, and the same reason is said in another language
with the record's values (titles, cities, years) kept as data."""

import json
import pickle

from crm.peers.matching import find_peers
from crm.peers.reasons import Reason

MOSQUE = "A gunman opened fire in a mosque during Friday prayers."


class Speaker:
    """A tiny language of its own: each message in «», each word of the vocabulary in capitals, lists by " | "."""

    def gettext(self, msgid):
        return "«" + msgid + "»"

    def label(self, concept):
        return concept.upper()

    def language(self, code):
        return code.upper()

    def separator(self, separator):
        return " | "


def test_a_reason_is_its_english_text_and_is_said_again_in_another_language(demo_index):
    matches = find_peers(demo_index, MOSQUE, limit=3, needs=["lang_ar"])
    reasons = [r for m in matches for r in m.reasons]
    assert reasons and all(isinstance(r, Reason) for r in reasons)
    shares = next(r for r in reasons if r.startswith("Shares: attack: shooting"))
    assert shares.msgid == "Shares: %(shared)s"
    assert shares.say(Speaker()).startswith("«Shares: ««attack»: ATTACK:SHOOTING»")
    # An incident's sentence keeps the city and the year as recorded.
    sentence = next(r for r in matches[0].reasons if r.msgid.startswith("%(what)s"))
    city, year = sentence.values["city"], sentence.values.get("year", "")
    assert city == matches[0].city_name and city in sentence.say(Speaker()) and year in sentence.say(Speaker())
    # Anything that reads strings (JSON, pickling, the CLI) sees the English sentence.
    assert json.loads(json.dumps(reasons)) == [str(r) for r in reasons]
    assert [str(r) for r in pickle.loads(pickle.dumps(reasons))] == [str(r) for r in reasons]
    assert all(type(r) is Reason for r in pickle.loads(pickle.dumps(reasons)))


def test_reasons_in_the_page_language(app, demo_index):
    from crm.peers.wording import reason_text

    matches = find_peers(demo_index, MOSQUE, limit=1, needs=["lang_ar"])
    shares = next(r for r in matches[0].reasons if r.startswith("Shares: "))
    missing = next((r for r in matches[0].reasons if r.startswith("Does not list ")), None)
    with app.test_request_context("/"):
        assert reason_text(shares, "en") == str(shares)
        assert reason_text(shares, "fr").startswith("Points communs : attaque : fusillade"), reason_text(shares, "fr")
        assert reason_text(shares, "es").startswith("En común: ataque: tiroteo"), reason_text(shares, "es")
        assert reason_text(shares, "ar").startswith("أوجه التشابه: الهجوم: إطلاق نار؛ "), reason_text(shares, "ar")
        if missing is not None:  # the language asked for, named in the reader's language
            assert reason_text(missing, "fr") == "Ne mentionne pas Arabe parmi ses langues"
