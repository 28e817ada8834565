// The engine against the slow model: every Unicode scalar value, then random
// text under random options, with the properties the engine promises.
#include <gtest/gtest.h>

#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

#include <cstring>
#if defined(__linux__)
#include <sys/mman.h>
#include <unistd.h>
#endif

#include "../../core/src/simd.hpp"
#include "../../core/src/tables.hpp"
#include "test_util.hpp"
#include "utf16.hpp"

namespace {

using arnorm_reference::to_utf8;

std::string show(const std::string& s) {
  std::string out;
  for (char32_t c : arnorm_reference::to_utf32(s)) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "U+%04X ", static_cast<unsigned>(c));
    out += buf;
  }
  return out;
}

// Each scalar value alone and between two letters: either unchanged or
// changed exactly as the documented rules (the model, asking ICU) say.
TEST(EveryScalarValue, MatchesTheRules) {
  for (const auto& profile : arnorm::Options::profile_names()) {
    arnorm::Options o = arnorm::Options::profile(profile);
    arnorm::Normalizer n(o);
    std::size_t changed = 0;
    for (char32_t cp = 0; cp < 0x110000; ++cp) {
      if (cp >= 0xD800 && cp <= 0xDFFF) continue;
      std::string alone = to_utf8(std::u32string(1, cp));
      std::string got = n.normalize(alone);
      std::string want = to_utf8(arnorm_reference::map_code_point(cp, o));
      ASSERT_EQ(got, want) << profile << " U+" << std::hex << static_cast<unsigned>(cp);
      if (got != alone) ++changed;
      std::string framed = "\xD8\xA8" + alone + "\xD8\xA8";  // ب cp ب
      ASSERT_EQ(n.normalize(framed), arnorm_reference::normalize(framed, o).text)
          << profile << " U+" << std::hex << static_cast<unsigned>(cp);
    }
    // The rules touch a known, small part of Unicode.
    if (profile == "search") {
      EXPECT_GT(changed, 900u);
      EXPECT_LT(changed, 1400u);
    }
  }
}

// Nothing outside the Arabic blocks, spaces and invisible controls changes.
TEST(EveryScalarValue, OutsideTheRulesPassesThrough) {
  arnorm::Options o;
  o.collapse_spaces = true;
  o.elongation = true;
  o.punctuation = true;
  o.loanword_letters = true;
  arnorm::Normalizer n(o);
  for (char32_t cp = 0; cp < 0x110000; ++cp) {
    if (cp >= 0xD800 && cp <= 0xDFFF) continue;
    bool ruled = (cp >= 0x0600 && cp <= 0x08FF) || (cp >= 0xFB50 && cp <= 0xFDFF) || (cp >= 0xFE70 && cp <= 0xFEFF) ||
                 (cp >= 0x10EC0 && cp <= 0x10EFF) || (cp >= 0x2000 && cp <= 0x206F) || cp == 0x00A0 || cp == 0x00AD ||
                 cp == 0x1680 || cp == 0x180E || cp == 0x3000 || cp == 0x200C || cp == 0x200D;
    if (ruled) continue;
    std::string s = "x" + to_utf8(std::u32string(1, cp)) + "y";
    ASSERT_EQ(n.normalize(s), s) << "U+" << std::hex << static_cast<unsigned>(cp);
  }
}

class Properties : public ::testing::TestWithParam<int> {};

TEST_P(Properties, AgreeWithTheModel) {
  arnorm_test::TextGenerator gen(static_cast<std::uint64_t>(GetParam()) * 7919u + 1);
  for (int round = 0; round < 300; ++round) {
    arnorm::Options o = gen.options();
    arnorm::Normalizer n(o);
    for (int k = 0; k < 10; ++k) {
      std::string in = gen.text(40, true);
      std::string out;
      arnorm::Result r = n.normalize_into(in, out);
      auto want = arnorm_reference::normalize(in, o);
      ASSERT_EQ(r.ok(), want.ok) << show(in);
      if (!r.ok()) {
        EXPECT_EQ(r.position, want.error_offset) << show(in);
        EXPECT_TRUE(out.empty());
        continue;
      }
      ASSERT_EQ(out, want.text) << "input " << show(in) << "\noptions " << o.get("alef") << " elong " << o.elongation
                                << " collapse " << o.collapse_spaces;
      EXPECT_TRUE(arnorm_test::valid_utf8(out)) << show(in);
      EXPECT_EQ(n.normalize(out), out) << "not idempotent: " << show(in);
    }
  }
}

