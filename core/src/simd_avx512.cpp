// The hot loop's AVX-512 path (VBMI and VBMI2). Each two-byte character of
// U+0600-U+06FF is rewritten through two 256-entry byte tables (its new lead
// byte and its new trail byte, looked up with vpermi2b), bytes of removed
// characters are squeezed out with vpcompressb, ASCII passes. Two passes: a
// fixed-stride one for the common blocks, and an exact one that takes over
// where a block needs care (a mark right after a letter that could compose
// with it) and hands anything else (another script, a character with
// context) to the scalar loop. Both give the scalar loop's output by
// construction (all read the same per-character entries) and by test.
#include "simd.hpp"

#include <algorithm>
#include <cstdint>

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

// What a block's bytes are, and each character's table index.
struct Block {
  __mmask64 ascii, lead, trail, latin1_lead, latin1, leads;
  __m512i idx;
  __mmask64 high;  // index bit 7: the upper 128 entries
};

// v: the block; prev and next: the same bytes shifted by one either way.
ARNORM_AVX512 static inline Block classify(__m512i v, __m512i prev, __m512i next, __m512i latin1_lo,
                                           __m512i latin1_hi) {
  Block b;
  b.ascii = ~_mm512_movepi8_mask(v);
  b.lead = _mm512_cmpeq_epi8_mask(_mm512_and_si512(v, _mm512_set1_epi8(static_cast<char>(0xFC))),
                                  _mm512_set1_epi8(static_cast<char>(0xD8)));
  b.trail = _mm512_cmplt_epi8_mask(v, _mm512_set1_epi8(static_cast<char>(0xC0)));  // signed: 0x80-0xBF
  b.latin1_lead = _mm512_cmpeq_epi8_mask(_mm512_and_si512(v, _mm512_set1_epi8(static_cast<char>(0xFE))),
                                         _mm512_set1_epi8(static_cast<char>(0xC2)));
  b.leads = b.lead | b.latin1_lead;
  // The table index of each byte's two-byte character: its lead's bits 0-1,
  // then its trail's bits 0-5 (for a lead the trail is the next byte; for a
  // trail, the lead is the previous byte). The 16-bit shift cannot leak into
  // bits 6-7 of a byte, the only bits it keeps.
  const __m512i lead_byte = _mm512_mask_blend_epi8(b.leads, prev, v);
  const __m512i trail_byte = _mm512_mask_blend_epi8(b.leads, v, next);
  b.idx = _mm512_ternarylogic_epi32(_mm512_set1_epi8(static_cast<char>(0xC0)), _mm512_slli_epi16(lead_byte, 6),
                                    trail_byte, 0xCA);  // bitwise: mask ? shifted lead : trail
  // U+0080-U+00FF that pass unchanged (« » é): index bits 0-6 pick the entry.
  const __m512i kept = _mm512_permutex2var_epi8(latin1_lo, b.idx, latin1_hi);
  b.latin1 = _mm512_test_epi8_mask(kept, kept) & b.latin1_lead;
  b.high = _mm512_movepi8_mask(b.idx);
  return b;
}

// Three- and four-byte characters that pass unchanged and without context,
// so the passes copy them instead of stopping: U+2000-U+203F (E2 80 xx:
// quotes, dashes, bullets; one 64-entry table says which) and, when that whole
// range is kept, U+1F000-U+1FFFF (F0 9F xx xx: emoji). Looked for only in
// blocks that would stop without them.
struct LongKept {
  __mmask64 start3, start4;  // E2 80, F0 9F
  __mmask64 whole;           // ... complete in the block and kept
  __mmask64 four;            // the four-byte ones among `whole`
  __mmask64 trails() const { return (whole << 1) | (whole << 2) | (four << 3); }
  // Those that run past the block's `in` bytes.
  __mmask64 cut(__mmask64 in) const { return (start3 & ~(in >> 2)) | (start4 & ~(in >> 3)); }
};
struct LongTables {
  __m512i punct;    // U+2000 + i passes unchanged: byte i nonzero
  __mmask64 emoji;  // all ones when U+1F000-U+1FFFF pass unchanged, else zero
};
// next2: the bytes two on (masked where past the input).
ARNORM_AVX512 static inline LongKept find_long(__m512i v, __m512i next, __m512i next2, __mmask64 trail, __mmask64 in,
                                               const LongTables& lt) {
  const __mmask64 e2 = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8(static_cast<char>(0xE2))) &
                       _mm512_cmpeq_epi8_mask(next, _mm512_set1_epi8(static_cast<char>(0x80))) & in;
  const __mmask64 f0 = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8(static_cast<char>(0xF0))) &
                       _mm512_cmpeq_epi8_mask(next, _mm512_set1_epi8(static_cast<char>(0x9F))) & in & lt.emoji;
  const __m512i kept = _mm512_permutexvar_epi8(next2, lt.punct);  // entry: the third byte's bits 0-5
  LongKept k;
  k.start3 = e2;
  k.start4 = f0;
  k.four = f0 & (trail >> 2) & (trail >> 3);  // trail holds only bytes of the block
  k.whole = (e2 & (trail >> 2) & _mm512_test_epi8_mask(kept, kept)) | k.four;
  return k;
}

