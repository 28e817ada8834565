// Conversions between UTF-8 and Latin-1, UTF-16 and UTF-32 (see
// arnorm/transcode.hpp). UTF-16 has AVX-512 (BW, VBMI2), AVX2 and NEON paths
// for the characters below U+0800 that most Arabic text is made of; scalar
// loops do the rest and give the same result (a test compares them).
#include "arnorm/transcode.hpp"

#include "simd.hpp"
#include "utf8.hpp"

namespace arnorm {
namespace {

bool is_surrogate(std::uint32_t c) { return c >= 0xD800 && c <= 0xDFFF; }

// The scalar loop for every width: the reference for the SIMD path, and its
// fallback. Returns false at a unit it cannot take (its index in *bad): a
// lone surrogate (any surrogate unless `pairs`), or a value above U+10FFFF.
template <class Unit>
bool to_utf8_scalar(const Unit* in, std::size_t n, char*& w, std::size_t first, std::size_t* bad, bool pairs) {
  for (std::size_t i = 0; i < n; ++i) {
    std::uint32_t c = in[i];
    if (c < 0x80) {
      *w++ = static_cast<char>(c);
      continue;
    }
    if (c < 0x800) {
      *w++ = static_cast<char>(0xC0 | (c >> 6));
      *w++ = static_cast<char>(0x80 | (c & 0x3F));
      continue;
    }
    if (is_surrogate(c)) {
      const bool paired = pairs && c < 0xDC00 && i + 1 < n && in[i + 1] >= 0xDC00 && in[i + 1] <= 0xDFFF;
      if (!paired) {
        *bad = first + i;
        return false;
      }
      c = 0x10000 + ((c - 0xD800) << 10) + (in[++i] - 0xDC00);
    }
    if (c < 0x10000) {
      *w++ = static_cast<char>(0xE0 | (c >> 12));
      *w++ = static_cast<char>(0x80 | ((c >> 6) & 0x3F));
      *w++ = static_cast<char>(0x80 | (c & 0x3F));
    } else if (c < 0x110000) {
      *w++ = static_cast<char>(0xF0 | (c >> 18));
      *w++ = static_cast<char>(0x80 | ((c >> 12) & 0x3F));
      *w++ = static_cast<char>(0x80 | ((c >> 6) & 0x3F));
      *w++ = static_cast<char>(0x80 | (c & 0x3F));
    } else {
      *bad = first + i;
      return false;
    }
  }
  return true;
}

template <class Unit>
Converted to_utf8_all(const Unit* in, std::size_t n, char* out, Error error, bool pairs) {
  char* w = out;
  std::size_t bad = 0;
  if (!to_utf8_scalar(in, n, w, 0, &bad, pairs)) return {error, bad};
  return {Error::ok, static_cast<std::size_t>(w - out)};
}

// The block of `here` units at i by the scalar loop (with the next unit when
// it ends in a high surrogate): the SIMD paths' fallback. Advances i.
[[maybe_unused]] bool to_utf8_block(const char16_t* in, std::size_t n, std::size_t& i, std::size_t here, char*& w,
                                    bool pairs, std::size_t* bad) {
  if (pairs && i + here < n && in[i + here - 1] >= 0xD800 && in[i + here - 1] < 0xDC00) ++here;
  if (!to_utf8_scalar(in + i, here, w, i, bad, pairs)) return false;
  i += here;
  return true;
}

// One character of valid UTF-8 into `w` (a pair above U+FFFF when the unit is
// 16 bits); returns its length in bytes and advances w.
template <class Unit>
std::size_t decode_one(const unsigned char* p, Unit*& w) {
  const std::uint32_t b = p[0];
  if (b < 0x80) {
    *w++ = static_cast<Unit>(b);
    return 1;
  }
  if (b < 0xE0) {
    *w++ = static_cast<Unit>(((b & 0x1F) << 6) | (p[1] & 0x3F));
    return 2;
  }
  if (b < 0xF0) {
    *w++ = static_cast<Unit>(((b & 0x0F) << 12) | ((p[1] & 0x3F) << 6) | (p[2] & 0x3F));
    return 3;
  }
  const std::uint32_t c = ((b & 0x07) << 18) | ((p[1] & 0x3F) << 12) | ((p[2] & 0x3F) << 6) | (p[3] & 0x3F);
  if constexpr (sizeof(Unit) == 2) {
    *w++ = static_cast<Unit>(0xD800 + ((c - 0x10000) >> 10));
    *w++ = static_cast<Unit>(0xDC00 + ((c - 0x10000) & 0x3FF));
  } else {
    *w++ = static_cast<Unit>(c);
  }
  return 4;
}

template <class Unit>
std::size_t from_utf8_all(const unsigned char* in, std::size_t len, Unit* out) {
  Unit* w = out;
  for (const unsigned char* end = in + len; in < end;) in += decode_one(in, w);
  return static_cast<std::size_t>(w - out);
}

Utf8Shape shape_scalar(const unsigned char* p, std::size_t len) {
  Utf8Shape shape;
  for (std::size_t i = 0; i < len; ++i) {
    shape.code_points += (p[i] & 0xC0) != 0x80;
    shape.widest_byte = p[i] > shape.widest_byte ? p[i] : shape.widest_byte;
  }
  return shape;
}

const unsigned char* bytes(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }

}  // namespace
}  // namespace arnorm

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>