TEST_P(Properties, OffsetsAndExplainDescribeTheOutput) {
  arnorm_test::TextGenerator gen(static_cast<std::uint64_t>(GetParam()) * 104729u + 3);
  for (int round = 0; round < 200; ++round) {
    arnorm::Options o = gen.options();
    o.invalid_utf8 = arnorm::InvalidUtf8::replace;
    arnorm::Normalizer n(o);
    std::string in = gen.text(30, true);
    std::vector<arnorm::SourceSpan> spans;
    std::string out = n.normalize_with_offsets(in, spans);
    ASSERT_EQ(out, n.normalize(in));
    ASSERT_EQ(spans.size(), arnorm_reference::to_utf32(out).size()) << show(in);
    std::size_t prev_begin = 0, prev_end = 0;
    for (std::size_t i = 0; i < spans.size(); ++i) {
      EXPECT_LT(spans[i].begin, spans[i].end);
      EXPECT_LE(spans[i].end, in.size());
      EXPECT_GE(spans[i].begin, prev_begin) << "monotone";
      EXPECT_GE(spans[i].end, prev_end) << "monotone";
      prev_begin = spans[i].begin;
      prev_end = spans[i].end;
    }
    // The spans cover the input from its start to its end.
    if (!spans.empty()) {
      EXPECT_EQ(spans.front().begin, 0u) << show(in);
      EXPECT_EQ(spans.back().end, in.size()) << show(in);
    }
    // Replaying the edits over the input rebuilds the output.
    std::string explained;
    auto edits = n.explain(in, &explained);
    ASSERT_EQ(explained, out);
    std::string rebuilt;
    std::size_t src = 0;
    for (const auto& e : edits) {
      ASSERT_GE(e.src_begin, src) << show(in);
      rebuilt += in.substr(src, e.src_begin - src);
      ASSERT_EQ(rebuilt.size(), e.out_begin) << show(in);
      rebuilt += out.substr(e.out_begin, e.out_end - e.out_begin);
      src = e.src_end;
    }
    rebuilt += in.substr(src);
    EXPECT_EQ(rebuilt, out) << show(in);
  }
}

TEST_P(Properties, StreamingEqualsOneShot) {
  arnorm_test::TextGenerator gen(static_cast<std::uint64_t>(GetParam()) * 15485863u + 5);
  for (int round = 0; round < 200; ++round) {
    arnorm::Options o = gen.options();
    arnorm::Normalizer n(o);
    std::string in = gen.text(60, true);
    std::string whole;
    arnorm::Result one = n.normalize_into(in, whole);
    arnorm::Stream stream(n);
    std::string streamed;
    arnorm::Result r;
    for (std::size_t pos = 0; pos < in.size() && r.ok();) {
      std::size_t len = 1 + gen.rng()() % 7;
      r = stream.feed(std::string_view(in).substr(pos, len), streamed);
      pos += len;
    }
    if (r.ok()) r = stream.finish(streamed);
    ASSERT_EQ(r.ok(), one.ok()) << show(in);
    if (!r.ok()) {
      EXPECT_EQ(r.position, one.position);
      continue;
    }
    EXPECT_EQ(streamed, whole) << show(in);
  }
}

TEST_P(Properties, ComposedAndDecomposedAgree) {
  arnorm_test::TextGenerator gen(static_cast<std::uint64_t>(GetParam()) * 2654435761u + 7);
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  for (int round = 0; round < 400; ++round) {
    arnorm::Options o = gen.options();
    o.compose = true;
    o.invalid_utf8 = arnorm::InvalidUtf8::replace;
    arnorm::Normalizer n(o);
    std::string in = gen.text(20);
    // Spell every letter with hamza or madda as base + mark (its canonical decomposition).
    std::u32string decomposed;
    for (char32_t c : arnorm_reference::to_utf32(in)) {
      icu::UnicodeString raw;
      std::string parts;
      if (nfc->getRawDecomposition(static_cast<UChar32>(c), raw) && raw.countChar32() == 2 &&
          raw.char32At(raw.moveIndex32(0, 1)) >= 0x0653 && raw.char32At(raw.moveIndex32(0, 1)) <= 0x0655)
        decomposed += arnorm_reference::to_utf32(raw.toUTF8String(parts));
      else
        decomposed += c;
    }
    EXPECT_EQ(n.normalize(to_utf8(decomposed)), n.normalize(in)) << show(in);
  }
}

