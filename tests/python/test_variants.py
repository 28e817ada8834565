"""The name-variant API from Python, on the project's own small cases."""

import random
import threading

import pytest

import arnorm


def test_variant_pairs_join_and_distinct_names_do_not():
    names = arnorm.Lexicon.none()  # spelling alone, as for a list of names
    for a, b in [("شنغهاي", "شانغهاي"), ("رحمن", "رحمون"), ("بينغ", "بينج"), ("لقازاقستان", "كازاخستان"),
                 ("كلينتون", "كلنتون"), ("على", "علي")]:
        assert arnorm.are_variants(a, b, lexicon=names), (a, b)
    for a, b in [("شنغهاي", "بكين"), ("محمد", "أحمد"), ("رحمن", "سلمان")]:
        assert not arnorm.are_variants(a, b), (a, b)
        assert not arnorm.are_variants(a, b, lexicon=names), (a, b)


def test_ordinary_words_and_inflections_are_never_variants():
    for a, b in [("على", "إلى"), ("استخدام", "استخدم"), ("تقدم", "تقديم"), ("صحافي", "صحافية"),
                 ("حواسيب", "حواسيبه"), ("المؤتمر", "مثمرة"), ("أزعجني", "يزعجني")]:
        assert arnorm.variant_similarity(a, b) == 0.0, (a, b)
        assert not arnorm.are_variants(a, b), (a, b)
    # a proclitic apart: one word
    assert arnorm.variant_similarity("الجبيل", "جبيل") == 1.0
    assert arnorm.are_variants("شنغهاي", "شانغهاي") and arnorm.are_variants("جوجل", "غوغل")


def test_lexicon_builtin_own_words_and_none():
    builtin = arnorm.Lexicon()
    assert builtin.builtin and len(builtin) == 0
    assert "والمدرسة" in builtin and "سيكتبون" in builtin and "شنغهاي" not in builtin
    own = arnorm.Lexicon(["شانغهاي"])
    assert "شانغهاي" in own and "وشانغهاي" in own and "كتاب" in own and len(own) == 1
    alone = arnorm.Lexicon(["شانغهاي"], builtin=False)
    assert "شانغهاي" in alone and "كتاب" not in alone
    assert "كتاب" not in arnorm.Lexicon.none()
    # two words the caller knows are two words
    assert not arnorm.are_variants("شنغهاي", "شانغهاي", lexicon=arnorm.Lexicon(["شنغهاي", "شانغهاي"]))


def test_vowel_letters_separate_arabic_words():
    """Between two words holding ع ص ض ط ظ ذ خ ث a vowel letter changes the word; one beside a plain
    spelling is still a transliteration."""
    for a, b in [("ظالم", "ظلم"), ("صادق", "صدق"), ("خاتم", "ختم"), ("طالب", "طلب")]:
        assert not arnorm.are_variants(a, b), (a, b)
    assert arnorm.are_variants("طوكيو", "توكيو")


def test_index_small_k_is_the_prefix_of_a_large_k():
    index = arnorm.VariantIndex(["كلينتون", "كلنتون", "كلينتن", "كلنتن", "كلينتوني", "كالينتون", "كلانتون"])
    wide = index.lookup("كلينطون", k=100)
    assert len(wide) >= 2
    for k in range(1, len(wide) + 1):
        assert index.lookup("كلينطون", k=k) == wide[:k]


def test_similarity_is_symmetric_and_bounded():
    assert arnorm.variant_similarity("أستانا", "استانا") == 1.0
    s = arnorm.variant_similarity("شنغهاي", "شانغهاي")
    assert 0 < s < 1 and s == arnorm.variant_similarity("شانغهاي", "شنغهاي")
    assert arnorm.variant_similarity("", "شنغهاي") == 0.0


def test_threshold_and_lexicon():
    assert not arnorm.are_variants("شنغهاي", "شانغهاي", threshold=0.99)
    lexicon = arnorm.Lexicon(["كتب", "كاتب"], builtin=False)
    assert len(lexicon) == 2
    assert not arnorm.are_variants("كتب", "كاتب", lexicon=lexicon)


def test_keys_block_spellings_of_one_name_together():
    assert arnorm.variant_key("شنغهاي") == arnorm.variant_key("شانغهاي")
    assert arnorm.variant_key("شنغهاي") != arnorm.variant_key("بكين")