// The 3 x 4 registers of the per-character tables.
struct TableRegs {
  __m512i lead[4], trail[4], flags[4];
  ARNORM_AVX512 explicit TableRegs(const SimdTables& t) {
    for (int i = 0; i < 4; ++i) {
      lead[i] = _mm512_loadu_si512(t.lead + 64 * i);
      trail[i] = _mm512_loadu_si512(t.trail + 64 * i);
      flags[i] = _mm512_loadu_si512(t.flags + 64 * i);
    }
  }
};

ARNORM_AVX512 static inline __m512i lookup(const __m512i (&table)[4], const Block& b) {
  return lookup256(b.idx, b.high, table[0], table[1], table[2], table[3]);
}

// The block's output bytes before removal: leads of U+0600-U+06FF rewritten
// through the lead table (new_lead), the bytes after them (trail_of_lead)
// through the trail table, everything else as it is.
ARNORM_AVX512 static inline __m512i rewrite(__m512i v, const Block& b, __m512i new_lead, __mmask64 trail_of_lead,
                                            const TableRegs& r) {
  const __m512i result = _mm512_mask_blend_epi8(b.lead, v, new_lead);
  return _mm512_mask_blend_epi8(trail_of_lead, result, lookup(r.trail, b));
}

ARNORM_AVX512 static inline __mmask64 flagged(__m512i flags, std::uint8_t which, __mmask64 lead) {
  return _mm512_test_epi8_mask(flags, _mm512_set1_epi8(static_cast<char>(which))) & lead;
}

// The fixed-stride pass's byte classes, by a byte's top seven bits (index:
// the byte >> 1), and those it gives the byte after it. XOR-ing a byte's
// class with its predecessor's leaves bit 0 where a trail lacks its lead or
// a lead its trail, and bits 1-2 where the pass must stop (kSimdLatin1Kept
// clears bit 2 for a kept U+0080-U+00FF character).
constexpr std::uint8_t kClassTrail = 0x01, kClassOther = 0x02, kClassLatin1 = kSimdLatin1Kept, kClassArabic = 0x10;
constexpr std::uint8_t kClassUpper = 0x40;  // DA, DB (with kClassArabic)
constexpr std::uint8_t kClassStop = kClassTrail | kClassOther | kClassLatin1;
constexpr std::uint8_t kAfterLead = kClassTrail, kAfterArabic = 0x08;
static_assert(((kClassArabic | kClassUpper | kAfterArabic) & kClassStop) == 0,
              "the classes' other bits stay out of the test");
struct ByteClasses {
  alignas(64) std::uint8_t self[128] = {}, after[128] = {};
  constexpr ByteClasses() {
    for (int i = 0x40; i < 0x80; ++i) {
      const int b = i << 1;  // the byte's top seven bits: bytes b and b + 1
      const bool arabic = b >= 0xD8 && b <= 0xDB, latin1 = b == 0xC2;
      self[i] = b < 0xC0 ? kClassTrail
                : arabic  ? (b == 0xDA ? kClassArabic | kClassUpper : kClassArabic)
                : latin1  ? kClassLatin1
                          : kClassOther;
      after[i] = arabic ? kAfterLead | kAfterArabic : latin1 ? kAfterLead : 0;
    }
  }
};
inline constexpr ByteClasses kByteClasses;

// The address of the byte before p, which the pass's first block reads
// masked out: it may lie before the text (a masked-out byte never faults),
// where pointer arithmetic may not go.
static inline const void* byte_before(const unsigned char* p) {
  return reinterpret_cast<const void*>(reinterpret_cast<std::uintptr_t>(p) - 1);
}

