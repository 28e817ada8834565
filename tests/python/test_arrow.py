"""Whole columns: pyarrow arrays through the Arrow C data interface, and the pandas accessor."""

import random

import pytest
from hypothesis import given, settings, strategies as st

import arnorm

pa = pytest.importorskip("pyarrow")
pd = pytest.importorskip("pandas")
import arnorm.pandas  # noqa: E402,F401  (registers Series.arnorm)

WORDS = ["الإستثمار", "على", "فى", "الشئون", "مُحَمَّد", "الـــعربية", "ﻻ", "ﷲ", "\u200fنص", "abc", "Ünïcode", "東京",
         "😀", "١٢٣", "", "  ", "شانغهاي", "كلينتون"]


def rows(count, seed=7, null_every=9):
    rng = random.Random(seed)
    out = []
    for i in range(count):
        if null_every and i % null_every == 3:
            out.append(None)
        else:
            out.append(" ".join(rng.choice(WORDS) for _ in range(rng.randrange(0, 6))))
    return out


def expected(values, n=arnorm.Normalizer()):
    return [None if v is None else n.normalize(v) for v in values]


@pytest.mark.parametrize("type_", [pa.string(), pa.large_string()])
@pytest.mark.parametrize("workers", [1, 2, -1])
def test_string_column_equals_the_single_call_api(type_, workers):
    values = rows(3000)
    out = arnorm.normalize_arrow(pa.array(values, type=type_), workers=workers)
    assert isinstance(out, pa.Array) and out.type == type_
    assert out.to_pylist() == expected(values)
    assert out.null_count == values.count(None)


def test_large_columns_split_between_threads_keep_row_order():
    values = rows(70000, seed=3)
    col = pa.array(values)
    one = arnorm.normalize_arrow(col, workers=1)
    assert arnorm.normalize_arrow(col, workers=2).equals(one)
    assert arnorm.normalize_arrow(col, workers=8).equals(one)
    assert one.to_pylist() == expected(values)


@pytest.mark.parametrize("workers", [1, 2])
def test_results_longer_than_their_input(workers):
    """ﷲ (3 bytes) becomes الله (8 bytes): parts outgrow the room kept for them."""
    grows = ["ﷲ" * 100] * 5000  # 1.5 MB: several parts, every one overflowing
    mixed = grows[:3000] + ["الإستثمار على " * 10] * 8000  # some parts overflow, later ones do not
    for values in (grows, mixed, ["ﷲ"], ["ﷲ", None, ""]):
        out = arnorm.normalize_arrow(pa.array(values), workers=workers)
        assert out.to_pylist() == expected(values)


def test_slices_and_chunked_arrays_keep_their_shape():
    values = rows(500)
    col = pa.array(values)
    for start in (1, 5, 13):  # offsets that are not on a byte of the validity bitmap
        part = col.slice(start, 200)
        assert arnorm.normalize_arrow(part).to_pylist() == expected(values[start:start + 200])
    chunked = pa.chunked_array([col.slice(0, 100), col.slice(100, 0), col.slice(100)])
    out = arnorm.normalize_arrow(chunked, workers=2)
    assert isinstance(out, pa.ChunkedArray) and out.num_chunks == 3
    assert [len(c) for c in out.chunks] == [100, 0, 400]
    assert out.to_pylist() == expected(values)


def test_empty_inputs():
    assert arnorm.normalize_arrow(pa.array([], type=pa.string())).to_pylist() == []
    empty = arnorm.normalize_arrow(pa.chunked_array([], type=pa.large_string()))
    assert empty.num_chunks == 0 and empty.type == pa.large_string()
    assert arnorm.normalize_arrow(pa.array([None, None], type=pa.string())).to_pylist() == [None, None]


def test_options_and_profiles_apply():
    col = pa.array(["جمييييل مُحَمَّد"])
    assert arnorm.normalize_arrow(col, elongation=True).to_pylist() == ["جميل محمد"]
    assert arnorm.normalize_arrow(col, "clean").to_pylist() == ["جمييييل مُحَمَّد"]
    n = arnorm.Normalizer("lucene")
    assert n.normalize_arrow(col).to_pylist() == [n.normalize("جمييييل مُحَمَّد")]


