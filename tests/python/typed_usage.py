"""Typed use of the public API, checked with ``mypy --strict`` by test_ecosystem.py."""

from typing import Dict, List, Tuple, Union

import arnorm

s: str = arnorm.normalize("الإستثمار")
b: bytes = arnorm.normalize(b"\xd8\xa7")
n = arnorm.Normalizer("clean", digits=True)
s2: str = n.normalize("على")
b2: bytes = n.normalize(bytearray(b"x"), errors="replace")
batch: List[str] = n.normalize_batch(["a", "b"], workers=2)
text, offsets = n.normalize_with_offsets("ا")
spans: List[int] = offsets
edits: List[arnorm.Edit] = n.explain("أ")
rule: str = edits[0].rule
options: Dict[str, Union[bool, str]] = n.options
index = arnorm.VariantIndex(["شنغهاي"])
found: List[Tuple[str, float]] = index.lookup("شانغهاي")
similar: float = arnorm.variant_similarity("رحمن", "رحمون")
version: str = arnorm.__version__
