// The hot loop's AVX-512 path (VBMI and VBMI2): 64 bytes at a time, branch
// free inside a block. Each two-byte character of U+0600-U+06FF is rewritten
// through two 256-entry byte tables (its new lead byte and its new trail
// byte, looked up with vpermi2b), bytes of removed characters are squeezed
// out with vpcompressb, ASCII passes. A block with anything else, or with a
// mark right after a letter that could compose with it, is left to the
// scalar loop, which gives the same output by construction (both read the
// same per-character entries) and by test.
#include "simd.hpp"

#include <atomic>

namespace arnorm::detail {
namespace {
std::atomic<bool> g_simd_allowed{true};
}
bool simd_allowed() { return g_simd_allowed.load(std::memory_order_relaxed); }
void allow_simd(bool allowed) { g_simd_allowed.store(allowed, std::memory_order_relaxed); }
}  // namespace arnorm::detail

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>

// GCC 12 flags the undefined pass-through operand inside its own intrinsic headers.
#if !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

namespace arnorm::detail {

#define ARNORM_AVX512 __attribute__((target("avx512f,avx512bw,avx512vbmi,avx512vbmi2,popcnt")))

// A 256-entry byte table (four registers) looked up by idx.
ARNORM_AVX512 static inline __m512i lookup256(__m512i idx, __mmask64 high, __m512i lo, __m512i lo2, __m512i hi,
                                              __m512i hi2) {
  __m512i a = _mm512_permutex2var_epi8(lo, idx, lo2);
  __m512i b = _mm512_permutex2var_epi8(hi, idx, hi2);
  return _mm512_mask_blend_epi8(high, a, b);
}

bool avx512_available() {
  static const bool ok = __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vbmi") &&
                         __builtin_cpu_supports("avx512vbmi2");
  return ok;
}

ARNORM_AVX512 const unsigned char* avx512_blocks(const unsigned char* p, const unsigned char* end, char*& out,
                                                 const SimdTables& t, bool& after_base) {
  char* w = out;
  const __m512i lead_lo = _mm512_loadu_si512(t.lead), lead_hi = _mm512_loadu_si512(t.lead + 128);
  const __m512i lead_lo2 = _mm512_loadu_si512(t.lead + 64), lead_hi2 = _mm512_loadu_si512(t.lead + 192);
  const __m512i trail_lo = _mm512_loadu_si512(t.trail), trail_lo2 = _mm512_loadu_si512(t.trail + 64);
  const __m512i trail_hi = _mm512_loadu_si512(t.trail + 128), trail_hi2 = _mm512_loadu_si512(t.trail + 192);
  const __m512i flag_lo = _mm512_loadu_si512(t.flags), flag_lo2 = _mm512_loadu_si512(t.flags + 64);
  const __m512i flag_hi = _mm512_loadu_si512(t.flags + 128), flag_hi2 = _mm512_loadu_si512(t.flags + 192);
  const __m512i shift_prev =
      _mm512_set_epi8(62, 61, 60, 59, 58, 57, 56, 55, 54, 53, 52, 51, 50, 49, 48, 47, 46, 45, 44, 43, 42, 41, 40, 39,
                      38, 37, 36, 35, 34, 33, 32, 31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17, 16, 15,
                      14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 0);
  const __m512i latin1_lo = _mm512_loadu_si512(t.latin1_kept), latin1_hi = _mm512_loadu_si512(t.latin1_kept + 64);
  const __m512i removed = _mm512_set1_epi8(static_cast<char>(kSimdRemoved));
  bool base = after_base;
  // Whole blocks read one byte past the block (the trail of a character that
  // starts at byte 63); the last, shorter block is read with masked loads, so
  // nothing past the input is touched and short texts take this path too.
  while (end - p >= 2) {
    const bool full = end - p > 64;
    const unsigned n = full ? 64 : static_cast<unsigned>(end - p);
    const __mmask64 in = n == 64 ? ~0ull : (1ull << n) - 1;
    const __m512i v = _mm512_maskz_loadu_epi8(in, p);
    const __m512i next = full ? _mm512_loadu_si512(p + 1) : _mm512_maskz_loadu_epi8(in >> 1, p + 1);
    const __m512i prev = _mm512_permutexvar_epi8(shift_prev, v);
    const __mmask64 ascii = ~_mm512_movepi8_mask(v) & in;
    const __mmask64 lead = _mm512_cmpeq_epi8_mask(_mm512_and_si512(v, _mm512_set1_epi8(static_cast<char>(0xFC))),
                                                  _mm512_set1_epi8(static_cast<char>(0xD8)));
    const __mmask64 trail = _mm512_cmpeq_epi8_mask(_mm512_and_si512(v, _mm512_set1_epi8(static_cast<char>(0xC0))),
                                                   _mm512_set1_epi8(static_cast<char>(0x80)));
    // Leads of U+0080-U+00FF, and those whose character passes unchanged.
    const __mmask64 latin1_lead = _mm512_cmpeq_epi8_mask(_mm512_and_si512(v, _mm512_set1_epi8(static_cast<char>(0xFE))),
                                                         _mm512_set1_epi8(static_cast<char>(0xC2)));
    const __m512i latin1_idx = _mm512_or_si512(_mm512_slli_epi16(_mm512_and_si512(v, _mm512_set1_epi8(1)), 6),
                                               _mm512_and_si512(next, _mm512_set1_epi8(0x3F)));
    const __m512i kept = _mm512_permutex2var_epi8(latin1_lo, latin1_idx, latin1_hi);
    const __mmask64 latin1 = _mm512_test_epi8_mask(kept, kept) & latin1_lead;
    const __mmask64 leads = lead | latin1_lead;
    // A character starting at the block's last byte is left for later.
    const __mmask64 valid = ((leads >> (n - 1)) & 1) ? in >> 1 : in;
    // Where the block stops being ASCII, well-formed U+0600-U+06FF and
    // unchanged U+0080-U+00FF. (A lead before the last byte must see its
    // trail there even when the last byte is left out.)
    const __mmask64 broken = (~(ascii | lead | latin1 | trail) & valid) | ((trail ^ (leads << 1)) & in);
    // The table index of each byte's character: its lead's bits 0-1, then its
    // trail's bits 0-5 (for a lead the trail is the next byte; for a trail,
    // the lead is the previous byte). The 16-bit shift keeps within bytes.
    const __m512i three = _mm512_set1_epi8(3), low6 = _mm512_set1_epi8(0x3F);
    const __m512i idx = _mm512_mask_blend_epi8(
        lead, _mm512_or_si512(_mm512_slli_epi16(_mm512_and_si512(prev, three), 6), _mm512_and_si512(v, low6)),
        _mm512_or_si512(_mm512_slli_epi16(_mm512_and_si512(v, three), 6), _mm512_and_si512(next, low6)));
    const __mmask64 high = _mm512_movepi8_mask(idx);  // index bit 7: the upper 128 entries
    const __m512i flags = lookup256(idx, high, flag_lo, flag_lo2, flag_hi, flag_hi2);
    const __mmask64 slow =
        _mm512_test_epi8_mask(flags, _mm512_set1_epi8(static_cast<char>(kSimdSlow | kSimdComposing))) & lead;
    const __mmask64 bases = _mm512_test_epi8_mask(flags, _mm512_set1_epi8(static_cast<char>(kSimdBase))) & lead;
    const __mmask64 breaks = _mm512_test_epi8_mask(flags, _mm512_set1_epi8(static_cast<char>(kSimdBreaksBase))) & lead;
    // Composition needs a hamza or madda mark: the block stops before one
    // (and before anything else the scalar loop must see: another script,
    // a character with context). With none before the stop, only a letter at
    // the end could still take one from further on, so the block also stops
    // before its last letter when that is a base with nothing but marks after
    // it. A mark first in the block after a base the scalar loop just wrote
    // goes back to the scalar loop.
    const __mmask64 stop = broken | slow | (breaks & static_cast<__mmask64>(base));
    unsigned len = valid == in ? n : n - 1;
    if (stop) {
      len = static_cast<unsigned>(__builtin_ctzll(stop));
      if (len && ((leads >> (len - 1)) & 1)) --len;  // never split a character
    }
    const __mmask64 whole = len == 64 ? ~0ull : (1ull << len) - 1;
    const __mmask64 starters = (ascii | lead | latin1) & ~breaks & whole;
    if (starters) {
      const unsigned last_starter = 63 - static_cast<unsigned>(__builtin_clzll(starters));
      if ((bases >> last_starter) & 1) len = last_starter;
    }
    if (len == 0) break;
    const __mmask64 taken = len == 64 ? ~0ull : (1ull << len) - 1;
    const __m512i new_lead = lookup256(idx, high, lead_lo, lead_lo2, lead_hi, lead_hi2);
    const __m512i new_trail = lookup256(idx, high, trail_lo, trail_lo2, trail_hi, trail_hi2);
    __m512i result = _mm512_mask_blend_epi8(lead, v, new_lead);
    result = _mm512_mask_blend_epi8(lead << 1, result, new_trail);  // trails of U+0080-U+00FF stay
    const __mmask64 keep = _mm512_cmpneq_epi8_mask(result, removed) & taken;
    _mm512_storeu_si512(w, _mm512_maskz_compress_epi8(keep, result));
    w += _mm_popcnt_u64(keep);
    base = false;  // the block never ends right after a base letter
    p += len;
    // At a stop the scalar loop takes the next character. A block cut short
    // only to keep a base letter with its marks goes on from that letter.
    if (!full || stop) break;
  }
  out = w;
  after_base = base;
  return p;
}

}  // namespace arnorm::detail

#else

namespace arnorm::detail {
bool avx512_available() { return false; }
const unsigned char* avx512_blocks(const unsigned char* p, const unsigned char*, char*&, const SimdTables&, bool&) {
  return p;
}
}  // namespace arnorm::detail

#endif
