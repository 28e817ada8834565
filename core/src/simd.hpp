// SIMD paths of the hot loop, chosen at run time. Each gives exactly the
// output of the scalar loop; a path returns where it stopped and the scalar
// loop carries on from there.
#pragma once

#include <arnorm/arnorm.hpp>

#include <algorithm>
#include <bitset>
#include <cstddef>
#include <cstdint>

namespace arnorm::detail {

// Per character of U+0600-U+06FF (index: lead bits 0-1, trail bits 0-5).
constexpr std::uint8_t kSimdRemoved = 0xC0;  // never a byte of valid UTF-8 output
// In the lead table: a character the paths must stop before (kSimdSlow, kSimdComposing).
constexpr std::uint8_t kSimdStop = 0xC1;
constexpr std::uint8_t kSimdSlow = 1, kSimdBase = 2, kSimdBreaksBase = 4, kSimdComposing = 8;
// A kept U+0080-U+00FF character's entry (SimdTables::latin1_kept): one
// bit, the one the AVX-512 pass's byte classes give its lead.
constexpr std::uint8_t kSimdLatin1Kept = 0x04;
// A character's output in one byte, for the AVX2 path: 0x00-0x7F a
// character of U+0600-U+067F (lead 0xD8 | code >> 6, trail 0x80 | code & 0x3F),
// 0x80-0xBF the ASCII byte code & 0x3F, or one of these.
constexpr std::uint8_t kSimdCodeRemoved = 0xC0, kSimdCodeStop = 0xC1, kSimdCodeKept = 0xC2;
// A code's output byte at its lead and at its trail (the code one byte
// back): kSimdOutBase[i] | (code & kSimdOutBits[i]) for i the code's top two
// bits in bits 2-3, and 1 at a trail. A character of U+0600-U+067F gives its
// lead and trail; an ASCII byte gives the byte, then kSimdRemoved; removed
// gives kSimdRemoved at both, kept kSimdCodeKept at both (no output byte is
// 0xC2: the paths put the input back there).
inline constexpr std::uint8_t kSimdOutBase[16] = {0xD8, 0x80, 0, 0, 0xD9, 0x80, 0, 0,
                                                  0x00, 0xC0, 0, 0, 0xC0, 0xC0, 0, 0};
inline constexpr std::uint8_t kSimdOutBits[16] = {0, 0x3F, 0, 0, 0, 0x3F, 0, 0, 0x3F, 0, 0, 0, 0x03, 0x03, 0, 0};

struct SimdTables {
  alignas(64) std::uint8_t lead[256];   // the output's first byte (or kSimdRemoved, kSimdStop)
  alignas(64) std::uint8_t trail[256];  // its second byte (or kSimdRemoved)
  alignas(64) std::uint8_t flags[256];
  // Per character of U+0080-U+00FF (index: lead bit 0, trail bits 0-5):
  // kSimdLatin1Kept when it passes unchanged (« » é ...), so blocks need not
  // stop there, else 0.
  alignas(64) std::uint8_t latin1_kept[128];
  // The AVX2 path reads one code per character instead of the lead and
  // trail bytes (kSimdCode*), per lead byte D8-DB as four 16-entry pshufb
  // rows, each twice for the two 128-bit lanes: row h holds the codes of
  // trails 16h..16h+15 XOR those of row h - 1 (row 0 as it is), so XOR-ing
  // rows 0..h gives row h.
  alignas(32) std::uint8_t code_rows[4][4][32];
  alignas(64) std::uint8_t code[256];  // the codes as they are (NEON reads them with tbl)
  // latin1_kept as a bit set: bit i & 7 of byte i >> 3.
  alignas(16) std::uint8_t latin1_bits[16] = {};
  // U+1F000-U+1FFFF (F0 9F xx xx: emoji, pictographs) pass unchanged and
  // without context, so the AVX-512 path copies them instead of stopping.
  bool emoji_kept = false;
  // U+2000-U+203F (E2 80 xx: quotes, dashes) that pass unchanged and without
  // context: nonzero at index xx & 0x3F.
  alignas(64) std::uint8_t punct_kept[64];
  // punct_kept as a bit set (bit i & 7 of byte i >> 3), for the AVX2 path.
  alignas(16) std::uint8_t punct_bits[16] = {};
};

// For each 8-bit keep mask, the shuffle indices (pshufb, tbl) that move the
// kept items of a group of eight to its front: bytes (Size 1) or 16-bit units
// (Size 2). For bytes, the entry holds the indices of bytes 0-7 in its first
// half and of bytes 8-15 in its second. Index 0x80 writes 0 in both.
template <int Size>
struct PackTable {
  alignas(16) std::uint8_t entry[256][16];
  constexpr PackTable() : entry{} {
    for (int m = 0; m < 256; ++m) {
      int k = 0;
      for (int i = 0; i < 8; ++i)
        if (m >> i & 1) {
          if (Size == 1) {
            entry[m][k] = static_cast<std::uint8_t>(i);
            entry[m][8 + k] = static_cast<std::uint8_t>(i + 8);
          } else {
            entry[m][2 * k] = static_cast<std::uint8_t>(2 * i);
            entry[m][2 * k + 1] = static_cast<std::uint8_t>(2 * i + 1);
          }
          ++k;
        }
      for (int j = Size * k; j < 8 * Size; ++j) {  // past the kept items
        entry[m][j] = 0x80;
        if (Size == 1) entry[m][8 + j] = 0x80;
      }
    }
  }
};
inline constexpr PackTable<1> kPackBytes;
inline constexpr PackTable<2> kPackUnits;

enum class SimdLevel : int { none = 0, avx2 = 1, avx512 = 2, neon = 3 };

// The best path this CPU has, within the limit below.
SimdLevel simd_level();
// Caps the paths new normalizations and conversions may use (default: no
// cap); tests lower it to compare every path with the scalar one. The caps
// rank the paths none < avx2 = neon < avx512: on AArch64 any cap but none
// leaves NEON.
void limit_simd(SimdLevel level);

// A fixed-stride pass's restart points. When the pass ends, the scalar side
// (or the exact AVX-512 pass) redoes the work from the character boundary at
// or before the stopping block's start if a starter (ASCII, or a kept
// U+0080-U+00FF or long character: no later mark composes across one)
// precedes the stop in that block; else (and when the pass ran to the end of
// its input) from the last starter of the last block written (every written
// block has one: blocks without one stop the pass). No composition
// reaches back past any of these points, so work resumes there with
// after_base false.
class StrideRestart {
 public:
  StrideRestart(const unsigned char* p, char* w) : start_(p), here_w_(w), end_w_(w) {}

