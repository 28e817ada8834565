"""arnorm: fast Arabic text normalization.

One pass over the text folds the spellings that search, deduplication and
machine learning want treated alike: alef and hamza forms, alef maksura, teh
marbuta, tatweel, diacritics, presentation forms, Persian letters, digits and
invisible controls. Text with no rule (Latin, CJK, emoji) passes unchanged.

>>> import arnorm
>>> arnorm.normalize("الإستثمار على")
'الاستثمار علي'
>>> arnorm.Normalizer("clean").normalize("الـ\u200f21")
'ال21'
"""

import functools
from typing import Any, Dict, Iterable, List, NamedTuple, Optional, Tuple, Union, overload
from typing import Literal  # noqa: F401 (used in the overloads)

from . import _arnorm

__all__ = ["normalize", "normalize_arrow", "Normalizer", "Edit", "PROFILES", "OPTIONS", "unicode_version", "simd_path", "__version__"]
__version__ = "0.1.0"

#: The named presets: "clean" (repairs: presentation forms, invisible controls, odd spaces and bare tatweel
#: go; letters and marks stay as written), "search" (the default), "lucene".
PROFILES: Tuple[str, ...] = tuple(_arnorm.profile_names())
#: Every option a Normalizer accepts by keyword.
OPTIONS: Tuple[str, ...] = tuple(_arnorm.option_names())

Text = Union[str, bytes, bytearray]
#: An option's value: a bool for the on/off options, a str for the policies.
OptionValue = Union[bool, str]

_BOOLEAN = frozenset(name for name, value in _arnorm.profile_options("search") if value in ("true", "false"))


class Edit(NamedTuple):
    """One change: source characters [src_start, src_end) became output [out_start, out_end)."""

    src_start: int
    src_end: int
    out_start: int
    out_end: int
    rule: str
    source: str
    output: str


def _option_text(name: str, value: Any) -> str:
    """An option value as the core spells it; a wrong type is a TypeError naming the option."""
    if name not in OPTIONS:
        return str(value)  # the core refuses the name, suggesting the closest
    if name in _BOOLEAN:
        if isinstance(value, bool) or (type(value) is int and value in (0, 1)):
            return "true" if value else "false"
        raise TypeError(f"option {name!r}: expected a bool, got {type(value).__name__} {value!r}")
    if name == "diacritics":
        if isinstance(value, bool):
            return "all" if value else "none"
        if isinstance(value, (list, tuple, set, frozenset)):
            return "+".join(sorted(value)) if value else "none"
    if isinstance(value, str):
        return value  # the core checks it (and an unknown name), suggesting the closest
    raise TypeError(f"option {name!r}: expected a str, got {type(value).__name__} {value!r}")


def _option_value(name: str, text: str) -> OptionValue:
    return text == "true" if name in _BOOLEAN else text


def unicode_version() -> str:
    """The Unicode version of the ICU data arnorm's tables were built from."""
    return _arnorm.unicode_version()


def simd_path() -> str:
    """The SIMD path normalizations take on this CPU: "avx512", "avx2", "neon" (AArch64) or "none"
    (the portable scalar loops). Every path gives the same output; ARNORM_SIMD=none or avx2 in the
    environment caps it."""
    return _arnorm.simd_path()


