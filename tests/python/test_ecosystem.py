"""The Python API in the ecosystem: pickling, copying, typing, errors, the CLI entry points, and
the scikit-learn, Hugging Face tokenizers and spaCy adapters against the real libraries."""

import copy
import inspect
import os
import pickle
import pydoc
import subprocess
import sys
from multiprocessing import Pool

import pytest

import arnorm

HERE = os.path.dirname(os.path.abspath(__file__))
TEXTS = ["الإستثمار على", "شنغهاي وشانغهاي", "ﻻ ـ\u200f٣", "ٱلرَّحْمَٰنِ", "café 😀", "رحمن رحمون"]


def test_normalize_pickles_and_copies_by_reference_and_keeps_its_shortcut():
    for f in (arnorm.normalize, arnorm.Normalizer.normalize):
        assert pickle.loads(pickle.dumps(f)) is f
        assert copy.deepcopy(f) is f and copy.copy(f) is f
    assert type(pickle.loads(pickle.dumps(arnorm.normalize))).__name__ == "StrShortcut"
    n = arnorm.Normalizer("clean", digits=True)
    bound = pickle.loads(pickle.dumps(n.normalize))
    assert bound("على ٣") == "على 3"
    with Pool(2) as pool:
        assert pool.map(arnorm.normalize, TEXTS) == [arnorm.normalize(t) for t in TEXTS]


def test_normalizer_round_trips_with_its_profile_and_typed_options():
    n = arnorm.Normalizer("clean", digits=True, hamza="to_letter")
    assert repr(n) == "Normalizer('clean', hamza='to_letter', digits=True)"
    back = pickle.loads(pickle.dumps(n))
    assert back == n and repr(back) == repr(n) and back.profile == "clean"
    assert copy.deepcopy(n) is n
    assert n.options["digits"] is True and n.options["elongation"] is False and n.options["alef"] == "keep"
    assert arnorm.Normalizer(elongation=1) == arnorm.Normalizer(elongation=True)
    assert arnorm.Normalizer(diacritics=False).options["diacritics"] == "none"
    assert arnorm.Normalizer(diacritics={"shadda", "harakat"}).options["diacritics"] == "harakat+shadda"


def test_option_errors_are_typed_and_suggest():
    with pytest.raises(ValueError, match="did you mean 'elongation'"):
        arnorm.Normalizer(elongaton=True)
    with pytest.raises(ValueError, match="did you mean 'to_letter'"):
        arnorm.Normalizer(hamza="to_leter")
    with pytest.raises(ValueError, match="did you mean 'search'"):
        arnorm.Normalizer("serch")
    with pytest.raises(TypeError, match="option 'elongation': expected a bool, got str"):
        arnorm.Normalizer(elongation="yes")
    with pytest.raises(TypeError, match="option 'elongation': expected a bool"):
        arnorm.Normalizer(elongation=2)
    with pytest.raises(TypeError, match="option 'alef': expected a str"):
        arnorm.Normalizer(alef=1)


def test_errors_argument_and_invalid_utf8_option():
    n = arnorm.Normalizer()
    with pytest.raises(ValueError, match="errors must be"):
        n.normalize("x", errors="bogus")
    with pytest.raises(ValueError, match="errors must be"):
        n.normalize(b"x", errors="bogus")
    with pytest.raises(UnicodeDecodeError):
        n.normalize(b"\xff")
    assert arnorm.Normalizer(invalid_utf8="replace").normalize(b"\xffa") == "\ufffda".encode()
    assert arnorm.Normalizer(invalid_utf8="replace").normalize(bytearray(b"\xff")) == "\ufffd".encode()
    assert arnorm.normalize(b"\xff", invalid_utf8="replace") == "\ufffd".encode()
    with pytest.raises(UnicodeDecodeError):
        arnorm.Normalizer(invalid_utf8="replace").normalize(b"\xff", errors="strict")
    assert n.normalize(b"\xff", errors="replace") == "\ufffd".encode()


