#!/usr/bin/env python3
"""Recall and false accepts of arnorm's variant API at several thresholds, on the shared dev data.

Uses the shared evaluation script's loaders and negatives, so the figures line up with it.
Usage: python3 tools/variant_curves.py ../shared   (the directory holding eval/ and data/)
"""
import bisect
import os
import sys

shared = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..", "shared")
sys.path.insert(0, os.path.join(shared, "eval"))
import variants_eval as ve  # noqa: E402

import arnorm  # noqa: E402

pairs, gaz, seeds, seed_neg, groups = ve.load(os.path.join(ve.DATA, "variants", "dev_pairs.tsv"), 0)
neg_names, neg_words = ve.hard_negatives(gaz, os.path.join(ve.DATA, "words", "hunspell_ar_stems.txt"))
news = ve.read_tsv(os.path.join(ve.DATA, "variants", "news_pairs_dev.tsv"))
for title, lexicon in (("with the built-in lexicon (the default)", None), ("spelling alone (Lexicon.none())",
                                                                          arnorm.Lexicon.none())):
    def sim(a, b):
        return arnorm.variant_similarity(a, b, lexicon)

    scores = {
        "close": sorted(sim(p["query"], p["target"]) for p in pairs if p["tier"] == "close"),
        "far": sorted(sim(p["query"], p["target"]) for p in pairs if p["tier"] == "far"),
        "FA names": sorted(sim(a, b) for a, b in neg_names),
        "FA words": sorted(sim(a, b) for a, b in neg_words),
        "news S": sorted(sim(r["a"], r["b"]) for r in news if r["label"] == "S"),
        "news C": sorted(sim(r["a"], r["b"]) for r in news if r["label"] == "C"),
        "news D": sorted(sim(r["a"], r["b"]) for r in news if r["label"] == "D"),
    }
    print(f"are_variants at each threshold, {title} (share of pairs accepted)")
    for t in (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9):
        cells = "  ".join(f"{k} {1 - bisect.bisect_left(v, t) / len(v):6.1%}" for k, v in scores.items())
        print(f"  t={t:.1f}  {cells}")
print("VariantIndex lookups at each threshold")
queries = [p for p in pairs if p["tier"] in ("close", "far")]
for t in (0.5, 0.6, 0.7, 0.8, 0.9):
    ve.lookup_eval(lambda names: arnorm.VariantIndex(names, threshold=t), lambda idx, q, k: idx.lookup(q, k),
                   queries, gaz, f"t={t}")