// What the stride pass carries from block to block, and the tables it reads.
struct StrideState {
  const unsigned char* p;
  char* w;
  __mmask64 stop = 0, starters = 0;  // of the block that stopped the pass
  std::uint64_t written_keep = 0;    // of the last block written
  // The last block that took a closer look and was written, and its starters.
  const unsigned char* looked_at = nullptr;
  __mmask64 looked_at_starters = 0;
};
struct StrideTables {
  const TableRegs& r;
  __m512i latin1_lo, latin1_hi;
  const LongTables& lt;
};

// The fixed-stride pass: 64 bytes every step, whatever they hold, so that the
// next block's address never waits for this block's work (a step that
// computes where the next block starts is bound by that latency: about half
// this pass's speed on news text). A character split across two blocks is
// rewritten byte by byte in both: its lead through the lead table in the
// first, its trail through the trail table in the second (the previous byte
// comes from the last block).
//
// The pass stops at the first block with anything the exact pass below must
// see (another script, broken UTF-8, a character with context, a composing
// mark, no starter: ASCII, kept U+0080-U+00FF or long character) and returns a
// restart point (StrideRestart) from which that pass redoes the work. (A
// base letter the scalar loop wrote just before the pass needs no check here:
// a mark that could compose with it stops the pass within two blocks, and the
// restart point is then where the pass began.)
//
// A block moves one mask to a general register (the count of bytes it
// writes): such a 64-bit move took two cycles here (Zen 4), and a form that
// combined each block's masks in general registers moved ten of them. The
// byte classes flag, in vector registers, the blocks that need a closer
// look; only those make the exact masks. Each byte's predecessor comes from
// a load at p - 1, not a permute of the last block: a load takes no vector
// unit.
//
// stride_run: the stride pass's blocks from s.p, reading the lead and trail tables'
// upper halves (leads DA and DB) only when kUpper. Without them it returns
// true at the first block with such a lead, unread, for the form with them
// to go on from; else false, where the pass ends.
template <bool kUpper>
ARNORM_AVX512 static inline bool stride_run(StrideState& s, const unsigned char* start, const unsigned char* end,
                                            const StrideTables& t) {
  const __m512i removed = _mm512_set1_epi8(static_cast<char>(kSimdRemoved));
  const __m512i stop_lead = _mm512_set1_epi8(static_cast<char>(kSimdStop));
  const __m512i self_lo = _mm512_load_si512(kByteClasses.self), self_hi = _mm512_load_si512(kByteClasses.self + 64);
  const __m512i after_lo = _mm512_load_si512(kByteClasses.after),
                after_hi = _mm512_load_si512(kByteClasses.after + 64);
  const __m512i index_top2 = _mm512_set1_epi8(static_cast<char>(0xC0));
  const TableRegs& r = t.r;
  const unsigned char* p = s.p;
  char* w = s.w;
  std::uint64_t written_keep = s.written_keep;  // (a local: the stores through w could alias s)
  bool upper_met = false;
  while (end - p > 64) {  // the `next` load reads byte 64
    prefetch_ahead(p);
    const __m512i v = _mm512_loadu_si512(p);
    const __m512i next = _mm512_loadu_si512(p + 1);
    const __m512i prev = p != start ? _mm512_loadu_si512(p - 1) : _mm512_maskz_loadu_epi8(~1ull, byte_before(p));
    // Each byte's character index as a lead (with the next byte) and as a
    // trail (with the one before): lead bits 0-1, trail bits 0-5.
    const __m512i at_lead = _mm512_ternarylogic_epi32(index_top2, _mm512_slli_epi16(v, 6), next, 0xCA);
    const __m512i at_trail = _mm512_ternarylogic_epi32(index_top2, _mm512_slli_epi16(prev, 6), v, 0xCA);
    const __m512i new_lead =
        kUpper ? lookup256(at_lead, _mm512_movepi8_mask(at_lead), r.lead[0], r.lead[1], r.lead[2], r.lead[3])
               : _mm512_permutex2var_epi8(r.lead[0], at_lead, r.lead[1]);
    const __m512i new_trail =
        kUpper ? lookup256(at_trail, _mm512_movepi8_mask(at_trail), r.trail[0], r.trail[1], r.trail[2], r.trail[3])
               : _mm512_permutex2var_epi8(r.trail[0], at_trail, r.trail[1]);
    const __m512i kept = _mm512_permutex2var_epi8(t.latin1_lo, at_lead, t.latin1_hi);
    // (A 16-bit shift: bit 7 of each byte is the next byte's, which the lookup ignores.)
    const __m512i self = _mm512_permutex2var_epi8(self_lo, _mm512_srli_epi16(v, 1), self_hi);
    const __m512i after = _mm512_permutex2var_epi8(after_lo, _mm512_srli_epi16(prev, 1), after_hi);
    const __m512i odd = _mm512_ternarylogic_epi32(self, after, kept, 0x14);  // (self ^ after) & ~kept
    const __mmask64 lead = _mm512_test_epi8_mask(self, _mm512_set1_epi8(kClassArabic));
    const __mmask64 stop_at_lead = _mm512_mask_cmpeq_epi8_mask(lead, new_lead, stop_lead);
    const __mmask64 odd_bytes =
        _mm512_test_epi8_mask(odd, _mm512_set1_epi8(kUpper ? kClassStop : kClassStop | kClassUpper));
    const __mmask64 non_ascii = _mm512_movepi8_mask(v);
    if (!_kortestz_mask64_u8(odd_bytes, stop_at_lead) || _kortestc_mask64_u8(non_ascii, non_ascii)) {
      if (!kUpper && _mm512_test_epi8_mask(self, _mm512_set1_epi8(kClassUpper))) {
        upper_met = true;
        break;
      }
      // The exact masks. A lead at byte 63 without its trail shows at byte 0
      // of the next block, whose stop sends the exact pass back to this one.
      const Block b = classify(v, prev, next, t.latin1_lo, t.latin1_hi);
      const __mmask64 trails_due = _mm512_test_epi8_mask(after, _mm512_set1_epi8(kAfterLead));
      __mmask64 starters = b.ascii | b.latin1;
      __mmask64 stop = ~(b.ascii | b.lead | b.latin1 | b.trail) | (b.trail ^ trails_due) | stop_at_lead |
                       static_cast<__mmask64>(starters == 0);
      if (stop && end - p > 65) {
        // Look again with the long kept characters passing (only here: in
        // every block the extra work cost a fifth of the speed on news). One
        // that does not end in the block still stops it (a start outside `whole`).
        const LongKept k = find_long(v, next, _mm512_loadu_si512(p + 2), b.trail, ~0ull, t.lt);
        starters |= k.whole;
        stop = ~(b.ascii | b.lead | b.latin1 | b.trail | k.whole) | (b.trail ^ (trails_due | k.trails())) |
               stop_at_lead | static_cast<__mmask64>(starters == 0);
      }
      if (stop) {
        s.stop = stop;
        s.starters = starters;
        break;
      }
      s.looked_at = p;
      s.looked_at_starters = starters;
    }
    // Leads through the lead table, the bytes after them through the trail
    // table (trails of U+0080-U+00FF stay), everything else as it is.
    const __mmask64 after_arabic = _mm512_test_epi8_mask(after, _mm512_set1_epi8(kAfterArabic));
    const __m512i result =
        _mm512_mask_blend_epi8(after_arabic, _mm512_mask_blend_epi8(lead, v, new_lead), new_trail);
    const __mmask64 keep = _mm512_cmpneq_epi8_mask(result, removed);
    _mm512_storeu_si512(w, _mm512_maskz_compress_epi8(keep, result));
    written_keep = _cvtmask64_u64(keep);
    w += _mm_popcnt_u64(written_keep);
    p += 64;
  }
  s.p = p;
  s.w = w;
  s.written_keep = written_keep;
  return upper_met;
}