def test_a_str_is_not_a_batch():
    with pytest.raises(TypeError, match="not one str"):
        arnorm.Normalizer().normalize_batch("abc")


def test_help_shows_docstrings_and_signatures():
    text = pydoc.render_doc(arnorm.Normalizer, renderer=pydoc.plaintext)
    assert "normalize(self, text" in text and "Normalize a str (returns str)" in text
    text = pydoc.render_doc(arnorm, renderer=pydoc.plaintext)
    assert "normalize(text" in text and "with a profile and options" in text
    assert str(inspect.signature(arnorm.Edit)) == (
        "(src_start: int, src_end: int, out_start: int, out_end: int, rule: str, source: str, output: str)")
    assert not {"Any", "Dict", "functools", "overload", "List"} & set(dir(arnorm))
    assert {"normalize", "Normalizer", "VariantIndex"} <= set(dir(arnorm))


def test_explain_names_rules_by_their_options():
    rules = {e.rule for e in arnorm.Normalizer().explain("ﻻ ٣ ـ كَ ‏ ک")}
    assert rules <= set(arnorm.OPTIONS), rules
    assert {"presentation_forms", "digits", "tatweel", "diacritics", "controls", "persian_letters"} <= rules


def run(*args):
    return subprocess.run(list(args), capture_output=True, text=True)


@pytest.mark.skipif(os.name == "nt", reason="the CLI is built on POSIX systems only")
def test_python_dash_m_and_version():
    r = run(sys.executable, "-m", "arnorm", "--version")
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith(f"arnorm {arnorm.__version__} (Unicode ")
    r = subprocess.run([sys.executable, "-m", "arnorm"], input="على الإستثمار", capture_output=True, text=True)
    assert r.stdout == "علي الاستثمار"
    r = run(sys.executable, "-m", "arnorm", "-x")
    assert r.returncode == 2 and "unknown option '-x'" in r.stderr
    r = run(sys.executable, "-m", "arnorm", "--elongaton")
    assert r.returncode == 2 and "did you mean 'elongation'" in r.stderr


def test_pandas_errors_name_the_index_label():
    pd = pytest.importorskip("pandas")
    import arnorm.pandas  # noqa: F401

    s = pd.Series(["على", None, 7], index=["a", "b", "c"], dtype=object)
    with pytest.raises(TypeError, match="the value at index 'c' is int"):
        s.arnorm.normalize()


def test_normalize_arrow_takes_tables_and_record_batches():
    pa = pytest.importorskip("pyarrow")
    table = pa.table({"id": [1, 2], "text": ["الإستثمار", None]})
    out = arnorm.normalize_arrow(table, column="text")
    assert isinstance(out, pa.Table) and out.column("text").to_pylist() == ["الاستثمار", None]
    assert out.column("id").to_pylist() == [1, 2] and out.schema == table.schema
    batch = pa.record_batch({"text": ["على"]})
    assert arnorm.normalize_arrow(batch).column(0).to_pylist() == ["علي"]
    with pytest.raises(TypeError, match="say which with column="):
        arnorm.normalize_arrow(table)
    with pytest.raises(KeyError, match="no column 'txt'"):
        arnorm.normalize_arrow(table, column="txt")


@pytest.mark.third_party
def test_typed_usage_passes_mypy_strict():
    mypy = pytest.importorskip("mypy.api")
    out, err, status = mypy.run(["--strict", "--no-incremental", os.path.join(HERE, "typed_usage.py")])
    assert status == 0, out + err


# ------------------------------------------------------------------ adapters --

