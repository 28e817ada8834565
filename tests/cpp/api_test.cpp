// The C++ API: options, profiles, errors, invalid UTF-8, offsets, explain, streams.
#include <gtest/gtest.h>

#include <limits>
#include <random>
#include <thread>

#include "test_util.hpp"

namespace {

using arnorm::Normalizer;
using arnorm::Options;

TEST(Options, UnknownProfileListsTheValidOnes) {
  try {
    Normalizer::from_profile("serch");
    FAIL() << "no exception";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("search"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("lucene"), std::string::npos);
  }
}

TEST(Options, UnknownNameOrValueIsRejected) {
  Options o;
  EXPECT_THROW(o.set("alef_folding", "all"), std::invalid_argument);
  EXPECT_THROW(o.set("alef", "most"), std::invalid_argument);
  EXPECT_THROW(o.set("tatweel", "maybe"), std::invalid_argument);
  EXPECT_THROW(o.set("diacritics", "harakat+tilde"), std::invalid_argument);
  for (const char* v : {"harakat+", "+", "+harakat", "harakat++shadda", ""})
    EXPECT_THROW(o.set("diacritics", v), std::invalid_argument) << v;
  o.set("diacritics", "harakat+shadda");
  EXPECT_EQ(o.diacritics, arnorm::kHarakat | arnorm::kShadda);
  EXPECT_EQ(o.get("diacritics"), "harakat+shadda");
}

// normalize_into with its input inside the output, and sizes no buffer can hold.
TEST(Normalizer, IntoItsOwnInputAndImpossibleSizes) {
  arnorm::Normalizer n;
  std::string s = "الإستثمار على";
  for (int i = 0; i < 6; ++i) s += s;  // long enough that appending reallocates
  const std::string expected = s + n.normalize(s);
  EXPECT_TRUE(n.normalize_into(s, s).ok());
  EXPECT_EQ(s, expected);
  std::string out = "x";
  const char* p = s.data();
  for (std::size_t size : {std::numeric_limits<std::size_t>::max() - 10, std::numeric_limits<std::size_t>::max() / 2}) {
    arnorm::Result r = n.normalize_into(std::string_view(p, size), out);
    EXPECT_EQ(r.error, arnorm::Error::out_of_memory);
    EXPECT_EQ(out, "x");
  }
}

// A moved-from Normalizer or Stream still works (the tables are shared).
TEST(Normalizer, MovedFromStillWorks) {
  arnorm::Normalizer n;
  arnorm::Normalizer moved(std::move(n));
  EXPECT_EQ(n.normalize("على"), "علي");  // NOLINT(bugprone-use-after-move): what it does is the test
  EXPECT_EQ(moved.normalize("على"), "علي");
  arnorm::Normalizer assigned;
  assigned = std::move(moved);
  EXPECT_EQ(moved.normalize("أ"), "ا");  // NOLINT(bugprone-use-after-move)
  arnorm::Stream s(assigned);
  arnorm::Stream t(std::move(s));
  std::string out;
  s.feed("على", out);  // NOLINT(bugprone-use-after-move)
  s.finish(out);
  EXPECT_EQ(out, "علي");
}

TEST(Options, GetInvertsSetForEveryOption) {
  Options a = Options::profile("lucene");
  Options b;
  for (const auto& name : Options::option_names()) b.set(name, a.get(name));
  EXPECT_TRUE(a == b);
  EXPECT_FALSE(a == Options::profile("search"));
}

TEST(Options, DefaultIsSearch) { EXPECT_TRUE(Options() == Options::profile("search")); }

TEST(Normalize, ConvenienceFunctionUsesProfiles) {
  EXPECT_EQ(arnorm::normalize("على"), "علي");
  EXPECT_EQ(arnorm::normalize("على", "clean"), "على");
  EXPECT_THROW(arnorm::normalize("x", "nope"), std::invalid_argument);
}

TEST(Normalize, NewsPairsUnifyUnderSearch) {
  const char* const pairs[][2] = {{"على", "علي"},       {"فى", "في"},
                                  {"الشئون", "الشؤون"}, {"الإستثمار", "الاستثمار"},
                                  {"اعلى", "أعلى"},     {"الاقتصادى", "الاقتصادي"},
                                  {"الـ21", "ال21"},    {"أستانا", "استانا"}};
  Normalizer n;
  for (const auto& p : pairs) EXPECT_EQ(n.normalize(p[0]), n.normalize(p[1])) << p[0] << " / " << p[1];
}

TEST(Normalize, AppendsIntoTheCallersBuffer) {
  Normalizer n;
  std::string out = "prefix:";
  ASSERT_TRUE(n.normalize_into("على", out).ok());
  EXPECT_EQ(out, "prefix:علي");
}

TEST(Normalize, EmptyAndNulBytes) {
  Normalizer n;
  EXPECT_EQ(n.normalize(""), "");
  std::string with_nul("a\0\xD9\x89", 4);
  EXPECT_EQ(n.normalize(with_nul), std::string("a\0\xD9\x8A", 4));
}

TEST(Normalize, LongCombiningSequence) {
  Normalizer search, clean = Normalizer::from_profile("clean");
  std::string in = "\xD8\xA8";                       // ب
  for (int i = 0; i < 10000; ++i) in += "\xD9\x8E";  // fatha
  EXPECT_EQ(search.normalize(in), "\xD8\xA8");
  EXPECT_EQ(clean.normalize(in), in);
  // A hamza mark more than 30 marks after its base does not compose (UAX #15 stream-safe limit).
  std::string far = "\xD8\xA7" + std::string(31 * 2, '\0') + "\xD9\x94";
  for (int i = 0; i < 31; ++i) far.replace(2 + 2 * i, 2, "\xD9\x8E");
  EXPECT_EQ(clean.normalize(far), far);
}

TEST(Normalize, SharedBetweenThreads) {
  Normalizer n;
  arnorm_test::TextGenerator gen(42);
  std::vector<std::string> inputs;
  for (int i = 0; i < 200; ++i) inputs.push_back(gen.text(50));
  std::vector<std::string> expected;
  for (const auto& s : inputs) expected.push_back(n.normalize(s));
  std::vector<std::thread> threads;
  std::vector<int> mismatches(4, 0);
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int round = 0; round < 20; ++round)
        for (std::size_t i = 0; i < inputs.size(); ++i)
          if (n.normalize(inputs[i]) != expected[i]) ++mismatches[t];
    });
  for (auto& th : threads) th.join();
  for (int m : mismatches) EXPECT_EQ(m, 0);
}

