// UTF-16 for the tests and fuzz targets of the UTF-16 overloads: the slow, obvious conversions.
#pragma once

#include <algorithm>
#include <arnorm/arnorm.hpp>
#include <string>
#include <string_view>

#include "reference.hpp"

namespace arnorm_reference {

inline std::u16string to_utf16(const std::u32string& cps) {
  std::u16string out;
  for (char32_t c : cps) {
    if (c < 0x10000) {
      out += static_cast<char16_t>(c);
    } else {
      out += static_cast<char16_t>(0xD800 + ((c - 0x10000) >> 10));
      out += static_cast<char16_t>(0xDC00 + ((c - 0x10000) & 0x3FF));
    }
  }
  return out;
}

inline std::string utf16_to_utf8(std::u16string_view s) {
  std::u32string cps;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char32_t c = s[i];
    if (c >= 0xD800 && c < 0xDC00 && i + 1 < s.size()) c = 0x10000 + ((c - 0xD800) << 10) + (s[++i] - 0xDC00);
    cps += c;
  }
  return to_utf8(cps);
}

// The UTF-16 overload's output as UTF-8, checked on the way: `in` is valid
// UTF-8 (UTF-16 cannot hold invalid UTF-8). Appends after a prefix already in
// the output, which must stay. `why` names a failure, empty when none.
inline std::string normalize_as_utf16(const arnorm::Normalizer& n, const std::string& in, std::string& why,
                                      arnorm::Surrogates s = arnorm::Surrogates::pairs) {
  const std::u16string units = to_utf16(to_utf32(in));
  const std::u16string before = u"\u00ABx";
  std::u16string out = before;
  const arnorm::Result r = n.normalize_into(units, out, s);
  if (!r.ok()) why = "error " + std::to_string(static_cast<int>(r.error)) + " at " + std::to_string(r.position);
  else if (out.compare(0, before.size(), before) != 0) why = "the output's old content changed";
  return r.ok() ? utf16_to_utf8(std::u16string_view(out).substr(before.size())) : std::string();
}

}  // namespace arnorm_reference