@pytest.mark.third_party
def test_sklearn_transformer_in_a_pipeline_grid_search_clone_and_pickle():
    pytest.importorskip("sklearn")
    from sklearn.base import clone
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GridSearchCV, cross_val_score
    from sklearn.pipeline import make_pipeline

    from arnorm.sklearn import ArabicNormalizer

    texts = ["الإستثمار في الصين", "الاستثمار في الصين", "كرة القدم", "كره القدم", "شنغهاي", "شانغهاي"] * 4
    labels = [0, 0, 1, 1, 2, 2] * 4
    t = ArabicNormalizer("search", workers=2)
    assert t.fit_transform(texts[:2]) == ["الاستثمار في الصين"] * 2
    assert clone(t).get_params() == {"profile": "search", "options": None, "workers": 2}
    assert pickle.loads(pickle.dumps(t)).transform(["على"]) == ["علي"]
    pipe = make_pipeline(ArabicNormalizer(), TfidfVectorizer(), LogisticRegression(max_iter=200))
    grid = GridSearchCV(pipe, {"arabicnormalizer__options": [{}, {"hamza": "to_letter"}]}, cv=2)
    grid.fit(texts, labels)
    assert grid.best_score_ > 0.5
    scores = cross_val_score(make_pipeline(TfidfVectorizer(preprocessor=arnorm.normalize),
                                           LogisticRegression(max_iter=200)), texts, labels, cv=2, n_jobs=2)
    assert len(scores) == 2
    with pytest.raises(ValueError, match="did you mean"):
        ArabicNormalizer(options={"elongaton": True}).fit(texts)
    with pytest.raises(TypeError, match="single str"):
        t.transform("على")


@pytest.mark.third_party
def test_hf_tokenizers_offsets_point_into_the_original_text():
    pytest.importorskip("tokenizers")
    from tokenizers import Tokenizer
    from tokenizers.models import WordLevel
    from tokenizers.pre_tokenizers import Whitespace

    import arnorm.hf

    vocab = {"[UNK]": 0, "الاستثمار": 1, "علي": 2, "لا": 3, "3": 4, "الرحمن": 5}
    tok = Tokenizer(WordLevel(vocab, unk_token="[UNK]"))
    tok.pre_tokenizer = Whitespace()
    arnorm.hf.attach(tok)
    text = "الإستثمار  عــلى ﻻ ٣ ٱلرَّحْمَٰنِ\u200f"
    enc = tok.encode(text)
    assert enc.tokens == ["الاستثمار", "علي", "لا", "3", "الرحمن"]
    spans = [text[a:b] for a, b in enc.offsets]
    # A removed character inside a token stays inside its span; one after its last output
    # character (the final kasra) is left out, as tokenizers aligns every removal.
    assert spans == ["الإستثمار", "عــلى", "ﻻ", "٣", "ٱلرَّحْمَٰن"], spans
    for t in TEXTS:
        assert tok.normalizer.normalize_str(t) == arnorm.normalize(t)
    with pytest.raises(Exception):
        tok.to_str()  # a custom normalizer cannot be serialized (see arnorm.hf's docs)


@pytest.mark.third_party
def test_hf_normalizer_equals_normalize_on_random_text():
    pytest.importorskip("tokenizers")
    from hypothesis import given, settings, strategies as st

    import arnorm.hf

    hf = arnorm.hf.normalizer("search", collapse_spaces=True)
    plain = arnorm.Normalizer("search", collapse_spaces=True)
    pieces = st.sampled_from(["ا", "ٔ", "أ", "ـ", "ﻻ", "ﷺ", "َ", " ", "  ", "\u200c", "\u200d", "😀", "٣", "ک", "x", "ى"])

    @settings(max_examples=300, deadline=None)
    @given(st.lists(pieces, max_size=30).map("".join))
    def check(text):
        assert hf.normalize_str(text) == plain.normalize(text)

    check()


@pytest.mark.third_party
def test_spacy_factory_by_entry_point_without_import():
    spacy = pytest.importorskip("spacy")
    code = ("import spacy, sys; nlp = spacy.blank('ar'); "
            "nlp.add_pipe('arnorm', config={'options': {'hamza': 'to_letter'}}); "
            "assert 'arnorm.spacy' in sys.modules; doc = nlp('الإستثمار على الشئون'); "
            "print([t.norm_ for t in doc], doc._.arnorm)")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "['الاستثمار', 'علي', 'الشيون'] الاستثمار علي الشيون"