class Normalizer:
    """A compiled, immutable normalizer; safe to share between threads.

    ``Normalizer(profile="search", **options)``: a profile from PROFILES, then
    any option from OPTIONS by name (booleans as bool, policies as str, e.g.
    ``alef="keep"``, ``hamza="to_letter"``, ``diacritics="harakat+shadda"``).
    An unknown name or value raises ValueError listing the valid ones.
    Normalizers compare and hash by their resolved options and pickle.
    """

    __slots__ = ("_core", "_profile", "_key", "_capsule")
    _core: _arnorm.CompiledNormalizer
    _profile: str
    _key: Tuple[Tuple[str, str], ...]
    _capsule: Any

    def __init__(self, profile: str = "search", **options: Any) -> None:
        try:
            object.__getattribute__(self, "_core")
        except AttributeError:
            pass
        else:
            raise TypeError("Normalizer is immutable: it is built once (build a new one with other options)")
        if not isinstance(profile, str):
            raise TypeError(f"profile must be a str, got {type(profile).__name__}")
        settings = [(name, _option_text(name, value)) for name, value in sorted(options.items())]
        core = _arnorm.CompiledNormalizer(profile, settings)
        object.__setattr__(self, "_core", core)
        object.__setattr__(self, "_profile", profile)
        object.__setattr__(self, "_key", tuple(core.options()))
        object.__setattr__(self, "_capsule", core.capsule())

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("Normalizer is immutable; build a new one with other options")

    def __delattr__(self, name: str) -> None:
        raise AttributeError("Normalizer is immutable")

    @property
    def options(self) -> Dict[str, OptionValue]:
        """Every option's resolved value: a bool for the on/off options, a str for the policies."""
        return {name: _option_value(name, text) for name, text in self._key}

    @property
    def profile(self) -> str:
        """The profile the options started from."""
        return self._profile

    def _changed(self) -> Dict[str, OptionValue]:
        """The options that differ from the profile's."""
        base = dict(_arnorm.profile_options(self._profile))
        return {name: _option_value(name, text) for name, text in self._key if base.get(name) != text}

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Normalizer) and self._key == other._key

    def __hash__(self) -> int:
        return hash(self._key)

    def __reduce__(self) -> Tuple[Any, Tuple[str, Dict[str, OptionValue]]]:
        return (_rebuild, (self._profile, self._changed()))

    def __copy__(self) -> "Normalizer":
        return self  # immutable

    def __deepcopy__(self, memo: Dict[int, Any]) -> "Normalizer":
        return self

    def __repr__(self) -> str:
        changed = ", ".join(f"{k}={v!r}" for k, v in self._changed().items())
        return f"Normalizer({self._profile!r}{', ' + changed if changed else ''})"

    @overload
    def normalize(self, text: str, errors: Optional[str] = None) -> str: ...

    @overload
    def normalize(self, text: Union[bytes, bytearray], errors: Optional[str] = None) -> bytes: ...

    def normalize(self, text: Text, errors: Optional[str] = None) -> Union[str, bytes]:
        """Normalize a str (returns str) or UTF-8 bytes or bytearray (returns bytes).

        For bytes, ``errors`` decides what invalid UTF-8 does: "strict" raises
        UnicodeDecodeError at the first bad byte, "replace" puts U+FFFD for
        each maximal ill-formed subpart; None (the default) follows the
        normalizer's ``invalid_utf8`` option. A str is always valid text.
        """
        return self._core.normalize(text, "" if errors is None else errors)

    # normalize(a str) is done in C++ before reaching the method above.
    normalize = _arnorm.StrShortcutMethod(normalize)

    def normalize_batch(self, texts: Iterable[str], workers: int = 1) -> List[str]:
        """Normalize many strings on ``workers`` threads (-1: every core), in input order.

        The GIL is released while strings are normalized; Ctrl-C stops a batch promptly.
        """
        return self._core.normalize_batch(texts, workers)

    def normalize_with_offsets(self, text: str) -> Tuple[str, List[int]]:
        """The normalized text and, for each output character, the index of the
        source character it came from (removed characters before the first
        output character join it: its index is the first of them)."""
        return self._core.normalize_with_offsets(text)

    def explain(self, text: str) -> List[Edit]:
        """The edits made to ``text``, in order, with the rule behind each."""
        return self._core.explain(text, Edit)

    def normalize_arrow(self, array: Any, workers: int = 1, errors: str = "strict",
                        column: "str | int | None" = None) -> Any:
        """Normalize a whole Arrow column, or one column of a Table or RecordBatch: see :func:`normalize_arrow`."""
        return _map_table(array, column, "normalize_arrow",
                          lambda a: _map_arrow(a, "normalize_arrow",
                                               lambda chunks: self._core.normalize_arrow(chunks, workers, errors)))


def _rebuild(profile: Any, changed: Any = None) -> Normalizer:
    if isinstance(profile, tuple):  # pickled before the profile was kept: the resolved options
        return Normalizer("search", **dict(profile))
    return Normalizer(profile, **(changed or {}))


@functools.lru_cache(maxsize=128)
def _cached(profile: str, settings: Tuple[Tuple[str, Any], ...]) -> Normalizer:
    return Normalizer(profile, **dict(settings))


