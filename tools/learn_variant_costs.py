#!/usr/bin/env python3
"""Learns the costs of arnorm's name-variant edit distance from spelling pairs.

Positives: the dev split of the shared name-spelling pairs (one name spelled by two independent
sources). Negatives: pairs of different names from the gazetteer that share a vowel-less skeleton
or are a letter or two apart (drawn with this script's own seed), and the competitors a lookup
meets: for each dev query, the wrong names the current VariantIndex over the gazetteer ranks
highest (so the costs learn to rank the right spelling first, not only to tell pairs apart). Each pair is aligned with the current costs; the counts of each
kind of edit (a vowel letter inserted at the start, ج for غ, ...) are the features of a logistic
regression whose weights become the new costs; two rounds. The output is core/src/variant_costs.inc.

Usage: python3 tools/learn_variant_costs.py ../shared/data/variants [--out core/src/variant_costs.inc]
Needs numpy and the arnorm package (for the search-profile folding).
"""
import argparse
import csv
import math
import os
import random
import sys
import unicodedata

import numpy as np

import arnorm

# No edit is free: without a floor, edits the negatives never show (ء dropped, ت for ث)
# would cost nothing and join ordinary words such as المؤتمر and المثمر.
MIN_COST = 0.25
# An unrelated consonant (محمد/أحمد) must outweigh the credit of a short word.
FLOORS = {"sub:other": 1.6, "indel:other:initial": 1.4, "indel:other:medial": 1.4, "indel:other:final": 1.4}
VOWELS = "اوي"
SPECIAL_INDEL = "اويءهع"  # letters whose insertion or deletion has its own cost, per position
POSITIONS = ("initial", "medial", "final")
# Consonant alternations seen in transliteration (each its own feature).
ALTERNATIONS = ["جغ", "زس", "سش", "فو", "اع", "تث", "تط", "حه", "قك", "سص", "جخ", "تد", "غق", "غك", "خك", "خق",
                "بف", "جك", "ذز", "دض", "زظ", "ثس", "حخ", "اء", "يء", "وء", "اي", "او", "وي", "ده", "نم", "لر"]
DIGRAPHS = [("ك", "تش"), ("ز", "تس"), ("ج", "دج"), ("ش", "تش")]
PROCLITICS = [("ال", "article"), ("وال", "article+"), ("بال", "article+"), ("فال", "article+"), ("كال", "article+"),
              ("لل", "article+"), ("و", "single"), ("ل", "single"), ("ب", "single"), ("ف", "single"), ("ك", "single")]


def feature_names():
    names = ["bias", "length"]
    names += [f"sub:{p}" for p in ALTERNATIONS] + ["sub:final_alef_heh", "sub:other"]
    names += [f"indel:{c}:{pos}" for c in SPECIAL_INDEL for pos in POSITIONS]
    names += [f"indel:other:{pos}" for pos in POSITIONS]
    names += [f"digraph:{s}{d}" for s, d in DIGRAPHS]
    names += ["strip:article", "strip:article+", "strip:single"]
    names += ["native:vowel"]
    return names


FEATURES = feature_names()
INDEX = {n: i for i, n in enumerate(FEATURES)}


def fold(s):
    return "".join(c for c in arnorm.normalize(s) if "\u0621" <= c <= "\u064a" and c != "\u0640")


def sub_feature(x, y, final):
    if final and {x, y} == {"ا", "ه"}:
        return "sub:final_alef_heh"
    for p in ALTERNATIONS:
        if {x, y} == set(p):
            return f"sub:{p}"
    return "sub:other"


def indel_feature(c, i, n):
    pos = "initial" if i == 0 else "final" if i == n - 1 else "medial"
    return f"indel:{c}:{pos}" if c in SPECIAL_INDEL else f"indel:other:{pos}"


# Letters transliteration seldom writes: a word holding one is most likely Arabic, and between two
# such words a vowel letter changes the word (ظالم/ظلم), so there each vowel-letter edit costs more.
# ح is left out: names from Persian or Tajik keep it (رحمن/رحمون).
NATIVE_LETTERS = "عصضطظذخث"
NATIVE = set(NATIVE_LETTERS)


def is_native_pair(a, b):
    return bool(NATIVE & set(a)) and bool(NATIVE & set(b))


def letter_array(name, letters):
    """A C++ array of the letters, as the output file declares the sets the costs were learned with."""
    items = ", ".join(f"U'\\u{ord(c):04X}'" for c in letters)
    return f"constexpr char32_t {name}[] = {{{items}}};  // {' '.join(letters)}\n"