  // The last block written ends at w; its last `split` bytes start a
  // character that goes on past it, `split_out` bytes of output were written
  // for them. Each path reports this, and the block below, once when the
  // pass ends (when it took a block), before finish().
  void advance(char* w, unsigned split, unsigned split_out) {
    here_w_ = w - split_out;
    here_split_ = split;
  }
  // The last block written: its output ends at w, bit i of `starters` is set
  // when its byte i starts a starter, of `kept` when that byte was written.
  // (NEON skips it when finish() restarts before that block.)
  void last_block(char* w, std::uint64_t kept, std::uint64_t starters) {
    end_w_ = w;
    kept_ = kept;
    starters_ = starters;
  }

  bool took_block(const unsigned char* p) const { return p != start_; }

  // The pass stopped in the block at p, or ran out of input there (blocks of
  // `stride` bytes).
  const unsigned char* finish(const unsigned char* p, std::ptrdiff_t stride, bool starter_before_stop, char*& out,
                              bool& after_base) const {
    const unsigned char* restart;
    if (p == start_ || starter_before_stop) {
      restart = p - here_split_;
      out = here_w_;
    } else {
      const int last = highest_bit(starters_);
      restart = p - stride + last;
      out = end_w_ - std::bitset<64>(kept_ >> last).count();  // less the bytes written from there on
    }
    if (restart != start_) after_base = false;  // else the restart point is where the pass began
    return restart;
  }

