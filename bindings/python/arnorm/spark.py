"""arnorm on Spark DataFrames, through ``mapInArrow``: the executors' Python
workers get whole Arrow record batches and normalize each column in one call,
with one compiled Normalizer per worker process (kept between batches and tasks
while Spark reuses the process). ``variant_stats`` counts the vocabulary statistics
that ``arnorm.find_variants`` works from, on the executors, and merges them on
the driver.

The executors need arnorm installed (the same wheel as the driver); see the
README's "Spark on a cluster".
"""

from __future__ import annotations

from typing import Any, Iterator, Optional

__all__ = ["normalize_column", "variant_stats"]


def normalize_column(df: Any, column: str, output: Optional[str] = None, profile: str = "search", *,
                     errors: str = "strict", **options: Any) -> Any:
    """``df`` with ``column`` normalized into ``output`` (a new or existing column),
    or in place when ``output`` is None. The column must be a string or binary
    column; nulls stay null; ``errors`` ("strict", "replace", "null") decides
    what a row of invalid UTF-8 does (strict fails the task).
    """
    from pyspark.sql.types import BinaryType, StringType, StructField, StructType

    import arnorm

    if column not in df.columns:
        raise ValueError(f"normalize_column: no column {column!r} in {df.columns}")
    field = df.schema[column]
    if not isinstance(field.dataType, (StringType, BinaryType)):
        raise TypeError(f"normalize_column: expected a string or binary column, got {field.dataType.simpleString()}")
    if errors not in ("strict", "replace", "null"):
        raise ValueError(f"normalize_column: errors must be 'strict', 'replace' or 'null', got {errors!r}")
    settings = tuple(sorted(options.items()))
    arnorm._cached(profile, settings)  # bad options fail here, on the driver, not in a task
    target = output or column
    result_field = StructField(target, field.dataType, True)
    if target in df.columns:
        schema = StructType([result_field if f.name == target else f for f in df.schema.fields])
    else:
        schema = StructType(df.schema.fields + [result_field])

    def normalize_batches(batches: Iterator[Any]) -> Iterator[Any]:
        import arnorm  # on the executor

        normalizer = arnorm._cached(profile, settings)  # one per worker process
        for batch in batches:
            values = normalizer.normalize_arrow(batch.column(column), errors=errors)
            names = batch.schema.names
            if target in names:
                i = names.index(target)
                columns = batch.columns[:i] + [values] + batch.columns[i + 1:]
            else:
                columns, names = batch.columns + [values], names + [target]
            yield type(batch).from_arrays(columns, names=names)

    return df.mapInArrow(normalize_batches, schema)


def variant_stats(df: Any, column: str, source: Optional[str] = None) -> Any:
    """The :class:`arnorm.VariantStats` of a string column, for ``arnorm.find_variants``.

    Each partition is counted on an executor and serialized; the driver merges the pieces, so the
    result equals ``VariantStats`` counted in one pass over the same rows (with the built-in lexicon).
    ``source`` names an integer column saying where each row comes from (a feed, an outlet: spellings
    that keep to different sources are evidence of variants); without it each row is its own source.
    Null rows are skipped.
    """
    from pyspark.sql import functions as F
    from pyspark.sql.types import IntegerType, LongType, StringType

    import arnorm

    if column not in df.columns:
        raise ValueError(f"variant_stats: no column {column!r} in {df.columns}")
    if not isinstance(df.schema[column].dataType, StringType):
        raise TypeError(f"variant_stats: expected a string column, got {df.schema[column].dataType.simpleString()}")
    if source is None:
        df = df.select(F.col(column).alias("text"), F.monotonically_increasing_id().alias("source"))
    else:
        if source not in df.columns:
            raise ValueError(f"variant_stats: no column {source!r} in {df.columns}")
        if not isinstance(df.schema[source].dataType, (IntegerType, LongType)):
            raise TypeError(f"variant_stats: the source column must hold integers, got "
                            f"{df.schema[source].dataType.simpleString()}")
        df = df.select(F.col(column).alias("text"), F.col(source).cast("long").alias("source"))

    def count(batches: Iterator[Any]) -> Iterator[Any]:
        import pyarrow as pa

        import arnorm  # on the executor

        stats = arnorm.VariantStats()
        for batch in batches:
            texts = batch.column(0).to_pylist()
            sources = batch.column(1).to_pylist()
            for text, where in zip(texts, sources):
                if text is not None:
                    if where is None or where < 0:
                        raise ValueError(f"variant_stats: a row's source must be a non-negative integer, got {where}")
                    stats.add(text, where)
        yield pa.RecordBatch.from_arrays([pa.array([stats.serialize()], pa.binary())], names=["stats"])

    merged = arnorm.VariantStats()
    for row in df.mapInArrow(count, "stats binary").collect():
        merged.merge(arnorm.VariantStats.deserialize(bytes(row.stats)))
    return merged