// GCC 12 flags the undefined pass-through operand inside its own intrinsic headers.
#if !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"
#endif

#define ARNORM_AVX512_BMI2 __attribute__((target("avx512f,avx512bw,avx512vbmi2,bmi2,popcnt")))

#include "simd_avx2.hpp"

namespace arnorm {
namespace {

bool avx512_on() { return detail::simd_level() == detail::SimdLevel::avx512; }

// 32 units at a time: each below U+0080 gives its own byte, each below U+0800
// a lead and a trail byte (as one 16-bit lane), and vpcompressb drops the
// unused high byte of the ASCII lanes. The last, short block is read with a
// mask, so a short line needs no scalar tail. A block with anything wider goes
// to the scalar loop (with the next unit when it ends in a high surrogate).
ARNORM_AVX512_BMI2 Converted utf16_to_utf8_avx512(const char16_t* in, std::size_t n, char* out, bool pairs) {
  char* w = out;
  const __m512i x80 = _mm512_set1_epi16(0x80), x800 = _mm512_set1_epi16(0x800);
  const __m512i xC0 = _mm512_set1_epi16(0xC0), x3F = _mm512_set1_epi16(0x3F);
  for (std::size_t i = 0; i < n;) {
    std::size_t here = n - i < 32 ? n - i : 32;
    const __mmask32 valid = here == 32 ? ~0u : (1u << here) - 1;
    const __m512i u = _mm512_maskz_loadu_epi16(valid, in + i);
    if (_mm512_cmpge_epu16_mask(u, x800)) {
      std::size_t bad = 0;
      if (!to_utf8_block(in, n, i, here, w, pairs, &bad)) return {Error::invalid_utf16, bad};
      continue;
    }
    const __mmask32 ascii = _mm512_cmplt_epu16_mask(u, x80);
    const __m512i lead = _mm512_or_si512(_mm512_srli_epi16(u, 6), xC0);
    const __m512i trail = _mm512_slli_epi16(_mm512_or_si512(_mm512_and_si512(u, x3F), x80), 8);
    const __m512i lanes = _mm512_mask_blend_epi16(ascii, _mm512_or_si512(lead, trail), u);
    const std::uint64_t keep = _pdep_u64(valid, 0x5555555555555555ull) |
                               _pdep_u64(~static_cast<std::uint64_t>(ascii) & valid, 0xAAAAAAAAAAAAAAAAull);
    const unsigned count = static_cast<unsigned>(_mm_popcnt_u64(keep));
    _mm512_mask_storeu_epi8(w, count == 64 ? ~0ull : (1ull << count) - 1, _mm512_maskz_compress_epi8(keep, lanes));
    w += count;
    i += here;
  }
  return {Error::ok, static_cast<std::size_t>(w - out)};
}


// 64 bytes at a time while they hold only ASCII and two-byte characters: the
// first byte of each character and the byte after it are gathered with
// vpcompressb, widened to 16 bits and combined. The last, short block is read
// with a mask (masked-off bytes read as zero, which is neither a lead nor a
// start). Anything longer goes to the scalar loop one character at a time.
ARNORM_AVX512_BMI2 std::size_t utf8_to_utf16_avx512(const unsigned char* p, std::size_t len, char16_t* out) {
  char16_t* w = out;
  const unsigned char* const end = p + len;
  const __m512i x1F = _mm512_set1_epi16(0x1F), x3F = _mm512_set1_epi16(0x3F), x80 = _mm512_set1_epi16(0x80);
  auto first_bytes = [](std::ptrdiff_t n) -> __mmask64 { return n >= 64 ? ~0ull : (1ull << n) - 1; };
  while (p < end) {
    const __mmask64 valid = first_bytes(end - p);
    const __m512i v = _mm512_maskz_loadu_epi8(valid, p);
    const __mmask64 wide = _mm512_cmpge_epu8_mask(v, _mm512_set1_epi8(static_cast<char>(0xE0)));
    if (wide) {
      // Up to the first three- or four-byte character, then that character.
      const unsigned char* stop = p + __builtin_ctzll(wide);
      while (p < stop) p += decode_one(p, w);
      p += decode_one(p, w);
      continue;
    }
    const __mmask64 ascii = ~_mm512_movepi8_mask(v) & valid;
    const __mmask64 lead = _mm512_cmpeq_epi8_mask(_mm512_and_si512(v, _mm512_set1_epi8(static_cast<char>(0xE0))),
                                                  _mm512_set1_epi8(static_cast<char>(0xC0)));
    const __mmask64 starts = ascii | lead;
    // The byte after each: a lead in the block's last byte takes its trail from beyond the block.
    const __m512i next = _mm512_maskz_loadu_epi8(first_bytes(end - p - 1), p + 1);
    const __m512i first = _mm512_maskz_compress_epi8(starts, v);
    const __m512i second = _mm512_maskz_compress_epi8(starts, next);
    const unsigned count = static_cast<unsigned>(_mm_popcnt_u64(starts));
    for (unsigned half = 0; half < 2 && half * 32 < count; ++half) {
      const __m256i f8 = half ? _mm512_extracti64x4_epi64(first, 1) : _mm512_castsi512_si256(first);
      const __m256i s8 = half ? _mm512_extracti64x4_epi64(second, 1) : _mm512_castsi512_si256(second);
      const __m512i f = _mm512_cvtepu8_epi16(f8), s = _mm512_cvtepu8_epi16(s8);
      const __m512i two = _mm512_or_si512(_mm512_slli_epi16(_mm512_and_si512(f, x1F), 6), _mm512_and_si512(s, x3F));
      const __m512i units = _mm512_mask_blend_epi16(_mm512_cmplt_epu16_mask(f, x80), two, f);
      const unsigned here = count - half * 32 >= 32 ? 32 : count - half * 32;
      _mm512_mask_storeu_epi16(w + half * 32, here == 32 ? ~0u : (1u << here) - 1, units);
    }
    w += count;
    // The next block starts after the trail of a lead in the last byte.
    p += (end - p < 64 ? end - p : 64) + ((lead >> 63) & 1);
  }
  return static_cast<std::size_t>(w - out);
}

// Code points and the largest byte, 64 bytes a step.
ARNORM_AVX512_BMI2 Utf8Shape shape_avx512(const unsigned char* p, std::size_t len) {
  std::size_t count = 0;
  __m512i widest = _mm512_setzero_si512();
  for (std::size_t i = 0; i < len; i += 64) {
    const __mmask64 valid = len - i >= 64 ? ~0ull : (1ull << (len - i)) - 1;
    const __m512i v = _mm512_maskz_loadu_epi8(valid, p + i);
    const __mmask64 trail = _mm512_cmpeq_epi8_mask(_mm512_and_si512(v, _mm512_set1_epi8(static_cast<char>(0xC0))),
                                                   _mm512_set1_epi8(static_cast<char>(0x80)));
    count += static_cast<std::size_t>(_mm_popcnt_u64(valid & ~trail));
    widest = _mm512_max_epu8(widest, v);
  }
  __m128i w = _mm_max_epu8(_mm512_castsi512_si128(widest), _mm512_extracti32x4_epi32(widest, 1));
  w = _mm_max_epu8(w, _mm_max_epu8(_mm512_extracti32x4_epi32(widest, 2), _mm512_extracti32x4_epi32(widest, 3)));
  w = _mm_max_epu8(w, _mm_srli_si128(w, 8));
  w = _mm_max_epu8(w, _mm_srli_si128(w, 4));
  w = _mm_max_epu8(w, _mm_srli_si128(w, 2));
  w = _mm_max_epu8(w, _mm_srli_si128(w, 1));
  const unsigned max = static_cast<unsigned>(_mm_cvtsi128_si32(w)) & 0xFF;
  return {count, max};
}

bool avx2_on() { return detail::simd_level() == detail::SimdLevel::avx2; }

// The AVX2 forms of the three above, for the same characters: 16 units at a
// time to UTF-8 (each unit as its lead and trail bytes in a 16-bit lane, the
// unused trail byte of ASCII squeezed out 8 bytes at a time), 16 bytes at a
// time back (each character's unit built at its first byte from it and the
// byte after, trails squeezed out 8 units at a time). The squeezes write up
// to 7 items past what they keep: to UTF-8 inside the room the callers give
// (3 bytes a unit), back to UTF-16 only where later input fills them again.
ARNORM_AVX2 Converted utf16_to_utf8_avx2(const char16_t* in, std::size_t n, char* out, bool pairs) {
  char* w = out;
  const __m256i x80 = _mm256_set1_epi16(0x80), wide = _mm256_set1_epi16(static_cast<short>(0xF800));
  const __m256i xC0 = _mm256_set1_epi16(0xC0), x3F = _mm256_set1_epi16(0x3F);
  const __m256i low_bytes = _mm256_set1_epi16(0x00FF), ascii_bits = _mm256_set1_epi16(static_cast<short>(0xFF80));
  std::size_t i = 0;
  while (n - i >= 16) {
    const __m256i u = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(in + i));
    if (!_mm256_testz_si256(u, wide)) {  // a unit from U+0800 on
      std::size_t bad = 0;
      if (!to_utf8_block(in, n, i, 16, w, pairs, &bad)) return {Error::invalid_utf16, bad};
      continue;
    }
    const __m256i ascii = _mm256_cmpeq_epi16(_mm256_and_si256(u, ascii_bits), _mm256_setzero_si256());
    const __m256i lead = _mm256_or_si256(_mm256_srli_epi16(u, 6), xC0);
    const __m256i trail = _mm256_slli_epi16(_mm256_or_si256(_mm256_and_si256(u, x3F), x80), 8);
    const __m256i lanes = _mm256_blendv_epi8(_mm256_or_si256(lead, trail), u, ascii);
    // Each lane's low byte, and its high byte unless ASCII.
    const __m256i kept = _mm256_or_si256(_mm256_andnot_si256(ascii, _mm256_set1_epi8(-1)), low_bytes);
    const unsigned keep = static_cast<unsigned>(_mm256_movemask_epi8(kept));
    w = detail::avx2::pack16(_mm256_castsi256_si128(lanes), keep & 0xFFFF, w);
    w = detail::avx2::pack16(_mm256_extracti128_si256(lanes, 1), keep >> 16, w);
    i += 16;
  }
  std::size_t bad = 0;
  if (!to_utf8_scalar(in + i, n - i, w, i, &bad, pairs)) return {Error::invalid_utf16, bad};
  return {Error::ok, static_cast<std::size_t>(w - out)};
}

ARNORM_AVX2 std::size_t utf8_to_utf16_avx2(const unsigned char* p, std::size_t len, char16_t* out) {
  char16_t* w = out;
  const unsigned char* const end = p + len;
  const __m256i x1F = _mm256_set1_epi16(0x1F), x3F = _mm256_set1_epi16(0x3F);
  const __m128i xE0 = _mm_set1_epi8(static_cast<char>(0xE0)), xC0 = _mm_set1_epi8(static_cast<char>(0xC0));
  // The `next` load reads byte 16, and the squeezes write up to 7 units past
  // the block's: the 24 bytes after it give at least 8 more, so those writes
  // stay inside the output (the room the callers give is the units written).
  while (end - p >= 41) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const unsigned wide = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_max_epu8(v, xE0), v)));
    if (wide) {  // up to the first three- or four-byte character, then that character
      const unsigned char* stop = p + __builtin_ctz(wide);
      while (p < stop) p += decode_one(p, w);
      p += decode_one(p, w);
      continue;
    }
    const __m128i next = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 1));
    const unsigned ascii = ~static_cast<unsigned>(_mm_movemask_epi8(v)) & 0xFFFF;
    const unsigned lead = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_and_si128(v, xE0), xC0)));
    const __m256i f = _mm256_cvtepu8_epi16(v), s = _mm256_cvtepu8_epi16(next);
    const __m256i two = _mm256_or_si256(_mm256_slli_epi16(_mm256_and_si256(f, x1F), 6), _mm256_and_si256(s, x3F));
    // ASCII units are their byte; a lead's the two-byte form (a trail's is dropped).
    const __m256i units = _mm256_blendv_epi8(f, two, _mm256_cmpgt_epi16(f, _mm256_set1_epi16(0x7F)));
    const unsigned keep = ascii | lead;
    w = detail::avx2::pack8_units(_mm256_castsi256_si128(units), keep & 0xFF, w);
    w = detail::avx2::pack8_units(_mm256_extracti128_si256(units, 1), keep >> 8, w);
    // The next block starts after the trail of a lead in the last byte.
    p += 16 + (lead >> 15);
  }
  while (p < end) p += decode_one(p, w);
  return static_cast<std::size_t>(w - out);
}

