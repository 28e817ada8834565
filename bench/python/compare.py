#!/usr/bin/env python3
"""arnorm against other Arabic normalizers from Python, on the same text and equivalent settings.

Each normalizer is timed two ways: one call per line, and one call on the whole text; the ratios
compare with arnorm's search profile in the same mode. Skips whatever is not installed (PyArabic,
CAMeL Tools, PyICU, arabic-norm, arabic-normalize). Also the Python-binding figures: per-call cost
on a 10-word line, batches of short lines, and a large str against the encode+decode round trip.

Usage: python3 bench/python/compare.py [CORPUS] [--mb N]
(pip install -r bench/python/requirements.txt for the peers. CAMeL Tools' dependencies include
PyTorch; its normalize and dediac functions need only these:
pip install --no-deps camel-tools && pip install emoji six regex future)
"""
import argparse
import importlib
import os
import statistics
import time

import arnorm


def fresh(strings):
    """New str objects with the same text. CPython caches a str's UTF-8 form on the object the first
    time an extension asks for it, so timing repeated calls on the same objects would measure the
    cache, not what a program that normalizes each text once pays."""
    return [s.encode("utf-8").decode("utf-8") for s in strings]


def best_rate(fn, data_bytes, repeat=5, inputs=None):
    """Best of `repeat` timed runs; with `inputs`, fn gets a fresh copy of them each run (untimed)."""
    times = []
    for _ in range(repeat):
        arg = fresh(inputs) if inputs is not None else None
        t0 = time.perf_counter()
        fn(arg) if inputs is not None else fn()
        times.append(time.perf_counter() - t0)
    return data_bytes / min(times) / 1e6, statistics.median(times)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus", nargs="?", default="")
    ap.add_argument("--mb", type=float, default=4.0)
    args = ap.parse_args()
    if args.corpus and os.path.exists(args.corpus):
        text = open(args.corpus, encoding="utf-8").read()
    else:
        text = "قال وزير الخارجية إن الإستثمار فى شانغهاي على أعلى مستوى، ١٢٣ مليون دولار للشئون الاقتصادية.\n" * 40000
    text = text[: int(args.mb * 1e6 / 2)]
    lines = [l for l in text.split("\n") if l]
    size = len(text.encode("utf-8"))
    print(f"input: {size / 1e6:.1f} MB, {len(lines)} lines")

    n = arnorm.Normalizer()
    marks = arnorm.Normalizer("clean", diacritics="harakat+shadda+sukun", tatweel=True)
    table = {ord(c): "ا" for c in "أإآٱ"}
    table.update({ord("ى"): "ي", ord("ة"): "ه", ord("ؤ"): "ء", ord("ئ"): "ء", 0x640: None})
    table.update({c: None for c in range(0x64B, 0x653)})
    table.update({0x660 + d: str(d) for d in range(10)})
    # (name, function of one str): each is timed once per line and once on the whole text.
    normalizers = [("arnorm search", n.normalize), ("arnorm tashkeel+tatweel only", marks.normalize),
                   ("str.translate (equivalent folds)", lambda t: t.translate(table))]
    try:
        araby = importlib.import_module("pyarabic.araby")
        normalizers.append(("PyArabic strip_tashkeel+strip_tatweel+normalize_hamza", lambda t: araby.normalize_hamza(
            araby.strip_tatweel(araby.strip_tashkeel(t)), method="tasheel")))
    except ImportError:
        print("  (PyArabic not installed)")
    try:
        from camel_tools.utils.dediac import dediac_ar
        from camel_tools.utils.normalize import normalize_alef_ar, normalize_alef_maksura_ar, normalize_teh_marbuta_ar

        normalizers.append(("CAMeL Tools dediac+normalize", lambda t: normalize_teh_marbuta_ar(
            normalize_alef_maksura_ar(normalize_alef_ar(dediac_ar(t))))))
    except ImportError:
        print("  (CAMeL Tools not installed)")
    try:
        import icu

        tr = icu.Transliterator.createFromRules(
            "search", "[\\u0622\\u0623\\u0625\\u0671] > \\u0627; \\u0649 > \\u064A; \\u0629 > \\u0647;"
            "[\\u0624\\u0626] > \\u0621; [\\u0640\\u064B-\\u0652] > ;", icu.UTransDirection.FORWARD)
        normalizers.append(("PyICU transliterator", tr.transliterate))
    except ImportError:
        print("  (PyICU not installed)")
    for mod in ("arabic_norm", "arabic_normalize"):
        try:
            fn = getattr(importlib.import_module(mod), "normalize", None)
            if fn:
                normalizers.append((f"{mod}.normalize", fn))
        except ImportError:
            print(f"  ({mod} not installed)")

    results = []
    for name, fn in normalizers:
        repeat = 5 if name.startswith("arnorm") else 2
        per_line, _ = best_rate(lambda ls: [fn(l) for l in ls], size, repeat, inputs=lines)
        whole, _ = best_rate(lambda ts: fn(ts[0]), size, repeat, inputs=[text])
        results.append((name, per_line, whole))
    batch, _ = best_rate(lambda ls: n.normalize_batch(ls), size, inputs=lines)

    base_line, base_whole = results[0][1], results[0][2]
    print(f"{'MB/s, then how many times as fast arnorm search is':<56} {'per line':>9} {'one str':>9}"
          f" {'per line':>9} {'one str':>9}")
    for name, per_line, whole in results:
        print(f"{name:<56} {per_line:9.1f} {whole:9.1f} {base_line / per_line:8.2f}x {base_whole / whole:8.2f}x")
    print(f"{'arnorm search, normalize_batch of the lines':<56} {batch:9.1f}")

    line = "قال وزير الخارجية إن الإستثمار فى شانغهاي على أعلى مستوى"
    copies = fresh([line] * 200000)
    t0 = time.perf_counter()
    for one in copies:
        arnorm.normalize(one)
    per_call = (time.perf_counter() - t0) / len(copies) * 1e9
    print(f"per call, 10-word line: {per_call:.0f} ns (arnorm.normalize, each line a new str)")
    short = [line] * 200000
    rate, _ = best_rate(lambda ls: n.normalize_batch(ls), len(line.encode()) * len(short), inputs=short)
    print(f"batch of short lines: {rate:.1f} MB/s (workers=1)")
    rate_big, _ = best_rate(lambda ts: n.normalize(ts[0]), size, inputs=[text])
    rate_rt, _ = best_rate(lambda ts: ts[0].encode("utf-8").decode("utf-8"), size, inputs=[text])
    print(f"large str: arnorm {rate_big:.1f} MB/s, encode+decode round trip {rate_rt:.1f} MB/s")


if __name__ == "__main__":
    main()
