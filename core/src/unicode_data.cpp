// Lookups over the generated Unicode tables (unicode_data.inc).
#include "unicode_data.hpp"

#include <algorithm>
#include <iterator>

namespace arnorm::detail::ucd {

#include "unicode_data.inc"

namespace {

template <std::size_t N>
std::uint8_t run_value(const Run (&runs)[N], char32_t cp) {
  auto it = std::upper_bound(std::begin(runs), std::end(runs), cp, [](char32_t c, const Run& r) { return c < r.first; });
  return it == std::begin(runs) ? 0 : std::prev(it)->value;
}

template <std::size_t N>
bool in_ranges(const Range (&ranges)[N], char32_t cp) {
  auto it = std::upper_bound(std::begin(ranges), std::end(ranges), cp,
                             [](char32_t c, const Range& r) { return c < r.first; });
  return it != std::begin(ranges) && cp <= std::prev(it)->last;
}

}  // namespace

const char* unicode_version() { return kUnicodeVersion; }

Category category(char32_t cp) { return static_cast<Category>(run_value(kGeneralCategory, cp)); }

std::uint8_t combining_class(char32_t cp) { return run_value(kCombiningClass, cp); }

ScriptClass script_class(char32_t cp) { return static_cast<ScriptClass>(run_value(kScriptClass, cp)); }

bool is_mark(char32_t cp) {
  Category c = category(cp);
  return c == Category::Mn || c == Category::Me || c == Category::Mc;
}

bool is_default_ignorable(char32_t cp) { return in_ranges(kDefaultIgnorable, cp); }

bool is_extended_pictographic(char32_t cp) { return in_ranges(kExtendedPictographic, cp); }

bool is_emoji_modifier(char32_t cp) { return in_ranges(kEmojiModifier, cp); }

bool in_arabic_block(char32_t cp) { return in_ranges(kArabicBlocks, cp); }

int digit_value(char32_t cp) {
  auto it = std::upper_bound(std::begin(kDigitZeros), std::end(kDigitZeros), cp);
  if (it == std::begin(kDigitZeros) || cp - *std::prev(it) >= 10) return -1;
  return static_cast<int>(cp - *std::prev(it));
}

std::u32string presentation_form_nfkc(char32_t cp) {
  auto it = std::lower_bound(std::begin(kPresentationForms), std::end(kPresentationForms), cp,
                             [](const Compat& c, char32_t x) { return c.cp < x; });
  if (it == std::end(kPresentationForms) || it->cp != cp) return std::u32string(1, cp);
  return std::u32string(kCompatText + it->offset, kCompatText + it->offset + it->length);
}

Span<Composition> compositions() { return {std::begin(kCompositions), std::end(kCompositions)}; }

Span<Run> combining_class_runs() { return {std::begin(kCombiningClass), std::end(kCombiningClass)}; }

}  // namespace arnorm::detail::ucd