ARNORM_AVX2 Utf8Shape shape_avx2(const unsigned char* p, std::size_t len) {
  std::size_t count = 0, i = 0;
  __m256i widest = _mm256_setzero_si256();
  const __m256i xC0 = _mm256_set1_epi8(static_cast<char>(0xC0));
  for (; len - i >= 32; i += 32) {
    const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + i));
    // Signed, the trail bytes 0x80-0xBF are those below 0xC0.
    const unsigned trail = static_cast<unsigned>(_mm256_movemask_epi8(_mm256_cmpgt_epi8(xC0, v)));
    count += 32 - static_cast<std::size_t>(__builtin_popcount(trail));
    widest = _mm256_max_epu8(widest, v);
  }
  alignas(32) unsigned char bytes[32];
  _mm256_store_si256(reinterpret_cast<__m256i*>(bytes), widest);
  Utf8Shape shape = shape_scalar(p + i, len - i);
  shape.code_points += count;
  for (unsigned char b : bytes) shape.widest_byte = b > shape.widest_byte ? b : shape.widest_byte;
  return shape;
}

}  // namespace
}  // namespace arnorm

#define ARNORM_TRANSCODE_X86 1

#elif defined(__aarch64__) && defined(__ARM_NEON) && (defined(__GNUC__) || defined(__clang__))
#include "simd_neon.hpp"

