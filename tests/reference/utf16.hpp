// UTF-16 for the tests and fuzz targets of Normalizer::normalize_utf16_prefix.
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

// Valid UTF-8 `in` as UTF-16 through the prefix, again and again, with the
// text from where it stopped up to the next ASCII character normalized as
// UTF-8 in between (as the Python binding does); all of it as UTF-8 when the
// first prefix takes nothing. Must equal n.normalize(in).
inline std::string normalize_utf16_alternating(const arnorm::Normalizer& n, const std::string& in) {
  const std::u16string units = to_utf16(to_utf32(in));
  std::u16string head(units.size(), u'\0');
  std::string out;
  for (std::size_t pos = 0; pos < units.size();) {
    const std::u16string_view rest = std::u16string_view(units).substr(pos);
    const arnorm::Utf16Prefix p = n.normalize_utf16_prefix(rest, head.data());
    if (pos == 0 && p.stop == 0) return n.normalize(in);
    out += utf16_to_utf8(std::u16string_view(head).substr(0, p.written));
    if (p.consumed == rest.size()) break;
    std::size_t cut = pos + p.stop + 1;
    while (cut < units.size() && units[cut] >= 0x80) ++cut;
    cut = std::min(cut, units.size());
    out += n.normalize(utf16_to_utf8(std::u16string_view(units).substr(pos + p.consumed, cut - pos - p.consumed)));
    pos = cut;
  }
  return out;
}

}  // namespace arnorm_reference