// ------------------------------------------------------------ invalid UTF-8 --

struct BadCase {
  const char* name;
  std::string bytes;
  std::size_t error_offset;
  std::string replaced;  // under InvalidUtf8::replace
};

const std::string kFFFD = "\xEF\xBF\xBD";

std::vector<BadCase> bad_cases() {
  return {
      {"stray continuation", "a\x80z", 1, "a" + kFFFD + "z"},
      {"C0 overlong lead", "a\xC0\xAFz", 1, "a" + kFFFD + kFFFD + "z"},
      {"C1 overlong lead", "\xC1\xBF", 0, kFFFD + kFFFD},
      {"overlong three-byte", "\xE0\x80\xAF", 0, kFFFD + kFFFD + kFFFD},
      {"overlong four-byte", "\xF0\x80\x80\xAF", 0, kFFFD + kFFFD + kFFFD + kFFFD},
      {"surrogate", "x\xED\xA0\x80", 1, "x" + kFFFD + kFFFD + kFFFD},
      {"above U+10FFFF", "\xF4\x90\x80\x80", 0, kFFFD + kFFFD + kFFFD + kFFFD},
      {"F5 lead", "\xF5\x80", 0, kFFFD + kFFFD},
      {"FF byte", "ab\xFF", 2, "ab" + kFFFD},
      {"truncated at end", "\xD8\xA8\xE2\x82", 2, "\xD8\xA8" + kFFFD},
      {"truncated mid-buffer", "\xF0\x9F\x98z", 0, kFFFD + "z"},
      {"truncated two-byte mid-buffer", "\xD8 \xD8\xA8", 0, kFFFD + " \xD8\xA8"},
  };
}