 private:
  static int highest_bit(std::uint64_t x) {  // x nonzero: a written block has a starter
    int n = 0;
    for (int step = 32; step; step /= 2)
      if (x >> step) x >>= step, n += step;
    return n;
  }

  const unsigned char* start_;
  char* here_w_;
  char* end_w_;
  unsigned here_split_ = 0;
  std::uint64_t kept_ = 0, starters_ = 0;
};

// Where the scalar loop tries a fixed-stride path (AVX2, NEON) again after
// it returned from p: past the stopping character `stop` (nullptr: nothing
// stopped, never again for this run). After two tries in a row that could not
// take even their first block, the scalar loop keeps at least kBackOff bytes
// first: text that stops every block (no ASCII at all, a stop every few
// words) would otherwise pay for a wasted block and a rewind at every stop,
// while one such try (a closing quote after an opening one) is common in news.
inline const unsigned char* retry_point(const unsigned char* p, const unsigned char* end, const unsigned char* stop,
                                        const StrideRestart& restart, int& misses) {
  constexpr std::ptrdiff_t kBackOff = 128;
  misses = restart.took_block(p) ? 0 : misses + 1;
  if (!stop) return end;
  return misses >= 2 && end - p > kBackOff ? std::max(stop + 1, p + kBackOff) : stop + 1;
}

// The hardware prefetcher alone leaves the stride passes waiting on memory
// for text that is not in cache, so each step asks for the input this far
// ahead: enough to cover memory latency at their speed. (Integer arithmetic:
// the address may lie past the input, which a prefetch may name but pointer
// arithmetic may not.)
inline void prefetch_ahead(const unsigned char* p) {
  constexpr std::uintptr_t kPrefetchDistance = 4096;
  __builtin_prefetch(reinterpret_cast<const void*>(reinterpret_cast<std::uintptr_t>(p) + kPrefetchDistance));
}

// Each path rewrites blocks of ASCII and U+0600-U+06FF from p while they are
// simple, writes to out (advancing it) and returns where the scalar loop goes
// on; the scalar loop tries a path again from `resume` on.
// `upper` (the caller keeps it): the pass has met a lead DA or DB, so it
// reads the tables' upper halves in every block.
const unsigned char* avx512_blocks(const unsigned char* p, const unsigned char* end, char*& out, const SimdTables& t,
                                   bool& after_base, const unsigned char*& resume, bool& upper);
// What avx512_utf16_prefix did: it read `consumed` units and wrote `written`;
// `stop` is the first unit it could not take (n when it took all).
struct Utf16Prefix {
  std::size_t consumed = 0, written = 0, stop = 0;
};
// UTF-16 input: rewrites 32-unit blocks of ASCII, kept U+0080-U+00FF and
// U+2000-U+203F, and U+0600-U+06FF through the same tables, unit to unit,
// from the start of the text while they need no context: consumed is a
// restart point by the rules of StrideRestart.
Utf16Prefix avx512_utf16_prefix(const char16_t* in, std::size_t n, char16_t* out, const SimdTables& t);
// `misses` counts the tries in a row that took no block (the caller keeps it).
const unsigned char* avx2_blocks(const unsigned char* p, const unsigned char* end, char*& out, const SimdTables& t,
                                 bool& after_base, const unsigned char*& resume, int& misses);
const unsigned char* neon_blocks(const unsigned char* p, const unsigned char* end, char*& out, const SimdTables& t,
                                 bool& after_base, const unsigned char*& resume, int& misses);

}  // namespace arnorm::detail
