// What one code point becomes under Options, by the documented rules
// (rules.cpp); tables.cpp compiles these answers into lookup tables.
#pragma once

#include <string>
#include <utility>

#include "arnorm/arnorm.hpp"

namespace arnorm::detail {

struct Mapping {
  std::u32string text;  // empty: deleted
  Rule rule = Rule::compose;
  bool changed = false;
};

// One code point under every rule, presentation forms first.
Mapping map_code_point(char32_t cp, const Options& o);

// Only characters in these ranges can be changed by some rule; everything
// else keeps its bytes (the every-scalar-value test checks this claim).
inline constexpr std::pair<char32_t, char32_t> kRuleRanges[] = {
    {0x0020, 0x0020}, {0x00A0, 0x00AD}, {0x0600, 0x08FF}, {0x1680, 0x1680}, {0x180E, 0x180E},
    {0x2000, 0x206F}, {0x3000, 0x3000}, {0xFB50, 0xFDFF}, {0xFE70, 0xFEFF}, {0x10EC0, 0x10EFF},
};
inline bool in_rule_ranges(char32_t cp) {
  for (const auto& r : kRuleRanges)
    if (cp >= r.first && cp <= r.second) return true;
  return false;
}
// The marks (hamza above and below, madda) whose canonical pairs are composed.
bool is_composing_mark(char32_t cp);

}  // namespace arnorm::detail
