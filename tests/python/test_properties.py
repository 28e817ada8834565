"""Hypothesis properties, and differential tests against PyArabic."""

import os
import random

import pyarabic.araby as araby
import pytest
from hypothesis import given, settings, strategies as st

import arnorm

ARABIC = st.characters(min_codepoint=0x0600, max_codepoint=0x06FF)
INTERESTING = st.sampled_from(list("اأإآٱؤئءوىيةهـًٌٍَُِّْٰٔٓ ٕکیپ١۲ﻻﷲ\u200c\u200d\u200e\u00a0😀a"))
TEXT = st.text(st.one_of(ARABIC, INTERESTING, st.characters(blacklist_categories=("Cs",))), max_size=60)
NON_ARABIC = st.text(
    st.characters(
        blacklist_categories=("Cs", "Zs", "Cf"),
        blacklist_characters="\u200c\u200d",
    ).filter(lambda c: not (0x0600 <= ord(c) <= 0x08FF or 0xFB50 <= ord(c) <= 0xFDFF or 0xFE70 <= ord(c) <= 0xFEFF
                           or 0x10EC0 <= ord(c) <= 0x10EFF)),
    max_size=60,
)
PROFILE = st.sampled_from(arnorm.PROFILES)


@settings(max_examples=400, deadline=None)
@given(TEXT, PROFILE)
def test_idempotent(text, profile):
    n = arnorm.Normalizer(profile)
    once = n.normalize(text)
    assert n.normalize(once) == once


@settings(max_examples=400, deadline=None)
@given(NON_ARABIC, PROFILE)
def test_text_without_arabic_passes_unchanged(text, profile):
    assert arnorm.Normalizer(profile).normalize(text) == text


@settings(max_examples=100, deadline=None)
@given(st.lists(TEXT, max_size=600), st.sampled_from([1, 2, -1]))
def test_batch_equals_map(texts, workers):
    n = arnorm.Normalizer()
    assert n.normalize_batch(texts, workers=workers) == [n.normalize(t) for t in texts]


@settings(max_examples=400, deadline=None)
@given(TEXT)
def test_offsets_point_at_the_source_characters(text):
    n = arnorm.Normalizer()
    out, offsets = n.normalize_with_offsets(text)
    assert len(offsets) == len(out)
    assert offsets == sorted(offsets)
    bounds = sorted(set(offsets)) + [len(text)]
    for ch, i in zip(out, offsets):
        assert 0 <= i < len(text)
        # The source characters from this offset to the next one, normalized, yield this character.
        # Removed characters before the first output character join it, so it may reach one span further.
        j = bounds[bounds.index(i) + 1]
        j2 = bounds[min(bounds.index(i) + 2, len(bounds) - 1)]
        assert any(ch in n.normalize(text[a:b]) for a, b in ((i, j), (max(0, i - 1), j), (i, j2))), (ch, text[i:j2])


@settings(max_examples=300, deadline=None)
@given(st.text(st.one_of(ARABIC, st.sampled_from(list("ابتثجحخد ـ"))), max_size=40))
def test_matches_pyarabic_strip_tashkeel_and_tatweel(text):
    only_marks = arnorm.Normalizer("clean", diacritics="harakat+shadda+sukun", tatweel=False, compose=False,
                                   presentation_forms=False, controls=False, spaces=False)
    assert only_marks.normalize(text) == araby.strip_tashkeel(text)
    only_tatweel = arnorm.Normalizer("clean", compose=False, presentation_forms=False, controls=False,
                                     spaces=False)
    assert only_tatweel.normalize(text) == araby.strip_tatweel(text)


def test_pyarabic_folds_alef_maksura_into_alef_and_arnorm_does_not():
    # PyArabic's normalize_alef turns ى into ا (على -> علا): a different word.
    assert araby.normalize_alef("على مستشفى") == "علا مستشفا"
    assert arnorm.normalize("على مستشفى") == "علي مستشفي"


# Text in CPython's two-byte storage with every kind of character the
# transcoders distinguish, in runs long enough for their 32- and 64-unit blocks.
WIDE_PIECES = ["الإستثمار على ", "ـــ", "ﻻ", "“", "”", "a", " ", "é", "\u0800", "\uffff", "\u07ff", "\u0080", "😀"]


