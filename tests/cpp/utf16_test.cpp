// UTF-16 text and the conversions: the public UTF-16 overloads (errors,
// appending, aliasing) and every conversion on every SIMD path against the
// slow, obvious ones in reference/utf16.hpp.
#include <gtest/gtest.h>

#include <arnorm/transcode.hpp>
#include <cstring>
#include <random>
#include <vector>

#include "../../core/src/simd.hpp"
#include "test_util.hpp"
#include "utf16.hpp"

namespace {

using arnorm::detail::SimdLevel;
using arnorm_reference::to_utf16;
using arnorm_reference::to_utf32;

// Runs `check` once per SIMD level, then restores the default.
template <class Check>
void on_every_path(Check check) {
  for (SimdLevel level : {SimdLevel::none, SimdLevel::avx2, SimdLevel::avx512}) {
    arnorm::detail::limit_simd(level);
    check(static_cast<int>(level));
  }
  arnorm::detail::limit_simd(SimdLevel::avx512);
}

TEST(Utf16, NormalizesAndAppends) {
  arnorm::Normalizer n;
  EXPECT_EQ(n.normalize(u"\u0627\u0644\u0625\u0633\u062A\u062B\u0645\u0627\u0631 \u0639\u0644\u0649"),
            u"\u0627\u0644\u0627\u0633\u062A\u062B\u0645\u0627\u0631 \u0639\u0644\u064A");  // الإستثمار على
  std::u16string out = u"x";
  ASSERT_TRUE(n.normalize_into(u"\u0640\U0001F600\u0629", out).ok());
  EXPECT_EQ(out, u"x\U0001F600\u0647");  // a pair passes whole
  EXPECT_EQ(n.normalize(u""), u"");
}

TEST(Utf16, LoneSurrogateIsAnErrorAtItsUnit) {
  arnorm::Normalizer n;
  on_every_path([&](int level) {
    for (std::size_t pad : {0u, 5u, 31u, 32u, 63u, 100u}) {
      std::u16string text(pad, u'\u0628');
      text += u'\xDC00';  // a low surrogate first
      text += u"\u0627";
      std::u16string out = u"kept";
      arnorm::Result r = n.normalize_into(text, out);
      EXPECT_EQ(r.error, arnorm::Error::invalid_utf16) << level;
      EXPECT_EQ(r.position, pad) << level;
      EXPECT_EQ(out, u"kept");
      // A pair is a character, except in UCS-2 storage.
      std::u16string paired(pad, u'\u0628');
      paired += u"\U0001F600";
      out.clear();
      EXPECT_TRUE(n.normalize_into(paired, out).ok()) << level << " pad " << pad;
      EXPECT_EQ(out, paired);
      r = n.normalize_into(paired, out, arnorm::Surrogates::lone);
      EXPECT_EQ(r.error, arnorm::Error::invalid_utf16);
      EXPECT_EQ(r.position, pad);
    }
  });
  try {
    n.normalize(std::u16string(u"ab") + u'\xD800');
    FAIL() << "no exception";
  } catch (const arnorm::Utf16Error& e) {
    EXPECT_EQ(e.offset(), 2u);
  }
}

TEST(Utf16, IntoItsOwnInput) {
  arnorm::Normalizer n;
  std::u16string s = u"\u0623\u0640\u0628 ";
  for (int i = 0; i < 6; ++i) s += s;
  const std::u16string expected = s + n.normalize(s);
  ASSERT_TRUE(n.normalize_into(s, s).ok());
  EXPECT_EQ(s, expected);
}

// UCS-2 output holds no surrogate: no rule maps a character below U+10000
// above it (the Python binding builds two-byte strs on that).
TEST(Utf16, NoRuleLeavesTheBmp) {
  for (const auto& profile : arnorm::Options::profile_names()) {
    arnorm::Options o = arnorm::Options::profile(profile);
    o.loanword_letters = o.punctuation = true;
    arnorm::Normalizer n(o);
    std::u16string all;
    for (char32_t c = 1; c < 0x10000; ++c)
      if (c < 0xD800 || c > 0xDFFF) all += static_cast<char16_t>(c), all += u' ';
    std::u16string out;
    ASSERT_TRUE(n.normalize_into(all, out, arnorm::Surrogates::lone).ok());
    for (char16_t u : out) ASSERT_FALSE(u >= 0xD800 && u <= 0xDFFF) << profile;
  }
}

// Texts long enough to go through the UTF-8 engine in several stretches (in
// pieces of about 16 Ki units off the AVX-512 path), made of what reads its
// neighbours: digits and separators, joiners, marks, a tatweel seat, Latin
// beside Arabic. The result must be the UTF-8 engine's on every path.
TEST(Utf16, LongTextEqualsTheUtf8Engine) {
  const std::u32string pieces[] = {U"\u0627\u0644\u0625\u0633\u062A\u062B\u0645\u0627\u0631",
                                   U"\u0639\u0644\u0649",
                                   U"\u0661\u0662\u0663",
                                   U"123",
                                   U"\u066B",
                                   U"\u066C",
                                   U",",
                                   U"\u066A",
                                   U"%",
                                   U"\u200C",
                                   U"\u200D",
                                   U"\u0654",
                                   U"\u0640\u0654",
                                   U"\u0648\u0654",
                                   U"\u0644\u0627",
                                   U"abc",
                                   U"\U0001F600",
                                   U"\u00AB",
                                   U"\u064E\u0651",
                                   U"\u06CC\u06A9"};
  const std::u32string gaps[] = {U" ", U"  ", std::u32string(40, U' '), U"-", U"\n", U"", U"."};
  std::mt19937 rng(11);
  std::u32string cps;
  while (cps.size() < 70000) {
    cps += pieces[rng() % std::size(pieces)];
    cps += gaps[rng() % std::size(gaps)];
  }
  const std::string utf8 = arnorm_reference::to_utf8(cps);
  for (const auto& profile : arnorm::Options::profile_names()) {
    // The options whose rules read across ASCII (collapse_spaces) or runs of letters (elongation) too.
    for (int extra = 0; extra < 3; ++extra) {
      arnorm::Options o = arnorm::Options::profile(profile);
      o.collapse_spaces = extra == 1;
      o.elongation = extra == 2;
      const arnorm::Normalizer n(o);
      on_every_path([&](int level) {
        std::string why;
        const std::string got = arnorm_reference::normalize_as_utf16(n, utf8, why);
        EXPECT_EQ(why, "") << profile << " " << extra << " " << level;
        EXPECT_TRUE(got == n.normalize(utf8)) << profile << " " << extra << " " << level;
      });
    }
  }
}

// Random units of every kind the conversions tell apart, in runs that cross
// the 16-, 32- and 64-unit blocks.
std::u32string random_text(std::mt19937& rng, std::size_t length) {
  static const char32_t kinds[][2] = {{0x20, 0x7E},       {0x80, 0xFF},       {0x600, 0x6FF},
                                      {0x700, 0x7FF},     {0x800, 0xD7FF},    {0xE000, 0xFFFF},
                                      {0x10000, 0x1FFFF}, {0x100000, 0x10FFFF}};
  std::u32string s;
  while (s.size() < length) {
    const auto& k = kinds[rng() % 8 < 5 ? rng() % 3 : rng() % 8];
    for (unsigned run = 1 + rng() % 40; run > 0 && s.size() < length; --run) s += k[0] + rng() % (k[1] - k[0] + 1);
  }
  return s;
}

TEST(Transcode, EveryPathEqualsTheReference) {
  std::mt19937 rng(7);
  for (int round = 0; round < 400; ++round) {
    const std::u32string cps = random_text(rng, rng() % 300);
    const std::string utf8 = arnorm_reference::to_utf8(cps);
    const std::u16string utf16 = to_utf16(cps);
    on_every_path([&](int level) {
      // Each output gets exactly the room the API promises to stay in (AddressSanitizer sees a write
      // past it): 3 bytes a UTF-16 unit, 4 a UTF-32 one, and the units written back.
      std::vector<char> room(3 * utf16.size());
      arnorm::Converted c = arnorm::utf16_to_utf8(utf16.data(), utf16.size(), room.data());
      ASSERT_TRUE(c.ok()) << level;
      EXPECT_EQ(std::string(room.data(), c.count), utf8) << level;
      std::string bytes(4 * cps.size() + 1, '\0');
      c = arnorm::utf32_to_utf8(cps.data(), cps.size(), bytes.data());
      ASSERT_TRUE(c.ok());
      EXPECT_EQ(bytes.substr(0, c.count), utf8);
      std::vector<char16_t> units(utf16.size());
      units.resize(arnorm::valid_utf8_to_utf16(utf8, units.data()));
      EXPECT_EQ(std::u16string(units.begin(), units.end()), utf16) << level;
      std::u32string wide(utf8.size(), U'\0');
      wide.resize(arnorm::valid_utf8_to_utf32(utf8, wide.data()));
      EXPECT_EQ(wide, cps);
      const arnorm::Utf8Shape shape = arnorm::valid_utf8_shape(utf8);
      EXPECT_EQ(shape.code_points, cps.size()) << level;
      unsigned widest = 0;
      for (char b : utf8) widest = std::max(widest, static_cast<unsigned>(static_cast<unsigned char>(b)));
      EXPECT_EQ(shape.widest_byte, widest) << level;
      // A surrogate anywhere: the first one stops UCS-2, a lone one UTF-16.
      if (!utf16.empty()) {
        std::u16string broken = utf16;
        const std::size_t at = rng() % broken.size();
        broken[at] = static_cast<char16_t>(0xDC00 + rng() % 0x400);
        std::size_t lone = 0;
        while (lone < broken.size()) {
          const char16_t u = broken[lone];
          if (u >= 0xDC00 && u <= 0xDFFF) break;
          if (u >= 0xD800 && u < 0xDC00) {
            if (lone + 1 < broken.size() && broken[lone + 1] >= 0xDC00 && broken[lone + 1] <= 0xDFFF) {
              lone += 2;
              continue;
            }
            break;
          }
          ++lone;
        }
        c = arnorm::utf16_to_utf8(broken.data(), broken.size(), bytes.data());
        EXPECT_EQ(c.ok(), lone == broken.size()) << level;
        if (!c.ok()) {
          EXPECT_EQ(c.count, lone) << level;
        }
        std::size_t any = 0;
        while (any < broken.size() && !(broken[any] >= 0xD800 && broken[any] <= 0xDFFF)) ++any;
        c = arnorm::utf16_to_utf8(broken.data(), broken.size(), bytes.data(), arnorm::Surrogates::lone);
        EXPECT_EQ(c.error, arnorm::Error::invalid_utf16) << level;
        EXPECT_EQ(c.count, any) << level;
      }
    });
  }
}

TEST(Transcode, Latin1AndUtf32Edges) {
  const std::uint8_t latin1[] = {'a', 0xE9, 0x80, 0xFF};
  char bytes[16];
  const std::size_t n = arnorm::latin1_to_utf8(latin1, 4, bytes);
  EXPECT_EQ(std::string(bytes, n), "a\xC3\xA9\xC2\x80\xC3\xBF");
  std::uint8_t back[8];
  EXPECT_EQ(arnorm::valid_utf8_to_latin1(std::string_view(bytes, n), back), 4u);
  EXPECT_EQ(std::memcmp(back, latin1, 4), 0);
  const char32_t wide[] = {U'a', 0xD800, 0x110000};
  arnorm::Converted c = arnorm::utf32_to_utf8(wide, 3, bytes);
  EXPECT_EQ(c.error, arnorm::Error::invalid_utf32);
  EXPECT_EQ(c.count, 1u);
  c = arnorm::utf32_to_utf8(wide + 2, 1, bytes);
  EXPECT_EQ(c.error, arnorm::Error::invalid_utf32);
  EXPECT_EQ(c.count, 0u);
}

}  // namespace
