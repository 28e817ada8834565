// The hot loop's AArch64 path (NEON, which every AArch64 CPU has): 32 bytes
// every step (two registers), a fixed stride (see StrideRestart), the AVX2
// path's design.
// Each two-byte character of U+0600-U+06FF is looked up once, at its lead, in
// the 256 one-byte codes (kSimdCode*) with four 64-entry table lookups (tbl,
// then tbx for each further quarter); the lead and trail output bytes are
// decoded from the code, the trail's from the code one byte back. Kept
// U+0080-U+00FF characters (« » é) pass. Removed bytes are squeezed out 8 at
// a time by a tbl from a table indexed by the keep mask. Anything else ends
// the pass and the scalar loop takes over from a restart point up to past the
// stopping character.
#include <cstddef>
#include <cstdint>

#include "simd.hpp"

#if defined(__aarch64__) && defined(__ARM_NEON)
#include "simd_neon.hpp"

namespace arnorm::detail {
namespace {

// A 16-lane comparison result as 4 bits a lane (no movemask on NEON).
inline std::uint64_t nibbles(uint8x16_t m) {
  return vget_lane_u64(vreinterpret_u64_u8(vshrn_n_u16(vreinterpretq_u16_u8(m), 4)), 0);
}

inline uint8x16_t is(uint8x16_t v, std::uint8_t mask, std::uint8_t value) {
  return vceqq_u8(vandq_u8(v, vdupq_n_u8(mask)), vdupq_n_u8(value));
}

// Byte i - 1 of v for byte i, byte 15 of `last` for byte 0.
inline uint8x16_t shift_in(uint8x16_t last, uint8x16_t v) { return vextq_u8(last, v, 15); }

// A table of 64 * n entries looked up by idx (0 past its end).
inline uint8x16_t lookup(const uint8x16x4_t* table, int n, uint8x16_t idx) {
  uint8x16_t r = vqtbl4q_u8(table[0], idx);
  for (int q = 1; q < n; ++q) r = vqtbx4q_u8(r, table[q], vsubq_u8(idx, vdupq_n_u8(static_cast<std::uint8_t>(64 * q))));
  return r;
}

using neon::byte_mask;
using neon::pack8;

// One 16-byte half of a step, classified, with each lead's code.
struct Half {
  uint8x16_t v, lead, leads, code, start, bad;
};

inline Half classify(const unsigned char* p, uint8x16_t leads_before, const uint8x16x4_t (&code)[4],
                     const uint8x16x4_t (&latin1)[2]) {
  Half h;
  h.v = vld1q_u8(p);
  const uint8x16_t next = vld1q_u8(p + 1);
  const uint8x16_t ascii = vcltq_u8(h.v, vdupq_n_u8(0x80));
  h.lead = is(h.v, 0xFC, 0xD8);
  const uint8x16_t trail = is(h.v, 0xC0, 0x80), latin1_lead = is(h.v, 0xFE, 0xC2);
  // At each lead, its character's index: lead bits 0-1, trail bits 0-5.
  const uint8x16_t idx = vorrq_u8(vshlq_n_u8(h.v, 6), vandq_u8(next, vdupq_n_u8(0x3F)));
  uint8x16_t latin1_kept = vdupq_n_u8(0);
  if (vmaxvq_u8(latin1_lead))
    latin1_kept =
        vandq_u8(latin1_lead, vtstq_u8(lookup(latin1, 2, vandq_u8(idx, vdupq_n_u8(0x7F))), vdupq_n_u8(0xFF)));
  h.code = lookup(code, 4, idx);
  h.leads = vorrq_u8(h.lead, latin1_lead);
  h.start = vorrq_u8(ascii, latin1_kept);
  const uint8x16_t known = vorrq_u8(vorrq_u8(h.start, h.lead), trail);
  // Not ASCII, a lead, a kept U+0080-U+00FF or a trail; a trail without its
  // lead or a lead without its trail (shows at the next byte, maybe in the
  // next step); a character the scalar loop must see.
  h.bad = vorrq_u8(vorrq_u8(vmvnq_u8(known), veorq_u8(trail, shift_in(leads_before, h.leads))),
                   vandq_u8(h.lead, vceqq_u8(h.code, vdupq_n_u8(kSimdCodeStop))));
  return h;
}

// The half's output bytes (kSimdRemoved where removed): each byte's from the
// code of its character (kSimdOutBase), a lead's own, a trail's one byte back.
inline uint8x16_t rewrite(const Half& h, uint8x16_t lead_before, uint8x16_t code_before) {
  const uint8x16_t trail = shift_in(lead_before, h.lead);
  const uint8x16_t code_at = vbslq_u8(trail, shift_in(code_before, h.code), h.code);
  const uint8x16_t idx = vsubq_u8(vandq_u8(vshrq_n_u8(code_at, 4), vdupq_n_u8(0x0C)), trail);
  const uint8x16_t out =
      vorrq_u8(vqtbl1q_u8(vld1q_u8(kSimdOutBase), idx), vandq_u8(code_at, vqtbl1q_u8(vld1q_u8(kSimdOutBits), idx)));
  const uint8x16_t changed = vbicq_u8(vorrq_u8(h.lead, trail), vceqq_u8(out, vdupq_n_u8(kSimdCodeKept)));
  return vbslq_u8(changed, out, h.v);
}

// Writes a half's bytes but the removed ones.
inline char* write(uint8x16_t result, char* w) {
  const uint8x16_t gone = vceqq_u8(result, vdupq_n_u8(kSimdRemoved));
  if (vmaxvq_u8(gone) == 0) {
    vst1q_u8(reinterpret_cast<std::uint8_t*>(w), result);
    return w + 16;
  }
  const uint8x16_t keep = vmvnq_u8(gone);
  w = pack8(vget_low_u8(result), byte_mask(vget_low_u8(keep)), w);
  return pack8(vget_high_u8(result), byte_mask(vget_high_u8(keep)), w);
}

}  // namespace

// Steps of 32 bytes (two halves), so that a step without a starter (ASCII or
// a kept U+0080-U+00FF character), which must stop the pass, stays as rare as
// on the AVX2 path.
const unsigned char* neon_blocks(const unsigned char* p, const unsigned char* end, char*& out, const SimdTables& t,
                                 bool& after_base, const unsigned char*& resume, int& misses) {
  if (end - p <= 32) {  // short texts take no step: not even the tables are loaded
    resume = end;
    ++misses;
    return p;
  }
  uint8x16x4_t code[4], latin1[2];
  for (int q = 0; q < 4; ++q) code[q] = vld1q_u8_x4(t.code + 64 * q);
  for (int q = 0; q < 2; ++q) latin1[q] = vld1q_u8_x4(t.latin1_kept + 64 * q);
  char* w = out;
  StrideRestart restart(p, w);
  uint8x16_t last_lead = vdupq_n_u8(0), last_leads = vdupq_n_u8(0), last_code = vdupq_n_u8(0);
  uint8x16_t last_result[2] = {}, last_start[2] = {};  // the last step's output and starters, by half
  std::ptrdiff_t stop_at = -1;  // the stopping byte's offset in the step
  bool starter_before_stop = false;
  while (end - p > 32) {  // the second half's `next` load reads byte 32
    const Half a = classify(p, last_leads, code, latin1), b = classify(p + 16, a.leads, code, latin1);
    const std::uint64_t starters_a = nibbles(a.start), starters_b = nibbles(b.start);
    const std::uint64_t stop_a = nibbles(a.bad), stop_b = nibbles(b.bad);
    if ((starters_a | starters_b) == 0) {
      stop_at = 0;
    } else if (stop_a) {
      stop_at = __builtin_ctzll(stop_a) / 4;
      starter_before_stop = (starters_a & ((stop_a & (0 - stop_a)) - 1)) != 0;
    } else if (stop_b) {
      stop_at = 16 + __builtin_ctzll(stop_b) / 4;
      starter_before_stop = starters_a != 0 || (starters_b & ((stop_b & (0 - stop_b)) - 1)) != 0;
    }
    if (stop_at >= 0) break;
    last_result[0] = rewrite(a, last_lead, last_code);
    last_result[1] = rewrite(b, a.lead, a.code);
    w = write(last_result[0], w);
    w = write(last_result[1], w);
    p += 32;
    last_lead = b.lead;
    last_leads = b.leads;
    last_code = b.code;
    last_start[0] = a.start;
    last_start[1] = b.start;
  }
  if (restart.took_block(p)) {  // a character split at the last step's end, and its output so far
    const unsigned split = vgetq_lane_u8(last_leads, 15) & 1;
    restart.advance(w, split, split & (vgetq_lane_u8(last_result[1], 15) != kSimdRemoved ? 1u : 0u));
  }
  // The last step's bits, when the restart point is in that step.
  if (restart.took_block(p) && !(stop_at >= 0 && starter_before_stop)) {
    const auto bits32 = [](const uint8x16_t (&m)[2]) {
      std::uint64_t r = 0;
      for (int i = 0; i < 4; ++i) {
        const uint8x16_t half = m[i / 2];
        r |= std::uint64_t{byte_mask(i % 2 ? vget_high_u8(half) : vget_low_u8(half))} << (8 * i);
      }
      return r;
    };
    const uint8x16_t removed = vdupq_n_u8(kSimdRemoved);
    const uint8x16_t kept[2] = {vmvnq_u8(vceqq_u8(last_result[0], removed)),
                                vmvnq_u8(vceqq_u8(last_result[1], removed))};
    restart.last_block(w, bits32(kept), bits32(last_start));
  }
  resume = retry_point(p, end, stop_at < 0 ? nullptr : p + stop_at, restart, misses);
  return restart.finish(p, 32, stop_at >= 0 && starter_before_stop, out, after_base);
}

}  // namespace arnorm::detail

#else

namespace arnorm::detail {
const unsigned char* neon_blocks(const unsigned char* p, const unsigned char* end, char*&, const SimdTables&, bool&,
                                 const unsigned char*& resume, int&) {
  resume = end;
  return p;
}
}  // namespace arnorm::detail

#endif
