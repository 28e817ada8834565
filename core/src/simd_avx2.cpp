// The hot loop's AVX2 path, for CPUs without AVX-512 VBMI2: 32 bytes every
// step, a fixed stride (see StrideRestart). AVX2 has no 256-entry byte
// lookup, so each two-byte character of U+0600-U+06FF is looked up once, at
// its lead, in a table of one-byte codes (kSimdCode*: the character it
// becomes, an ASCII byte, removed, kept, or stop) read as eight 16-entry
// pshufb rows that XOR back to the entry (SimdTables::code_rows), the upper
// half (U+0680-U+06FF) only when the block has one; the lead and trail output
// bytes are decoded from the code, the trail's from the code one byte back.
// Removed bytes are squeezed out 8 at a time by a pshufb from a table indexed
// by the keep mask, in blocks that remove any. U+0080-U+00FF characters that
// pass unchanged (« » é) pass here too. Anything else (another script, a
// character with context, a composing mark, a block without a starter) ends
// the pass and the scalar loop takes over from a restart point up to past the
// stopping character.
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

ARNORM_AVX2 inline __m256i byte(unsigned char b) { return _mm256_set1_epi8(static_cast<char>(b)); }

// A constant the compiler may not rebuild: GCC otherwise makes each set1
// constant again at every use (three instructions) instead of keeping it in a
// register or reading it from the stack (one operand).
ARNORM_AVX2 inline __m256i opaque(__m256i v) {
  asm("" : "+x"(v));
  return v;
}

// One 128-entry half of the codes: rows 0..h XOR to row h (h = index bits
// 4-6); pshufb gives 0 for an index with bit 7 set, which the offset -16h
// makes of every row above h.
struct Rows {
  __m256i offset[8];
  ARNORM_AVX2 Rows() {
    for (int h = 0; h < 8; ++h) offset[h] = opaque(byte(static_cast<unsigned char>(256 - 16 * h)));
  }
  ARNORM_AVX2 __m256i lookup(const std::uint8_t (*rows)[32], __m256i idx7) const {
    __m256i r = _mm256_shuffle_epi8(_mm256_load_si256(reinterpret_cast<const __m256i*>(rows[0])), idx7);
#pragma GCC unroll 7
    for (int h = 1; h < 8; ++h)
      r = _mm256_xor_si256(r, _mm256_shuffle_epi8(_mm256_load_si256(reinterpret_cast<const __m256i*>(rows[h])),
                                                  _mm256_add_epi8(idx7, offset[h])));
    return r;
  }
};

constexpr std::uint8_t kBit[16] = {1, 2, 4, 8, 16, 32, 64, 128, 1, 2, 4, 8, 16, 32, 64, 128};

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

// The bytes of v that are `value` in the bits of `mask`.
ARNORM_AVX2 inline __m256i is(__m256i v, __m256i mask, __m256i value) {
  return _mm256_cmpeq_epi8(_mm256_and_si256(v, mask), value);
}

ARNORM_AVX2 inline std::uint32_t bits(__m256i v) { return static_cast<std::uint32_t>(_mm256_movemask_epi8(v)); }

ARNORM_AVX2 inline __m256i broadcast16(const std::uint8_t* table) {
  return _mm256_broadcastsi128_si256(_mm_loadu_si128(reinterpret_cast<const __m128i*>(table)));
}

// Byte i - 1 of the block for byte i, byte 31 of `last` for byte 0.
ARNORM_AVX2 inline __m256i shift_in(__m256i last, __m256i v) {
  return _mm256_alignr_epi8(v, _mm256_permute2x128_si256(last, v, 0x21), 15);
}

}  // namespace

