#!/usr/bin/env python3
"""Writes core/src/lexicon_data.inc, the ordinary Arabic words arnorm ships, from Ayaspell.

Source: Debian's `hunspell-ar` package (Ayaspell 3.2, Mohamed Kebdani, tri-licensed GPL-2 / LGPL-2.1 /
MPL-1.1; arnorm takes it under MPL-1.1, see core/src/lexicon_data.NOTICE). Only the word list is used,
not the affix rules: arnorm's own morphology (core/src/lexicon.cpp) inflects the words.

Each listed word keeps the word class its section of the dictionary gives it:
  particle   stopwords.dic and tools.dic (listed with their clitics; no affixes added)
  noun       names.dic (nouns, verbal nouns), except the continents, countries, capitals and personal
             names it lists: those are names, and names are what the variant matcher must match
  adjective  names.dic's participles, nisba and other adjective sections: they also take ة ون ين
  past verb  verb.huns.dic, forms not starting with a person prefix
  present    verb.huns.dic, forms that come in a set differing only by the prefix أ ن ت ي; the
             first-person أ forms are left out: they collide with transliterations that begin with A
             (أندرس, أومان) far more often than they occur in news

Output: the words, sorted by their letter codes and front-coded: per word the length shared with the
previous word, the length of the rest, the rest (one byte per letter: U+0621 + code - 1), then the class
bits. Deterministic: the same dictionary gives the same bytes.

Usage: python3 tools/make_lexicon.py [--dic ar.dic] [--out core/src/lexicon_data.inc]
Without --dic it fetches the package with `apt-get download hunspell-ar` into a temporary folder.
"""
import argparse
import glob
import os
import re
import subprocess
import tempfile

PARTICLE, NOUN, ADJECTIVE, PAST, PRESENT = 1, 2, 4, 8, 16
SECTION_CLASS = {"stopwords.dic": PARTICLE, "tools.dic": PARTICLE, "names.dic": NOUN, "verb.huns.dic": PAST}
# names.dic headings whose words are names, not ordinary words (up to the next heading kept).
NAME_HEADINGS = ("#القارات", "#البلدان", "#العواصم", "##اسماء،أشخاص##")
ADJECTIVE_HEADINGS = ("###اسم-الفاعل##", "##اسم-المفعول##", "##صفة-مشبهة##", "##التفضيل##", "##النسبة##",
                      "##صفات-أخرى##", "#إضافة:اسم-الفاعل#", "#إضافة:اسم-المفعول#", "#إضافة:صفات-مشبهة#")
WORD = re.compile("[\u0621-\u064a]+")
MARKS = re.compile("[\u064b-\u0652]")


def fetch_dic(tmp):
    subprocess.run(["apt-get", "download", "hunspell-ar"], cwd=tmp, check=True, stdout=subprocess.DEVNULL)
    deb = glob.glob(os.path.join(tmp, "hunspell-ar_*.deb"))[0]
    subprocess.run(["dpkg-deb", "-x", deb, os.path.join(tmp, "x")], check=True)
    return os.path.join(tmp, "x", "usr", "share", "hunspell", "ar.dic")


def read_dic(path):
    """word -> class bits, from the sections and headings of Ayaspell's ar.dic."""
    words, section, cls, skip = {}, None, 0, False
    verbs = []  # (word, lemma id)
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("::::"):
                continue
            if line.strip() in SECTION_CLASS:
                section = line.strip()
                cls, skip = SECTION_CLASS[section], False
                continue
            if line.startswith("#"):
                heading = line.split("\t")[0]
                if section == "names.dic":
                    if heading in NAME_HEADINGS:
                        skip = True
                    elif heading.startswith("####"):
                        skip = False
                    cls = ADJECTIVE if heading in ADJECTIVE_HEADINGS else NOUN
                continue
            if skip or section is None:
                continue
            fields = line.split("\t")
            word = MARKS.sub("", fields[0].split("/")[0].strip())
            if not WORD.fullmatch(word):
                continue
            if section == "verb.huns.dic":
                verbs.append((word, fields[1].strip() if len(fields) > 1 else ""))
            else:
                words[word] = words.get(word, 0) | cls
    # Present forms: a lemma's forms that differ only by the person prefix.
    by_lemma = {}
    for word, lemma in verbs:
        if word[0] in "أنتي":
            by_lemma.setdefault((lemma, word[1:]), set()).add(word[0])
    for word, lemma in verbs:
        present = word[0] in "أنتي" and len(by_lemma.get((lemma, word[1:]), ())) >= 2
        if present and word[0] == "أ":
            continue
        words[word] = words.get(word, 0) | (PRESENT if present else PAST)
    return words


def encode(words):
    codes = sorted((bytes(ord(c) - 0x0620 for c in w), cls) for w, cls in words.items())
    out, prev = bytearray(), b""
    for w, cls in codes:
        shared = 0
        while shared < min(len(w), len(prev), 255) and w[shared] == prev[shared]:
            shared += 1
        rest = w[shared:]
        assert len(rest) < 256
        out += bytes([shared, len(rest)]) + rest + bytes([cls])
        prev = w
    return len(codes), bytes(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dic")
    ap.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "..", "core", "src", "lexicon_data.inc"))
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        words = read_dic(args.dic or fetch_dic(tmp))
    count, data = encode(words)
    with open(args.out, "w", encoding="ascii") as f:
        f.write("// Generated by tools/make_lexicon.py from Ayaspell 3.2 (Debian hunspell-ar), used under\n"
                "// MPL-1.1: see lexicon_data.NOTICE beside this file. Do not edit.\n")
        f.write(f"constexpr std::size_t kLexiconWords = {count};\n")
        f.write(f"constexpr unsigned char kLexiconData[{len(data)}] = {{\n")
        for i in range(0, len(data), 24):
            f.write("".join(f"{b}," for b in data[i:i + 24]) + "\n")
        f.write("};\n")
    print(f"{count} words, {len(data)} bytes -> {args.out}")


if __name__ == "__main__":
    main()
