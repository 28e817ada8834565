// Between UTF-8 and text stored one, two or four bytes a code point (Latin-1,
// UTF-16, UTF-32), as hosts keep it: CPython's strs (PEP 393), Java, Qt, ICU.
// Each function is named by what it reads; the `valid_utf8_` ones trust their
// input (the normalizer's output is valid UTF-8). The SIMD paths follow
// simd_path() and its ARNORM_SIMD cap; every path gives the same output.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "arnorm/arnorm.hpp"

namespace arnorm {

// What a conversion did: on success `count` is the bytes or units written; on
// error it is the index of the first input unit that could not be taken.
struct Converted {
  Error error = Error::ok;
  std::size_t count = 0;
  bool ok() const { return error == Error::ok; }
};

// To UTF-8; `out` has room for 2, 3 or 4 bytes an input unit.
std::size_t latin1_to_utf8(const std::uint8_t* in, std::size_t n, char* out) noexcept;
// Error::invalid_utf16 at a lone surrogate (under Surrogates::lone, at any surrogate).
Converted utf16_to_utf8(const char16_t* in, std::size_t n, char* out, Surrogates surrogates = Surrogates::pairs) noexcept;
// Error::invalid_utf32 at a surrogate or a value above U+10FFFF.
Converted utf32_to_utf8(const char32_t* in, std::size_t n, char* out) noexcept;

// From valid UTF-8 whose code points fit the target (Latin-1: U+0000-U+00FF;
// UTF-16 writes a pair above U+FFFF); `out` has room for the units they
// write, and nothing past them is touched (below U+10000, as many units as
// valid_utf8_shape counts code points). They return the units written.
std::size_t valid_utf8_to_latin1(std::string_view in, std::uint8_t* out) noexcept;
std::size_t valid_utf8_to_utf16(std::string_view in, char16_t* out) noexcept;
std::size_t valid_utf8_to_utf32(std::string_view in, char32_t* out) noexcept;

// How many code points valid UTF-8 holds and its largest byte, which bounds its
// widest character (below 0x80: ASCII; below 0xC4: Latin-1; below 0xF0: the BMP),
// to size a host string before decoding into it.
struct Utf8Shape {
  std::size_t code_points = 0;
  unsigned widest_byte = 0;
};
Utf8Shape valid_utf8_shape(std::string_view in) noexcept;

// The bytes of the maximal ill-formed subpart of UTF-8 at `position` (Unicode
// section 3.9; at least 1): an error's end as Python's decoder reports it
// (b"\xe0\xa0" is one subpart of two bytes).
std::size_t utf8_error_length(std::string_view in, std::size_t position) noexcept;

}  // namespace arnorm
