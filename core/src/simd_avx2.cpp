// The hot loop's AVX2 path, for CPUs without AVX-512 VBMI2: 32 bytes every
// step, a fixed stride (see StrideRestart). AVX2 has no 256-entry byte
// lookup, so each two-byte character of U+0600-U+06FF is looked up once, at
// its lead, in a table of one-byte codes (kSimdCode*: the character it
// becomes, an ASCII byte, removed, kept, or stop), per lead byte four
// 16-entry pshufb rows that XOR back to the entry (SimdTables::code_rows),
// those of DA and DB only when the block has them; the lead and trail output
// bytes are decoded from the code, the trail's from the code one byte back.
// Removed bytes are squeezed out 8 at a time by a pshufb from a table indexed
// by the keep mask, in blocks that remove any. U+0080-U+00FF characters that
// pass unchanged (« » é) pass here too, and so do kept U+2000-U+203F (E2 80
// xx: quotes, dashes). Anything else (another script, a character with
// context, a composing mark, a block without a starter) ends the pass and the
// scalar loop takes over from a restart point up to past the stopping
// character.
#include <cstddef>
#include <cstdint>

#include "simd.hpp"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include "simd_avx2.hpp"

namespace arnorm::detail {
namespace {

using avx2::pack16;

ARNORM_AVX2 inline __m256i byte(unsigned char b) { return _mm256_set1_epi8(static_cast<char>(b)); }

// A constant the compiler may not rebuild: GCC otherwise makes each set1
// constant again at every use (three instructions) instead of keeping it in a
// register or reading it from the stack (one operand).
ARNORM_AVX2 inline __m256i opaque(__m256i v) {
  asm("" : "+x"(v));
  return v;
}

// _mm256_blendv_epi8 by bit 7 of each mask byte alone (its other bits any):
// GCC otherwise first widens the sign bits with a compare, in every block.
ARNORM_AVX2 inline __m256i blend_by_bit7(__m256i a, __m256i b, __m256i mask) {
  asm("vpblendvb %3, %2, %1, %0" : "=x"(a) : "x"(a), "x"(b), "x"(mask));
  return a;
}

// The codes of one lead byte at each lead of a block (index: the trail's
// bits 0-5, and the index less 16, 32 and 48): rows 0..h XOR to row h, and
// pshufb gives 0 for an index with bit 7 set, which a negative one has.
struct Quarter {
  __m256i idx[4];
  ARNORM_AVX2 Quarter(__m256i trail_bits, __m256i minus16) {
    idx[0] = trail_bits;
    for (int h = 1; h < 4; ++h) idx[h] = _mm256_add_epi8(idx[h - 1], minus16);
  }
  ARNORM_AVX2 __m256i row(const std::uint8_t (*rows)[32], int h) const {
    return _mm256_shuffle_epi8(_mm256_load_si256(reinterpret_cast<const __m256i*>(rows[h])), idx[h]);
  }
  ARNORM_AVX2 __m256i lookup(const std::uint8_t (*rows)[32]) const {
    return _mm256_xor_si256(_mm256_xor_si256(row(rows, 0), row(rows, 1)), _mm256_xor_si256(row(rows, 2), row(rows, 3)));
  }
};

constexpr std::uint8_t kBit[16] = {1, 2, 4, 8, 16, 32, 64, 128, 1, 2, 4, 8, 16, 32, 64, 128};

// The bytes of v that are `value` in the bits of `mask`.
ARNORM_AVX2 inline __m256i is(__m256i v, __m256i mask, __m256i value) {
  return _mm256_cmpeq_epi8(_mm256_and_si256(v, mask), value);
}

ARNORM_AVX2 inline std::uint32_t bits(__m256i v) { return static_cast<std::uint32_t>(_mm256_movemask_epi8(v)); }

ARNORM_AVX2 inline __m256i broadcast16(const std::uint8_t* table) {
  return _mm256_broadcastsi128_si256(_mm_loadu_si128(reinterpret_cast<const __m128i*>(table)));
}

// The bytes whose index (0-127) is in a bit set of 16 bytes (bit i & 7 of byte i >> 3).
ARNORM_AVX2 inline __m256i in_set(const std::uint8_t* set, __m256i index) {
  const __m256i bytes =
      _mm256_shuffle_epi8(broadcast16(set), _mm256_and_si256(_mm256_srli_epi16(index, 3), byte(0x0F)));
  const __m256i bit = _mm256_shuffle_epi8(broadcast16(kBit), _mm256_and_si256(index, byte(7)));
  return _mm256_cmpeq_epi8(_mm256_and_si256(bytes, bit), bit);
}

// Bit i of m as byte i, all ones or zero.
ARNORM_AVX2 inline __m256i expand(std::uint32_t m) {
  const __m256i spread = _mm256_shuffle_epi8(_mm256_set1_epi32(static_cast<int>(m)),
                                             _mm256_setr_epi8(0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2,
                                                              2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3));
  const __m256i bit = broadcast16(kBit);
  return _mm256_cmpeq_epi8(_mm256_and_si256(spread, bit), bit);
}

// Byte i - 1 of the block for byte i, byte 31 of `last` for byte 0.
ARNORM_AVX2 inline __m256i shift_in(__m256i last, __m256i v) {
  return _mm256_alignr_epi8(v, _mm256_permute2x128_si256(last, v, 0x21), 15);
}

// Kept U+2000-U+203F characters (E2 80 xx: quotes, dashes) whole in the
// block at p, given its trail bytes: all ones at their first two bytes,
// where the caller makes the code kept so that all three pass as they are.
// Reads byte 33. (Out of line: inlined, its constants cost registers in
// every block.)
[[gnu::noinline, gnu::cold]] ARNORM_AVX2 __m256i punct_kept(const unsigned char* p, std::uint32_t trail,
                                                            const SimdTables& t) {
  const auto at = [p](int i) { return reinterpret_cast<const __m256i*>(p + i); };
  const std::uint32_t e2 = bits(_mm256_cmpeq_epi8(_mm256_loadu_si256(at(0)), byte(0xE2))) &
                           bits(_mm256_cmpeq_epi8(_mm256_loadu_si256(at(1)), byte(0x80))) & (trail >> 2);
  if (!e2) return _mm256_setzero_si256();
  const __m256i third = _mm256_loadu_si256(at(2));
  const std::uint32_t kept = e2 & bits(in_set(t.punct_bits, _mm256_and_si256(third, byte(0x3F))));
  return expand(kept | kept << 1);
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
  const __m256i kept_code = opaque(byte(kSimdCodeKept)), low6 = opaque(byte(0x3F)), minus16 = opaque(byte(0xF0));
  const __m256i top6 = opaque(byte(0xFC)), arabic_lead = opaque(byte(0xD8)), code_top2 = opaque(byte(0x0C));
  const __m256i out_base = broadcast16(kSimdOutBase), out_bits = broadcast16(kSimdOutBits);
  char* w = out;
  StrideRestart restart(p, w);
  __m256i last_code = _mm256_setzero_si256();
  std::uint32_t carry_lead = 0;  // bit 0: byte 31 of the last block was a lead
  std::uint32_t stop = 0, starters = 0;
  std::uint32_t written_kept = 0, written_starters = 0;  // of the last block written
  const unsigned char* const last = end - 33;  // the `next` load of the last block reads byte 32
  while (p <= last) {
    prefetch_ahead(p);
    const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
    const __m256i next = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 1));
    const __m256i lead_v = is(v, top6, arabic_lead);
    // Signed, 0x80-0xBF are the bytes below 0xC0.
    const __m256i trail_v = _mm256_cmpgt_epi8(removed, v);
    const std::uint32_t ascii = ~bits(v), lead = bits(lead_v), trail = bits(trail_v);
    // Bit 7: the lead's bit 0 (D9, DB), its bit 1 (DA, DB).
    const __m256i odd_v = _mm256_slli_epi16(v, 7), upper_v = _mm256_slli_epi16(v, 6);
    const Quarter quarter(_mm256_and_si256(next, low6), minus16);
    const std::uint32_t upper = lead & bits(upper_v), other = ~(ascii | lead | trail);
    // (Reading only the rows of U+0620-U+065F in blocks that need no more
    // ran fewer instructions but slower: the choice mispredicts on news.)
    __m256i code = blend_by_bit7(quarter.lookup(t.code_rows[0]), quarter.lookup(t.code_rows[1]), odd_v);
    std::uint32_t latin1 = 0, latin1_kept = 0, long_kept = 0;
    if (upper | other) {  // DA, DB; U+0080-U+00FF, U+2000-U+203F or a byte that stops
      if (upper) {
        const std::uint32_t odd = bits(odd_v);
        const __m256i high = !(upper & odd)    ? quarter.lookup(t.code_rows[2])
                             : !(upper & ~odd) ? quarter.lookup(t.code_rows[3])
                                               : blend_by_bit7(quarter.lookup(t.code_rows[2]),
                                                               quarter.lookup(t.code_rows[3]), odd_v);
        code = blend_by_bit7(code, high, upper_v);
      }
      if (other) {
        const __m256i latin1_v = is(v, byte(0xFE), byte(0xC2));  // C2, C3
        latin1 = bits(latin1_v);
        if (latin1) {  // index: lead bit 0, trail bits 0-5
          const __m256i idx7 = _mm256_or_si256(quarter.idx[0], _mm256_and_si256(upper_v, byte(0x40)));
          latin1_kept = bits(in_set(t.latin1_bits, idx7)) & latin1;
          code = _mm256_blendv_epi8(code, kept_code, latin1_v);  // so its trail passes as it is
        }
        // Kept U+2000-U+203F whole in the block (one that goes on into the
        // next block stops it); the third byte's load reads byte 33.
        if ((other & ~latin1) && end - p >= 34) {
          const __m256i kept_v = punct_kept(p, trail, t);
          long_kept = bits(kept_v);
          long_kept &= ~(long_kept << 1);  // their first bytes (three or more apart)
          code = _mm256_blendv_epi8(code, kept_code, kept_v);
        }
      }
    }
    starters = ascii | latin1_kept | long_kept;
    // A lead at byte 31 without its trail shows at byte 0 of the next block.
    stop = (other & ~(latin1_kept | long_kept)) |
           (trail ^ (((lead | latin1) << 1) | carry_lead | long_kept << 1 | long_kept << 2)) |
           (bits(_mm256_cmpeq_epi8(code, stop_code)) & lead) | static_cast<std::uint32_t>(starters == 0);
    if (stop) break;
    // Each byte's output from the code of its character: a lead's own, a
    // trail's one byte back (kSimdOutBase). ASCII bytes pass by the blend's
    // mask, the input, whose bit 7 they lack.
    const __m256i code_at = _mm256_blendv_epi8(code, shift_in(last_code, code), trail_v);
    const __m256i out_idx = _mm256_sub_epi8(_mm256_and_si256(_mm256_srli_epi16(code_at, 4), code_top2), trail_v);
    const __m256i decoded = _mm256_or_si256(_mm256_shuffle_epi8(out_base, out_idx),
                                            _mm256_and_si256(code_at, _mm256_shuffle_epi8(out_bits, out_idx)));
    const __m256i result =
        _mm256_blendv_epi8(v, decoded, _mm256_andnot_si256(_mm256_cmpeq_epi8(decoded, kept_code), v));
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
    written_kept = ~gone;
    written_starters = starters;
    last_code = code;
  }
  if (restart.took_block(p)) {
    restart.advance(w, carry_lead, carry_lead & (written_kept >> 31));
    restart.last_block(w, written_kept, written_starters);
  }
  resume = retry_point(p, end, stop ? p + __builtin_ctz(stop) : nullptr, restart, misses);
  return restart.finish(p, 32, stop && (starters & ((stop & (0 - stop)) - 1)) != 0, out, after_base);
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
