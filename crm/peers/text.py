"""Language detection, normalisation, tokenisation and stemming for peer search.

Plain Python: the Snowball stemmers and stopword lists are reached through ``crm.search_backend``
(which takes them from ``whoosh.lang`` on first use), never from a search engine's index.
"""

import atexit
import glob
import json
import os
import re
import unicodedata
from functools import cache, lru_cache

from crm import search_backend as _search
from crm.resources import seeds_dir

# Each language is one file, seeds/concepts/<code>.json: its "language" part (name, order, marker words,
# letters, stopwords) is read here, its "terms" by crm.peers.concepts. Adding a language is adding a file.
LANGUAGE_FILES = str(seeds_dir() / "concepts")


def _language_files() -> dict[str, dict]:
    out = {}
    for path in sorted(glob.glob(os.path.join(LANGUAGE_FILES, "*.json"))):
        try:
            with open(path, encoding="utf-8") as fh:
                data = json.load(fh)
        except (OSError, ValueError):
            continue
        meta = data.get("language") or {}
        code = meta.get("code") or os.path.splitext(os.path.basename(path))[0]
        out[code] = dict(meta, terms=data.get("terms") or {})
    return out


FILES = _language_files()
# The network's first five languages keep their places (they break ties in detection); others follow by code.
LANGUAGES = tuple(sorted(FILES, key=lambda code: (FILES[code].get("order", len(FILES)), code)))
DEFAULT_LANGUAGE = "en"

# Letters that NFKD does not decompose but that people type either way.
_FOLD_TABLE = str.maketrans({
    "ø": "o", "æ": "ae", "ß": "ss", "œ": "oe", "đ": "d", "ð": "d", "þ": "th", "ł": "l",
    "’": "'", "‘": "'", "ʼ": "'", "`": "'",
})

_TOKEN_RE = re.compile(r"[^\W_]+", re.UNICODE)

# Short, frequent function words that tell the languages apart (each file's "markers"). Words shared by
# two languages ("de", "en", "i", "a") are left out on purpose: they decide nothing.
_MARKERS = {code: meta.get("markers", "") for code, meta in FILES.items()}
_MARKER_SETS = {lang: frozenset(words.split()) for lang, words in _MARKERS.items()}
# Letters that are strong evidence of one language (each file's "letters").
_LETTERS = {code: meta["letters"] for code, meta in FILES.items() if meta.get("letters")}

# Extra stopwords per language: words the whoosh lists miss but that are pure function words and
# happen to spell a content word in another language (French "car" = because, Spanish "van" = go).
_EXTRA_STOPWORDS = {code: meta.get("stopwords", "") for code, meta in FILES.items()}

# Words present in nearly every description or profile: they must not decide a ranking.
DOMAIN_STOPWORDS = {code: meta.get("domain_stopwords", "") for code, meta in FILES.items()}


def fold(text):
    """Return text lower-cased with accents and special letters folded to plain ASCII-ish letters."""
    if text and len(text) < 40:
        return _fold_word(text)
    return _fold(text)


@lru_cache(maxsize=200000)
def _fold_word(text):
    return _fold(text)


def _fold(text):
    text = text or ""
    if text.isascii():  # Unicode normalisation leaves ASCII as it is; of the table only "`" is ASCII
        return text.lower().replace("`", "'")
    text = unicodedata.normalize("NFKC", text).lower().translate(_FOLD_TABLE)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def tokens(text):
    """Return (lower-cased word, start, end) for each word of text, splitting on apostrophes."""
    text = text or ""
    return [(m.group().lower(), m.start(), m.end()) for m in _TOKEN_RE.finditer(text)]


def words(text):
    """Return the lower-cased words of text."""
    return [m.group().lower() for m in _TOKEN_RE.finditer(text or "")]


