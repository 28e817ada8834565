#include "reference.hpp"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <set>
#include <vector>

namespace arnorm_reference {
namespace {

using arnorm::AlefPolicy;
using arnorm::HamzaPolicy;
using arnorm::JoinerPolicy;
using arnorm::Options;

int gc(char32_t c) { return u_charType(static_cast<UChar32>(c)); }
int ccc(char32_t c) { return u_getCombiningClass(static_cast<UChar32>(c)); }
bool has(UProperty p, char32_t c) { return u_hasBinaryProperty(static_cast<UChar32>(c), p); }

bool arabic_block(char32_t c) {
  int b = ublock_getCode(static_cast<UChar32>(c));
  return b == UBLOCK_ARABIC || b == UBLOCK_ARABIC_SUPPLEMENT || b == UBLOCK_ARABIC_EXTENDED_A ||
         b == UBLOCK_ARABIC_EXTENDED_B || b == UBLOCK_ARABIC_EXTENDED_C || b == UBLOCK_ARABIC_PRESENTATION_FORMS_A ||
         b == UBLOCK_ARABIC_PRESENTATION_FORMS_B;
}
bool mark(char32_t c) {
  return gc(c) == U_NON_SPACING_MARK || gc(c) == U_ENCLOSING_MARK || gc(c) == U_COMBINING_SPACING_MARK;
}

// DESIGN.md, "Diacritics": which option bit removes c (0: none).
std::uint32_t diacritic_bit(char32_t c) {
  if (c >= 0x064B && c <= 0x0650) return arnorm::kHarakat;
  if (c == 0x0651) return arnorm::kShadda;
  if (c == 0x0652) return arnorm::kSukun;
  if (c == 0x0670) return arnorm::kDaggerAlef;
  if ((c >= 0x0610 && c <= 0x061A) || (c >= 0x06D6 && c <= 0x06ED))
    return mark(c) || c == 0x06E5 || c == 0x06E6 ? std::uint32_t{arnorm::kQuranicMarks} : 0u;
  return arabic_block(c) && mark(c) ? std::uint32_t{arnorm::kOtherMarks} : 0u;
}

std::u32string one(char32_t c) { return std::u32string(1, c); }

UScriptCode script(char32_t c) {
  UErrorCode status = U_ZERO_ERROR;
  return uscript_getScript(static_cast<UChar32>(c), &status);
}
bool other_script(char32_t c) {
  UScriptCode s = script(c);
  return s != USCRIPT_ARABIC && s != USCRIPT_COMMON && s != USCRIPT_INHERITED && s != USCRIPT_UNKNOWN;
}
// DESIGN.md, joiners: their policy applies everywhere but inside another script.
bool joiner_policy_applies(char32_t before, char32_t after) { return !other_script(before) && !other_script(after); }
bool decimal_digit(char32_t c) { return (c >= U'0' && c <= U'9') || (arabic_block(c) && gc(c) == U_DECIMAL_DIGIT_NUMBER); }

// DESIGN.md's letter, mark, digit and control rules for one code point.
std::u32string map_basic(char32_t c, const Options& o) {
  const std::u32string persian_from = U"\u06A9\u06CC\u06D2\u06D3\u06C1\u06C2\u06D5\u06C0\u06C3\u06BE";
  const std::u32string persian_to = U"\u0643\u064A\u064A\u0626\u0647\u0647\u0647\u0647\u0629\u0647";
  const std::u32string loan_from = U"\u067E\u0686\u0698\u06A4\u06A5\u06AF\u06A8\u06AD\u0763";
  const std::u32string loan_to = U"\u0628\u062C\u0632\u0641\u0641\u0643\u0642\u0643\u0643";
  const std::u32string punct_from = U"\u060C\u061B\u061F\u066A\u066B\u066C\u06D4";
  const std::u32string punct_to = U",;?%.,.";
  if (o.persian_letters && persian_from.find(c) != std::u32string::npos) c = persian_to[persian_from.find(c)];
  if (o.loanword_letters && loan_from.find(c) != std::u32string::npos) c = loan_to[loan_from.find(c)];

  if (o.alef != AlefPolicy::keep && (c == 0x0622 || c == 0x0623 || c == 0x0625)) return U"\u0627";
  if (o.alef == AlefPolicy::all && (c == 0x0671 || c == 0x0672 || c == 0x0673 || c == 0x0675)) return U"\u0627";
  if (o.hamza == HamzaPolicy::to_hamza && (c == 0x0624 || c == 0x0626)) return U"\u0621";
  if (o.hamza == HamzaPolicy::to_letter && c == 0x0624) return U"\u0648";
  if (o.hamza == HamzaPolicy::to_letter && c == 0x0626) return U"\u064A";
  if (o.alef_maksura && c == 0x0649) return U"\u064A";
  if (o.teh_marbuta && c == 0x0629) return U"\u0647";
  if (o.tatweel && c == 0x0640) return U"";
  if (o.diacritics & diacritic_bit(c)) return U"";
  if (o.digits && arabic_block(c) && gc(c) == U_DECIMAL_DIGIT_NUMBER)
    return one(U'0' + static_cast<char32_t>(u_charDigitValue(static_cast<UChar32>(c))));
  if (o.punctuation && punct_from.find(c) != std::u32string::npos) return one(punct_to[punct_from.find(c)]);
  if (o.controls && c < 0x10000 && c != 0x200C && c != 0x200D && gc(c) == U_FORMAT_CHAR &&
      has(UCHAR_DEFAULT_IGNORABLE_CODE_POINT, c))
    return U"";
  if (c == 0x200C && o.zwnj == JoinerPolicy::remove) return U"";
  if (c == 0x200C && o.zwnj == JoinerPolicy::to_space) return U" ";
  if (c == 0x200D && o.zwj != JoinerPolicy::keep) return U"";  // context handled by the caller
  if (o.spaces && gc(c) == U_SPACE_SEPARATOR) return U" ";
  return one(c);
}

}  // namespace

std::string to_utf8(const std::u32string& s) {
  std::string out;
  for (char32_t c : s) {
    char buf[4];
    int32_t n = 0;
    U8_APPEND_UNSAFE(buf, n, static_cast<UChar32>(c));  // c is a scalar value: it fits in 4 bytes
    out.append(buf, static_cast<std::size_t>(n));
  }
  return out;
}

std::u32string to_utf32(std::string_view s) {
  std::u32string out;
  int32_t i = 0, n = static_cast<int32_t>(s.size());
  while (i < n) {
    UChar32 c;
    U8_NEXT(s.data(), i, n, c);
    out.push_back(static_cast<char32_t>(c < 0 ? 0xFFFD : c));
  }
  return out;
}

std::u32string map_code_point(char32_t cp, const Options& o) {
  bool presentation = (cp >= 0xFB50 && cp <= 0xFDFF) || (cp >= 0xFE70 && cp <= 0xFEFF);
  if (o.presentation_forms && presentation) {
    UErrorCode status = U_ZERO_ERROR;
    icu::UnicodeString compat =
        icu::Normalizer2::getNFKCInstance(status)->normalize(icu::UnicodeString(static_cast<UChar32>(cp)), status);
    std::string bytes;
    compat.toUTF8String(bytes);
    std::u32string parts = to_utf32(bytes);
    if (parts != one(cp)) {
      std::u32string out;
      bool marks_only = parts.size() > 1 && parts[0] == U' ';
      for (std::size_t i = 0; i < parts.size(); ++i) {
        std::u32string m = map_basic(parts[i], o);
        if (i > 0 && !m.empty()) marks_only = false;
        out += m;
      }
      return marks_only ? U"" : out;
    }
  }
  return map_basic(cp, o);
}

Outcome normalize(std::string_view in, const Options& o) {
  // 1. Decode; each ill-formed maximal subpart becomes U+FFFD (or an error).
  struct Unit {
    char32_t cp;
  };
  std::vector<Unit> units;
  std::vector<char32_t> raw;  // source code points, for the ZWJ context
  int32_t i = 0, n = static_cast<int32_t>(in.size());
  while (i < n) {
    int32_t start = i;
    UChar32 c;
    U8_NEXT(in.data(), i, n, c);
    if (c < 0) {
      if (o.invalid_utf8 == arnorm::InvalidUtf8::strict) return {false, static_cast<std::size_t>(start), {}};
      c = 0xFFFD;
    }
    units.push_back({static_cast<char32_t>(c)});
    raw.push_back(static_cast<char32_t>(c));
  }
  // 2. Map each unit; context: joiners (emoji, scripts), digit separators, tatweel seats.
  std::vector<std::u32string> outputs(units.size());
  std::vector<bool> consumed(units.size(), false);  // taken into an earlier unit's output
  auto neighbour = [&](std::size_t k, int step) -> char32_t {
    if (step < 0) return k > 0 ? raw[k - 1] : 0;
    return k + 1 < raw.size() ? raw[k + 1] : 0;
  };
  // A joiner's neighbours for their script: past combining marks (Inherited), at most 30 of them.
  auto base_neighbour = [&](std::size_t k, int step) -> char32_t {
    std::ptrdiff_t j = static_cast<std::ptrdiff_t>(k) + step;
    for (int marks = 0; marks <= 30 && j >= 0 && j < static_cast<std::ptrdiff_t>(raw.size()); ++marks, j += step)
      if (script(raw[static_cast<std::size_t>(j)]) != USCRIPT_INHERITED) return raw[static_cast<std::size_t>(j)];
    return 0;
  };
  for (std::size_t k = 0; k < units.size(); ++k) {
    char32_t c = units[k].cp;
    if (consumed[k]) continue;
    const char32_t before = neighbour(k, -1), after = neighbour(k, 1);
    if ((c == 0x200C && o.zwnj != JoinerPolicy::keep) || (c == 0x200D && o.zwj != JoinerPolicy::keep)) {
      bool emoji = c == 0x200D && o.zwj == JoinerPolicy::keep_in_emoji &&
                   (before == 0xFE0F || has(UCHAR_EXTENDED_PICTOGRAPHIC, before) || has(UCHAR_EMOJI_MODIFIER, before)) &&
                   has(UCHAR_EXTENDED_PICTOGRAPHIC, after);
      if (emoji || !joiner_policy_applies(base_neighbour(k, -1), base_neighbour(k, 1))) {
        outputs[k] = one(c);
        continue;
      }
    }
    // A separator's neighbours: the nearest characters the options do not remove.
    auto kept_neighbour = [&](std::size_t k, int step) -> char32_t {
      for (std::ptrdiff_t j = static_cast<std::ptrdiff_t>(k) + step; j >= 0 && j < static_cast<std::ptrdiff_t>(raw.size());
           j += step)
        if (!map_code_point(raw[static_cast<std::size_t>(j)], o).empty()) return raw[static_cast<std::size_t>(j)];
      return 0;
    };
    if (o.digits && !o.punctuation && (c == 0x066A || c == 0x066B || c == 0x066C) &&
        decimal_digit(kept_neighbour(k, -1)) && (c == 0x066A || decimal_digit(kept_neighbour(k, 1)))) {
      outputs[k] = c == 0x066A ? U"%" : c == 0x066B ? U"." : U",";
      continue;
    }
    if (c == 0x0640 && o.tatweel && o.compose) {
      // The marks after a removed tatweel: one kept keeps the tatweel; else a hamza above makes it ء.
      bool kept = false;
      std::size_t hamza = 0;
      for (std::size_t j = k + 1; j < units.size() && ccc(units[j].cp) != 0; ++j) {
        if (!map_code_point(units[j].cp, o).empty()) kept = true;
        if (units[j].cp == 0x0654 && !hamza) hamza = j;
      }
      if (kept) {
        outputs[k] = one(c);
        continue;
      }
      if (hamza) {
        outputs[k] = U"\u0621";
        for (std::size_t j = k + 1; j <= hamza; ++j) consumed[j] = true;
        continue;
      }
    }
    outputs[k] = map_code_point(c, o);
  }
  // 3. Compose: the last character a unit outputs takes each following
  //    Arabic hamza/madda mark it composes with (ICU's composePair) unless a
  //    kept mark of equal or higher combining class stands between; removed
  //    characters are transparent, a removed tatweel is not (its marks are its
//    own); at most 30 kept marks are passed.
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  if (o.compose) {
    for (std::size_t k = 0; k < units.size(); ++k) {
      if (consumed[k] || outputs[k].empty() || ccc(units[k].cp) != 0) continue;
      int max_ccc = 0, kept = 0;
      for (std::size_t j = k + 1; j < units.size(); ++j) {
        if (consumed[j]) continue;
        char32_t m = units[j].cp;
        if (m == 0x0640 && o.tatweel) break;
        bool hamza_madda = m == 0x0653 || m == 0x0654 || m == 0x0655;
        // The source letter composes first (canonical equivalence), then the letter it became.
        UChar32 canonical = nfc->composePair(static_cast<UChar32>(units[k].cp), static_cast<UChar32>(m));
        UChar32 folded = nfc->composePair(static_cast<UChar32>(outputs[k].back()), static_cast<UChar32>(m));
        if (hamza_madda && ccc(m) > max_ccc && canonical >= 0) {
          units[k].cp = static_cast<char32_t>(canonical);
          outputs[k] = map_code_point(units[k].cp, o);
          outputs[j].clear();
          consumed[j] = true;
          continue;
        }
        if (hamza_madda && ccc(m) > max_ccc && folded >= 0) {
          outputs[k].pop_back();
          outputs[k] += map_code_point(static_cast<char32_t>(folded), o);
          outputs[j].clear();
          consumed[j] = true;  // behaves as removed from here on
          continue;
        }
        if (outputs[j].empty()) continue;
        if (ccc(m) == 0 || ++kept > 30) break;
        max_ccc = std::max(max_ccc, ccc(m));
      }
    }
  }
  std::u32string out;
  for (const auto& u : outputs) out += u;
  // 4. Collapse spaces, then reduce runs of 3+ identical Arabic letters to one.
  std::u32string collapsed;
  for (char32_t c : out)
    if (!(o.collapse_spaces && c == U' ' && !collapsed.empty() && collapsed.back() == U' ')) collapsed += c;
  std::u32string result;
  for (std::size_t k = 0; k < collapsed.size();) {
    std::size_t j = k;
    while (j < collapsed.size() && collapsed[j] == collapsed[k]) ++j;
    bool letter = arabic_block(collapsed[k]) && gc(collapsed[k]) == U_OTHER_LETTER;
    result.append(o.elongation && letter && j - k >= 3 ? 1 : j - k, collapsed[k]);
    k = j;
  }
  return {true, 0, to_utf8(result)};
}

}  // namespace arnorm_reference
