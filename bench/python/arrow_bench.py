#!/usr/bin/env python3
"""A column of short lines through arnorm's Arrow path against Python loops, and Spark in local mode.

Prints rows/s and MB/s (of UTF-8 input) for: normalize_arrow on 1 and on every thread, a Python loop
over arnorm.normalize, normalize_batch, and the pandas accessor; with --spark, normalize_column in
local[2] mode (including Spark's own overhead: JVM to Python and back).

Usage: python3 bench/python/arrow_bench.py [CORPUS] [--rows N] [--words W] [--spark]
Without CORPUS the lines come from a small built-in word list.
"""
import argparse
import importlib
import os
import random
import sys
import time

import pyarrow as pa

import arnorm

BUILT_IN = ("قال وزير الخارجية إن الإستثمار فى شانغهاي على أعلى مستوى، ١٢٣ مليون دولار للشئون "
            "الاقتصادية والـــتجارية مُحَمَّد Reuters 2024").split()


def short_lines(corpus, rows, words_per_line):
    words = open(corpus, encoding="utf-8").read().split() if corpus else BUILT_IN
    rng = random.Random(1)
    if corpus:  # consecutive words of real text, cut every few words
        start = 0
        out = []
        while len(out) < rows:
            out.append(" ".join(words[start:start + words_per_line]))
            start = (start + words_per_line) % max(1, len(words) - words_per_line)
        return out
    return [" ".join(rng.choice(words) for _ in range(words_per_line)) for _ in range(rows)]


def best(fn, repeat):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus", nargs="?", default="")
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--words", type=int, default=10)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--spark", action="store_true")
    args = ap.parse_args()
    lines = short_lines(args.corpus, args.rows, args.words)
    column = pa.array(lines, type=pa.string())
    size = column.buffers()[2].size
    print(f"input: {len(lines):,} lines, {size / 1e6:.1f} MB, {size / len(lines):.0f} bytes a line, "
          f"{os.cpu_count()} cores")
    n = arnorm.Normalizer()
    cases = [
        ("normalize_arrow, 1 thread", lambda: n.normalize_arrow(column)),
        ("normalize_arrow, every thread", lambda: n.normalize_arrow(column, workers=-1)),
        ("normalize_batch, 1 thread", lambda: n.normalize_batch(lines)),
        ("Python loop over arnorm.normalize", lambda: [arnorm.normalize(x) for x in lines]),
    ]
    try:
        import pandas as pd

        importlib.import_module("arnorm.pandas")  # registers Series.arnorm

        series = pd.Series(lines, dtype="string[pyarrow]")
        cases.append(("pandas Series.arnorm.normalize (string[pyarrow])", lambda: series.arnorm.normalize()))
    except ImportError:
        print("pandas: not installed, skipped")
    loop_rate = None
    rates = []
    for name, fn in cases:
        seconds = best(fn, args.repeat if "loop" not in name else min(args.repeat, 3))
        rates.append((name, len(lines) / seconds, size / seconds / 1e6))
        if "loop" in name:
            loop_rate = size / seconds / 1e6
    for name, rows_s, mb_s in rates:
        ratio = f"{mb_s / loop_rate:6.1f}x the loop" if loop_rate else ""
        print(f"{name:52s} {rows_s / 1e6:7.2f} M rows/s {mb_s:9.1f} MB/s {ratio}")

    if args.spark:
        spark_bench(lines, size)


def spark_bench(lines, size):
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    spark_module = importlib.import_module("arnorm.spark")

    spark = (SparkSession.builder.master("local[2]").appName("arnorm-bench")
             .config("spark.ui.enabled", "false").getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    df = spark.createDataFrame(pa.table({"text": lines}).to_pandas()).repartition(2).cache()
    df.count()
    out = spark_module.normalize_column(df, "text", "norm")
    copy = df.selectExpr("text", "text as norm")  # the same job in the JVM alone
    # The same round trip through Python workers and Arrow, doing nothing: Spark's cost of mapInArrow.
    identity = df.mapInArrow(lambda batches: (b.append_column("norm", b.column(0)) for b in batches),
                             "text string, norm string")
    for name, frame in [("Spark local[2], copy column in the JVM (baseline)", copy),
                        ("Spark local[2], mapInArrow identity (baseline)", identity),
                        ("Spark local[2], normalize_column", out)]:
        seconds = best(lambda: frame.write.format("noop").mode("overwrite").save(), 3)
        print(f"{name:52s} {len(lines) / seconds / 1e6:7.2f} M rows/s {size / seconds / 1e6:9.1f} MB/s")
    spark.stop()


if __name__ == "__main__":
    main()