// Long texts, so that the 64-byte SIMD blocks and the scalar hot loop both
// run: the plain path against the tracked path (general only) and the model.
TEST_P(Properties, EveryPathAgreesOnLongText) {
  arnorm_test::TextGenerator gen(static_cast<std::uint64_t>(GetParam()) * 31337u + 11);
  const char* const kWords[] = {"\xD8\xB9\xD9\x84\xD9\x89",
                                "\xD8\xA7\xD9\x84\xD8\xA5\xD8\xB3\xD8\xAA\xD8\xAB\xD9\x85\xD8\xA7\xD8\xB1",
                                "\xD9\x81\xD9\x8A",
                                "\xD8\xB4\xD9\x86\xD8\xBA\xD9\x87\xD8\xA7\xD9\x8A",
                                "\xD9\x85\xD9\x8E\xD8\xAF\xD8\xB1\xD8\xB3\xD8\xA9",
                                "2024",
                                "\xD9\xA1\xD9\xA2"};
  for (int round = 0; round < 60; ++round) {
    arnorm::Options o = gen.options();
    o.invalid_utf8 = arnorm::InvalidUtf8::replace;
    arnorm::Normalizer n(o);
    std::string in;
    while (in.size() < 600) {
      if (gen.rng()() % 4 == 0)
        in += gen.text(3);
      else
        in += kWords[gen.rng()() % 7];
      in += gen.rng()() % 5 ? " " : "\n";
    }
    std::vector<arnorm::SourceSpan> spans;
    std::string fast = n.normalize(in);
    EXPECT_EQ(fast, n.normalize_with_offsets(in, spans)) << show(in);
    EXPECT_EQ(fast, arnorm_reference::normalize(in, o).text) << show(in);
  }
}

// Every SIMD path this CPU has (AVX-512, AVX2) against the scalar hot loop.
void expect_every_path_agrees(const arnorm::Normalizer& n, std::string_view in) {
  using arnorm::detail::SimdLevel;
  std::string scalar;
  arnorm::detail::limit_simd(SimdLevel::none);
  arnorm::Result b = n.normalize_into(in, scalar);
  for (SimdLevel level : {SimdLevel::avx2, SimdLevel::avx512}) {
    arnorm::detail::limit_simd(level);
    std::string with_simd;
    arnorm::Result a = n.normalize_into(in, with_simd);
    ASSERT_EQ(a.ok(), b.ok()) << static_cast<int>(level);
    EXPECT_EQ(a.position, b.position);
    EXPECT_EQ(with_simd, scalar) << "SIMD level " << static_cast<int>(level) << " " << show(std::string(in));
  }
}

// UTF-16 text must give the UTF-8 result (valid text only: UTF-16 cannot
// hold invalid UTF-8), on every SIMD path; as UCS-2 too when it has no
// character above U+FFFF.
void expect_utf16_agrees(const arnorm::Normalizer& n, const std::string& in) {
  using arnorm::detail::SimdLevel;
  const std::string expected = n.normalize(in);
  const bool bmp = std::none_of(in.begin(), in.end(), [](char c) { return static_cast<unsigned char>(c) >= 0xF0; });
  for (SimdLevel level : {SimdLevel::none, SimdLevel::avx512}) {
    arnorm::detail::limit_simd(level);
    for (auto s : {arnorm::Surrogates::pairs, arnorm::Surrogates::lone}) {
      if (s == arnorm::Surrogates::lone && !bmp) continue;
      std::string why;
      EXPECT_EQ(arnorm_reference::normalize_as_utf16(n, in, why, s), expected)
          << "level " << static_cast<int>(level) << " " << show(in);
      EXPECT_EQ(why, "");
    }
  }
  arnorm::detail::limit_simd(SimdLevel::avx512);  // the default (the other tests' setting)
}