def test_index_lookup_add_len_canonicalize():
    index = arnorm.VariantIndex(["شنغهاي", "كازاخستان", "رحمون", "كلينتون"])
    assert len(index) == 4
    name, score = index.lookup("شانغهاي", k=3)[0]
    assert name == "شنغهاي" and 0.5 <= score <= 1
    assert index.lookup("لقازاقستان")[0][0] == "كازاخستان"
    assert index.lookup("طوكيو") == []
    index.add("طوكيو")
    assert len(index) == 5 and index.lookup("طوكيو") == [("طوكيو", 1.0)]
    assert index.canonicalize("زار كلنتون شانغهاي.") == "زار كلينتون شنغهاي."
    assert index.lookup("ولكلنتون")[0][0] == "كلينتون"  # two proclitics: و + ل


def test_index_entries_counts_and_canonicalize_report():
    index = arnorm.VariantIndex(["كامرون", "كاميرون"])
    assert index.lookup("كامرون") == [("كامرون", 1.0)]  # an entry is its own name
    assert arnorm.VariantIndex(["كلنتن", "كلينتن"], counts=[1000, 1]).lookup("كلينتون", 1)[0][0] == "كلنتن"
    assert arnorm.VariantIndex(["كلنتن", "كلينتن"], counts=[1, 1000]).lookup("كلينتون", 1)[0][0] == "كلينتن"
    with pytest.raises(ValueError):
        arnorm.VariantIndex(["a", "b"], counts=[1])
    with pytest.raises(ValueError):
        arnorm.VariantIndex(["a"], counts=[-1])
    with pytest.raises(TypeError):
        arnorm.VariantIndex("شنغهاي")
    names = arnorm.VariantIndex(["علي", "عاليه", "شنغهاي"])
    text = "قمة على مستوى عالية في شانغهاي"
    out, rewrites = names.canonicalize(text, report=True)
    assert out == "قمة على مستوى عالية في شنغهاي"  # على and عالية are ordinary words
    assert len(rewrites) == 1
    r = rewrites[0]
    assert text[r.start:r.end] == r.original == "شانغهاي" and r.replacement == "شنغهاي" and r.score >= 0.7
    assert names.canonicalize(text) == out
    assert names.canonicalize("شنغهاي", report=True) == ("شنغهاي", [])


def test_index_finds_keys_one_consonant_apart():
    # a consonant more in the name (تش for ش), a consonant less, one other
    for query, name in [("بوندارشوك", "بوندارتشوك"), ("بوندارتشوك", "بوندارشوك"),
                        ("ديمتري", "ديمتريس"), ("ديمتريس", "ديمتري"), ("فرانكفورت", "فرانكفورد")]:
        assert arnorm.variant_key(query) != arnorm.variant_key(name)
        assert [n for n, _ in arnorm.VariantIndex([name]).lookup(query)] == [name]


def test_index_names_are_taken_as_written():
    """Only the query may lose a proclitic: باجمال in a gazetteer is a name, not ب + اجمال."""
    index = arnorm.VariantIndex(["باجمال", "أجمل", "لانجلي", "أنجالي"])
    assert [name for name, _ in index.lookup("اجمال")] == ["أجمل"]
    assert [name for name, _ in index.lookup("انجلي")] == ["أنجالي"]


def test_index_from_many_threads():
    index = arnorm.VariantIndex(["شنغهاي", "كازاخستان", "رحمون"])
    results = []

    def work():
        results.append(all(index.lookup("شانغهاي")[0][0] == "شنغهاي" for _ in range(500)))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [True] * 4


def test_find_variants_groups_spellings_of_separate_sources():
    texts = ["وصل رحمون إلى شانغهاي. قال رحمون إن شانغهاي كبيرة.", "وصل رحمن إلى شنغهاي. قال رحمن إن شنغهاي كبيرة."]
    groups = arnorm.find_variants(texts)
    sets = [set(g.spellings) for g in groups]
    assert {"رحمون", "رحمن"} in sets and {"شانغهاي", "شنغهاي"} in sets
    assert all(isinstance(g.confidence, float) for g in groups)
    assert arnorm.find_variants([]) == []
    with pytest.raises(TypeError):
        arnorm.find_variants(["ok", 3])
    with pytest.raises(TypeError):
        arnorm.find_variants("نص واحد")


def test_find_variants_keeps_ordinary_words_out():
    texts = ["قال إنه سيعود على الفور إلى المدينة وأشار إلى التقدم.",
             "أشار الوزير إلى تقديم الدعم على مستوى عال وإشارة إلى الآلية."]
    assert arnorm.find_variants(texts) == []


