// NEON helpers shared by the hot loop's NEON path and the NEON conversions
// (AArch64 only: each user guards its include).
#pragma once

#include <arm_neon.h>

#include <cstdint>

#include "simd.hpp"

namespace arnorm::detail::neon {

// Writes the 8 bytes of `bytes` whose bit is set in `keep`, and up to 7
// bytes past them.
inline char* pack8(uint8x8_t bytes, unsigned keep, char* w) {
  vst1_u8(reinterpret_cast<std::uint8_t*>(w), vtbl1_u8(bytes, vld1_u8(kPackBytes.entry[keep])));
  return w + __builtin_popcount(keep);
}

// Writes the 16-bit units of `units` whose bit is set in `keep` (8 bits),
// and up to 7 units past them.
inline char16_t* pack8_units(uint8x16_t units, unsigned keep, char16_t* w) {
  vst1q_u8(reinterpret_cast<std::uint8_t*>(w), vqtbl1q_u8(units, vld1q_u8(kPackUnits.entry[keep])));
  return w + __builtin_popcount(keep);
}

// An 8-lane comparison result as 8 bits (no movemask on NEON).
inline unsigned byte_mask(uint8x8_t m) {
  static constexpr std::uint8_t kBitOfByte[8] = {1, 2, 4, 8, 16, 32, 64, 128};
  return vaddv_u8(vand_u8(m, vld1_u8(kBitOfByte)));
}

}  // namespace arnorm::detail::neon