// How far the AVX-512 UTF-16 prefix takes a text (0 without that path).
std::size_t utf16_prefix_takes(const arnorm::Options& o, const std::string& in) {
  const auto tables = arnorm::detail::compile(o);
  if (arnorm::detail::simd_level(*tables) != arnorm::detail::SimdLevel::avx512) return 0;
  const std::u16string units = arnorm_reference::to_utf16(arnorm_reference::to_utf32(in));
  std::u16string out(units.size(), u'\0');
  const auto p = arnorm::detail::avx512_utf16_prefix(units.data(), units.size(), out.data(), tables->simd);
  return p.stop == 0 ? 0 : p.consumed;
}

// The SIMD paths (where the CPU has them) against the scalar hot loop, on the
// real-text-like generator output and on random text.
TEST_P(Properties, SimdEqualsScalar) {
  arnorm_test::TextGenerator gen(static_cast<std::uint64_t>(GetParam()) * 7777u + 13);
  for (int round = 0; round < 40; ++round) {
    arnorm::Options o = gen.options();
    arnorm::Normalizer n(o);
    std::string in;
    while (in.size() < 2000) {
      unsigned pick = gen.rng()() % 4;
      in += pick < 2
                ? "\xD8\xA7\xD9\x84\xD8\xA5\xD8\xB3\xD8\xAA\xD8\xAB\xD9\x85\xD8\xA7\xD8\xB1 \xD8\xB9\xD9\x84\xD9\x89 "
            : pick == 2 ? "\xC2\xAB\xD9\x82\xD8\xA7\xD9\x84\xC2\xBB caf\xC3\xA9\xC2\xA0"  // «قال» café + no-break space
                          "\xE2\x80\x9C\xD9\x82\xE2\x80\x8F\xE2\x80\x9D\xE2\x80\x93"  // “ق RLM” –
                          "\xF0\x9F\x98\x80\xD9\x82"                                  // 😀ق
                        : gen.text(8, true);
    }
    expect_every_path_agrees(n, in);
    std::string text;  // valid (UTF-16 holds no invalid UTF-8)
    for (int piece = 0; text.size() < 2000; ++piece) text += piece % 3 ? gen.text(8) : "\xD8\xA7\xD9\x84\xD8\xA5 ";
    expect_utf16_agrees(n, text);
  }
}

std::string repeat(const std::string& s, int times) {
  std::string r;
  for (int i = 0; i < times; ++i) r += s;
  return r;
}

