"""Bad input, huge batches, interruption, threads and processes."""

import multiprocessing
import signal
import subprocess
import sys
import textwrap
import threading
import time

import pytest

import arnorm


def test_huge_batch_keeps_every_item():
    n = arnorm.Normalizer()
    texts = [f"الإستثمار على {i}" for i in range(200_000)]
    out = n.normalize_batch(texts, workers=-1)
    assert len(out) == len(texts)
    assert out[0] == "الاستثمار علي 0" and out[-1] == "الاستثمار علي 199999"


@pytest.mark.parametrize("workers", [1, 2])
def test_ctrl_c_stops_a_batch(workers):
    script = textwrap.dedent(f"""
        import sys, arnorm
        texts = ["على الإستثمار في شانغهاي " * 40] * 4_000_000
        print("started", flush=True)
        arnorm.Normalizer().normalize_batch(texts, workers={workers})
        print("finished", flush=True)
    """)
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "started"
    time.sleep(0.3)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert "finished" not in out
    assert "KeyboardInterrupt" in err, (proc.returncode, err[-3000:])
    assert proc.returncode != 0


@pytest.mark.parametrize("workers", [1, 2])
def test_a_lone_surrogate_names_its_item_in_any_chunk(workers):
    texts = ["الإستثمار"] * 1000
    texts[700] = "ab\udfff"
    with pytest.raises(ValueError, match="item 700: the string holds a lone surrogate at index 2"):
        arnorm.Normalizer().normalize_batch(texts, workers=workers)


def _normalize_in_child(args):
    normalizer, text = args
    return normalizer.normalize(text)


def test_normalizer_travels_to_worker_processes():
    n = arnorm.Normalizer("search", elongation=True)
    texts = ["جمييييل على", "الإستثمار", "ﻻ"] * 10
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        out = pool.map(_normalize_in_child, [(n, t) for t in texts])
    assert out == [n.normalize(t) for t in texts]


@pytest.mark.parametrize("bad", [b"\xc0\xaf", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"ab\xe2\x82", b"\x80", b"\xff"])
def test_every_invalid_utf8_class_is_a_clear_error_or_replaced(bad):
    n = arnorm.Normalizer()
    with pytest.raises(UnicodeDecodeError):
        n.normalize(bad)
    replaced = n.normalize(bad, errors="replace").decode("utf-8")
    assert "\ufffd" in replaced


def test_empty_nul_and_long_mark_sequence():
    n = arnorm.Normalizer()
    assert n.normalize("") == ""
    assert n.normalize("a\x00ى") == "a\x00ي"
    assert n.normalize("ب" + "\u064e" * 10_000) == "ب"
    assert arnorm.Normalizer("clean").normalize("ب" + "\u064e" * 10_000) == "ب" + "\u064e" * 10_000


def test_a_normalizer_is_built_once():
    n = arnorm.Normalizer()
    with pytest.raises(TypeError, match="immutable"):
        n.__init__("clean")
    assert n.normalize("على") == "علي" and n.options["alef_maksura"] is True


def test_the_shortcut_holds_the_normalizer_it_reads():
    """A subclass whose _capsule is a temporary Normalizer's: the capsule keeps its core alive for the call."""
    class Borrowed(arnorm.Normalizer):
        __slots__ = ()

        @property
        def _capsule(self):
            return arnorm.Normalizer("clean", digits=True)._capsule

        @_capsule.setter
        def _capsule(self, value):
            pass

    n = Borrowed()
    for _ in range(2000):
        assert n.normalize("على ١٢") == "على 12"


def test_replace_from_many_threads_on_a_fresh_normalizer():
    n = arnorm.Normalizer(elongation=True)
    data = "جمييييل على".encode() + b"\xff"
    expected = "جميل علي\ufffd".encode()
    results = []

    def work():
        results.append(all(n.normalize(data, errors="replace") == expected for _ in range(300)))

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [True] * 8