TEST(InvalidUtf8, StrictReportsTheOffset) {
  Normalizer n;
  for (const auto& c : bad_cases()) {
    std::string out = "keep";
    arnorm::Result r = n.normalize_into(c.bytes, out);
    EXPECT_EQ(r.error, arnorm::Error::invalid_utf8) << c.name;
    EXPECT_EQ(r.position, c.error_offset) << c.name;
    EXPECT_EQ(out, "keep") << c.name;
    try {
      n.normalize(c.bytes);
      ADD_FAILURE() << "no exception: " << c.name;
    } catch (const arnorm::Utf8Error& e) {
      EXPECT_EQ(e.offset(), c.error_offset) << c.name;
      const std::runtime_error& base = e;
      EXPECT_NE(std::string(base.what()).find(std::to_string(c.error_offset)), std::string::npos);
    }
  }
}

TEST(InvalidUtf8, ReplaceUsesMaximalSubparts) {
  Options o;
  o.invalid_utf8 = arnorm::InvalidUtf8::replace;
  Normalizer n(o);
  for (const auto& c : bad_cases()) EXPECT_EQ(n.normalize(c.bytes), c.replaced) << c.name;
}

// Found by fuzz_normalize: a lead byte at 62 followed by another at 63, where
// a 64-byte block leaves byte 63 for the next block.
TEST(InvalidUtf8, AtEveryOffsetOfABlock) {
  Normalizer n;
  for (std::size_t at = 0; at < 140; ++at) {
    for (const char* bad : {"\xD9\xD9\x84", "\xD9 ", "\x84", "\xE2\x82", "\xFF"}) {
      std::string in;
      while (in.size() < at) in += (in.size() % 3 == 2 || at - in.size() < 2) ? " " : "\xD8\xA8";
      in += bad;
      in += std::string(80, 'z');
      std::string out;
      arnorm::Result r = n.normalize_into(in, out);
      EXPECT_EQ(r.error, arnorm::Error::invalid_utf8) << at;
      EXPECT_EQ(r.position, at) << at << " " << bad;
    }
  }
}

TEST(InvalidUtf8, StreamReportsTheAbsoluteOffset) {
  Normalizer n;
  arnorm::Stream s(n);
  std::string out;
  ASSERT_TRUE(s.feed("hello world ", out).ok());
  arnorm::Result r = s.feed("ab\xFF", out);
  if (r.ok()) r = s.finish(out);
  EXPECT_EQ(r.error, arnorm::Error::invalid_utf8);
  EXPECT_EQ(r.position, 14u);
}

// ----------------------------------------------------------------- offsets --

TEST(Offsets, DeletionsJoinThePreviousCharacter) {
  Normalizer n;
  std::vector<arnorm::SourceSpan> spans;
  // م َ د (meem, fatha, dal): the fatha joins the meem's span.
  std::string out = n.normalize_with_offsets("\xD9\x85\xD9\x8E\xD8\xAF", spans);
  EXPECT_EQ(out, "\xD9\x85\xD8\xAF");
  ASSERT_EQ(spans.size(), 2u);
  EXPECT_EQ(spans[0], (arnorm::SourceSpan{0, 4}));
  EXPECT_EQ(spans[1], (arnorm::SourceSpan{4, 6}));
}

TEST(Offsets, ExpansionsShareTheirSource) {
  Normalizer n;
  std::vector<arnorm::SourceSpan> spans;
  std::string out = n.normalize_with_offsets("a\xEF\xBB\xBB", spans);  // a + lam-alef ligature
  EXPECT_EQ(out, "a\xD9\x84\xD8\xA7");
  ASSERT_EQ(spans.size(), 3u);
  EXPECT_EQ(spans[1], (arnorm::SourceSpan{1, 4}));
  EXPECT_EQ(spans[2], (arnorm::SourceSpan{1, 4}));
}

TEST(Offsets, LeadingDeletionJoinsTheFirstCharacter) {
  Normalizer n;
  std::vector<arnorm::SourceSpan> spans;
  std::string out = n.normalize_with_offsets(
      "\xE2\x80\x8F"
      "a",
      spans);  // RLM a
  EXPECT_EQ(out, "a");
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0], (arnorm::SourceSpan{0, 4}));
}