namespace arnorm {
namespace {

bool neon_on() { return detail::simd_level() == detail::SimdLevel::neon; }

// The NEON forms of the AVX2 conversions, 8 units or 16 bytes at a time.
Converted utf16_to_utf8_neon(const char16_t* in, std::size_t n, char* out, bool pairs) {
  char* w = out;
  std::size_t i = 0;
  while (n - i >= 8) {
    const uint16x8_t u = vld1q_u16(reinterpret_cast<const std::uint16_t*>(in + i));
    if (vmaxvq_u16(u) >= 0x800) {  // a unit from U+0800 on
      std::size_t bad = 0;
      if (!to_utf8_block(in, n, i, 8, w, pairs, &bad)) return {Error::invalid_utf16, bad};
      continue;
    }
    const uint16x8_t ascii = vcltq_u16(u, vdupq_n_u16(0x80));
    const uint16x8_t lead = vorrq_u16(vshrq_n_u16(u, 6), vdupq_n_u16(0xC0));
    const uint16x8_t trail = vshlq_n_u16(vorrq_u16(vandq_u16(u, vdupq_n_u16(0x3F)), vdupq_n_u16(0x80)), 8);
    const uint8x16_t bytes = vreinterpretq_u8_u16(vbslq_u16(ascii, u, vorrq_u16(lead, trail)));
    // Each lane's low byte, and its high byte unless ASCII.
    const uint8x16_t keep = vreinterpretq_u8_u16(vorrq_u16(vmvnq_u16(ascii), vdupq_n_u16(0x00FF)));
    w = detail::neon::pack8(vget_low_u8(bytes), detail::neon::byte_mask(vget_low_u8(keep)), w);
    w = detail::neon::pack8(vget_high_u8(bytes), detail::neon::byte_mask(vget_high_u8(keep)), w);
    i += 8;
  }
  std::size_t bad = 0;
  if (!to_utf8_scalar(in + i, n - i, w, i, &bad, pairs)) return {Error::invalid_utf16, bad};
  return {Error::ok, static_cast<std::size_t>(w - out)};
}

std::size_t utf8_to_utf16_neon(const unsigned char* p, std::size_t len, char16_t* out) {
  char16_t* w = out;
  const unsigned char* const end = p + len;
  while (end - p >= 41) {  // as on AVX2
    const uint8x16_t v = vld1q_u8(p);
    if (vmaxvq_u8(v) >= 0xE0) {  // up to the first three- or four-byte character, then that character
      while (*p < 0xE0) p += decode_one(p, w);
      p += decode_one(p, w);
      continue;
    }
    const uint8x16_t next = vld1q_u8(p + 1);
    const uint8x16_t lead = vceqq_u8(vandq_u8(v, vdupq_n_u8(0xE0)), vdupq_n_u8(0xC0));
    const uint8x16_t keep = vorrq_u8(vcltq_u8(v, vdupq_n_u8(0x80)), lead);
    for (int half = 0; half < 2; ++half) {
      const uint16x8_t f = vmovl_u8(half ? vget_high_u8(v) : vget_low_u8(v));
      const uint16x8_t s = vmovl_u8(half ? vget_high_u8(next) : vget_low_u8(next));
      const uint16x8_t two =
          vorrq_u16(vshlq_n_u16(vandq_u16(f, vdupq_n_u16(0x1F)), 6), vandq_u16(s, vdupq_n_u16(0x3F)));
      // ASCII units are their byte; a lead's the two-byte form (a trail's is dropped).
      const uint16x8_t units = vbslq_u16(vcltq_u16(f, vdupq_n_u16(0x80)), f, two);
      w = detail::neon::pack8_units(vreinterpretq_u8_u16(units),
                                    detail::neon::byte_mask(half ? vget_high_u8(keep) : vget_low_u8(keep)), w);
    }
    // The next block starts after the trail of a lead in the last byte.
    p += 16 + (vgetq_lane_u8(lead, 15) & 1);
  }
  while (p < end) p += decode_one(p, w);
  return static_cast<std::size_t>(w - out);
}

Utf8Shape shape_neon(const unsigned char* p, std::size_t len) {
  std::size_t count = 0, i = 0;
  uint8x16_t widest = vdupq_n_u8(0);
  for (; len - i >= 16; i += 16) {
    const uint8x16_t v = vld1q_u8(p + i);
    const uint8x16_t trail = vceqq_u8(vandq_u8(v, vdupq_n_u8(0xC0)), vdupq_n_u8(0x80));
    count += 16 - vaddvq_u8(vshrq_n_u8(trail, 7));
    widest = vmaxq_u8(widest, v);
  }
  Utf8Shape shape = shape_scalar(p + i, len - i);
  shape.code_points += count;
  const unsigned char top = vmaxvq_u8(widest);
  shape.widest_byte = top > shape.widest_byte ? top : shape.widest_byte;
  return shape;
}

}  // namespace
}  // namespace arnorm