_default = _cached("search", ())


@overload
def normalize(text: str, profile: str = "search", **options: OptionValue) -> str: ...


@overload
def normalize(text: Union[bytes, bytearray], profile: str = "search", **options: OptionValue) -> bytes: ...


def normalize(text: Text, profile: str = "search", **options: Any) -> Union[str, bytes]:
    """Normalize a str (returns str) or UTF-8 bytes (returns bytes) with a profile and options
    (see :class:`Normalizer`); invalid UTF-8 follows the ``invalid_utf8`` option.

    Normalizers are compiled once per distinct setting and cached.
    """
    if profile == "search" and not options:
        return _default._core.normalize(text, "")
    return _normalizer(profile, options)._core.normalize(text, "")


# normalize(a str) with the search profile is done in C++ before reaching the function above.
normalize = _arnorm.StrShortcut(normalize, _default._capsule)


# --------------------------------------------------------------------- arrow --

def normalize_arrow(array: Any, profile: str = "search", *, column: "str | int | None" = None, workers: int = 1,
                    errors: str = "strict", **options: Any) -> Any:
    """Normalize a pyarrow StringArray, LargeStringArray, BinaryArray or
    LargeBinaryArray, or a ChunkedArray of one of them; returns the same kind
    and type, nulls kept, without a Python str per row.

    Any other object with ``__arrow_c_array__`` or ``__arrow_c_stream__`` is
    read through the Arrow C data interface and comes back as pyarrow. The
    GIL is released and the rows are shared out to ``workers`` threads (-1:
    every core). ``errors`` decides what a row of invalid UTF-8 does:
    "strict" raises UnicodeDecodeError naming the row, "replace" puts U+FFFD
    for each maximal ill-formed subpart, "null" makes the row null.

    A pyarrow Table or RecordBatch comes back as the same kind with ``column``
    (a name or position; optional when it has one column) normalized.
    """
    return _normalizer(profile, options).normalize_arrow(array, workers, errors, column)


def _normalizer(profile: str, options: Dict[str, Any]) -> "Normalizer":
    try:
        return _cached(profile, tuple(sorted(options.items())))
    except TypeError:  # an unhashable option value: build without the cache
        return Normalizer(profile, **options)


def _pyarrow(where: str):
    try:
        import pyarrow
    except ImportError:
        raise ImportError(f"{where} needs pyarrow: pip install pyarrow") from None
    return pyarrow


def _as_pyarrow(array: Any, where: str):
    """The column as a pyarrow Array or ChunkedArray of a type the C++ side reads."""
    pa = _pyarrow(where)
    if not isinstance(array, (pa.Array, pa.ChunkedArray)):
        if hasattr(array, "__arrow_c_stream__"):
            array = pa.chunked_array(array)
        elif hasattr(array, "__arrow_c_array__"):
            array = pa.array(array)
        else:
            raise TypeError(f"{where}: expected a pyarrow Array or ChunkedArray (or an object with "
                            f"__arrow_c_array__ or __arrow_c_stream__), got {type(array).__name__}")
    t = array.type
    if not (pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_binary(t)
            or pa.types.is_large_binary(t) or _is_view(pa, t)):
        raise TypeError(f"{where}: expected a string or binary column, got {t}")
    return pa, array


def _is_view(pa, t) -> bool:
    return getattr(pa.types, "is_string_view", lambda _: False)(t) or \
        getattr(pa.types, "is_binary_view", lambda _: False)(t)


def _view_cast(pa, array):
    """View types (polars' strings, for one) are read as their large form and cast back after:
    (large form, the type to return)."""
    if _is_view(pa, array.type):
        large = pa.large_string() if pa.types.is_string_view(array.type) else pa.large_binary()
        return array.cast(large), array.type
    return array, None


def _chunk_capsules(array: Any) -> List[Any]:
    chunks = array.chunks if isinstance(array, _pyarrow("arrow").ChunkedArray) else [array]
    return [c.__arrow_c_array__() for c in chunks]


def _same_kind(like: Any, columns: List[Any], type_: Any) -> Any:
    """The same kind of array as `like` (Array or ChunkedArray) from arnorm's columns."""
    pa = _pyarrow("arrow")
    if isinstance(like, pa.ChunkedArray):
        return pa.chunked_array([pa.array(c) for c in columns], type=type_)
    return pa.array(columns[0])