@pytest.mark.parametrize("call", ["n.normalize_batch(texts, workers=2)", "n.normalize_batch(texts, workers=1)",
                                  "index.lookup('شانغهاي')", "arnorm.variant_similarity('شنغهاي', 'شانغهاي')",
                                  "n.normalize(big.encode())", "n.normalize_with_offsets(big)", "n.normalize(big)",
                                  "index.canonicalize(big)"])
def test_a_daemon_thread_inside_arnorm_at_exit(call):
    """The interpreter exits while a daemon thread is inside arnorm without the GIL: the process ends
    normally (the thread waits out the exit) instead of aborting."""
    script = textwrap.dedent(f"""
        import threading, time
        import arnorm
        n = arnorm.Normalizer()
        index = arnorm.VariantIndex(["شنغهاي"])
        big = "الإستثمار على شانغهاي " * 20000
        texts = ["الإستثمار على"] * 100000
        def work():
            while True:
                {call}
        threading.Thread(target=work, daemon=True).start()
        time.sleep(0.2)
        print("exiting")
        """)
    for _ in range(3):
        done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr[-2000:]
        assert done.stdout.strip() == "exiting"


def test_workers_out_of_range_and_wrong_types():
    n = arnorm.Normalizer()
    for bad in (2 ** 40, 2 ** 70, 0, -2, 4097):
        with pytest.raises(ValueError, match="workers"):
            n.normalize_batch(["a"], workers=bad)
    for bad in (True, 1.5, "2", None):
        with pytest.raises(TypeError, match="workers"):
            n.normalize_batch(["a"], workers=bad)
    assert n.normalize_batch(["على"], workers=4096) == ["علي"]


def test_results_are_plain_str_for_str_subclasses():
    class Text(str):
        pass

    n = arnorm.Normalizer()
    for value in ("abc", "على", "ب" * 5000):
        assert type(n.normalize(Text(value))) is str
        assert type(arnorm.normalize(Text(value))) is str
        assert type(n.normalize_with_offsets(Text(value))[0]) is str
        assert all(type(x) is str for x in n.normalize_batch([Text(value), Text(value)], workers=2))
    plain = "abc"
    assert n.normalize(plain) is plain  # an unchanged str is still the same object


def test_sixteen_threads_mixing_every_api_while_normalizers_come_and_go():
    texts = ["الإستثمار على شانغهاي", "مَدّ ﻻ ١٢٣", "جمييييل  جدا", "😀\u200d😀 ok"]
    index = arnorm.VariantIndex(["شنغهاي", "كلينتون"])
    shared = [arnorm.Normalizer()]
    errors = []

    def work(t):
        try:
            for i in range(40):
                text = texts[(t + i) % len(texts)]
                k = (t + i) % 8
                if k == 0:
                    shared[0] = arnorm.Normalizer(["search", "clean", "lucene"][i % 3], elongation=bool(i % 2))
                elif k == 1:
                    shared[0].normalize(text)
                    shared[0].normalize(text.encode() + b"\xff", errors="replace")
                elif k == 2:
                    shared[0].normalize_batch(texts * 20, workers=2)
                elif k == 3:
                    shared[0].explain(text)
                    shared[0].normalize_with_offsets(text)
                elif k == 4:
                    assert index.lookup("شانغهاي")[0][0] == "شنغهاي"
                    index.canonicalize(text)
                elif k == 5:
                    index.add(f"اسم{chr(0x0628 + t)}{chr(0x0628 + i % 20)}")
                elif k == 6:
                    assert arnorm.are_variants("شنغهاي", "شانغهاي") and not arnorm.are_variants("على", "إلى")
                    arnorm.find_variants([text, text])
                else:
                    arnorm.normalize(text)
                    assert "والمدرسة" in arnorm.Lexicon()
        except Exception as e:  # reported by the assertion below
            errors.append(repr(e))

    threads = [threading.Thread(target=work, args=(t,)) for t in range(16)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert errors == []