def align(a, b, cost):
    """Minimum-cost alignment; returns (cost, feature counts)."""
    native = is_native_pair(a, b)

    def extra(f, letters):
        # The native surcharge on a vowel-letter edit: (cost, feature) or (0, None).
        if native and f and all(c in VOWELS for c in letters):
            return cost["native:vowel"], "native:vowel"
        return 0.0, None

    n, m = len(a), len(b)
    INF = float("inf")
    d = [[INF] * (m + 1) for _ in range(n + 1)]
    back = [[None] * (m + 1) for _ in range(n + 1)]
    d[0][0] = 0.0
    for i in range(n + 1):
        for j in range(m + 1):
            if i == 0 and j == 0:
                continue
            options = []
            if i and j:
                f = None if a[i - 1] == b[j - 1] else sub_feature(a[i - 1], b[j - 1], i == n and j == m)
                x, g = extra(f, a[i - 1] + b[j - 1])
                options.append((d[i - 1][j - 1] + (cost[f] if f else 0.0) + x, (i - 1, j - 1, f, g)))
            if i:
                f = indel_feature(a[i - 1], i - 1, n)
                x, g = extra(f, a[i - 1])
                options.append((d[i - 1][j] + cost[f] + x, (i - 1, j, f, g)))
            if j:
                f = indel_feature(b[j - 1], j - 1, m)
                x, g = extra(f, b[j - 1])
                options.append((d[i][j - 1] + cost[f] + x, (i, j - 1, f, g)))
            for single, double in DIGRAPHS:
                f = f"digraph:{single}{double}"
                if i >= 2 and j >= 1 and a[i - 2:i] == double and b[j - 1] == single:
                    options.append((d[i - 2][j - 1] + cost[f], (i - 2, j - 1, f, None)))
                if j >= 2 and i >= 1 and b[j - 2:j] == double and a[i - 1] == single:
                    options.append((d[i - 1][j - 2] + cost[f], (i - 1, j - 2, f, None)))
            d[i][j], back[i][j] = min(options, key=lambda o: o[0])
    counts = {}
    i, j = n, m
    while (i, j) != (0, 0):
        pi, pj, f, g = back[i][j]
        for h in (f, g):
            if h:
                counts[h] = counts.get(h, 0) + 1
        i, j = pi, pj
    return d[n][m], counts


def forms(w):
    out = [(w, None)]
    for p, kind in PROCLITICS:
        if w.startswith(p) and len(w) >= len(p) + 3:
            out.append((w[len(p):], kind))
    return out


def best_alignment(a, b, cost):
    best = None
    for fa, ka in forms(a):
        for fb, kb in forms(b):
            if ka and kb:
                continue
            c, counts = align(fa, fb, cost)
            kind = ka or kb
            if kind:
                c += cost[f"strip:{kind}"]
                counts = dict(counts)
                counts[f"strip:{kind}"] = 1
            c -= cost["length"] * min(len(fa), len(fb))
            counts["length"] = min(len(fa), len(fb))
            if best is None or c < best[0]:
                best = (c, counts)
    return best


def vectorize(counts):
    x = np.zeros(len(FEATURES))
    x[INDEX["bias"]] = 1.0
    for f, v in counts.items():
        x[INDEX[f]] = v
    return x