@pytest.mark.parametrize("type_", [pa.binary(), pa.large_binary()])
def test_binary_columns_follow_the_errors_policy(type_):
    col = pa.array([b"\xd8\xa5\xd9\x84\xd9\x89", b"ok\xff", None, b"\xe0\x80", b"x"], type=type_)
    n = arnorm.Normalizer()
    assert arnorm.normalize_arrow(col, errors="replace").to_pylist() == [
        None if v is None else n.normalize(v, errors="replace") for v in col.to_pylist()]
    assert arnorm.normalize_arrow(col, errors="null").to_pylist() == ["الي".encode(), None, None, None, b"x"]
    with pytest.raises(UnicodeDecodeError, match="row 1") as info:
        arnorm.normalize_arrow(col)
    assert info.value.object == b"ok\xff" and info.value.start == 2
    chunked = pa.chunked_array([col.slice(3, 2), col], type=type_)
    with pytest.raises(UnicodeDecodeError, match="row 0"):  # rows count across chunks
        arnorm.normalize_arrow(chunked)
    with pytest.raises(UnicodeDecodeError, match="row 2"):
        arnorm.normalize_arrow(pa.chunked_array([col.slice(4), col], type=type_))
    with pytest.raises(ValueError, match="'strict', 'replace' or 'null'"):
        arnorm.normalize_arrow(col, errors="ignore")


def test_bad_columns_raise_type_error_naming_the_type():
    with pytest.raises(TypeError, match="got int64"):
        arnorm.normalize_arrow(pa.array([1, 2]))
    with pytest.raises(TypeError, match="dictionary"):
        arnorm.normalize_arrow(pa.array(["a", "b", "a"]).dictionary_encode())
    with pytest.raises(TypeError, match="got list"):
        arnorm.normalize_arrow(["a"])
    with pytest.raises(ValueError, match="workers"):
        arnorm.normalize_arrow(pa.array(["a"]), workers=0)


def test_view_types_come_back_as_views():
    """string_view and binary_view (polars exports its strings so) are read through their large form."""
    values = rows(300)
    out = arnorm.normalize_arrow(pa.array(values, type=pa.string_view()))
    assert out.type == pa.string_view() and out.to_pylist() == expected(values)
    raw = pa.chunked_array([[b"\xd8\xa5", None, b"\xff"]], type=pa.binary_view())
    out = arnorm.normalize_arrow(raw, errors="null")
    assert out.type == pa.binary_view() and out.to_pylist() == ["ا".encode(), None, None]
    index = arnorm.VariantIndex(["شنغهاي"])
    assert index.lookup_arrow(pa.array(["شانغهاي"], type=pa.string_view()))["name"].to_pylist() == ["شنغهاي"]


def test_malformed_offsets_are_a_clear_error():
    data = pa.py_buffer("abcdef".encode())
    backwards = pa.array([0, 4, 2, 6], type=pa.int32()).buffers()[1]
    broken = pa.StringArray.from_buffers(3, backwards, data)
    with pytest.raises(ValueError, match="offsets are negative or go backwards"):
        arnorm.normalize_arrow(broken)


def test_objects_with_the_arrow_protocol_are_read_too():
    class Exporter:  # only the C data interface, like a column from another Arrow library
        def __init__(self, array):
            self.array = array

        def __arrow_c_array__(self, requested_schema=None):
            return self.array.__arrow_c_array__(requested_schema)

    out = arnorm.normalize_arrow(Exporter(pa.array(["على", None])))
    assert out.to_pylist() == ["علي", None]


def test_a_result_column_can_be_exported_again():
    n = arnorm.Normalizer()
    (column,) = n._core.normalize_arrow([pa.array(["على", None]).__arrow_c_array__()])
    assert len(column) == 2 and column.null_count == 1 and column.format == "u"
    assert pa.array(column).to_pylist() == pa.array(column).to_pylist() == ["علي", None]


def test_variant_lookups_over_a_column():
    index = arnorm.VariantIndex(["شنغهاي", "كلينتون", "رحمن"])
    queries = ["شانغهاي", None, "كتاب", "كلنتون", "رحمون", ""] * 50
    table = index.lookup_arrow(pa.array(queries), workers=2)
    assert table.column_names == ["name", "score"]
    for q, name, score in zip(queries, table["name"].to_pylist(), table["score"].to_pylist()):
        found = index.lookup(q, 1) if q is not None else []
        assert name == (found[0][0] if found else None)
        assert score == (found[0][1] if found else None)
    assert table["name"].to_pylist()[:2] == ["شنغهاي", None]
    texts = pa.chunked_array([["زار شانغهاي", None], ["السيد كلنتون"]], type=pa.large_string())
    out = index.canonicalize_arrow(texts)
    assert out.type == pa.large_string()
    assert out.to_pylist() == [index.canonicalize("زار شانغهاي"), None, index.canonicalize("السيد كلنتون")]


