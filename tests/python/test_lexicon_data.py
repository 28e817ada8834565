"""The shipped word list is what the committed generator makes from Debian's hunspell-ar."""

import os
import subprocess
import sys

import pytest

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")
DIC = "/usr/share/hunspell/ar.dic"


@pytest.mark.skipif(not os.path.exists(DIC), reason="hunspell-ar is not installed (scripts/install-deps --test installs it)")
def test_lexicon_data_is_regenerated_byte_for_byte(tmp_path):
    out = tmp_path / "lexicon_data.inc"
    subprocess.run([sys.executable, os.path.join(ROOT, "tools", "make_lexicon.py"), "--dic", DIC, "--out", str(out)],
                   check=True, stdout=subprocess.DEVNULL)
    with open(os.path.join(ROOT, "core", "src", "lexicon_data.inc"), "rb") as f:
        assert out.read_bytes() == f.read()
