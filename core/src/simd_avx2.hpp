// AVX2 helpers shared by the hot loop's AVX2 path and the AVX2 conversions
// (x86-64, GCC and Clang only: each user guards its include).
#pragma once

#include <immintrin.h>

#include <cstdint>

#include "simd.hpp"

#define ARNORM_AVX2 __attribute__((target("avx2,popcnt")))

namespace arnorm::detail::avx2 {

// Writes the bytes of `bytes` whose bit is set in `keep` (16 bits) to w,
// and up to 7 bytes past them.
ARNORM_AVX2 inline char* pack16(__m128i bytes, unsigned keep, char* w) {
  const unsigned m0 = keep & 0xFF, m1 = keep >> 8 & 0xFF;
  const auto entry = [](unsigned m) { return _mm_load_si128(reinterpret_cast<const __m128i*>(kPackBytes.entry[m])); };
  const __m128i shuffle = _mm_blend_epi32(entry(m0), entry(m1), 0xC);
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