#define ARNORM_TRANSCODE_NEON 1
#endif

namespace arnorm {

std::size_t latin1_to_utf8(const std::uint8_t* in, std::size_t n, char* out) noexcept {
  return to_utf8_all(in, n, out, Error::ok, false).count;  // every Latin-1 unit is a character
}

Converted utf16_to_utf8(const char16_t* in, std::size_t n, char* out, Surrogates surrogates) noexcept {
  const bool pairs = surrogates == Surrogates::pairs;
#if defined(ARNORM_TRANSCODE_X86)
  if (avx512_on()) return utf16_to_utf8_avx512(in, n, out, pairs);
  if (avx2_on()) return utf16_to_utf8_avx2(in, n, out, pairs);
#elif defined(ARNORM_TRANSCODE_NEON)
  if (neon_on()) return utf16_to_utf8_neon(in, n, out, pairs);
#endif
  return to_utf8_all(in, n, out, Error::invalid_utf16, pairs);
}

Converted utf32_to_utf8(const char32_t* in, std::size_t n, char* out) noexcept {
  return to_utf8_all(in, n, out, Error::invalid_utf32, false);
}

std::size_t valid_utf8_to_latin1(std::string_view in, std::uint8_t* out) noexcept {
  return from_utf8_all(bytes(in), in.size(), out);
}

std::size_t valid_utf8_to_utf16(std::string_view in, char16_t* out) noexcept {
#if defined(ARNORM_TRANSCODE_X86)
  if (avx512_on()) return utf8_to_utf16_avx512(bytes(in), in.size(), out);
  if (avx2_on()) return utf8_to_utf16_avx2(bytes(in), in.size(), out);
#elif defined(ARNORM_TRANSCODE_NEON)
  if (neon_on()) return utf8_to_utf16_neon(bytes(in), in.size(), out);
#endif
  return from_utf8_all(bytes(in), in.size(), out);
}

std::size_t valid_utf8_to_utf32(std::string_view in, char32_t* out) noexcept {
  return from_utf8_all(bytes(in), in.size(), out);
}

Utf8Shape valid_utf8_shape(std::string_view in) noexcept {
#if defined(ARNORM_TRANSCODE_X86)
  if (avx512_on()) return shape_avx512(bytes(in), in.size());
  if (avx2_on()) return shape_avx2(bytes(in), in.size());
#elif defined(ARNORM_TRANSCODE_NEON)
  if (neon_on()) return shape_neon(bytes(in), in.size());
#endif
  return shape_scalar(bytes(in), in.size());
}

std::size_t utf8_error_length(std::string_view in, std::size_t position) noexcept {
  if (position >= in.size()) return 1;
  const unsigned char* p = bytes(in) + position;
  return detail::decode_utf8(p, bytes(in) + in.size()).len;
}

}  // namespace arnorm
