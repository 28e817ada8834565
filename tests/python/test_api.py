"""The Python package: golden cases shared with C++, the API contract, bad input."""

import inspect
import os
import pickle
import re
import threading

import pytest

import arnorm
from conftest import README, golden_cases


@pytest.mark.parametrize("profile, settings, text, expected", golden_cases())
def test_golden(profile, settings, text, expected):
    n = arnorm.Normalizer(profile, **settings)
    assert n.normalize(text) == expected
    assert n.normalize(text.encode("utf-8")) == expected.encode("utf-8")


def test_news_pairs_unify():
    pairs = [("على", "علي"), ("فى", "في"), ("الشئون", "الشؤون"), ("الإستثمار", "الاستثمار"),
             ("اعلى", "أعلى"), ("الاقتصادى", "الاقتصادي"), ("الـ21", "ال21"), ("أستانا", "استانا")]
    for a, b in pairs:
        assert arnorm.normalize(a) == arnorm.normalize(b), (a, b)


def test_profiles_and_options_are_listed():
    assert arnorm.PROFILES == ("clean", "search", "lucene")
    assert "alef" in arnorm.OPTIONS and "elongation" in arnorm.OPTIONS
    assert arnorm.unicode_version().count(".") >= 1


def test_simd_path_follows_the_environment_cap():
    import subprocess
    import sys

    def path(cap):
        env = dict(os.environ, ARNORM_SIMD=cap)
        code = "import arnorm; print(arnorm.simd_path())"
        return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout.strip()

    best = arnorm.simd_path() if "ARNORM_SIMD" not in os.environ else path("avx512")
    assert best in ("avx512", "avx2", "none")
    assert path("none") == "none"
    assert path("avx2") == ("none" if best == "none" else "avx2")
    assert path("avx512") == best


def test_unknown_option_name_or_value_lists_the_valid_ones():
    with pytest.raises(ValueError, match="valid: .*elongation"):
        arnorm.Normalizer(elongate=True)
    with pytest.raises(ValueError, match="keep, hamza_forms, all"):
        arnorm.Normalizer(alef="most")
    with pytest.raises(ValueError, match="clean, search, lucene"):
        arnorm.Normalizer("serch")
    with pytest.raises(TypeError, match="expected a bool"):
        arnorm.Normalizer(tatweel=3)
    with pytest.raises(TypeError):
        arnorm.Normalizer(3)


def test_normalizer_is_immutable_hashable_and_pickles():
    a = arnorm.Normalizer("search", elongation=True)
    b = arnorm.Normalizer(elongation=True)
    assert a == b and hash(a) == hash(b)
    assert a != arnorm.Normalizer()
    assert len({a, b, arnorm.Normalizer()}) == 2
    clone = pickle.loads(pickle.dumps(a))
    assert clone == a and clone.normalize("جمييييل") == "جميل"
    with pytest.raises(AttributeError):
        a.options = {}
    assert a.options["elongation"] is True
    assert "elongation=True" in repr(a)


def test_diacritics_accepts_a_set_of_classes():
    n = arnorm.Normalizer("clean", diacritics={"shadda"})
    assert n.normalize("مَدّ") == "مَد"


def test_wrong_types_raise_type_error_naming_the_type():
    n = arnorm.Normalizer()
    for bad in (3, None, 1.5, ["x"], object()):
        with pytest.raises(TypeError, match=type(bad).__name__):
            n.normalize(bad)
    with pytest.raises(TypeError, match="item 1 is int"):
        n.normalize_batch(["a", 1])
    with pytest.raises(TypeError, match="iterable"):
        n.normalize_batch(5)
    with pytest.raises(TypeError):
        n.normalize_with_offsets(b"x")
    with pytest.raises(TypeError):
        n.explain(None)


def test_every_way_of_calling_normalize_gives_the_same():
    # One str with the defaults takes the C++ fast path; every other call the Python function.
    n = arnorm.Normalizer()
    text, expected = "الإستثمار فى شانغهاي", "الاستثمار في شانغهاي"
    assert n.normalize(text) == n.normalize(text=text) == n.normalize(text, "strict") == expected
    assert arnorm.Normalizer.normalize(n, text) == expected
    assert arnorm.normalize(text) == arnorm.normalize(text=text) == arnorm.normalize(text, "search") == expected
    assert arnorm.normalize(text.encode()) == expected.encode()
    assert arnorm.normalize("إ", alef="keep") == "إ"
    assert arnorm.Normalizer("clean").normalize("ـالإ") == "الإ"
    assert str(inspect.signature(arnorm.normalize)).startswith("(text: ")
    assert list(inspect.signature(n.normalize).parameters) == ["text", "errors"]
    assert "profile" in arnorm.normalize.__doc__ and arnorm.normalize.__name__ == "normalize"
    with pytest.raises(TypeError, match="int"):
        arnorm.normalize(3)
    with pytest.raises(TypeError):
        n.normalize()

    class Holder:  # the module function does not bind, like a builtin function
        fold = arnorm.normalize

    assert Holder().fold(text) == expected