TEST(Explain, NamesTheRules) {
  Normalizer n;
  std::string out;
  auto edits = n.explain("\xD8\xA3\xD9\x86\xD9\x8E\xD8\xA7 \xD8\xA7\xD9\x94", &out);  // أنَا ا+hamza
  ASSERT_EQ(edits.size(), 3u);
  EXPECT_EQ(edits[0].rule, arnorm::Rule::alef);
  EXPECT_EQ(edits[1].rule, arnorm::Rule::harakat);
  EXPECT_STREQ(arnorm::rule_name(edits[1].rule), "diacritics");
  EXPECT_EQ(edits[1].out_begin, edits[1].out_end);
  EXPECT_EQ(edits[2].rule, arnorm::Rule::compose);
  EXPECT_EQ(edits[2].src_end - edits[2].src_begin, 4u);
  EXPECT_EQ(out, "\xD8\xA7\xD9\x86\xD8\xA7 \xD8\xA7");
}

// Found by fuzz_offsets: marks removed after the second letter of an
// elongated run kept the output position the retracted letter had.
TEST(Explain, ElongationAfterRemovedMarks) {
  Options o = Options::profile("lucene");
  o.elongation = true;
  Normalizer n(o);
  std::string in = "\xD9\x84\xD9\x84\xD9\x8E\xD9\x91\xD9\x84";  // ل ل َ ّ ل
  std::string out;
  auto edits = n.explain(in, &out);
  EXPECT_EQ(out, "\xD9\x84");
  for (const auto& e : edits) EXPECT_EQ(e.out_begin, 2u) << arnorm::rule_name(e.rule);
}

TEST(Explain, ElongationOfFoldedLettersAfterRemovedMarks) {
  Options o;
  o.elongation = true;
  Normalizer n(o);
  std::string in = "\xD9\xB1\xD9\xB1\xD9\x91\xD8\xA7";  // ٱ ٱ ّ ا
  std::string out;
  auto edits = n.explain(in, &out);
  EXPECT_EQ(out, "\xD8\xA7");
  ASSERT_EQ(edits.size(), 4u);
  EXPECT_EQ(edits[1].rule, arnorm::Rule::elongation);
  for (std::size_t i = 1; i < edits.size(); ++i) EXPECT_EQ(edits[i].out_begin, 2u);
}

// ------------------------------------------------------------------ stream --

TEST(Stream, LongTextWithoutBoundariesStaysBounded) {
  Options o;
  o.collapse_spaces = true;
  Normalizer n(o);
  arnorm::Stream s(n);
  std::string chunk;
  for (int i = 0; i < 4096; ++i) chunk += "\xD8\xA8\xD8\xAA";  // بت, no ASCII at all
  std::string out, whole;
  for (int i = 0; i < 300; ++i) ASSERT_TRUE(s.feed(chunk, out).ok());
  ASSERT_TRUE(s.finish(out).ok());
  for (int i = 0; i < 300; ++i) whole += chunk;
  EXPECT_EQ(out, n.normalize(whole));
}

// Runs longer than the carry (cut inside, as nothing else bounds them) that
// elongation or collapse_spaces reduce to one character, in chunks of several sizes.
TEST(Stream, RunsLongerThanTheCarryEqualOneShot) {
  Options o;
  o.elongation = true;
  o.collapse_spaces = true;
  Normalizer n(o);
  const std::size_t big = arnorm::Stream::kMaxCarry * 3 / 2;
  std::string letters, spaces;
  for (std::size_t i = 0; i < big / 2; ++i) letters += "\xD8\xA8";  // ب
  spaces.assign(big * 2, ' ');
  for (const std::string& text : {letters, spaces, "\xD8\xAA" + letters + "\xD8\xAA" + spaces + "x" + letters,
                                  letters + "\xD8\xA8\xD9\x8E", spaces + letters}) {
    const std::string whole = n.normalize(text);
    for (std::size_t size : {std::size_t{65536}, std::size_t{1000003}, text.size()}) {
      arnorm::Stream s(n);
      std::string out;
      for (std::size_t at = 0; at < text.size(); at += size)
        ASSERT_TRUE(s.feed(std::string_view(text).substr(at, size), out).ok());
      ASSERT_TRUE(s.finish(out).ok());
      EXPECT_EQ(out, whole) << "chunks of " << size << ", text of " << text.size() << " bytes";
    }
  }
}