def test_variant_stats_merge_and_serialize():
    texts = ["وصل رحمون إلى شانغهاي. قال رحمون إن شانغهاي كبيرة.", "وصل رحمن إلى شنغهاي. قال رحمن إن شنغهاي كبيرة."]
    whole = arnorm.VariantStats()
    for i, t in enumerate(texts):
        whole.add(t, i)
    a, b = arnorm.VariantStats(), arnorm.VariantStats()
    a.add(texts[1], 1)
    b.add(texts[0], 0)
    a.merge(arnorm.VariantStats.deserialize(b.serialize()))
    assert a.words == whole.words
    assert [(g.spellings, g.counts) for g in arnorm.find_variants(a)] == \
        [(g.spellings, g.counts) for g in arnorm.find_variants(whole)] == \
        [(g.spellings, g.counts) for g in arnorm.find_variants(texts)]
    with pytest.raises(ValueError):
        arnorm.VariantStats.deserialize(b"junk")
    with pytest.raises(TypeError):
        arnorm.find_variants(whole, lexicon=arnorm.Lexicon())


def test_variant_stats_from_many_threads():
    stats = arnorm.VariantStats()
    texts = ["وصل رحمون إلى شانغهاي.", "وصل رحمن إلى شنغهاي."] * 50
    errors = []

    def add(k):
        try:
            for i, t in enumerate(texts):
                stats.add(t, k * 1000 + i)
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    def read():
        for _ in range(5):
            arnorm.find_variants(stats)

    threads = [threading.Thread(target=add, args=(k,)) for k in range(3)] + [threading.Thread(target=read)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    one = arnorm.VariantStats()
    for k in range(3):
        for i, t in enumerate(texts):
            one.add(t, k * 1000 + i)
    assert stats.words == one.words
    assert [g.spellings for g in arnorm.find_variants(stats)] == [g.spellings for g in arnorm.find_variants(one)]


def test_variant_functions_take_str_only():
    for call in (lambda: arnorm.variant_similarity(b"\xd8", b"\xff\xfe"), lambda: arnorm.are_variants("a", b"b"),
                 lambda: arnorm.variant_key(b"x"), lambda: arnorm.Lexicon([b"x"]), lambda: arnorm.Lexicon("abc"),
                 lambda: arnorm.VariantIndex([b"\xd8"]), lambda: arnorm.VariantIndex(["x"]).lookup(b"x"),
                 lambda: arnorm.VariantIndex(["x"]).canonicalize(b"x"), lambda: arnorm.VariantStats().add(b"x", 0)):
        with pytest.raises(TypeError):
            call()
    with pytest.raises(ValueError, match="lone surrogate at index 0"):
        arnorm.variant_similarity("\ud800", "a")
    assert 3 not in arnorm.Lexicon() and b"x" not in arnorm.Lexicon()
    for bad in (float("nan"), -0.1, 1.5):
        with pytest.raises(ValueError):
            arnorm.VariantIndex(["x"], threshold=bad)


def test_long_words_are_not_names():
    rng = random.Random(3)
    letters = "بتثجحخدذرزسشصضطظعغفقكلمنهوي"
    a = "".join(rng.choice(letters) for _ in range(170))
    b = "".join(rng.choice(letters) for _ in range(170))
    assert arnorm.variant_similarity(a, b) == 0.0 and not arnorm.are_variants(a, b)
    assert arnorm.variant_similarity(a, a) == 1.0
    with pytest.raises(ValueError, match="48 letters"):
        arnorm.VariantIndex(["ب" * 49])
    index = arnorm.VariantIndex(["شنغهاي", "ب" * 48])
    huge = "".join(rng.choice(letters) for _ in range(64000))
    assert index.lookup(huge) == []
    assert index.canonicalize(huge + " شانغهاي") == huge + " شنغهاي"
    assert arnorm.find_variants([huge, huge[:-1]]) == []


def test_index_add_while_other_threads_look_up():
    index = arnorm.VariantIndex(["شنغهاي", "كازاخستان"])
    stop = threading.Event()
    wrong = []

    def look():
        while not stop.is_set():
            found = index.lookup("شانغهاي")
            if not found or found[0][0] != "شنغهاي":
                wrong.append(found)
            index.canonicalize("زار شانغهاي")

    readers = [threading.Thread(target=look) for _ in range(3)]
    for t in readers:
        t.start()
    for i in range(3000):
        index.add(f"كلمة{chr(0x0628 + i % 20)}{chr(0x0628 + i // 20 % 20)}{chr(0x0628 + i // 400)}")
    stop.set()
    for t in readers:
        t.join()
    assert wrong == [] and len(index) == 3002
