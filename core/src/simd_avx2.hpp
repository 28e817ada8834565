// AVX2 helpers shared by the hot loop's AVX2 path and the AVX2 conversions
// (x86-64, GCC and Clang only: each user guards its include).
#pragma once

#include <immintrin.h>

#include <cstdint>

#define ARNORM_AVX2 __attribute__((target("avx2,popcnt")))

namespace arnorm::detail::avx2 {

// For each 8-bit keep mask, the pshufb indices that move the kept items of a
// group of eight to its front: bytes (Size 1) or 16-bit units (Size 2). For
// bytes, the entry holds the indices of bytes 0-7 in its first half and of
// bytes 8-15 in its second.
template <int Size>
struct PackTable {
  alignas(16) std::uint8_t entry[256][16];
  constexpr PackTable() : entry{} {
    for (int m = 0; m < 256; ++m) {
      int k = 0;
      for (int i = 0; i < 8; ++i)
        if (m >> i & 1) {
          if (Size == 1) {
            entry[m][k] = static_cast<std::uint8_t>(i);
            entry[m][8 + k] = static_cast<std::uint8_t>(i + 8);
          } else {
            entry[m][2 * k] = static_cast<std::uint8_t>(2 * i);
            entry[m][2 * k + 1] = static_cast<std::uint8_t>(2 * i + 1);
          }
          ++k;
        }
      for (int j = Size * k; j < 8 * Size; ++j) {  // pshufb writes 0: past the kept items
        entry[m][j] = 0x80;
        if (Size == 1) entry[m][8 + j] = 0x80;
      }
    }
  }
};
inline constexpr PackTable<1> kPackBytes;
inline constexpr PackTable<2> kPackUnits;

// Writes the bytes of `bytes` whose bit is set in `keep` (16 bits) to w,
// and up to 7 bytes past them.
ARNORM_AVX2 inline char* pack16(__m128i bytes, unsigned keep, char* w) {
  const unsigned m0 = keep & 0xFF, m1 = keep >> 8 & 0xFF;
  const __m128i shuffle = _mm_blend_epi32(_mm_load_si128(reinterpret_cast<const __m128i*>(kPackBytes.entry[m0])),
                                          _mm_load_si128(reinterpret_cast<const __m128i*>(kPackBytes.entry[m1])), 0xC);
  const __m128i packed = _mm_shuffle_epi8(bytes, shuffle);
  _mm_storel_epi64(reinterpret_cast<__m128i*>(w), packed);
  w += __builtin_popcount(m0);
  _mm_storel_epi64(reinterpret_cast<__m128i*>(w), _mm_unpackhi_epi64(packed, packed));
  return w + __builtin_popcount(m1);
}

// Writes the 16-bit units of `units` whose bit is set in `keep` (8 bits) to
// w, and up to 7 units past them.
ARNORM_AVX2 inline char16_t* pack8_units(__m128i units, unsigned keep, char16_t* w) {
  const __m128i shuffle = _mm_load_si128(reinterpret_cast<const __m128i*>(kPackUnits.entry[keep]));
  _mm_storeu_si128(reinterpret_cast<__m128i*>(w), _mm_shuffle_epi8(units, shuffle));
  return w + __builtin_popcount(keep);
}

}  // namespace arnorm::detail::avx2
