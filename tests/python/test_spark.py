"""arnorm.spark in local mode (local[2]): results equal the single-call API."""

import os
import shutil
import sys

import pytest

pytest.importorskip("pyarrow")
pyspark = pytest.importorskip("pyspark")
if not shutil.which("java") and not os.environ.get("JAVA_HOME"):
    pytest.skip("Spark needs a Java runtime", allow_module_level=True)

import arnorm  # noqa: E402
import arnorm.spark  # noqa: E402
from test_arrow import rows  # noqa: E402


@pytest.fixture(scope="module")
def spark():
    os.environ["PYSPARK_PYTHON"] = sys.executable  # the executors' Python: this environment's
    from pyspark.sql import SparkSession

    session = (SparkSession.builder.master("local[2]").appName("arnorm-tests")
               .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2").getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def test_normalize_column_equals_the_single_call_api(spark):
    values = rows(3000, seed=11)
    df = spark.createDataFrame([(i, v) for i, v in enumerate(values)], "id int, text string").repartition(4)
    out = arnorm.spark.normalize_column(df, "text", "norm", elongation=True)
    assert out.columns == ["id", "text", "norm"]
    got = {r.id: (r.text, r.norm) for r in out.collect()}
    n = arnorm.Normalizer(elongation=True)
    assert len(got) == len(values)
    for i, v in enumerate(values):
        assert got[i] == (v, None if v is None else n.normalize(v))


def test_in_place_and_existing_output_columns(spark):
    df = spark.createDataFrame([("على", "x"), (None, "y")], "a string, b string")
    assert [tuple(r) for r in arnorm.spark.normalize_column(df, "a").collect()] == [("علي", "x"), (None, "y")]
    out = arnorm.spark.normalize_column(df, "a", output="b", profile="clean")
    assert out.columns == ["a", "b"] and [tuple(r) for r in out.collect()] == [("على", "على"), (None, None)]


def test_binary_column_with_invalid_rows(spark):
    data = [(i, b) for i, b in enumerate([b"\xd8\xa5\xd9\x84\xd9\x89", b"ok\xff", None, b"\xe0\x80", b"x"] * 400)]
    df = spark.createDataFrame(data, "id int, raw binary")
    n = arnorm.Normalizer()
    got = {r.id: r.raw for r in arnorm.spark.normalize_column(df, "raw", errors="replace").collect()}
    assert all(got[i] == (None if b is None else n.normalize(b, errors="replace")) for i, b in data)
    got = {r.id: r.raw for r in arnorm.spark.normalize_column(df, "raw", errors="null").collect()}
    assert [got[i] for i in range(5)] == ["الي".encode(), None, None, None, b"x"]
    with pytest.raises(Exception, match="invalid UTF-8 in row"):
        arnorm.spark.normalize_column(df, "raw").collect()


def test_bad_columns_and_options_fail_on_the_driver(spark):
    df = spark.createDataFrame([(1, "a")], "id int, text string")
    with pytest.raises(TypeError, match="got int"):
        arnorm.spark.normalize_column(df, "id")
    with pytest.raises(ValueError, match="no column"):
        arnorm.spark.normalize_column(df, "missing")
    with pytest.raises(ValueError, match="valid"):
        arnorm.spark.normalize_column(df, "text", elongate=True)
    empty = spark.createDataFrame([], "text string")
    assert arnorm.spark.normalize_column(empty, "text").collect() == []


def test_variant_stats_merged_from_partitions_equal_one_pass(spark):
    texts = ["وصل الرئيس رحمون إلى شانغهاي. قال رحمون إن شانغهاي مدينة كبيرة. التقى شي جين بينغ.",
             "وصل الرئيس رحمن إلى شنغهاي. قال رحمن إن شنغهاي مدينة كبيرة. التقى شي جين بينج.",
             "زار الرئيس رحمن منظمة شنغهاي للتعاون مع الرئيس شي جين بينج.", None] * 5
    df = spark.createDataFrame(list(enumerate(texts)), "id long, text string").repartition(3)
    stats = arnorm.spark.variant_stats(df, "text", source="id")
    one = arnorm.VariantStats()
    for i, t in enumerate(texts):
        if t is not None:
            one.add(t, i)
    assert stats.words == one.words
    got, want = arnorm.find_variants(stats), arnorm.find_variants(one)
    assert [(g.spellings, g.counts) for g in got] == [(g.spellings, g.counts) for g in want]
    assert [g.confidence for g in got] == pytest.approx([g.confidence for g in want])
    assert {"رحمن", "رحمون"} in [set(g.spellings) for g in got]
    # Without a source column every row is its own source.
    assert arnorm.spark.variant_stats(df, "text").words == one.words
    with pytest.raises(TypeError):
        arnorm.spark.variant_stats(df, "id")
    with pytest.raises(ValueError):
        arnorm.spark.variant_stats(df, "text", source="nope")
