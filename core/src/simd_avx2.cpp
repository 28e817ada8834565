// The hot loop's AVX2 path, for CPUs without AVX-512 VBMI2: 32 bytes every
// step, a fixed stride (see StrideRestart). Two-byte characters of
// U+0600-U+06FF are rewritten through the same lead and trail tables as the
// AVX-512 path; AVX2 has no 256-entry byte lookup, so each 128-entry half is
// read as eight 16-entry pshufb rows that XOR back to the entry (rows stored
// as differences, see SimdTables), and the upper half only when a block has a
// character of U+0680-U+06FF. Removed bytes are squeezed out 8 at a time by a
// pshufb from a table indexed by the keep mask. Anything else (another
// script, U+0080-U+00FF, a character with context, a composing mark, a block
// without ASCII) ends the pass and the scalar loop takes over from a restart
// point up to past the stopping character.
#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "simd.hpp"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>

namespace arnorm::detail {
namespace {

#define ARNORM_AVX2 __attribute__((target("avx2,popcnt")))

// For each 8-bit keep mask, the pshufb indices that move the kept bytes of an
// 8-byte group to its front: for bytes 0-7 in the first half of the entry,
// for bytes 8-15 in the second.
struct PackTable {
  alignas(16) std::uint8_t entry[256][16];
  constexpr PackTable() : entry{} {
    for (int m = 0; m < 256; ++m) {
      int k = 0;
      for (int i = 0; i < 8; ++i)
        if (m >> i & 1) {
          entry[m][k] = static_cast<std::uint8_t>(i);
          entry[m][8 + k] = static_cast<std::uint8_t>(i + 8);
          ++k;
        }
      for (; k < 8; ++k) entry[m][k] = entry[m][8 + k] = 0x80;  // pshufb writes 0: past the kept bytes
    }
  }
};
constexpr PackTable kPack;

// One 128-entry half: rows 0..h XOR to row h (h = index bits 4-6); pshufb
// gives 0 for an index with bit 7 set, which the subtraction makes of every
// row above h. (Looking up the lead and trail tables in one loop, sharing
// the subtractions, ran slower: sixteen registers are few.)
ARNORM_AVX2 inline __m256i half_lookup(const std::uint8_t (*rows)[32], __m256i idx7) {
  __m256i x = idx7;
  __m256i r = _mm256_shuffle_epi8(_mm256_load_si256(reinterpret_cast<const __m256i*>(rows[0])), x);
  for (int h = 1; h < 8; ++h) {
    x = _mm256_sub_epi8(x, _mm256_set1_epi8(16));
    r = _mm256_xor_si256(r, _mm256_shuffle_epi8(_mm256_load_si256(reinterpret_cast<const __m256i*>(rows[h])), x));
  }
  return r;
}

// A 256-entry lookup; `upper` when some index has bit 7 set.
ARNORM_AVX2 inline __m256i lookup256(const std::uint8_t (*rows)[8][32], __m256i idx, bool upper) {
  const __m256i idx7 = _mm256_and_si256(idx, _mm256_set1_epi8(0x7F));
  const __m256i r = half_lookup(rows[0], idx7);
  return upper ? _mm256_blendv_epi8(r, half_lookup(rows[1], idx7), idx) : r;
}

// Writes the bytes of `bytes` whose bit is set in `keep` (16 bits) to w.
ARNORM_AVX2 inline char* pack16(__m128i bytes, unsigned keep, char* w) {
  const unsigned m0 = keep & 0xFF, m1 = keep >> 8 & 0xFF;
  const __m128i shuffle = _mm_blend_epi32(_mm_load_si128(reinterpret_cast<const __m128i*>(kPack.entry[m0])),
                                          _mm_load_si128(reinterpret_cast<const __m128i*>(kPack.entry[m1])), 0xC);
  const __m128i packed = _mm_shuffle_epi8(bytes, shuffle);
  _mm_storel_epi64(reinterpret_cast<__m128i*>(w), packed);
  w += __builtin_popcount(m0);
  _mm_storel_epi64(reinterpret_cast<__m128i*>(w), _mm_unpackhi_epi64(packed, packed));
  return w + __builtin_popcount(m1);
}

ARNORM_AVX2 inline __m256i is(__m256i v, unsigned char mask, unsigned char value) {
  return _mm256_cmpeq_epi8(_mm256_and_si256(v, _mm256_set1_epi8(static_cast<char>(mask))),
                           _mm256_set1_epi8(static_cast<char>(value)));
}

ARNORM_AVX2 inline std::uint32_t bits(__m256i v) { return static_cast<std::uint32_t>(_mm256_movemask_epi8(v)); }

}  // namespace

ARNORM_AVX2 const unsigned char* avx2_blocks(const unsigned char* p, const unsigned char* end, char*& out,
                                             const SimdTables& t, bool& after_base, const unsigned char*& resume,
                                             int& misses) {
  const __m256i removed = _mm256_set1_epi8(static_cast<char>(kSimdRemoved));
  const __m256i stop_lead = _mm256_set1_epi8(static_cast<char>(kSimdStop));
  char* w = out;
  StrideRestart restart(p, w);
  __m256i last = _mm256_setzero_si256();
  std::uint32_t carry_lead = 0;  // bit 0: byte 31 of the last block was a lead
  std::uint32_t stop = 0, ascii = 0;
  while (end - p > 32) {  // the `next` load reads byte 32
    const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
    const __m256i next = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 1));
    // Byte i - 1 for byte i, byte 31 of the last block for byte 0.
    const __m256i prev = _mm256_alignr_epi8(v, _mm256_permute2x128_si256(last, v, 0x21), 15);
    const __m256i lead_v = is(v, 0xFC, 0xD8), trail_of_lead_v = is(prev, 0xFC, 0xD8);
    ascii = ~bits(v);
    const std::uint32_t lead = bits(lead_v), trail = bits(is(v, 0xC0, 0x80));
    // The table index: lead bits 0-1, trail bits 0-5 (as in the AVX-512 path).
    const __m256i lead_byte = _mm256_blendv_epi8(prev, v, lead_v);
    const __m256i trail_byte = _mm256_blendv_epi8(v, next, lead_v);
    const __m256i idx = _mm256_or_si256(_mm256_and_si256(_mm256_slli_epi16(lead_byte, 6), _mm256_set1_epi8(-64)),
                                        _mm256_and_si256(trail_byte, _mm256_set1_epi8(0x3F)));
    const bool upper = bits(_mm256_and_si256(idx, _mm256_or_si256(lead_v, trail_of_lead_v))) != 0;
    const __m256i new_lead = lookup256(t.lead_rows, idx, upper);
    // A lead at byte 31 without its trail shows at byte 0 of the next block.
    stop = ~(ascii | lead | trail) | (trail ^ ((lead << 1) | carry_lead)) |
           (bits(_mm256_cmpeq_epi8(new_lead, stop_lead)) & lead) | static_cast<std::uint32_t>(ascii == 0);
    if (stop) break;
    __m256i result = _mm256_blendv_epi8(v, new_lead, lead_v);
    result = _mm256_blendv_epi8(result, lookup256(t.trail_rows, idx, upper), trail_of_lead_v);
    const std::uint32_t keep = ~bits(_mm256_cmpeq_epi8(result, removed));
    w = pack16(_mm256_castsi256_si128(result), keep & 0xFFFF, w);
    w = pack16(_mm256_extracti128_si256(result, 1), keep >> 16, w);
    p += 32;
    carry_lead = lead >> 31;
    restart.advance(p, w, carry_lead, carry_lead & (keep >> 31));
    last = v;
  }
  // Past the stopping character (or, at the end, never again for this run).
  // After two tries in a row that could not take even their first block, the
  // scalar loop keeps at least kBackOff bytes before the next: text that
  // stops every block (no ASCII at all, é every few words) would otherwise
  // pay for a wasted block and a rewind at every stop, while one such try
  // (a closing quote after an opening one) is common in news.
  constexpr std::ptrdiff_t kBackOff = 128;
  resume = !stop ? end : p + __builtin_ctz(stop) + 1;
  misses = restart.blocks == 0 ? misses + 1 : 0;
  if (stop && misses >= 2 && end - p > kBackOff) resume = std::max(resume, p + kBackOff);
  return restart.finish(stop && (ascii & ((stop & (0 - stop)) - 1)) != 0, out, after_base);
}

}  // namespace arnorm::detail

#else

namespace arnorm::detail {
const unsigned char* avx2_blocks(const unsigned char* p, const unsigned char* end, char*&, const SimdTables&, bool&,
                                 const unsigned char*& resume, int&) {
  resume = end;
  return p;
}
}  // namespace arnorm::detail

#endif
