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

from __future__ import annotations

import functools
from typing import Any, Dict, Iterable, List, NamedTuple, Tuple, Union

from . import _arnorm

__all__ = ["normalize", "Normalizer", "Edit", "PROFILES", "OPTIONS", "unicode_version", "__version__"]
__version__ = "0.1.0"

#: The named presets: "clean" (lossless repairs), "search" (the default), "lucene".
PROFILES: Tuple[str, ...] = tuple(_arnorm.profile_names())
#: Every option a Normalizer accepts by keyword.
OPTIONS: Tuple[str, ...] = tuple(_arnorm.option_names())

Text = Union[str, bytes]


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
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if name == "diacritics" and isinstance(value, (list, tuple, set, frozenset)):
        return "+".join(sorted(value)) if value else "none"
    raise ValueError(f"option {name!r}: expected a bool or a str, got {type(value).__name__}")


def unicode_version() -> str:
    """The Unicode version of the ICU data arnorm's tables were built from."""
    return _arnorm.unicode_version()


class Normalizer:
    """A compiled, immutable normalizer; safe to share between threads.

    ``Normalizer(profile="search", **options)``: a profile from PROFILES, then
    any option from OPTIONS by name (booleans as bool, policies as str, e.g.
    ``alef="keep"``, ``hamza="to_letter"``, ``diacritics="harakat+shadda"``).
    An unknown name or value raises ValueError listing the valid ones.
    Normalizers compare and hash by their resolved options and pickle.
    """

    __slots__ = ("_core", "_profile", "_key")

    def __init__(self, profile: str = "search", **options: Any) -> None:
        if not isinstance(profile, str):
            raise TypeError(f"profile must be a str, got {type(profile).__name__}")
        settings = [(name, _option_text(name, value)) for name, value in sorted(options.items())]
        core = _arnorm.Core(profile, settings)
        object.__setattr__(self, "_core", core)
        object.__setattr__(self, "_profile", profile)
        object.__setattr__(self, "_key", tuple(core.options()))

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("Normalizer is immutable; build a new one with other options")

    def __delattr__(self, name: str) -> None:
        raise AttributeError("Normalizer is immutable")

    @property
    def options(self) -> Dict[str, str]:
        """Every option's resolved value, as text."""
        return dict(self._key)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Normalizer) and self._key == other._key

    def __hash__(self) -> int:
        return hash(self._key)

    def __reduce__(self):
        return (_rebuild, (self._key,))

    def __repr__(self) -> str:
        base = dict(_arnorm.profile_options(self._profile))
        changed = ", ".join(f"{k}={v!r}" for k, v in self._key if base.get(k) != v)
        return f"Normalizer({self._profile!r}{', ' + changed if changed else ''})"

    def normalize(self, text: Text, errors: str = "strict") -> Text:
        """Normalize a str (returns str) or UTF-8 bytes (returns bytes).

        For bytes, ``errors`` decides what invalid UTF-8 does: "strict" raises
        UnicodeDecodeError at the first bad byte, "replace" puts U+FFFD for
        each maximal ill-formed subpart.
        """
        return self._core.normalize(text, errors)

    def normalize_batch(self, texts: Iterable[str], workers: int = 1) -> List[str]:
        """Normalize many strings on ``workers`` threads (-1: every core), in input order.

        The GIL is released for the whole batch; Ctrl-C stops it promptly.
        """
        return self._core.normalize_batch(texts, workers)

    def normalize_with_offsets(self, text: str) -> Tuple[str, List[int]]:
        """The normalized text and, for each output character, the index of the
        source character it came from."""
        return self._core.normalize_with_offsets(text)

    def explain(self, text: str) -> List[Edit]:
        """The edits made to ``text``, in order, with the rule behind each."""
        return [Edit(*e) for e in self._core.explain(text)]


def _rebuild(key: Tuple[Tuple[str, str], ...]) -> Normalizer:
    return Normalizer("search", **dict(key))


@functools.lru_cache(maxsize=128)
def _cached(profile: str, settings: Tuple[Tuple[str, Any], ...]) -> Normalizer:
    return Normalizer(profile, **dict(settings))


_default = _cached("search", ())._core.normalize


def normalize(text: Text, profile: str = "search", **options: Any) -> Text:
    """Normalize ``text`` with a profile and options (see Normalizer).

    Normalizers are compiled once per distinct setting and cached.
    """
    if profile == "search" and not options:
        return _default(text, "strict")
    try:
        n = _cached(profile, tuple(sorted(options.items())))
    except TypeError:  # an unhashable option value: build without the cache
        n = Normalizer(profile, **options)
    return n._core.normalize(text, "strict")