def detect_language(text, default=DEFAULT_LANGUAGE):
    """Return the most likely of en/fr/de/es/no for text, or default when there is no evidence."""
    sample = (text or "")[:5000]
    lowered = sample.lower()
    found = words(lowered)
    if not found:
        return default
    scores = dict.fromkeys(LANGUAGES, 0.0)
    for word in found:
        for lang, markers in _MARKER_SETS.items():
            if word in markers:
                scores[lang] += 1.0
    for lang, letters in _LETTERS.items():
        hits = sum(lowered.count(ch) for ch in letters)
        scores[lang] += 0.5 * min(hits, 6)
    ranked = sorted(LANGUAGES, key=lambda lang: (scores[lang], lang == default), reverse=True)
    best, second = ranked[0], ranked[1]
    if scores[best] >= 4 and scores[best] >= 3 * scores[second]:
        return best  # clear evidence: no need to wake the statistical detector
    guess = _statistical_language(sample)
    if guess:
        return guess
    return best if scores[best] > 0 else default


@cache
def _detector():
    """Build lingua's detector once, restricted to the network's languages (trigram mode: fast to load)."""
    try:
        from lingua import IsoCode639_1, Language, LanguageDetectorBuilder
    except ImportError:  # the detector is optional: marker words decide alone
        return None
    codes = {"no": "NB"}
    wanted = []
    for code in LANGUAGES:
        try:
            wanted.append(Language.from_iso_code_639_1(getattr(IsoCode639_1, codes.get(code, code.upper()))))
        except (AttributeError, ValueError):
            continue
    if len(wanted) < 2:
        return None
    return LanguageDetectorBuilder.from_languages(*wanted).with_low_accuracy_mode().build()


def _statistical_language(sample: str) -> str | None:
    detector = _detector()
    if detector is None or not sample.strip():
        return None
    found = detector.detect_language_of(sample[:1000])
    if found is None:
        return None
    code = found.iso_code_639_1.name.lower()
    return "no" if code in ("nb", "nn") else code if code in LANGUAGES else None


@cache
def stopwords(lang):
    """Return the folded stopwords of a language (Snowball list plus a few function words)."""
    base = set(_search.language_stopwords(lang))
    base.update(_EXTRA_STOPWORDS.get(lang, "").split())
    return frozenset(fold(w) for w in base)


@cache
def domain_stopwords(lang):
    """Return folded stems of words that appear in nearly every incident description."""
    return frozenset(stem(w, lang) for w in DOMAIN_STOPWORDS.get(lang, "").split())


@lru_cache(maxsize=200000)
def stem(word, lang):
    """Return the folded Snowball stem of one lower-cased word in a language."""
    memo = _stem_memo(lang)
    found = memo.stems.get(word)
    if found is None:
        found = fold(_stemmer(lang)(word.lower()))
        memo.add(word, found)
    return found


# Stemming the vocabulary's terms (thousands of words, pure-Python Snowball) is most of the cost of a cold
# `crm peers`. The stems are kept in a file per language, a memo of ``stem`` named by all that can change
# a stem (this module and crm.search_backend, the installed stemmers, Python's Unicode tables), so the next
# process reads them instead. The file is only a cache: unreadable, it is ignored; unwritable, not written.
# It is written once the vocabulary of a language is stemmed, and at exit with the words stemmed since (the
# words of the documents whose snippets a search shows), up to STEM_CACHE_WORDS words so it stays quick to read.
STEM_CACHE_ENV = "CRM_STEM_CACHE_DIR"  # default: $XDG_CACHE_HOME/crm-stems (~/.cache/crm-stems); "" for none
STEM_CACHE_WORDS = 20000


class _StemMemo:
    def __init__(self, lang: str, path: str | None, stems: dict[str, str]):
        self.lang, self.path, self.stems, self.added = lang, path, stems, 0
        self._at_exit = False

    def add(self, word: str, found: str) -> None:
        if len(self.stems) >= STEM_CACHE_WORDS:
            return
        self.stems[word] = found
        self.added += 1
        if self.path and not self._at_exit:
            self._at_exit = True
            atexit.register(save_stems, self.lang)


def _stem_cache_dir() -> str:
    folder = os.environ.get(STEM_CACHE_ENV)
    if folder is None:
        folder = os.path.join(os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "crm-stems")
    return folder


