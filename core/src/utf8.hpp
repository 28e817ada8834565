// UTF-8 decoding shared by the engine and the stream: validates as it goes
// and reports the maximal subpart of an ill-formed sequence (Unicode 15,
// section 3.9, "U+FFFD Substitution of Maximal Subparts").
#pragma once

#include <cstddef>
#include <string>

namespace arnorm::detail {

struct Decoded {
  char32_t cp;
  unsigned len;  // bytes consumed; for an ill-formed sequence, its maximal subpart
  bool ok;
};

inline Decoded decode_utf8(const unsigned char* p, const unsigned char* end) {
  const unsigned b = p[0];
  const std::size_t avail = static_cast<std::size_t>(end - p);
  auto cont = [&](std::size_t i) { return i < avail && (p[i] & 0xC0) == 0x80; };
  if (b < 0x80) return {b, 1, true};
  if (b < 0xC2) return {0, 1, false};
  if (b < 0xE0) {
    if (!cont(1)) return {0, 1, false};
    return {static_cast<char32_t>(((b & 0x1F) << 6) | (p[1] & 0x3F)), 2, true};
  }
  if (b < 0xF5) {
    // The second byte's range excludes overlongs, surrogates and values above U+10FFFF.
    unsigned lo = 0x80, hi = 0xBF;
    if (b == 0xE0) lo = 0xA0;
    if (b == 0xED) hi = 0x9F;
    if (b == 0xF0) lo = 0x90;
    if (b == 0xF4) hi = 0x8F;
    if (avail < 2 || p[1] < lo || p[1] > hi) return {0, 1, false};
    if (!cont(2)) return {0, 2, false};
    if (b < 0xF0) return {static_cast<char32_t>(((b & 0x0F) << 12) | ((p[1] & 0x3F) << 6) | (p[2] & 0x3F)), 3, true};
    if (!cont(3)) return {0, 3, false};
    return {static_cast<char32_t>(((b & 0x07) << 18) | ((p[1] & 0x3F) << 12) | ((p[2] & 0x3F) << 6) | (p[3] & 0x3F)), 4,
            true};
  }
  return {0, 1, false};
}

// The scalar value that ends exactly at `p`, or 0 when there is none.
inline char32_t decode_utf8_before(const unsigned char* begin, const unsigned char* p) {
  const unsigned char* q = p;
  for (int i = 0; i < 4 && q > begin; ++i) {
    --q;
    if ((*q & 0xC0) != 0x80) {
      Decoded d = decode_utf8(q, p);
      return d.ok && q + d.len == p ? d.cp : 0;
    }
  }
  return 0;
}

// Appends the UTF-8 form of scalar value c.
inline void append_utf8(std::string& s, char32_t c) {
  if (c < 0x80) {
    s += static_cast<char>(c);
  } else if (c < 0x800) {
    s += static_cast<char>(0xC0 | (c >> 6));
    s += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    s += static_cast<char>(0xE0 | (c >> 12));
    s += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    s += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    s += static_cast<char>(0xF0 | (c >> 18));
    s += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    s += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    s += static_cast<char>(0x80 | (c & 0x3F));
  }
}

inline std::size_t utf8_length(unsigned char lead) { return lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4; }

}  // namespace arnorm::detail
