"""Every SIMD path gives the scalar path's results through the Python API.

Each path runs in a fresh process (ARNORM_SIMD caps it), on strs of every
storage width and bytes, at lengths around the vector blocks, so the
conversions between a str's storage and UTF-8 are checked on each path too
(under the sanitizer run, the child inherits AddressSanitizer, which sees a
write past a new str's storage).
"""
import json
import os
import random
import subprocess
import sys

import pytest

SCRIPT = r"""
import json, sys, arnorm
texts = json.loads(sys.stdin.read())
out = []
for profile in ("search", "clean"):
    n = arnorm.Normalizer(profile)
    out += [n.normalize(t) for t in texts]
    out += [n.normalize(t.encode()).decode() for t in texts]
    out += n.normalize_batch(texts)
print(json.dumps([arnorm.simd_path(), out]))
"""

PIECES = ["الإستثمار", "على", "شانغهاي", "١٢٣", "123", "٫", " ", "  ", "ـ", "َّ", "\u200c", "لا", "abc",
          "é", "«", "»", "\u00a0", "—", "中文", "\U0001F600", "\ufefb", "\u0654", "؟", "\n"]


def texts():
    rng = random.Random(5)
    out = []
    for length in list(range(0, 80)) + [127, 128, 129, 255, 256, 257, 1000, 5000]:
        pieces = PIECES if length % 3 else PIECES[:13]  # two-byte strs without the Latin-1, CJK and emoji
        s = ""
        while len(s) < length:
            s += rng.choice(pieces)
        out.append(s[:length])
    return out


def run(path, data):
    env = dict(os.environ, ARNORM_SIMD=path)
    done = subprocess.run([sys.executable, "-c", SCRIPT], input=json.dumps(data), env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


def test_every_path_equals_the_scalar_one():
    data = texts()
    used, scalar = run("none", data)
    assert used == "none"
    for path in ("avx2", "avx512"):
        got_path, got = run(path, data)
        assert got == scalar, got_path