// A long stretch without ASCII is cut between two plain letters: with small
// random chunks nearly every feed cuts there, across compositions, marks,
// removed and invalid bytes and letter runs (elongation); the output must
// be the one-shot output.
TEST(Stream, CutsWithoutAsciiEqualOneShot) {
  // Letters, marks, hamza and madda, tatweel, ZWNJ, a presentation form,
  // invalid bytes, letter runs, and letters followed by a mark that composes.
  const char* const pieces[] = {"\xD8\xA8",
                                "\xD8\xAA",
                                "\xD8\xA7",
                                "\xD9\x88",
                                "\xD9\x8A",
                                "\xD9\x89",
                                "\xD8\xA9",
                                "\xD9\x8E",
                                "\xD9\x91",
                                "\xD9\x94",
                                "\xD9\x93",
                                "\xD9\x80",
                                "\xE2\x80\x8C",
                                "\xEF\xBB\xBB",
                                "\xFF",
                                "\xA8",
                                "\xD8",
                                "\xD9\x84\xD9\x84\xD9\x84",
                                "\xD9\x84\xD9\x84\xD9\x84\xD9\x84",
                                "\xD9\x88\xD9\x8E\xD9\x94",
                                "\xD8\xA7\xD9\x8E\xD9\x93"};
  std::mt19937 rng(5);
  std::string text;
  while (text.size() < 20000) text += pieces[rng() % (sizeof pieces / sizeof *pieces)];
  for (const auto& profile : Options::profile_names()) {
    for (bool elongation : {false, true}) {
      Options o = Options::profile(profile);
      o.elongation = elongation;
      o.invalid_utf8 = arnorm::InvalidUtf8::replace;
      Normalizer n(o);
      arnorm::Stream s(n);
      std::string out;
      for (std::size_t pos = 0; pos < text.size();) {
        std::size_t len = 1 + rng() % 40;
        ASSERT_TRUE(s.feed(std::string_view(text).substr(pos, len), out).ok());
        pos += len;
      }
      ASSERT_TRUE(s.finish(out).ok());
      EXPECT_EQ(out, n.normalize(text)) << profile << " elongation " << elongation;
    }
  }
}

}  // namespace

// Characters that read a neighbour (joiners past combining marks, digit
// separators) are never cut from it, at any split of the input.
TEST(Stream, KeepsWhatContextRulesRead) {
  arnorm::Options keep_zwnj = Options::profile("search");
  keep_zwnj.zwj = arnorm::JoinerPolicy::remove;
  keep_zwnj.zwnj = arnorm::JoinerPolicy::keep;
  const std::pair<Options, std::string> cases[] = {
      {Options::profile("search"), "\xE0\xA4\x95\xE0\xA5\x8D\xE2\x80\x8D\xE0\xA4\xB7 x"},  // क्‍ष
      {Options::profile("search"), "x\xCC\x81\xE2\x80\x8C\xD8\xA8"},                        // x + accent + ZWNJ + ب
      {Options::profile("search"), "b\xE2\x80\x8D"},
      {Options::profile("search"), "3\xD9\xAB\xD9\xA1 \xD9\xA5\xD9\xAA"},  // 3٫١ ٥٪
      {keep_zwnj, "\xE2\x80\x8D\xE2\x80\x8Co"},
  };
  for (const auto& [o, in] : cases) {
    Normalizer n(o);
    const std::string whole = n.normalize(in);
    for (std::size_t split = 0; split <= in.size(); ++split) {
      arnorm::Stream s(n);
      std::string out;
      ASSERT_TRUE(s.feed(in.substr(0, split), out).ok());
      ASSERT_TRUE(s.feed(in.substr(split), out).ok());
      ASSERT_TRUE(s.finish(out).ok());
      EXPECT_EQ(out, whole) << "split " << split << " of " << in;
    }
  }
}