def _map_table(data: Any, column: Any, where: str, run: Any) -> Any:
    """`run` on one column of a pyarrow Table or RecordBatch (the same kind back), or on `data` itself."""
    pa = _pyarrow(where)
    if not isinstance(data, (pa.Table, pa.RecordBatch)):
        if column is not None:
            raise TypeError(f"{where}: column= is for a Table or RecordBatch, got {type(data).__name__}")
        return run(data)
    names = data.schema.names
    if column is None:
        if len(names) != 1:
            raise TypeError(f"{where}: got a {type(data).__name__} of {len(names)} columns; "
                            f"say which with column= (one of {names})")
        column = 0
    if isinstance(column, str):
        if column not in names:
            raise KeyError(f"{where}: no column {column!r} (columns: {names})")
        index = names.index(column)
    else:
        index = column if column >= 0 else column + len(names)
        if not 0 <= index < len(names):
            raise IndexError(f"{where}: column {column} out of range for {len(names)} columns")
    result = run(data.column(index))
    if isinstance(data, pa.Table):
        return data.set_column(index, data.schema.field(index), result)
    arrays = [result if i == index else data.column(i) for i in range(len(names))]
    return pa.RecordBatch.from_arrays(arrays, schema=data.schema)


def _map_arrow(array: Any, where: str, run: Any) -> Any:
    pa, array = _as_pyarrow(array, where)
    array, view = _view_cast(pa, array)
    result = _same_kind(array, run(_chunk_capsules(array)), array.type)
    return result.cast(view) if view is not None else result


# ------------------------------------------------------------------ variants --

class VariantGroup(NamedTuple):
    """Spellings of one name found across texts, most frequent first."""

    spellings: List[str]
    counts: List[int]
    confidence: float


#: The default threshold of are_variants and VariantIndex.
VARIANT_THRESHOLD = 0.5

Lexicon = _arnorm.Lexicon


def variant_key(word: str) -> str:
    """A blocking key that spellings of one name share as often as possible (for candidates, not a verdict)."""
    return _arnorm.variant_key(word)


def variant_similarity(a: str, b: str, lexicon: "Lexicon | None" = None) -> float:
    """How likely two words are one word or name spelled two ways, in [0, 1].

    1 when the search profile folds them to one spelling or they differ only by a proclitic; 0 for two
    different ordinary words or two inflections of one (the built-in Lexicon unless ``lexicon`` is given;
    ``Lexicon.none()`` leaves spelling alone to decide)."""
    return _arnorm.variant_similarity(a, b, lexicon)


def are_variants(a: str, b: str, threshold: float = VARIANT_THRESHOLD, lexicon: "Lexicon | None" = None) -> bool:
    """Whether two words are one word or name spelled two ways: ``variant_similarity >= threshold``."""
    return _arnorm.are_variants(a, b, threshold, lexicon)


class Rewrite(NamedTuple):
    """A word :meth:`VariantIndex.canonicalize` rewrote: ``text[start:end]`` became ``replacement``."""

    start: int
    end: int
    original: str
    replacement: str
    score: float