// Composition and marks at every position around the 64-byte SIMD blocks.
TEST(BlockBoundaries, CompositionAcrossEveryOffset) {
  const std::string tails[] = {
      "\xD8\xA7\xD9\x94",                  // ا + hamza above
      "\xD8\xA7\xD9\x8E\xD9\x94",          // ا + fatha + hamza
      "\xD9\x88\xD9\x80\xD9\x94",          // و + tatweel + hamza
      "\xD8\xA8\xD9\x8E\xD9\x91",          // ب + marks
      "\xD9\x84\xD9\x84\xD9\x84\xD9\x84",  // a run for elongation
      "\xD9\xB1\xD9\x93",                  // ٱ + madda
      "\xC2\xAB\xD8\xA7\xC2\xBB",          // « ا » (kept U+0080-U+00FF)
      "\xC2\xA0\xC3\xA9\xC2\xAD\xD8\xA7",  // no-break space, é, soft hyphen, ا
      "\xDB\x8C\xD9\x94",                  // ی + hamza above (ی folds to ي, which takes it)
      "\xDB\x81\xD9\x8E\xD9\x94",          // ہ + fatha + hamza above
      "\xD8\xA7\xD9\x94\xD9\x93",          // ا + hamza above + madda
      "\xD9\x89\xD9\x93\xD9\x88\xD9\x94",  // ى + madda, و + hamza above
      "\xD9\x85\xD9\x8E\xD9\x80\xD9\xB0",  // مَـٰ: a tatweel seat with a mark on it (kept in clean)
      "\xD9\x8A\xD9\x80\xD9\x94\xD8\xA7",  // يـٔا: a hamza on its tatweel seat
      // A base, then more than a block of removed characters or marks, then a hamza.
      "\xD9\x88" + repeat("\xD9\x80", 40) + "\xD9\x94", "\xD9\x8A" + repeat("\xD9\x8E", 36) + "\xD9\x94",
      // U+2000-U+207F: quotes, a removed mark between و and a hamza, ellipsis, ZWJ
      // (context), € (outside the range), a character cut short.
      "\xE2\x80\x9C\xD9\x88\xE2\x80\x8F\xD9\x94\xE2\x80\x9D",
      "\xE2\x80\xA6\xE2\x82\xAC\xE2\x80\x8D\xE2\x81\xA0\xE2\x80",
      // Blocks with no ASCII at all.
      repeat("\xD8\xAA\xD9\x8E", 50) + "\xD9\x88\xD9\x94" + repeat("\xD8\xAA", 40),
      // U+1F000-U+1FFFF: an emoji, a ZWJ sequence (context), a skin tone, و + emoji +
      // hamza (no composition across it), a line of emoji only.
      "\xF0\x9F\x98\x80", "\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9\xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD",
      "\xD9\x88\xF0\x9F\x98\x80\xD9\x94\xD8\xA7\xF0\x9F\x98\x80\xD9\x93", repeat("\xF0\x9F\x98\x80", 40),
      // Broken or other four-byte sequences: cut short, a missing trail, U+10000,
      // U+10FFFF, an extra trail, F0 9F at the very end.
      "\xF0\x9F\x98\x41\xF0\x9F\x41\x41\xF0\x90\x80\x80\xF4\x8F\xBF\xBF", "\xF0\x9F\x98\x80\x80\xD8\xA7\xF0\x9F",
      // U+2000-U+203F passing whole: و + quote + hamza (no composition across it),
      // quotes and dashes only, E2 80 without its third byte, E2 80 at the end.
      "\xD9\x88\xE2\x80\x9C\xD9\x94\xE2\x80\x93\xE2\x80\xA2", repeat("\xE2\x80\x9D\xE2\x80\x94", 20),
      "\xE2\x80\x41\xE2\x80\x9C\xE2\x80",
      // A lead whose trail is missing right before a long character cut short (fuzz_normalize).
      "\xD8\xA7\x20\xD8\xF0\x9F\x98", "\xD8\xE2\x80"};
  for (const auto& profile : arnorm::Options::profile_names()) {
    for (bool elongation : {false, true}) {
      arnorm::Options o = arnorm::Options::profile(profile);
      o.elongation = elongation;
      o.invalid_utf8 = arnorm::InvalidUtf8::replace;
      arnorm::Normalizer n(o);
      for (std::size_t pad = 0; pad < 140; ++pad) {
        for (const auto& tail : tails) {
          for (bool arabic_pad : {false, true}) {
            std::string in;
            while (in.size() < pad) in += arabic_pad ? "\xD8\xAA" : "x";  // ت or x
            in += tail + std::string(70, 'y') + tail;
            ASSERT_EQ(n.normalize(in), arnorm_reference::normalize(in, o).text)
                << profile << " pad " << pad << " " << show(in);
            expect_every_path_agrees(n, in);
            if (arnorm_test::valid_utf8(in)) expect_utf16_agrees(n, in);
          }
        }
      }
    }
  }
}

// Where the CPU has AVX-512, the UTF-16 prefix takes plain text whole
// (short words too: a last block needs no starter) and stops where it must.
TEST(Utf16, PrefixTakesPlainTextAndStopsWhereItMust) {
  arnorm::Normalizer n;
  const std::string plain[] = {"\xD9\x83\xD8\xAA\xD8\xA7\xD8\xA8",  // كتاب
                               repeat("\xD8\xA3\xD8\xB9\xD9\x84\xD9\x89 caf\xC3\xA9 \xD9\xA3 ", 30)};
  for (const auto& text : plain) {
    expect_utf16_agrees(n, text);
    EXPECT_EQ(utf16_prefix_takes(n.options(), text),
              arnorm::simd_path() == "avx512" ? arnorm_reference::to_utf16(arnorm_reference::to_utf32(text)).size() : 0u);
  }
  // A composing mark at every offset, after a base letter or a space.
  for (std::size_t pad = 0; pad < 100; ++pad)
    for (const char* tail : {"\xD9\x88\xD9\x94", " \xD9\x94", "\xD9\x88\xD9\x8E\xD9\x94", "\xF0\x9F\x98\x80"}) {
      std::string in;
      while (in.size() < 2 * pad) in += pad % 3 ? "\xD8\xAA" : "\xD8\xAA ";
      expect_utf16_agrees(n, in + tail + " \xD8\xA7");
    }
  // Options the prefix does not take.
  arnorm::Options elongation;
  elongation.elongation = true;
  expect_utf16_agrees(arnorm::Normalizer(elongation), plain[1]);
  EXPECT_EQ(utf16_prefix_takes(elongation, plain[1]), 0u);
}