// The pass itself. `met_upper` (kept by the caller across passes): a pass
// has met a lead DA or DB, so this one reads the upper halves from the start.
ARNORM_AVX512 static const unsigned char* stride_blocks(const unsigned char* p, const unsigned char* end, char*& out,
                                                        const StrideTables& t, bool& after_base, bool& met_upper) {
  StrideState s{p, out};
  StrideRestart restart(p, out);
  if (met_upper || stride_run<false>(s, p, end, t)) {
    met_upper = true;
    stride_run<true>(s, p, end, t);
  }
  p = s.p;
  if (restart.took_block(p)) {
    // A character split at the last block's end starts one byte back; its
    // first output byte (if any) is already written.
    const unsigned split = (p[-1] & 0xFC) == 0xD8 || (p[-1] & 0xFE) == 0xC2;
    restart.advance(s.w, split, split & static_cast<unsigned>(s.written_keep >> 63));
    // In a block written without a closer look, every C2 or C3 lead starts a
    // kept character (any other would have been looked at).
    const __m512i v = _mm512_loadu_si512(p - 64);
    const __mmask64 written_starters =
        p - 64 == s.looked_at ? s.looked_at_starters
                              : ~_mm512_movepi8_mask(v) |
                                    _mm512_cmpeq_epi8_mask(_mm512_and_si512(v, _mm512_set1_epi8(static_cast<char>(0xFE))),
                                                           _mm512_set1_epi8(static_cast<char>(0xC2)));
    restart.last_block(s.w, s.written_keep, written_starters);
  }
  return restart.finish(p, 64, s.stop && (s.starters & ((s.stop & (0 - s.stop)) - 1)) != 0, out, after_base);
}

