"""Ranking quality on the evaluation set: nDCG@5 per query, per language and overall.

The descriptions in eval_set.json are written by hand; each names the facets its author meant
(``intended_facets``) and the grades follow from them and the demo seeds by ``grade`` below. When the
seeds change, ``python tests/peers/test_eval.py --regrade`` recomputes the grades.
"""

import json
import math
from collections import defaultdict
from pathlib import Path

from crm.peers.matching import city_slug, find_peers

EVAL = json.loads((Path(__file__).parent / "eval_set.json").read_text(encoding="utf-8"))

K = 5
THRESHOLD = 0.8


EVAL_PATH = Path(__file__).parent / "eval_set.json"
CORE = ("attack", "target", "motive")


def grade(entry: dict, city: dict, lessons: list[dict]) -> int:
    """Return 3/2/1 for a city sharing 3/2/1 of attack kind, target, motive with one of its incidents.

    A theme-only question grades 1 for cities with lessons, expertise or aftermath on that theme. The
    asking city, inactive members and cities that miss a hard need grade 0.
    """
    if city["status"] != "active" or city["name"] == entry["asking_city"]:
        return 0
    if any(code not in city["languages"] for code in entry["needs"]):
        return 0
    best = 0
    for incident in city.get("incidents") or ():
        best = max(best, sum(1 for facet in CORE if set(entry["intended_facets"].get(facet, ()))
                             & set(incident["facets"].get(facet, ()))))
    if best or not entry["themes"]:
        return best
    have = set(city.get("expertise") or ()) | {t for lesson in lessons if lesson["city"] == city["name"]
                                                for t in lesson["themes"]}
    have |= {a for incident in city.get("incidents") or () for a in incident["facets"].get("aftermath", ())}
    return 1 if have & set(entry["themes"]) else 0


def ndcg(ranked: list[str], grades: dict[str, int], k: int = K) -> float:
    dcg = sum((2 ** grades.get(name, 0) - 1) / math.log2(i + 2) for i, name in enumerate(ranked[:k]))
    ideal = sorted(grades.values(), reverse=True)[:k]
    best = sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / best if best else 1.0


def evaluate(index, cities):
    names = {city_slug(c["name"]): c["name"] for c in cities}
    rows = []
    for entry in EVAL["queries"]:
        asking = city_slug(entry["asking_city"]) if entry["asking_city"] else None
        matches = find_peers(index, entry["text"], asking_city_id=asking, limit=K)
        ranked = [names[m.city_id] for m in matches]
        rows.append((entry, ranked, ndcg(ranked, entry["relevant"])))
    return rows


def test_eval_set_is_well_formed(demo_seeds):
    cities, _ = demo_seeds
    names = {c["name"] for c in cities}
    queries = EVAL["queries"]
    assert len(queries) >= 30
    per_lang = defaultdict(int)
    for entry in queries:
        per_lang[entry["lang"]] += 1
        assert set(entry["relevant"]) <= names
        assert entry["asking_city"] is None or entry["asking_city"] in names
        assert entry["asking_city"] not in entry["relevant"]
    assert all(per_lang[lang] >= 5 for lang in ("fr", "de", "es", "no"))


def test_grades_follow_the_current_seeds(demo_seeds):
    cities, lessons = demo_seeds
    for entry in EVAL["queries"]:
        expected = {c["name"]: grade(entry, c, lessons) for c in cities}
        assert entry["relevant"] == {k: v for k, v in expected.items() if v}, (
            f"query {entry['id']}: seeds changed; run python tests/peers/test_eval.py --regrade")


def test_ndcg_at_5(demo_index, demo_seeds, capsys):
    cities, _ = demo_seeds
    rows = evaluate(demo_index, cities)
    by_lang = defaultdict(list)
    for entry, _ranked, score in rows:
        by_lang[entry["lang"]].append(score)
    overall = sum(score for _, _, score in rows) / len(rows)
    with capsys.disabled():
        print(f"\nnDCG@{K} overall {overall:.3f} over {len(rows)} queries")
        for lang, scores in sorted(by_lang.items()):
            print(f"  {lang}: {sum(scores) / len(scores):.3f} ({len(scores)} queries)")
        for entry, ranked, score in rows:
            if score < 0.7:
                print(f"  low {score:.2f} #{entry['id']} {entry['lang']}: {ranked} expected "
                      f"{list(entry['relevant'].items())[:5]}")
    assert overall >= THRESHOLD


if __name__ == "__main__":
    import sys

    if "--regrade" in sys.argv:
        seeds = Path(__file__).resolve().parents[2] / "seeds" / "demo"
        cities = json.loads((seeds / "cities.json").read_text(encoding="utf-8"))
        lessons = json.loads((seeds / "lessons.json").read_text(encoding="utf-8"))
        for entry in EVAL["queries"]:
            grades = {c["name"]: grade(entry, c, lessons) for c in cities}
            entry["relevant"] = dict(sorted(((k, v) for k, v in grades.items() if v), key=lambda kv: -kv[1]))
        EVAL_PATH.write_text(json.dumps(EVAL, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"regraded {len(EVAL['queries'])} queries")
