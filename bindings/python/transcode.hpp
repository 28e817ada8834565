// Between CPython's string storage (PEP 393: one, two or four bytes a
// character) and UTF-8. Two-byte storage, which most Arabic text is in, has an
// AVX-512 (BW, VBMI2) path chosen at run time that does 32 characters at a
// time while they are below U+0800 (the last, short block read with a mask); scalar
// loops do the rest and give the same
// result (a test compares them).
#pragma once

#include <cstddef>
#include <cstdint>

namespace arnorm_py {

// Writes the UTF-8 of `n` units to `out` (room for 2, 3 or 4 bytes a unit for
// the three widths). Returns the bytes written, or -1 at a lone surrogate
// (its index in *bad).
std::ptrdiff_t to_utf8(const std::uint8_t* in, std::size_t n, char* out, std::size_t* bad);
std::ptrdiff_t to_utf8(const std::uint16_t* in, std::size_t n, char* out, std::size_t* bad);
std::ptrdiff_t to_utf8(const std::uint32_t* in, std::size_t n, char* out, std::size_t* bad);

// Decodes valid UTF-8 whose code points all fit the unit into `out` (room
// for one unit per code point).
void from_utf8(const unsigned char* in, std::size_t len, std::uint8_t* out);
void from_utf8(const unsigned char* in, std::size_t len, std::uint16_t* out);
void from_utf8(const unsigned char* in, std::size_t len, std::uint32_t* out);

// How many code points valid UTF-8 holds, and its largest byte (which bounds
// its widest character), to size a str before decoding into it.
struct Utf8Shape {
  std::size_t code_points = 0;
  unsigned widest_byte = 0;
};
Utf8Shape measure_utf8(const unsigned char* in, std::size_t len);

// Tests turn the vector path off to compare it with the scalar one.
void allow_vector_transcoding(bool allowed);

}  // namespace arnorm_py