ARNORM_AVX512 const unsigned char* avx512_blocks(const unsigned char* p, const unsigned char* end, char*& out,
                                                 const SimdTables& t, bool& after_base, const unsigned char*& resume,
                                                 bool& upper) {
  const TableRegs r(t);
  const __m512i latin1_lo = _mm512_loadu_si512(t.latin1_kept), latin1_hi = _mm512_loadu_si512(t.latin1_kept + 64);
  const LongTables lt{_mm512_loadu_si512(t.punct_kept), t.emoji_kept ? ~0ull : 0};
  bool base = after_base;
  char* w = out;
  const __m512i shift_prev =
      _mm512_set_epi8(62, 61, 60, 59, 58, 57, 56, 55, 54, 53, 52, 51, 50, 49, 48, 47, 46, 45, 44, 43, 42, 41, 40, 39,
                      38, 37, 36, 35, 34, 33, 32, 31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17, 16, 15,
                      14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 0);
  const __m512i removed = _mm512_set1_epi8(static_cast<char>(kSimdRemoved));
  // After this many whole blocks without a stop, the stride pass takes over
  // again: what stopped it (an emoji across two blocks, a block without
  // ASCII) is behind.
  constexpr int kExactBlocks = 2;
  int exact_blocks = kExactBlocks;
  // The exact pass, from where the fixed-stride pass stopped: each block ends
  // where the work must go to the scalar loop, so the next block's start
  // depends on this one. Whole blocks read one byte past the block (the
  // trail of a character that starts at byte 63); the last, shorter block is
  // read with masked loads, so nothing past the input is touched and short
  // texts take this path too.
  while (end - p >= 2) {
    if (exact_blocks == kExactBlocks) {  // (also on entry)
      p = stride_blocks(p, end, w, StrideTables{r, latin1_lo, latin1_hi, lt}, base, upper);
      exact_blocks = 0;
      continue;
    }
    const bool full = end - p > 64;
    const unsigned n = full ? 64 : static_cast<unsigned>(end - p);
    const __mmask64 in = n == 64 ? ~0ull : (1ull << n) - 1;
    const __m512i v = _mm512_maskz_loadu_epi8(in, p);
    const __m512i next = full ? _mm512_loadu_si512(p + 1) : _mm512_maskz_loadu_epi8(in >> 1, p + 1);
    const __m512i prev = _mm512_permutexvar_epi8(shift_prev, v);
    Block b = classify(v, prev, next, latin1_lo, latin1_hi);
    b.ascii &= in;
    const std::ptrdiff_t after2 = end - p - 2;
    const __m512i next2 = _mm512_maskz_loadu_epi8(after2 >= 64 ? ~0ull : (1ull << after2) - 1, p + 2);
    const LongKept k = find_long(v, next, next2, b.trail, in, lt);
    // A character starting at the block's last byte is left for later, and
    // so is a three- or four-byte one that runs past the block (the next
    // block, or the scalar loop at the end, starts with it).
    const __mmask64 cut = k.cut(in);
    const __mmask64 later = cut ? ~((cut & (0 - cut)) - 1) : 0;
    const __mmask64 valid = (((b.leads >> (n - 1)) & 1) ? in >> 1 : in) & ~later;
    // Where the block stops being ASCII, well-formed U+0600-U+06FF, unchanged
    // U+0080-U+00FF or a long kept character. (A lead before the last byte
    // must see its trail there even when the last byte is left out; so must a
    // lead right before a character left for later: found by fuzz_normalize.)
    const __mmask64 broken = (~(b.ascii | b.lead | b.latin1 | b.trail | k.whole) & valid) |
                             ((b.trail ^ ((b.leads << 1) | k.trails())) & in & ~(later << 1));
    const __m512i flags = lookup(r.flags, b);
    const __mmask64 slow = flagged(flags, kSimdSlow | kSimdComposing, b.lead);
    const __mmask64 bases = flagged(flags, kSimdBase, b.lead);
    const __mmask64 breaks = flagged(flags, kSimdBreaksBase, b.lead);
    // Composition needs a hamza or madda mark: the block stops before one
    // (and before anything else the scalar loop must see: another script,
    // a character with context). With none before the stop, only a letter at
    // the end could still take one from further on, so the block also stops
    // before its last letter when that is a base with nothing but marks after
    // it. A mark first in the block after a base the scalar loop just wrote
    // goes back to the scalar loop.
    const __mmask64 stop = broken | slow | (breaks & static_cast<__mmask64>(base));
    unsigned len = ~valid ? static_cast<unsigned>(__builtin_ctzll(~valid)) : 64;
    if (stop) {
      len = std::min(len, static_cast<unsigned>(__builtin_ctzll(stop)));
      if (len && ((b.leads >> (len - 1)) & 1)) --len;  // never split a character
    }
    const __mmask64 whole = len == 64 ? ~0ull : (1ull << len) - 1;
    const __mmask64 starters = (b.ascii | b.lead | b.latin1 | k.whole) & ~breaks & whole;
    if (starters) {
      const unsigned last_starter = 63 - static_cast<unsigned>(__builtin_clzll(starters));
      if ((bases >> last_starter) & 1) len = last_starter;
    }
    if (len == 0) break;
    const __mmask64 taken = len == 64 ? ~0ull : (1ull << len) - 1;
    const __m512i result = rewrite(v, b, lookup(r.lead, b), b.lead << 1, r);
    const __mmask64 keep = _mm512_cmpneq_epi8_mask(result, removed) & taken;
    _mm512_storeu_si512(w, _mm512_maskz_compress_epi8(keep, result));
    w += _mm_popcnt_u64(keep);
    base = false;  // the block never ends right after a base letter
    p += len;
    // At a stop the scalar loop takes the next character. A block cut short
    // only to keep a base letter with its marks goes on from that letter.
    if (!full || stop) break;
    ++exact_blocks;
  }
  out = w;
  after_base = base;
  resume = p + 1;  // the scalar loop takes at least one character
  return p;
}

