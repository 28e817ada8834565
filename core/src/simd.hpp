// SIMD paths of the hot loop, chosen at run time. Each gives exactly the
// output of the scalar loop; a path returns where it stopped and the scalar
// loop carries on from there.
#pragma once

#include <cstdint>

namespace arnorm::detail {

// Per character of U+0600-U+06FF (index: lead bits 0-1, trail bits 0-5).
constexpr std::uint8_t kSimdRemoved = 0xC0;  // never a byte of valid UTF-8 output
// In the lead table: a character the path must stop before (kSimdSlow, kSimdComposing).
constexpr std::uint8_t kSimdStop = 0xC1;
constexpr std::uint8_t kSimdSlow = 1, kSimdBase = 2, kSimdBreaksBase = 4, kSimdComposing = 8;

struct SimdTables {
  alignas(64) std::uint8_t lead[256];   // the output's first byte (or kSimdRemoved, kSimdStop)
  alignas(64) std::uint8_t trail[256];  // its second byte (or kSimdRemoved)
  alignas(64) std::uint8_t flags[256];
  // Per character of U+0080-U+00FF (index: lead bit 0, trail bits 0-5):
  // nonzero when it passes unchanged (« » é ...), so blocks need not stop there.
  alignas(64) std::uint8_t latin1_kept[128];
  bool usable = false;  // ASCII passes unchanged under these options
};

bool avx512_available();

// Whether new normalizations may use the SIMD paths (default yes); tests turn
// them off to compare every path with the scalar one.
bool simd_allowed();
void allow_simd(bool allowed);

// Whole 64-byte blocks of ASCII and U+0600-U+06FF, while they are simple.
const unsigned char* avx512_blocks(const unsigned char* p, const unsigned char* end, char*& out, const SimdTables& t,
                                   bool& after_base);

}  // namespace arnorm::detail
