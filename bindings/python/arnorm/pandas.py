"""The ``Series.arnorm`` accessor for pandas, registered by ``import arnorm.pandas``.

>>> import pandas as pd, arnorm.pandas
>>> pd.Series(["الإستثمار على", None]).arnorm.normalize().tolist()
['الاستثمار علي', nan]

Columns stored in Arrow (pandas' ``str`` and ``string[pyarrow]`` dtypes,
``pd.ArrowDtype`` strings and binaries) go through :func:`arnorm.normalize_arrow`
without a Python str per row; object columns through ``normalize_batch``.
Either way the GIL is released, ``workers`` threads share the rows, nulls
stay null, and the result keeps the Series' index, name and dtype.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import pyarrow as pa

import arnorm

__all__ = ["ArnormAccessor"]


def _arrow_backed(series: pd.Series) -> bool:
    dtype = series.dtype
    if isinstance(dtype, pd.ArrowDtype):
        return True
    return isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow"


def _to_arrow(series: pd.Series) -> pa.ChunkedArray:
    return pa.chunked_array(pa.array(series.array))


def _from_arrow(result: pa.ChunkedArray, like: pd.Series) -> pd.Series:
    if isinstance(like.dtype, pd.ArrowDtype):
        values: Any = pd.arrays.ArrowExtensionArray(result)
    else:
        values = like.dtype.__from_arrow__(result)
    return pd.Series(values, index=like.index, name=like.name, copy=False)


@pd.api.extensions.register_series_accessor("arnorm")
class ArnormAccessor:
    """arnorm on a column: ``series.arnorm.normalize()``, ``.lookup(index)``, ``.canonicalize(index)``."""

    def __init__(self, series: pd.Series) -> None:
        self._series = series

    def _check_text(self, where: str) -> None:
        dtype = self._series.dtype
        if _arrow_backed(self._series):
            t = _to_arrow(self._series.iloc[:0]).type
            if not (pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_binary(t)
                    or pa.types.is_large_binary(t) or arnorm._is_view(pa, t)):
                raise TypeError(f"Series.arnorm.{where}: expected a column of strings, got dtype {dtype}")
        elif not (dtype == object or isinstance(dtype, pd.StringDtype)):
            raise TypeError(f"Series.arnorm.{where}: expected a column of strings, got dtype {dtype}")

    def _object_texts(self):
        """The non-null values of an object column and where they are."""
        values = self._series.to_numpy(dtype=object, copy=True)
        present = ~pd.isna(values)
        return values, present

    def normalize(self, profile: str = "search", *, workers: int = 1, errors: str = "strict",
                  **options: Any) -> pd.Series:
        """Every value normalized (see :func:`arnorm.normalize`); nulls stay null.

        ``errors`` applies to rows of invalid UTF-8 in binary Arrow columns:
        "strict", "replace" or "null".
        """
        self._check_text("normalize")
        n = arnorm._normalizer(profile, options)
        if _arrow_backed(self._series):
            result = n.normalize_arrow(_to_arrow(self._series), workers=workers, errors=errors)
            return _from_arrow(result, self._series)
        values, present = self._object_texts()
        try:
            values[present] = n.normalize_batch(values[present].tolist(), workers=workers)
        except (TypeError, ValueError) as e:
            raise self._name_the_value("normalize", e) from None
        return pd.Series(values, index=self._series.index, name=self._series.name, dtype=self._series.dtype)

    def _name_the_value(self, where: str, error: Exception) -> Exception:
        """The batch's error about item i, restated with the value's index label."""
        for label, value in self._series.items():
            if value is None or (not isinstance(value, str) and pd.isna(value)):
                continue
            if not isinstance(value, str):
                return TypeError(f"Series.arnorm.{where}: the value at index {label!r} is "
                                 f"{type(value).__name__}, expected str or null")
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                return ValueError(f"Series.arnorm.{where}: the value at index {label!r} holds a lone surrogate")
        return error

    def _arrow_or_converted(self, where: str) -> pa.ChunkedArray:
        self._check_text(where)
        if _arrow_backed(self._series):
            return _to_arrow(self._series)
        try:
            return pa.chunked_array([pa.array(self._series.to_numpy(dtype=object), type=pa.string(), from_pandas=True)])
        except (pa.ArrowTypeError, pa.ArrowInvalid) as e:
            raise TypeError(f"Series.arnorm.{where}: every value must be a str or null ({e})") from None

    def lookup(self, index: "arnorm.VariantIndex", *, workers: int = 1) -> pd.DataFrame:
        """Each value's best match in ``index``: a DataFrame with columns "name" and
        "score" (null where nothing matches), on the Series' index."""
        table = index.lookup_arrow(self._arrow_or_converted("lookup"), workers=workers)
        frame = table.to_pandas()
        frame.index = self._series.index
        return frame

    def canonicalize(self, index: "arnorm.VariantIndex", *, workers: int = 1) -> pd.Series:
        """Each value with its words rewritten to ``index``'s spellings (see VariantIndex.canonicalize)."""
        result = index.canonicalize_arrow(self._arrow_or_converted("canonicalize"), workers=workers)
        if _arrow_backed(self._series):
            return _from_arrow(result, self._series)
        values = result.to_numpy(zero_copy_only=False)
        return pd.Series(values, index=self._series.index, name=self._series.name, dtype=self._series.dtype)