def read_tsv(path):
    with open(path, encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


def romanization(e):
    e = "".join(ch for ch in unicodedata.normalize("NFKD", e.lower()) if not unicodedata.combining(ch))
    out = []
    for ch in e:
        if not out or out[-1] != ch:
            out.append(ch)
    return "".join(out)


def negatives(gazetteer, n, seed):
    """Different names (English tokens that do not romanize alike): n sharing a vowel-less skeleton
    and n more a letter or two apart."""
    by = {}
    for r in gazetteer:
        a = fold(r["arabic"])
        if len(a) >= 3:
            by.setdefault("".join(c for c in a if c not in "اويءع"), []).append((a, r["english"]))
    pairs = []
    for rows in by.values():
        for i in range(len(rows)):
            for j in range(i + 1, min(len(rows), i + 5)):
                (a, ea), (b, eb) = rows[i], rows[j]
                ra, rb = romanization(ea), romanization(eb)
                if a != b and ra != rb and not (ra in rb or rb in ra):
                    pairs.append((a, b))
    random.Random(seed).shuffle(pairs)
    pairs = pairs[:n]
    # And different names a letter or two apart anywhere (consonants too).
    rng = random.Random(seed + 1)
    names = sorted({(fold(r["arabic"]), romanization(r["english"])) for r in gazetteer if len(fold(r["arabic"])) >= 3})
    by_len = {}
    for a, e in names:
        by_len.setdefault(len(a), []).append((a, e))
    near = []
    while len(near) < n:
        a, ea = rng.choice(names)
        pool = by_len.get(len(a) + rng.choice((-1, 0, 0, 1)), [])
        for b, eb in rng.sample(pool, min(len(pool), 200)):
            if a != b and ea != eb and not (ea in eb or eb in ea) and levenshtein(a, b) <= 2:
                near.append((a, b))
                break
    return pairs + near


def levenshtein(a, b):
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def word_negatives(path, top, n, seed):
    """Different ordinary words sharing a vowel-less skeleton (كتب/كاتب), from a frequency list's
    `top` most frequent words: what a name comparison must not join."""
    by = {}
    with open(path, encoding="utf-8") as f:
        for line in list(f)[:top]:
            w = fold(line.split("\t")[0])
            if len(w) >= 3:
                by.setdefault("".join(c for c in w if c not in "اويء"), []).append(w)
    pairs = []
    for ws in by.values():
        ws = sorted(set(ws))
        pairs += [(ws[i], ws[j]) for i in range(len(ws)) for j in range(i + 1, min(len(ws), i + 3))]
    random.Random(seed).shuffle(pairs)
    return pairs[:n]


def competitors(dev, gazetteer, per_query, seed):
    """The wrong names a gazetteer lookup of each dev query ranks highest: neither the target, nor a
    homograph of the query, nor a spelling of an English name that romanizes like the query's."""
    english = {}
    for r in gazetteer:
        english.setdefault(r["arabic"], set()).add(romanization(r["english"]))
    index = arnorm.VariantIndex(sorted(english), threshold=0.01)
    pairs = []
    for r in dev:
        if r["tier"] not in ("close", "far"):
            continue
        q, e = fold(r["query"]), romanization(r["english"])
        wrong = []
        for name, _ in index.lookup(r["query"], 4 * per_query):
            b = fold(name)
            if name == r["target"] or b == q or any(x == e or x in e or e in x for x in english.get(name, ())):
                continue
            wrong.append((q, b))
            if len(wrong) == per_query:
                break
        pairs += wrong
    random.Random(seed).shuffle(pairs)
    return pairs


def fit(X, y, weights, l2=1e-3, steps=3000, lr=0.05):
    """Logistic regression with class weights; costs (all but bias and length) kept >= 0."""
    w = np.zeros(X.shape[1])
    w[INDEX["bias"]] = 2.0
    sign = -np.ones(X.shape[1])  # a cost lowers the log-odds
    sign[INDEX["bias"]] = 1.0
    sign[INDEX["length"]] = 1.0
    Xs = X * sign
    for _ in range(steps):
        z = Xs @ w
        p = 1 / (1 + np.exp(-z))
        g = Xs.T @ ((p - y) * weights) / weights.sum() + l2 * w
        w -= lr * g
        mask = np.ones_like(w, dtype=bool)
        mask[INDEX["bias"]] = False
        mask[INDEX["length"]] = False
        w[mask] = np.maximum(w[mask], MIN_COST)  # every difference costs something
        for f, floor in FLOORS.items():
            w[INDEX[f]] = max(w[INDEX[f]], floor)
        w[INDEX["length"]] = max(w[INDEX["length"]], 0.0)
    return w


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("data", help="the shared data/variants directory")
    ap.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "..", "core", "src", "variant_costs.inc"))
    ap.add_argument("--negatives", type=int, default=6000)
    ap.add_argument("--competitors", type=int, default=10, help="wrong lookup results kept per dev query")
    ap.add_argument("--competitor-weight", type=float, default=0.4,
                    help="share of the negatives' weight the lookup competitors carry")
    ap.add_argument("--words", default=os.path.join(os.path.dirname(__file__), "..", "..", "shared", "data", "words",
                                                    "saudinewsnet_wordfreq_top100k.tsv"),
                    help="a word frequency list (word<TAB>count, most frequent first) for ordinary-word negatives")
    ap.add_argument("--word-weight", type=float, default=0.15, help="share of the negatives' weight the words carry")
    args = ap.parse_args()

    dev = read_tsv(os.path.join(args.data, "dev_pairs.tsv"))
    gazetteer = read_tsv(os.path.join(args.data, "gazetteer.tsv"))
    pos = [(fold(r["query"]), fold(r["target"])) for r in dev if r["tier"] in ("close", "far")]
    pos = [(a, b) for a, b in pos if a and b and a != b]
    neg = negatives(gazetteer, args.negatives, seed=20261123)
    rival = competitors(dev, gazetteer, args.competitors, seed=20261124)
    words = word_negatives(args.words, 20000, 3000, seed=20261125)
    print(f"positives {len(pos)}, negatives {len(neg)}, lookup competitors {len(rival)}, words {len(words)}",
          file=sys.stderr)

    cost = {f: 1.0 for f in FEATURES}
    cost["length"] = 0.0
    for f in FEATURES:
        if f.startswith("indel:") and f.split(":")[1] in VOWELS:
            cost[f] = 0.3
    for f in FEATURES:
        if f.startswith("sub:") and f != "sub:other":
            cost[f] = 0.5
        if f.startswith("digraph:") or f.startswith("strip:"):
            cost[f] = 0.4
    share, word_share = args.competitor_weight, args.word_weight
    y = np.array([1.0] * len(pos) + [0.0] * (len(neg) + len(rival) + len(words)))
    weights = np.array([0.5 / len(pos)] * len(pos) + [0.5 * (1 - share - word_share) / len(neg)] * len(neg) +
                       [0.5 * share / max(1, len(rival))] * len(rival) +
                       [0.5 * word_share / max(1, len(words))] * len(words))
    for round_ in range(2):
        X = np.array([vectorize(best_alignment(a, b, cost)[1]) for a, b in pos + neg + rival + words])
        w = fit(X, y, weights)
        for f in FEATURES:
            if f != "bias":
                cost[f] = float(w[INDEX[f]])
        bias = float(w[INDEX["bias"]])
        z = X @ (w * np.where(np.isin(np.arange(len(FEATURES)), [INDEX["bias"], INDEX["length"]]), 1, -1))
        p = 1 / (1 + np.exp(-z))
        acc = ((p > 0.5) == (y > 0.5)).mean()
        print(f"round {round_}: bias {bias:.3f} length {cost['length']:.3f} accuracy {acc:.3f}", file=sys.stderr)

    with open(args.out, "w", encoding="utf-8") as out:
        out.write("// Generated by tools/learn_variant_costs.py from the dev split of the shared name-spelling\n")
        out.write(f"// pairs ({len(pos)} positives); negatives: {len(neg)} gazetteer pairs, {len(rival)} lookup competitors\n")
        out.write(f"// (weight share {share}) and {len(words)} ordinary-word pairs (share {word_share}). Do not edit.\n")
        out.write(f"constexpr double kLearnedBias = {bias:.6f};\n")
        out.write(f"constexpr double kLengthCredit = {cost['length']:.6f};  // per letter of the shorter word\n")
        out.write("constexpr SubCost kSubstitutions[] = {\n")
        for p in ALTERNATIONS:
            out.write(f"    {{U'\\u{ord(p[0]):04X}', U'\\u{ord(p[1]):04X}', {cost['sub:' + p]:.6f}}},  // {p[0]} {p[1]}\n")
        out.write("};\n")
        out.write(f"constexpr double kSubOther = {cost['sub:other']:.6f};\n")
        out.write(f"constexpr double kFinalAlefHeh = {cost['sub:final_alef_heh']:.6f};\n")
        out.write("constexpr IndelCost kIndels[] = {  // initial, medial, final\n")
        for c in SPECIAL_INDEL:
            vals = ", ".join(f"{cost[f'indel:{c}:{p}']:.6f}" for p in POSITIONS)
            out.write(f"    {{U'\\u{ord(c):04X}', {{{vals}}}}},  // {c}\n")
        out.write("};\n")
        vals = ", ".join(f"{cost[f'indel:other:{p}']:.6f}" for p in POSITIONS)
        out.write(f"constexpr double kIndelOther[3] = {{{vals}}};\n")
        out.write("constexpr PairCost kDigraphs[] = {\n")
        for s, d in DIGRAPHS:
            out.write(f"    {{U'\\u{ord(s):04X}', U'\\u{ord(d[0]):04X}', U'\\u{ord(d[1]):04X}', "
                      f"{cost['digraph:' + s + d]:.6f}}},  // {s} {d}\n")
        out.write("};\n")
        out.write(f"constexpr double kStripArticle = {cost['strip:article']:.6f};\n")
        out.write(f"constexpr double kStripArticleCombined = {cost['strip:article+']:.6f};\n")
        out.write(f"constexpr double kStripSingle = {cost['strip:single']:.6f};\n")
        out.write(f"constexpr double kNativeVowelSurcharge = {cost['native:vowel']:.6f};  // per vowel-letter edit\n")
        out.write(letter_array("kVowelLetters", VOWELS))
        out.write(letter_array("kNativeLetters", NATIVE_LETTERS))
    print(f"wrote {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