PIECE = st.one_of(st.sampled_from(WORDS + list("اأإآؤئىةـًّ ﻻ")), st.characters(blacklist_categories=("Cs",)))
ROW = st.one_of(st.none(), st.lists(PIECE, max_size=8).map("".join))


@settings(max_examples=150, deadline=None)
@given(st.lists(ROW, max_size=80), st.data())
def test_any_rows_slices_and_chunking_equal_the_single_call_api(values, data):
    """Random rows, a random slice, random chunk boundaries, random types and workers."""
    type_ = data.draw(st.sampled_from([pa.string(), pa.large_string()]))
    start = data.draw(st.integers(0, len(values)))
    stop = data.draw(st.integers(start, len(values)))
    cuts = sorted(data.draw(st.lists(st.integers(start, stop), max_size=4)))
    col = pa.array(values, type=type_)
    bounds = [start] + cuts + [stop]
    chunked = pa.chunked_array([col.slice(a, b - a) for a, b in zip(bounds, bounds[1:])], type=type_)
    out = arnorm.normalize_arrow(chunked, workers=data.draw(st.sampled_from([1, 2])))
    assert out.type == type_ and out.num_chunks == len(bounds) - 1
    assert out.to_pylist() == expected(values[start:stop])
    binary = pa.array([None if v is None else v.encode() for v in values[start:stop]], type=pa.binary())
    assert arnorm.normalize_arrow(binary).to_pylist() == [None if v is None else v.encode()
                                                          for v in expected(values[start:stop])]


# ----------------------------------------------------------------- pandas --

@pytest.mark.parametrize("dtype", ["object", "string[python]", "string[pyarrow]", pd.ArrowDtype(pa.large_string())])
def test_pandas_accessor_keeps_index_name_dtype_and_nulls(dtype):
    values = rows(2000)
    s = pd.Series(values, index=range(100, 2100), name="text", dtype=dtype)
    out = s.arnorm.normalize(workers=2)
    assert out.dtype == s.dtype and out.name == "text" and out.index.equals(s.index)
    assert [None if pd.isna(v) else v for v in out.tolist()] == expected(values)


def test_pandas_default_string_dtype_and_options():
    s = pd.Series(["جمييييل", None])
    out = s.arnorm.normalize(elongation=True)
    assert out.dtype == s.dtype and out.iloc[0] == "جميل" and pd.isna(out.iloc[1])


def test_pandas_binary_column_and_bad_dtypes():
    s = pd.Series([b"\xd8\xa5", b"\xff", None], dtype=pd.ArrowDtype(pa.binary()))
    out = s.arnorm.normalize(errors="null")
    assert out.iloc[0] == "ا".encode() and out.isna().tolist() == [False, True, True]
    with pytest.raises(UnicodeDecodeError, match="row 1"):
        s.arnorm.normalize()
    with pytest.raises(TypeError, match="int64"):
        pd.Series([1, 2]).arnorm.normalize()
    with pytest.raises(TypeError, match="int"):
        pd.Series(["a", 3], dtype=object).arnorm.normalize()
    assert pd.Series([], dtype=object).arnorm.normalize().tolist() == []


def test_pandas_variant_lookups():
    index = arnorm.VariantIndex(["شنغهاي", "كلينتون"])
    s = pd.Series(["شانغهاي", None, "كتاب"], index=["a", "b", "c"])
    frame = s.arnorm.lookup(index)
    assert list(frame.columns) == ["name", "score"] and list(frame.index) == ["a", "b", "c"]
    assert frame.loc["a", "name"] == "شنغهاي" and frame.loc["a", "score"] > 0.5
    assert pd.isna(frame.loc["b", "name"]) and pd.isna(frame.loc["c", "score"])
    assert s.astype(object).arnorm.lookup(index).loc["a", "name"] == "شنغهاي"
    out = pd.Series(["زار شانغهاي", None], dtype=object).arnorm.canonicalize(index)
    assert out.iloc[0] == "زار شنغهاي" and out.iloc[1] is None
    with pytest.raises(TypeError, match="str or null"):
        pd.Series(["a", 3], dtype=object).arnorm.lookup(index)
