"""arnorm on Spark DataFrames, through ``mapInArrow``: the executors' Python
workers get whole Arrow record batches and normalize each column in one call,
with one compiled Normalizer per worker process (kept between batches and tasks
while Spark reuses the process).

The executors need arnorm installed (the same wheel as the driver); see the
README's "Spark on a cluster".
"""

from __future__ import annotations

from typing import Any, Iterator, Optional

__all__ = ["normalize_column"]


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
