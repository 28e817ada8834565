#pragma once

#include <arnorm/arnorm.hpp>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "reference.hpp"

namespace arnorm_test {

// Decodes the golden file's escapes: \uXXXX, \UXXXXXXXX, \t, \\.
inline std::string unescape(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\\' || i + 1 >= s.size()) {
      out += s[i];
      continue;
    }
    char k = s[++i];
    if (k == 't')
      out += '\t';
    else if (k == '\\')
      out += '\\';
    else if (k == 'u' || k == 'U') {
      std::size_t digits = k == 'u' ? 4 : 8;
      char32_t cp = static_cast<char32_t>(std::stoul(s.substr(i + 1, digits), nullptr, 16));
      out += arnorm_reference::to_utf8(std::u32string(1, cp));
      i += digits;
    } else {
      out += '\\';
      out += k;
    }
  }
  return out;
}

// "search,collapse_spaces=true" -> Options.
inline arnorm::Options parse_options(const std::string& spec) {
  std::size_t comma = spec.find(',');
  arnorm::Options o = arnorm::Options::profile(spec.substr(0, comma));
  while (comma != std::string::npos) {
    std::size_t next = spec.find(',', comma + 1);
    std::string item = spec.substr(comma + 1, next == std::string::npos ? std::string::npos : next - comma - 1);
    std::size_t eq = item.find('=');
    o.set(item.substr(0, eq), item.substr(eq + 1));
    comma = next;
  }
  return o;
}

inline bool valid_utf8(const std::string& s) {
  std::u32string cps = arnorm_reference::to_utf32(s);
  return arnorm_reference::to_utf8(cps) == s;
}

// Random text drawn from every class of character the rules care about,
// plus text they must leave alone.
class TextGenerator {
 public:
  explicit TextGenerator(std::uint64_t seed) : rng_(seed) {}

  char32_t code_point() {
    static const std::u32string kInteresting =
        U"\u0627\u0623\u0625\u0622\u0671\u0672\u0673\u0675\u0624\u0626\u0621\u0648\u064A\u0649\u0629\u0647"
        U"\u0640\u064B\u064C\u064D\u064E\u064F\u0650\u0651\u0652\u0653\u0654\u0655\u0670\u0610\u06D6\u06E5"
        U"\u06DD\u06DE\u08F0\u06A9\u06CC\u06D2\u06C1\u06D5\u06C0\u06C3\u067E\u0686\u0698\u06A4\u06AF"
        U"\u0660\u0669\u06F0\u06F9\u060C\u061B\u061F\u066B\u200E\u200F\u061C\u202B\u2067\u200B\uFEFF\u00AD"
        U"\u200C\u200D\u00A0\u2003\u3000\u0020\u0020\u0020\uFEFB\uFDF2\uFDFA\uFE70\uFE71\uFC5E\uFE8D\uFB50"
        U"\U0001F468\U0001F469\u2764\uFE0F\U0001F3FD\u0301\u0300\u0316\u05B0\u0062\u0633\u0644\u0645\u0646";
    std::uint32_t kind = rng_() % 10;
    if (kind < 6) return kInteresting[rng_() % kInteresting.size()];
    if (kind < 8) return 0x0600 + rng_() % 0x300;              // the Arabic blocks
    if (kind < 9) return 0xFB50 + rng_() % (0xFEFF - 0xFB50);  // presentation forms and neighbours
    for (;;) {                                                 // anything at all
      char32_t c = rng_() % 0x110000;
      if (c < 0xD800 || c > 0xDFFF) return c;
    }
  }

  std::string text(std::size_t max_len, bool allow_invalid = false) {
    std::size_t len = rng_() % (max_len + 1);
    std::string s;
    for (std::size_t i = 0; i < len; ++i) {
      if (allow_invalid && rng_() % 40 == 0) {
        static const char* const kBad[] = {"\x80", "\xC0\xAF", "\xE0\x80\x80", "\xED\xA0\x80", "\xF4\x90\x80\x80",
                                           "\xFF", "\xE2\x82", "\xF0\x9F\x98", "\xC3"};
        s += kBad[rng_() % 9];
      } else {
        s += arnorm_reference::to_utf8(std::u32string(1, code_point()));
      }
    }
    return s;
  }

  arnorm::Options options() {
    auto names = arnorm::Options::profile_names();
    arnorm::Options o = arnorm::Options::profile(names[rng_() % names.size()]);
    const char* const kBools[] = {
        "compose",         "alef_maksura",     "teh_marbuta", "tatweel",     "presentation_forms",
        "persian_letters", "loanword_letters", "digits",      "punctuation", "controls",
        "spaces",          "collapse_spaces",  "elongation"};
    for (const char* name : kBools)
      if (rng_() % 4 == 0) o.set(name, rng_() % 2 ? "true" : "false");
    if (rng_() % 4 == 0) o.set("alef", std::vector<std::string>{"keep", "hamza_forms", "all"}[rng_() % 3]);
    if (rng_() % 4 == 0) o.set("hamza", std::vector<std::string>{"keep", "to_hamza", "to_letter"}[rng_() % 3]);
    if (rng_() % 4 == 0) o.diacritics = static_cast<std::uint32_t>(rng_() % 64);
    if (rng_() % 4 == 0) o.set("zwnj", std::vector<std::string>{"keep", "remove", "to_space"}[rng_() % 3]);
    if (rng_() % 4 == 0) o.set("zwj", std::vector<std::string>{"keep", "remove", "keep_in_emoji"}[rng_() % 3]);
    o.invalid_utf8 = rng_() % 2 ? arnorm::InvalidUtf8::replace : arnorm::InvalidUtf8::strict;
    return o;
  }

  std::mt19937_64& rng() { return rng_; }

 private:
  std::mt19937_64 rng_;
};

}  // namespace arnorm_test
