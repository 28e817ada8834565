"""The installed package: what the tests exercise, and what it needs at run time."""

import pathlib
import re
import subprocess
import sys
import sysconfig

import pytest

import arnorm

ROOT = pathlib.Path(__file__).resolve().parents[2]


def test_the_tests_import_the_installed_package_not_the_checkout():
    package = pathlib.Path(arnorm.__file__).resolve().parent
    assert package != ROOT / "bindings" / "python" / "arnorm"
    installed = {pathlib.Path(sysconfig.get_paths()[k]).resolve() for k in ("purelib", "platlib")}
    assert package.parent in installed, (package, installed)


def test_unicode_version_is_the_pinned_one():
    pinned = re.search(r'kUnicodeVersion\[\] = "([0-9.]+)"', (ROOT / "core/src/unicode_data.inc").read_text())
    assert arnorm.unicode_version() == pinned.group(1)


@pytest.mark.skipif(not pathlib.Path("/proc/self/maps").exists(), reason="needs /proc/self/maps (Linux)")
def test_no_icu_library_is_loaded():
    code = ("import arnorm; arnorm.normalize('أعلى'); arnorm.Normalizer('clean').explain('ـٔ');"
            "print(open('/proc/self/maps').read())")
    maps = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    assert "arnorm" in maps
    assert "libicu" not in maps
