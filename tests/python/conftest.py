import pathlib

import pytest

GOLDEN = pathlib.Path(__file__).resolve().parents[1] / "golden" / "cases.tsv"
README = pathlib.Path(__file__).resolve().parents[2] / "README.md"


def unescape(s: str) -> str:
    out, i = [], 0
    while i < len(s):
        if s[i] == "\\" and i + 1 < len(s):
            k = s[i + 1]
            if k in "uU":
                n = 4 if k == "u" else 8
                out.append(chr(int(s[i + 2 : i + 2 + n], 16)))
                i += 2 + n
                continue
            out.append({"t": "\t", "\\": "\\"}.get(k, "\\" + k))
            i += 2
            continue
        out.append(s[i])
        i += 1
    return "".join(out)


def golden_cases():
    cases = []
    for number, line in enumerate(GOLDEN.read_text(encoding="utf-8").split("\n"), 1):
        if not line or line.startswith("#"):
            continue
        cols = line.split("\t")
        options, rest = cols[0].split(",")[0], cols[0].split(",")[1:]
        # The file spells values as the CLI does; Python takes bools for the on/off options.
        settings = {k: {"true": True, "false": False}.get(v, v) for k, v in (item.split("=", 1) for item in rest)}
        cases.append(pytest.param(options, settings, unescape(cols[1]), unescape(cols[2]), id=f"line{number}"))
    return cases


def pytest_configure(config):
    config.addinivalue_line("markers", "third_party: runs a large third-party library (scikit-learn, tokenizers, "
                                       "spaCy, mypy); left out of the sanitizer run")
