// The Unicode facts the rules read (rules.cpp, tables.cpp), compiled in from
// unicode_data.inc, which tools/gen_unicode_data.cpp generates from ICU and
// pins to one Unicode version: the library itself needs no ICU.
#pragma once

#include <cstdint>
#include <string>

namespace arnorm::detail::ucd {

// General_Category, numbered as ICU's UCharCategory.
enum class Category : std::uint8_t {
  Cn = 0, Lu, Ll, Lt, Lm, Lo, Mn, Me, Mc, Nd, Nl, No, Zs, Zl, Zp, Cc, Cf, Co, Cs,
  Pd, Ps, Pe, Pc, Po, Sm, Sc, Sk, So, Pi, Pf,
};

// The Script property, as coarse as the joiner rules need it.
enum class ScriptClass : std::uint8_t {
  neutral = 0,    // Common or Unknown
  arabic = 1,
  inherited = 2,  // combining marks that take their base's script
  other = 3,      // any other script (Latin, Devanagari...)
};

struct Run {
  char32_t first;
  std::uint8_t value;  // holds from `first` to the next run
};
struct Range {
  char32_t first, last;
};
struct Composition {
  char32_t base, mark, composed;
};
struct Compat {
  char32_t cp;
  std::uint16_t offset, length;  // into kCompatText
};

const char* unicode_version();
Category category(char32_t cp);
std::uint8_t combining_class(char32_t cp);
ScriptClass script_class(char32_t cp);
bool is_mark(char32_t cp);  // Mn, Me or Mc
bool is_default_ignorable(char32_t cp);
bool is_extended_pictographic(char32_t cp);
bool is_emoji_modifier(char32_t cp);
bool in_arabic_block(char32_t cp);  // Arabic, its Supplement, Extended-A/B/C and Presentation Forms-A/B
int digit_value(char32_t cp);       // the value of a decimal digit (Nd), or -1
// NFKC of an Arabic presentation form (cp itself for any other character).
std::u32string presentation_form_nfkc(char32_t cp);
template <class T>
struct Span {
  const T *first, *last;
  const T* begin() const { return first; }
  const T* end() const { return last; }
};
// Every primary composite of two code points but the Hangul syllables, sorted by (base, mark).
Span<Composition> compositions();
// The canonical combining classes as runs over all of Unicode.
Span<Run> combining_class_runs();

}  // namespace arnorm::detail::ucd