def test_every_simd_path_gives_the_same_strs():
    """Strs through the AVX-512 conversions and UTF-16 path (where the CPU has them) and through the
    scalar loops (ARNORM_SIMD=none, in a second process) give the same results."""
    import json
    import subprocess
    import sys

    rng = random.Random(5)
    pieces = WIDE_PIECES + UCS2_PIECE_LIST + [chr(c) for c in range(0x600, 0x700)]
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randrange(120))) for _ in range(600)]
    code = ("import arnorm, json, sys; t = json.load(sys.stdin); n = arnorm.Normalizer(); "
            "print(json.dumps([n.normalize(x) for x in t] + n.normalize_batch(t)))")
    env = dict(os.environ, ARNORM_SIMD="none")
    scalar = json.loads(subprocess.run([sys.executable, "-c", code], input=json.dumps(texts), env=env,
                                       capture_output=True, text=True, check=True).stdout)
    n = arnorm.Normalizer()
    assert [n.normalize(t) for t in texts] + n.normalize_batch(texts) == scalar
    assert scalar[: len(texts)] == [n.normalize(t.encode("utf-8")).decode("utf-8") for t in texts]


# Two-byte strs go through the vector path's UTF-16 prefix, alternating with
# the UTF-8 path from each character it cannot take (a composing mark, a
# control, a presentation form, another script) to the next ASCII one.
UCS2_PIECE_LIST = ["الإستثمار على ", "شانغهاي", " ", "x", "3", "é", "«", "\u00a0", "\u00ad", "“", "\u200d", "\u200c",
                   "\u200f", "\u0654", "\u0653", "\u0655", "و\u0654", "ا\u064e\u0654", "ـ", "ﻻ", "ﷺ", "٣", "中", "\u0800",
                   "\uffff", "ک", "\ufeff"]
UCS2_PIECES = st.one_of(st.sampled_from(UCS2_PIECE_LIST), ARABIC)
UCS2_TEXT = st.lists(UCS2_PIECES, min_size=1, max_size=150).map(lambda p: "".join(p) + "ب")


@settings(max_examples=400, deadline=None)
@given(UCS2_TEXT, PROFILE, st.sampled_from([{}, {"elongation": True}, {"collapse_spaces": True},
                                            {"zwj": "keep"}, {"digits": False, "punctuation": True}]))
def test_two_byte_strs_equal_the_utf8_path(text, profile, options):
    n = arnorm.Normalizer(profile, **options)
    out = n.normalize(text)
    assert out == n.normalize(text.encode("utf-8")).decode("utf-8")  # (== also needs the canonical 1/2-byte kind)
    if out == text:
        assert out is text
    half = text[: len(text) // 2]
    batch = n.normalize_batch([text, half, "abc", text])
    assert batch == [out, n.normalize(half), "abc", out]
    if out == text:
        assert batch[0] is text


def test_two_byte_strs_narrow_when_nothing_wide_is_left():
    for text, expected in [("٣٤", "34"), ("é٣", "é3"), ("ـ" * 40 + "a", "a")]:
        out = arnorm.normalize(text)
        assert out == expected and out.isascii() == expected.isascii()


def test_lone_surrogate_index_after_the_vector_prefix_and_after_a_utf8_stretch():
    prefix_taken = "كتب " * 40                 # taken by the prefix
    after_stop = "كتب \u0654\u200f" + "ش" * 50  # a composing mark and a control send this stretch the UTF-8 way
    for head in (prefix_taken, prefix_taken + after_stop, after_stop):
        with pytest.raises(ValueError, match=f"lone surrogate at index {len(head)}"):
            arnorm.normalize(head + "\ud800" + "x")
        with pytest.raises(ValueError, match=f"item 300: .*lone surrogate at index {len(head)}"):
            arnorm.Normalizer().normalize_batch([prefix_taken] * 300 + [head + "\ud800" + "x"])


def test_two_byte_composition_at_every_offset_of_the_vector_blocks():
    n = arnorm.Normalizer()
    texts = []
    for pad in range(70):
        for tail in ("و\u0654", "و\u064e\u0654", "ي" + "ـ" * 40 + "\u0654", " \u0654", "ی\u0654"):
            for filler in ("ت", "ت "):
                text = (filler * pad)[:pad] + tail + " ب"
                assert n.normalize(text) == n.normalize(text.encode()).decode(), (pad, tail)
                texts.append(text)
    expected = [n.normalize(t.encode()).decode() for t in texts]
    assert n.normalize_batch(texts) == expected
    assert n.normalize_batch(texts, workers=2) == expected
