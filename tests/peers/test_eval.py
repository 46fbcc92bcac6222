"""Ranking quality on the evaluation set: nDCG@5 per query, per language and overall."""

import json
import math
from collections import defaultdict
from pathlib import Path

from crm.peers.matching import city_slug, find_peers

EVAL = json.loads((Path(__file__).parent / "eval_set.json").read_text(encoding="utf-8"))
K = 5
THRESHOLD = 0.8


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


def test_ndcg_at_5(demo_index, demo_seeds, capsys):
    cities, _ = demo_seeds
    rows = evaluate(demo_index, cities)
    by_lang = defaultdict(list)
    for entry, ranked, score in rows:
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