class VariantIndex:
    """An index over a gazetteer of names.

    ``lookup(query, k)`` returns up to k (name, score) pairs, best first, only
    of names it accepts as variants of the query; an empty list means no match.
    A query spelled as an entry gets that entry alone: two entries are two names.
    ``counts`` (one per name, e.g. a gazetteer's frequencies) rank frequent names
    higher among spellings alike. Lookups release the GIL and may run from many threads.
    """

    __slots__ = ("_core",)

    def __init__(self, names: Iterable[str] = (), threshold: float = VARIANT_THRESHOLD,
                 counts: "Iterable[int] | None" = None) -> None:
        if isinstance(names, str):
            raise TypeError("VariantIndex: expected an iterable of names, got a str")
        self._core = _arnorm.VariantIndex(threshold)
        names = list(names)
        if counts is None:
            for name in names:
                self._core.add(name)
            return
        counts = list(counts)
        if len(counts) != len(names):
            raise ValueError(f"VariantIndex: {len(names)} names but {len(counts)} counts")
        for name, count in zip(names, counts):
            if count < 0:
                raise ValueError(f"VariantIndex: a count cannot be negative ({count} for {name!r})")
            self._core.add(name, count)

    def add(self, name: str, count: int = 0) -> None:
        if count < 0:
            raise ValueError(f"VariantIndex.add: a count cannot be negative ({count})")
        self._core.add(name, count)

    def __len__(self) -> int:
        return len(self._core)

    @property
    def threshold(self) -> float:
        return self._core.threshold

    def lookup(self, query: str, k: int = 5) -> List[Tuple[str, float]]:
        return self._core.lookup(query, k)

    @overload
    def canonicalize(self, text: str) -> str: ...

    @overload
    def canonicalize(self, text: str, report: "Literal[True]") -> "Tuple[str, List[Rewrite]]": ...

    def canonicalize(self, text: str, report: bool = False) -> Any:
        """Rewrite each Arabic word that matches a name (score >= max(threshold, 0.7)) to the index's
        spelling of it. Words the built-in lexicon knows (على, عالية...) are never rewritten. With
        ``report=True``, also the list of :class:`Rewrite` made, in str indices of ``text``."""
        if not report:
            return self._core.canonicalize(text)
        out, rewrites = self._core.canonicalize_reporting(text)
        return out, [Rewrite(*r) for r in rewrites]

    def lookup_arrow(self, array: Any, workers: int = 1) -> Any:
        """The best match of each row of an Arrow string column, as a pyarrow Table
        with columns "name" (the index's spelling) and "score", null where
        nothing matches or the row is null. Rows are shared out to ``workers`` threads."""
        pa, array = _as_pyarrow(array, "lookup_arrow")
        array, _ = _view_cast(pa, array)
        pairs = self._core.lookup_arrow(_chunk_capsules(array), workers)
        large = pa.types.is_large_string(array.type) or pa.types.is_large_binary(array.type)
        names = _same_kind(array, [name for name, _ in pairs], pa.large_string() if large else pa.string())
        scores = _same_kind(array, [score for _, score in pairs], pa.float64())
        return pa.Table.from_arrays([names, scores], names=["name", "score"])

    def canonicalize_arrow(self, array: Any, workers: int = 1) -> Any:
        """:meth:`canonicalize` over every row of an Arrow string column (same type back, nulls kept)."""
        return _map_arrow(array, "canonicalize_arrow", lambda chunks: self._core.canonicalize_arrow(chunks, workers))


VariantStats = _arnorm.VariantStats


def find_variants(texts: "Iterable[str] | VariantStats", threshold: float = VARIANT_THRESHOLD,
                  min_confidence: float = 0.5, lexicon: "Lexicon | None" = None) -> List[VariantGroup]:
    """Groups of words across ``texts`` that are spellings of one name or word, most confident first.

    Only words the lexicon does not know take part. A pair's confidence combines its variant_similarity
    with the corpus: neighbours the two share, sources that each keep to one spelling, and how seldom
    they take a proclitic. Groups join only when every pair across them is confident (no chains).
    ``texts`` may also be a :class:`VariantStats` counted in pieces and merged (see arnorm.spark).
    """
    if isinstance(texts, VariantStats):
        if lexicon is not None:
            raise TypeError("find_variants: the lexicon of a VariantStats is the one it was counted with")
        return [VariantGroup(*g) for g in _arnorm.find_variants_in_stats(texts, threshold, min_confidence)]
    if isinstance(texts, str):
        raise TypeError("find_variants: expected an iterable of str (one per document), got a str")
    texts = list(texts)
    for t in texts:
        if not isinstance(t, str):
            raise TypeError(f"find_variants: expected str items, got {type(t).__name__}")
    return [VariantGroup(*g) for g in _arnorm.find_variants(texts, threshold, min_confidence, lexicon)]


_SUBMODULES = ["hf", "pandas", "sklearn", "spacy", "spark"]


def __dir__() -> List[str]:
    # The public names only (not the typing helpers this module imports).
    return sorted(set(__all__) | set(_SUBMODULES))


__all__ += ["VariantGroup", "VARIANT_THRESHOLD", "Lexicon", "VariantStats", "Rewrite", "variant_key", "variant_similarity", "are_variants",
            "VariantIndex", "find_variants"]
