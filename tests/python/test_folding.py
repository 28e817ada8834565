"""Folding on real Quranic text and on other scripts: no letter lost, no mark moved, other scripts
byte for byte. The Quran text is the shared evaluation corpus beside the project (skipped without it)."""

import pathlib
import unicodedata

import pytest

import arnorm

QURAN = pathlib.Path(__file__).resolve().parents[3] / "shared" / "data" / "corpus" / "quran_uthmani.txt"


def clusters(token):
    """A base character with the combining marks after it."""
    out = []
    for c in token:
        if out and unicodedata.combining(c):
            out[-1] += c
        else:
            out.append(c)
    return out


def letters(text):
    return [c for c in text if unicodedata.category(c) == "Lo"]


def is_subsequence(needle, haystack):
    it = iter(haystack)
    return all(c in it for c in needle)


@pytest.fixture(scope="module")
def quran_tokens():
    if not QURAN.exists():
        pytest.skip(f"{QURAN} not present")
    return sorted(set(QURAN.read_text(encoding="utf-8").split()))


@pytest.mark.parametrize("profile", arnorm.PROFILES)
def test_no_letter_of_the_quran_is_lost(quran_tokens, profile):
    """Each base letter, folded on its own with its marks, is still in the token's output, in order."""
    n = arnorm.Normalizer(profile)
    outputs = n.normalize_batch(quran_tokens)
    lost = []
    for token, out in zip(quran_tokens, outputs):
        expected = [c for part in n.normalize_batch(clusters(token)) for c in letters(part)]
        if not is_subsequence(expected, letters(out)):
            lost.append((token, out))
    assert not lost, f"{len(lost)} tokens lose a letter, e.g. {lost[:3]}"


def test_clean_never_moves_a_mark_to_another_base(quran_tokens):
    """Under clean each base and its marks are normalized on their own: nothing crosses to a neighbour."""
    n = arnorm.Normalizer("clean")
    moved = [t for t in quran_tokens if n.normalize(t) != "".join(n.normalize_batch(clusters(t)))]
    assert not moved, f"{len(moved)} tokens, e.g. {moved[:3]}"


OTHER_SCRIPTS = ["क्\u200dष", "क्\u200cष", "ශ්\u200dරී", "a\u200cb", "ש\u200dל", "ꦏ꧀\u200dꦱ", "ক্\u200dষ",
                 "Привет", "漢字\u200dかな", "ไทย", "ᠮᠣᠩ\u200dᠭᠣᠯ", "ܫܠܡܐ"]


@pytest.mark.parametrize("profile", arnorm.PROFILES)
def test_other_scripts_pass_byte_for_byte(profile):
    n = arnorm.Normalizer(profile)
    for text in OTHER_SCRIPTS:
        assert n.normalize(text) == text, (profile, text)
        assert n.normalize_batch([text]) == [text]


def test_decode_errors_span_the_maximal_subpart_as_python_does():
    pa = pytest.importorskip("pyarrow")
    n = arnorm.Normalizer()
    for data in [b"\xe0\xa0", b"ok\xf0\x9f\x98", b"\xed\xa0\x80x", b"\xff", b"a\xc3", b"\xf4\x90\x80\x80"]:
        with pytest.raises(UnicodeDecodeError) as python:
            data.decode("utf-8")
        with pytest.raises(UnicodeDecodeError) as ours:
            n.normalize(data)
        assert (ours.value.start, ours.value.end) == (python.value.start, python.value.end), data
        with pytest.raises(UnicodeDecodeError) as column:
            arnorm.normalize_arrow(pa.array([data], pa.binary()))
        assert (column.value.start, column.value.end) == (python.value.start, python.value.end), data
