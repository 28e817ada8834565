"""Hugging Face ``tokenizers``: an arnorm normalizer that keeps offsets into the original text.

>>> from tokenizers import Tokenizer
>>> import arnorm.hf
>>> arnorm.hf.attach(tokenizer)              # or: tokenizer.normalizer = arnorm.hf.normalizer("search")
>>> tokenizer.encode("الإستثمار على").offsets  # spans of the text as given

(For a ``transformers`` fast tokenizer, attach to ``tok.backend_tokenizer``.)
Each edit the core reports (:meth:`arnorm.Normalizer.explain`) is applied to
the ``NormalizedString`` through its own alignment-keeping operations:
one-to-one changes by ``map``, removals by ``filter``, a character that becomes
several (a presentation form such as ﻻ) by ``replace``. The result is checked
against :func:`arnorm.normalize`; a mismatch raises instead of misaligning.

Saving: a custom normalizer is Python code, which ``Tokenizer.save`` and
``to_str`` cannot store (they raise). Save with ``tokenizer.normalizer`` set to
the one you replaced (or ``None``) and call :func:`attach` again after loading.
"""

from typing import Any, Dict, List

try:
    from tokenizers import NormalizedString
    from tokenizers.normalizers import Normalizer as _HfNormalizer
except ImportError:  # pragma: no cover - the message is the point
    raise ImportError("arnorm.hf needs Hugging Face tokenizers: pip install tokenizers") from None

import arnorm

__all__ = ["ArnormNormalizer", "normalizer", "attach"]


class ArnormNormalizer:
    """The custom component (``tokenizers.normalizers.Normalizer.custom(ArnormNormalizer(...))``)."""

    def __init__(self, profile: str = "search", **options: Any) -> None:
        self._normalizer = arnorm.Normalizer(profile, **options)

    def normalize(self, normalized: NormalizedString) -> None:
        text = normalized.normalized
        expected, edits = self._normalizer.normalize(text), self._normalizer.explain(text)
        if expected == text:
            return
        replace: Dict[int, str] = {}  # original index -> its one output character
        drop: List[bool] = [False] * len(text)
        expand: Dict[str, str] = {}  # a character that becomes several, everywhere alike
        for e in edits:
            n, m = e.src_end - e.src_start, e.out_end - e.out_start
            if n == 1 and m > 1:
                if expand.setdefault(e.source, e.output) != e.output:
                    raise RuntimeError(f"arnorm.hf: {e.source!r} is rewritten two ways in one text")
                continue
            # The first characters take the output one each; the rest are removed.
            for k in range(n):
                if k < m:
                    replace[e.src_start + k] = e.output[k]
                else:
                    drop[e.src_start + k] = True
        position = iter(range(len(text)))
        normalized.map(lambda c: replace.get(next(position), c))
        position = iter(range(len(text)))
        normalized.filter(lambda c: not drop[next(position)])
        for source, output in expand.items():
            normalized.replace(source, output)
        if normalized.normalized != expected:
            raise RuntimeError("arnorm.hf: the aligned result differs from arnorm.normalize "
                               f"({normalized.normalized!r} != {expected!r}); please report this text")


def normalizer(profile: str = "search", **options: Any) -> _HfNormalizer:
    """A ``tokenizers`` normalizer for ``tokenizer.normalizer``."""
    return _HfNormalizer.custom(ArnormNormalizer(profile, **options))


def attach(tokenizer: Any, profile: str = "search", **options: Any) -> Any:
    """Sets ``tokenizer.normalizer`` (a ``tokenizers.Tokenizer``, or a ``transformers`` fast
    tokenizer's backend) to arnorm's and returns the tokenizer."""
    target = getattr(tokenizer, "backend_tokenizer", tokenizer)
    target.normalizer = normalizer(profile, **options)
    return tokenizer