@cache
def _stem_key() -> str:
    import hashlib
    import importlib.util
    import sys

    digest = hashlib.sha256(f"{sys.version_info[:2]} {unicodedata.unidata_version}".encode())
    for path in (__file__, _search.__file__):
        with open(path, "rb") as fh:
            digest.update(fh.read())
    for package in ("whoosh", "snowballstemmer"):  # a reinstalled stemmer (new version) has new files
        spec = importlib.util.find_spec(package)
        if spec is not None and spec.origin:
            info = os.stat(spec.origin)
            digest.update(f"{package} {spec.origin} {info.st_size} {info.st_mtime_ns}".encode())
    return digest.hexdigest()[:16]


@cache
def _stem_memo(lang) -> _StemMemo:
    folder = _stem_cache_dir()
    if not folder:
        return _StemMemo(lang, None, {})
    path = os.path.join(folder, f"{lang}-{_stem_key()}.json")
    try:
        with open(path, encoding="utf-8") as fh:
            stems = json.load(fh)
        if not isinstance(stems, dict) or not all(isinstance(v, str) for v in stems.values()):
            stems = {}
    except (OSError, ValueError):
        stems = {}
    return _StemMemo(lang, path, stems)


def save_stems(lang) -> None:
    """Write the stems of ``lang`` computed by this process to the stem cache (when there are new ones)."""
    memo = _stem_memo(lang)
    if not memo.path or not memo.added:
        return
    folder = os.path.dirname(memo.path)
    try:
        os.makedirs(folder, exist_ok=True)
        for stale in glob.glob(os.path.join(folder, f"{lang}-*.json")):
            if stale != memo.path:
                os.remove(stale)
        temporary = f"{memo.path}.{os.getpid()}.tmp"
        with open(temporary, "w", encoding="utf-8") as fh:
            # a copy: another thread (a served app) may be adding stems meanwhile
            json.dump(dict(memo.stems), fh, ensure_ascii=False, separators=(",", ":"))
        os.replace(temporary, memo.path)  # whole or not at all, whoever writes last
        memo.added = 0
    except OSError:
        pass


@cache
def _stemmer(lang):
    """Whoosh's Snowball stemmer where it has one, else the snowballstemmer package (Turkish, Polish…).

    A language without a Snowball stemmer whose file gives "prefix": N (Czech) keeps the first N letters
    of longer words: inflected endings then still meet (mešita, mešitě), at the cost of a few collisions.
    """
    prefix = FILES.get(lang, {}).get("prefix")
    if prefix and lang not in _SNOWBALL and _search.language_stemmer(lang)("testing") == "testing":
        return lambda word, n=int(prefix): word[:n]
    if lang in ("en", "fr", "de", "es", "no") or lang not in _SNOWBALL:
        return _search.language_stemmer(lang)
    try:
        import snowballstemmer
    except ImportError:
        return _search.language_stemmer(lang)
    try:
        return snowballstemmer.stemmer(_SNOWBALL[lang]).stemWord
    except KeyError:  # an older snowballstemmer without this language: words stay as typed
        return lambda word: word


_SNOWBALL = {"it": "italian", "nl": "dutch", "sv": "swedish", "da": "danish", "pt": "portuguese",
             "pl": "polish", "tr": "turkish", "ar": "arabic", "fi": "finnish", "ru": "russian",
             "el": "greek", "hu": "hungarian", "ro": "romanian", "ca": "catalan", "id": "indonesian"}


@lru_cache(maxsize=200000)
def stems(word, lang):
    """Return the distinct stems of a word typed with or without its accents."""
    first = stem(word, lang)
    folded = fold(word)
    if folded == word:
        return (first,)
    second = stem(folded, lang)
    return (first,) if second == first else (first, second)


def content_words(text, lang):
    """Return the folded stems of text's words minus general and domain stopwords."""
    stop = stopwords(lang)
    domain = domain_stopwords(lang)
    out = []
    for word in words(text):
        if fold(word) in stop or len(word) < 2 or word.isdigit():
            continue
        s = stem(word, lang)
        if s in domain:
            continue
        out.append(s)
    return out