def test_lone_surrogate_is_a_clear_value_error():
    n = arnorm.Normalizer()
    with pytest.raises(ValueError, match="lone surrogate at index 2"):
        n.normalize("ab\ud800c")
    with pytest.raises(ValueError, match="surrogate"):
        n.normalize_batch(["ok", "\udfff"])


def test_bytes_follow_the_errors_policy():
    n = arnorm.Normalizer()
    assert n.normalize("على".encode()) == "علي".encode()
    assert n.normalize(bytearray("فى".encode())) == "في".encode()
    with pytest.raises(UnicodeDecodeError) as info:
        n.normalize(b"ok \xff")
    assert info.value.start == 3
    assert n.normalize(b"ok \xff \xe0\x80", errors="replace") == "ok \ufffd \ufffd\ufffd".encode()
    with pytest.raises(ValueError, match="strict"):
        n.normalize(b"x", errors="ignore")


def test_unchanged_text_returns_the_same_object():
    n = arnorm.Normalizer()
    s = "already normalized علي"
    assert n.normalize(s) is s


def test_every_string_kind_gives_the_same_result_as_utf8_bytes():
    n = arnorm.Normalizer()
    samples = ["ascii only", "caf\u00e9 \u00a0x", "على الإستثمار", "emoji 😀 على", "ﻻ\u200f\U0001F468\u200d\U0001F469"]
    for s in samples:
        assert n.normalize(s) == n.normalize(s.encode()).decode(), s


def test_offsets_are_code_point_indices():
    text, offsets = arnorm.Normalizer().normalize_with_offsets("😀 مَدّ ﻻ")
    assert text == "😀 مد لا"
    assert offsets == [0, 1, 2, 4, 6, 7, 7]


def test_explain_records():
    edits = arnorm.Normalizer().explain("أنا ﻻ")
    assert [e.rule for e in edits] == ["alef", "presentation_forms"]
    assert edits[1] == arnorm.Edit(4, 5, 4, 6, "presentation_forms", "ﻻ", "لا")


def test_explain_of_many_edits():
    """Each edit's indices, on a long text of edits with an expansion and a deletion among them (the
    indices are counted forward once: this input took seconds when they were counted from the start)."""
    text = "ىﻻَ" * 50000 + "😀أ"
    edits = arnorm.Normalizer().explain(text)
    assert len(edits) == 150001 and all(type(e) is arnorm.Edit for e in edits[:10])
    assert edits[3] == arnorm.Edit(3, 4, 3, 4, "alef_maksura", "ى", "ي")
    assert edits[4] == arnorm.Edit(4, 5, 4, 6, "presentation_forms", "ﻻ", "لا")
    assert edits[5] == arnorm.Edit(5, 6, 6, 6, "diacritics", "َ", "")
    assert edits[-1] == arnorm.Edit(150001, 150002, 150001, 150002, "alef", "أ", "ا")


def test_batch_keeps_order_and_accepts_any_iterable():
    n = arnorm.Normalizer()
    texts = [f"على {i} ١٢" for i in range(5000)]
    expected = [n.normalize(t) for t in texts]
    assert n.normalize_batch(texts) == expected
    assert n.normalize_batch(iter(texts), workers=-1) == expected
    assert n.normalize_batch((t for t in texts), workers=3) == expected
    assert n.normalize_batch([]) == []
    with pytest.raises(ValueError):
        n.normalize_batch(texts, workers=0)


def test_one_normalizer_from_many_threads():
    n = arnorm.Normalizer()
    texts = [f"الإستثمار على {i} ﻻ" * 5 for i in range(300)]
    expected = [n.normalize(t) for t in texts]
    results = {}

    def work(k):
        results[k] = [n.normalize(t) for t in texts] + n.normalize_batch(texts, workers=2)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for k in range(8):
        assert results[k] == expected + expected


def test_readme_python_examples_run():
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    assert len(blocks) >= 2
    namespace = {"text_a": "وصل رحمون إلى شانغهاي.", "text_b": "وصل رحمن إلى شنغهاي."}
    for line in "\n".join(blocks).splitlines():
        code, _, comment = line.partition("  # ")
        if not code.strip():
            continue
        if comment.strip().startswith(("'", "b'", "[", "(", "True", "False")) and "=" not in code.split("(")[0]:
            assert repr(eval(code, namespace)) == comment.strip(), line
        else:
            exec(code, namespace)