// 32 units a block, each through the tables by its low byte (for
// U+0600-U+06FF that is the tables' index; for U+0080-U+00FF, the kept
// table's). An Arabic unit's output is one unit: none (removed), an ASCII
// byte (its lead alone), or the two-byte character its lead and trail spell;
// anything else, like a unit the tables mark as a stop, a surrogate or another
// script, stops the pass. Blocks are character boundaries, so the restart
// rules are those of the stride pass without split characters.
ARNORM_AVX512 Utf16Prefix avx512_utf16_prefix(const char16_t* in, std::size_t n, char16_t* out, const SimdTables& t) {
  const TableRegs r(t);
  const __m512i latin1_lo = _mm512_loadu_si512(t.latin1_kept), latin1_hi = _mm512_loadu_si512(t.latin1_kept + 64);
  const __m512i punct = _mm512_loadu_si512(t.punct_kept);
  const __m512i removed = _mm512_set1_epi8(static_cast<char>(kSimdRemoved));
  std::size_t i = 0, w = 0;                // the current block's start, in and out
  std::size_t before_i = 0, before_w = 0;  // the previous block's
  while (i < n) {
    const std::size_t here = std::min<std::size_t>(n - i, 32);
    const __mmask32 in_block = here == 32 ? ~0u : (1u << here) - 1;
    const __m512i u = _mm512_maskz_loadu_epi16(in_block, in + i);
    const __m512i high_byte = _mm512_srli_epi16(u, 8);
    const __mmask32 ascii = _mm512_cmplt_epu16_mask(u, _mm512_set1_epi16(0x80)) & in_block;
    const __mmask32 arabic = _mm512_cmpeq_epi16_mask(high_byte, _mm512_set1_epi16(6)) & in_block;
    const __mmask32 latin1 = _mm512_cmpeq_epi16_mask(high_byte, _mm512_setzero_si512()) & ~ascii & in_block;
    const __mmask32 general_punct =
        _mm512_cmpeq_epi16_mask(_mm512_srli_epi16(u, 6), _mm512_set1_epi16(0x2000 >> 6)) & in_block;
    // Low bytes in the block's first 32 bytes, for the byte tables.
    const __m512i idx = _mm512_zextsi256_si512(_mm512_cvtepi16_epi8(u));
    const __mmask64 high = _mm512_movepi8_mask(idx);
    const __m512i lead = lookup256(idx, high, r.lead[0], r.lead[1], r.lead[2], r.lead[3]);
    const __m512i trail = lookup256(idx, high, r.trail[0], r.trail[1], r.trail[2], r.trail[3]);
    const __m512i kept_latin1 = _mm512_permutex2var_epi8(latin1_lo, idx, latin1_hi);
    const __m512i kept_punct = _mm512_permutexvar_epi8(idx, punct);  // bits 0-5: U+2000 + i
    const auto low32 = [](__mmask64 m) { return static_cast<__mmask32>(m); };
    const __mmask32 starters = ascii | (latin1 & low32(_mm512_test_epi8_mask(kept_latin1, kept_latin1))) |
                               (general_punct & low32(_mm512_test_epi8_mask(kept_punct, kept_punct)));
    const __mmask32 gone = low32(_mm512_cmpeq_epi8_mask(lead, removed));
    const __mmask32 lead_alone = low32(_mm512_cmpeq_epi8_mask(trail, removed) & ~_mm512_movepi8_mask(lead));
    const __mmask32 two_bytes =
        low32(_mm512_cmpge_epu8_mask(lead, _mm512_set1_epi8(static_cast<char>(0xC2))) &
              _mm512_cmplt_epu8_mask(lead, _mm512_set1_epi8(static_cast<char>(0xE0))) &
              _mm512_cmpeq_epi8_mask(_mm512_and_si512(trail, _mm512_set1_epi8(static_cast<char>(0xC0))),
                                     _mm512_set1_epi8(static_cast<char>(0x80))));
    const __mmask32 arabic_ok = arabic & (gone | lead_alone | two_bytes);
    // A block without a starter stops the pass (so that going back one block
    // is always enough), unless it ends the text: nothing follows it.
    const __mmask32 stop = (in_block & ~(starters | arabic_ok)) | static_cast<__mmask32>(starters == 0 && i + here < n);
    if (stop) {
      const std::size_t at = i + static_cast<unsigned>(__builtin_ctz(stop));
      // Back one block unless a starter precedes the stop in this one (no
      // later mark composes across a starter).
      if (!(starters & ((stop & (0u - stop)) - 1)) && i > 0) i = before_i, w = before_w;
      return {i, w, at};
    }
    const __m512i lead16 = _mm512_cvtepu8_epi16(_mm512_castsi512_si256(lead));
    const __m512i trail16 = _mm512_cvtepu8_epi16(_mm512_castsi512_si256(trail));
    const __m512i spelled = _mm512_or_si512(_mm512_slli_epi16(_mm512_and_si512(lead16, _mm512_set1_epi16(0x1F)), 6),
                                            _mm512_and_si512(trail16, _mm512_set1_epi16(0x3F)));
    const __m512i rewritten = _mm512_mask_blend_epi16(lead_alone, spelled, lead16);
    const __m512i result = _mm512_mask_blend_epi16(arabic, u, rewritten);
    const __mmask32 keep = in_block & ~(arabic & gone);
    const unsigned count = static_cast<unsigned>(_mm_popcnt_u32(keep));
    _mm512_mask_storeu_epi16(out + w, count == 32 ? ~0u : (1u << count) - 1, _mm512_maskz_compress_epi16(keep, result));
    before_i = i, before_w = w;
    i += here, w += count;
  }
  return {i, w, n};
}

}  // namespace arnorm::detail

#else

namespace arnorm::detail {
const unsigned char* avx512_blocks(const unsigned char* p, const unsigned char*, char*&, const SimdTables&, bool&,
                                   const unsigned char*& resume, bool&) {
  resume = p + 1;
  return p;
}
Utf16Prefix avx512_utf16_prefix(const char16_t*, std::size_t, char16_t*, const SimdTables&) { return {}; }
}  // namespace arnorm::detail

#endif