#if defined(__linux__)
// The paths read a byte before a block and past it (masked where the text
// ends or begins): text placed right after and right before a page that may
// not be read shows any read outside it as a crash.
TEST(SimdPath, ReadsNothingOutsideTheText) {
  const long page = sysconf(_SC_PAGESIZE);
  char* const map = static_cast<char*>(
      mmap(nullptr, 3 * static_cast<std::size_t>(page), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
  ASSERT_NE(map, MAP_FAILED);
  ASSERT_EQ(mprotect(map, static_cast<std::size_t>(page), PROT_NONE), 0);
  ASSERT_EQ(mprotect(map + 2 * page, static_cast<std::size_t>(page), PROT_NONE), 0);
  char* const first = map + page;  // the readable page
  const arnorm::Normalizer n = arnorm::Normalizer::from_profile("search");
  // «قال» الإستثمار على café ٪ text: kept U+0080-U+00FF, letters that fold,
  // and a character with context (٪ folds only after a digit), which stops
  // every path.
  const std::string piece = "\xC2\xAB\xD9\x82\xD8\xA7\xD9\x84\xC2\xBB \xD8\xA7\xD9\x84\xD8\xA5\xD8\xB3\xD8\xAA\xD8\xAB"
                            "\xD9\x85\xD8\xA7\xD8\xB1 \xD8\xB9\xD9\x84\xD9\x89 caf\xC3\xA9 \xD9\xAA text ";
  std::string text;
  while (text.size() < 300) text += piece;
  for (std::size_t len = 1; len <= 260; ++len) {
    const std::string in = text.substr(0, len);
    for (char* at : {first, first + page - len}) {  // against the page before, against the page after
      std::memcpy(at, in.data(), len);
      expect_every_path_agrees(n, std::string_view(at, len));
    }
  }
  arnorm::detail::limit_simd(arnorm::detail::SimdLevel::avx512);  // the default (the other tests' setting)
  munmap(map, 3 * static_cast<std::size_t>(page));
}
#endif

// The AVX-512 pass reads the tables' DA/DB halves only once a text has
// shown such a lead (a block with one is redone with them): ی (DB 8C, folded
// to ي) and گ (DA AF) at every place in and across 64-byte blocks, after
// text without them, on every path.
TEST(SimdPath, LeadsDaDbAnywhere) {
  const arnorm::Normalizer n = arnorm::Normalizer::from_profile("search");
  const std::string before = "\xD8\xA7\xD9\x84\xD8\xA5\xD8\xB3\xD8\xAA\xD8\xAB\xD9\x85\xD8\xA7\xD8\xB1 news ";
  std::string lead_in;
  while (lead_in.size() < 200) lead_in += before;
  for (std::size_t at = 0; at <= 140; ++at) {
    for (const char* upper : {"\xDB\x8C", "\xDA\xAF"}) {
      std::string in = lead_in.substr(0, at);
      while (!in.empty() && (static_cast<unsigned char>(in.back()) & 0xC0) == 0x80) in.pop_back();
      if (!in.empty() && static_cast<unsigned char>(in.back()) >= 0xC0) in.pop_back();
      in += upper;
      in += lead_in;
      expect_every_path_agrees(n, in);
    }
  }
  arnorm::detail::limit_simd(arnorm::detail::SimdLevel::avx512);  // the default (the other tests' setting)
}

TEST(SimdPath, NamesThePathWithinTheCap) {
  using arnorm::detail::SimdLevel;
  const std::string best = arnorm::simd_path();
  EXPECT_TRUE(best == "avx512" || best == "avx2" || best == "neon" || best == "none") << best;
  arnorm::detail::limit_simd(SimdLevel::avx2);  // ranks with NEON
  EXPECT_EQ(arnorm::simd_path(), best == "none" ? "none" : best == "neon" ? "neon" : "avx2");
  arnorm::detail::limit_simd(SimdLevel::none);
  EXPECT_EQ(arnorm::simd_path(), "none");
  arnorm::detail::limit_simd(SimdLevel::avx512);  // the default (the other tests' setting)
}

INSTANTIATE_TEST_SUITE_P(Seeds, Properties, ::testing::Range(0, 8));

}  // namespace
