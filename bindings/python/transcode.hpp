// Between CPython's two-byte string storage (PEP 393 UCS-2: every str whose
// widest character is in U+0100-U+FFFF, which is most Arabic text) and UTF-8.
// An AVX-512 (BW, VBMI2) path, chosen at run time, does 32 characters at a
// time while they are below U+0800; a scalar loop does the rest and gives
// the same bytes (a test compares them).
#pragma once

#include <cstddef>
#include <cstdint>

namespace arnorm_py {

// Writes the UTF-8 of `n` UCS-2 units to `out` (room for 3 * n bytes).
// Returns the bytes written, or -1 at a lone surrogate (its index in *bad).
std::ptrdiff_t ucs2_to_utf8(const std::uint16_t* in, std::size_t n, char* out, std::size_t* bad);

// Decodes valid UTF-8 whose code points are all below U+10000 into `out`
// (room for one unit per code point).
void utf8_to_ucs2(const unsigned char* in, std::size_t len, std::uint16_t* out);

// Tests turn the vector path off to compare it with the scalar one.
void allow_vector_transcoding(bool allowed);

}  // namespace arnorm_py
