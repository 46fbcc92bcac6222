"""Graded relevance of the blind set, computed from coded facts (facts.json, queries.json), never by hand.

The rule (also stored in facts.json as `grading_rule`):

* For each pair (attack described by the query, incident of the city), count the facets the query
  states (kind, target, motive: a non-empty list of codes) that share at least one code with the
  incident: m matched out of s stated.  Attack gain A = 3 if m = 3 or m = s >= 2 (everything the
  query says matches); 2 if m = 2, or m = s = 1; 1 if m = 1; else 0.  The best pair counts, so a
  city ranks on its best incident and a query with two attacks on the better-matching one.
* Needs: n = codes shared by the query's needs and the city's needs (aftermath coded on its
  incidents plus the needs its lessons cover).  A need-led query (category "need", or no attack in
  it states two facets) gets N = 3 if n >= 2 or (n = 1 and the query names a single need), 2 if
  n = 1, else 0.  For an attack-led query a need match only gives N = 1.
* Gain = max(A, N), raised to 3 when A = 2 and n >= 1.
* nDCG@5 with gains 2^g - 1 and discount log2(rank + 1); the ideal ranking sorts every city's gain.
"""

import json
import math
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
FACETS = ("kind", "target", "motive")


def load_facts(path=HERE / "facts.json"):
    """The coded facts of every city, as loaded from facts.json."""
    return json.loads(Path(path).read_text(encoding="utf-8"))


def load_queries(path=HERE / "queries.json"):
    """The queries with their coded facts and their tune/test half."""
    return json.loads(Path(path).read_text(encoding="utf-8"))["queries"]


def fold(text):
    """Lower case without accents, for matching city names printed by the product."""
    text = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in text if not unicodedata.combining(ch)).strip()


def attack_gain(attack, incident):
    """Gain of one city incident for one attack described by a query."""
    stated = [f for f in FACETS if attack[f]]
    matched = sum(1 for f in stated if set(attack[f]) & set(incident[f]))
    if matched == 3 or (matched == len(stated) and matched >= 2):
        return 3
    if matched == 2 or (matched == len(stated) == 1):
        return 2
    return 1 if matched == 1 else 0


def is_need_led(query):
    """True when the query asks about a response need more than it describes an attack."""
    return query["category"] == "need" or all(
        sum(1 for f in FACETS if a[f]) < 2 for a in query["incidents"])


def gain(query, city):
    """Graded relevance (0-3) of a city (facts.json entry) for a query (queries.json entry)."""
    best = max((attack_gain(a, inc) for a in query["incidents"] for inc in city["incidents"]),
               default=0)
    shared = len(set(query["needs"]) & set(city["needs"]))
    if is_need_led(query):
        if shared >= 2 or (shared == 1 and len(query["needs"]) == 1):
            need = 3
        else:
            need = 2 if shared == 1 else 0
    else:
        need = 1 if shared else 0
    value = max(best, need)
    if best == 2 and shared:
        value = 3
    return value


def gains(query, facts):
    """Gain of every city for a query, keyed by folded (name, country)."""
    return {(fold(c["name"]), fold(c["country"])): gain(query, c) for c in facts["cities"]}


def dcg(values):
    return sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(values))


def ndcg_at(ranked_keys, city_gains, k=5):
    """nDCG@k of a ranked list of city keys against the gains of all cities."""
    ideal = dcg(sorted(city_gains.values(), reverse=True)[:k])
    if ideal == 0:
        return None
    return dcg([city_gains.get(key, 0) for key in ranked_keys[:k]]) / ideal


if __name__ == "__main__":
    facts = load_facts()
    for q in load_queries():
        g = gains(q, facts)
        top = sorted(((v, k[0]) for k, v in g.items() if v), reverse=True)[:6]
        print(f"{q['id']:6} {q['half']:4} relevant={sum(1 for v in g.values() if v):2} "
              f"gain3={sum(1 for v in g.values() if v == 3):2}  "
              + ", ".join(f"{name}:{v}" for v, name in top))