ARNORM_AVX2 const unsigned char* avx2_blocks(const unsigned char* p, const unsigned char* end, char*& out,
                                             const SimdTables& t, bool& after_base, const unsigned char*& resume,
                                             int& misses) {
  // Short texts (up to a block) take no block: not even the constants are set up.
  if (end - p <= 32) {
    resume = end;
    ++misses;
    return p;
  }
  const __m256i removed = opaque(byte(kSimdRemoved)), stop_code = opaque(byte(kSimdCodeStop));
  const __m256i kept_code = opaque(byte(kSimdCodeKept)), low6 = opaque(byte(0x3F)), low7 = opaque(byte(0x7F));
  const __m256i nibble = opaque(byte(0x0F)), top2 = opaque(byte(0xC0)), low3 = opaque(byte(7));
  const __m256i top6 = opaque(byte(0xFC)), top7 = opaque(byte(0xFE)), trail_bits = opaque(byte(0x80));
  const __m256i arabic_lead = opaque(byte(0xD8)), upper_lead = opaque(byte(0xDA)), latin1_lead = opaque(byte(0xC2));
  const __m256i lead_of_code = broadcast16(kSimdLeadOfCode), code_bits_kept = broadcast16(kSimdCodeBitsKept);
  const __m256i latin1_bits = broadcast16(t.latin1_bits), bit_of = broadcast16(kBit);
  const Rows rows;
  char* w = out;
  StrideRestart restart(p, w);
  __m256i last_lead = _mm256_setzero_si256(), last_code = _mm256_setzero_si256();
  std::uint32_t carry_lead = 0, carry_upper = 0;  // bit 0: byte 31 of the last block was a lead (of U+0680-U+06FF)
  std::uint32_t stop = 0, starters = 0;
  while (end - p > 32) {  // the `next` load reads byte 32
    const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
    const __m256i next = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 1));
    const __m256i lead_v = is(v, top6, arabic_lead);
    const std::uint32_t ascii = ~bits(v), lead = bits(lead_v), trail = bits(is(v, top2, trail_bits));
    const __m256i top7_bits = _mm256_and_si256(v, top7);
    const std::uint32_t latin1 = bits(_mm256_cmpeq_epi8(top7_bits, latin1_lead));
    // At each lead, its character's index: lead bits 0-1, trail bits 0-5.
    const __m256i idx = _mm256_or_si256(_mm256_and_si256(_mm256_slli_epi16(v, 6), top2), _mm256_and_si256(next, low6));
    const __m256i idx7 = _mm256_and_si256(idx, low7);
    std::uint32_t latin1_kept = 0;
    if (latin1) {
      const __m256i set = _mm256_shuffle_epi8(latin1_bits, _mm256_and_si256(_mm256_srli_epi16(idx7, 3), nibble));
      const __m256i bit = _mm256_shuffle_epi8(bit_of, _mm256_and_si256(idx7, low3));
      latin1_kept = bits(_mm256_cmpeq_epi8(_mm256_and_si256(set, bit), bit)) & latin1;
    }
    const std::uint32_t upper = lead & bits(_mm256_cmpeq_epi8(top7_bits, upper_lead));
    __m256i code = rows.lookup(t.code_rows[0], idx7);
    if (upper) code = _mm256_blendv_epi8(code, rows.lookup(t.code_rows[1], idx7), idx);
    starters = ascii | latin1_kept;
    // A lead at byte 31 without its trail shows at byte 0 of the next block.
    stop = ~(ascii | lead | latin1_kept | trail) | (trail ^ (((lead | latin1) << 1) | carry_lead)) |
           (bits(_mm256_cmpeq_epi8(code, stop_code)) & lead) |
           static_cast<std::uint32_t>(starters == 0);
    if (stop) break;
    // Each lead's output byte from its code, each trail's from the code one byte back.
    const __m256i high = _mm256_and_si256(_mm256_srli_epi16(code, 4), nibble);
    __m256i lead_out = _mm256_or_si256(_mm256_shuffle_epi8(lead_of_code, high),
                                       _mm256_and_si256(code, _mm256_shuffle_epi8(code_bits_kept, high)));
    const __m256i code_back = shift_in(last_code, code);
    __m256i trail_out =
        _mm256_blendv_epi8(_mm256_or_si256(_mm256_and_si256(code_back, low6), trail_bits), removed, code_back);
    if (upper | carry_upper) {  // kSimdCodeKept: the input bytes
      lead_out = _mm256_blendv_epi8(lead_out, v, _mm256_cmpeq_epi8(code, kept_code));
      trail_out = _mm256_blendv_epi8(trail_out, v, _mm256_cmpeq_epi8(code_back, kept_code));
    }
    __m256i result = _mm256_blendv_epi8(v, lead_out, lead_v);
    result = _mm256_blendv_epi8(result, trail_out, shift_in(last_lead, lead_v));
    const std::uint32_t gone = bits(_mm256_cmpeq_epi8(result, removed));
    if (!gone) {
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(w), result);
      w += 32;
    } else {
      w = pack16(_mm256_castsi256_si128(result), ~gone & 0xFFFF, w);
      w = pack16(_mm256_extracti128_si256(result, 1), ~gone >> 16, w);
    }
    p += 32;
    carry_lead = (lead | latin1) >> 31;
    carry_upper = upper >> 31;
    restart.advance(p, w, carry_lead, carry_lead & ~(gone >> 31));
    last_lead = lead_v;
    last_code = code;
  }
  resume = retry_point(p, end, stop ? p + __builtin_ctz(stop) : nullptr, restart, misses);
  return restart.finish(stop && (starters & ((stop & (0 - stop)) - 1)) != 0, out, after_base);
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
