// Compiled lookup tables: what each code point becomes under one Options.
// Private to the library; built by tables.cpp.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "arnorm/arnorm.hpp"
#include "simd.hpp"

namespace arnorm::detail {

enum Action : std::uint8_t { kKeep = 0, kDelete = 1, kReplace = 2 };

// Context a code point takes part in (bits of Entry::special).
enum Special : std::uint8_t {
  kBase = 1,    // its output (or itself) can take a following hamza/madda mark
  kJoinerContext = 2,  // ZWNJ/ZWJ: the policy does not apply inside another script (ZWJ: nor between emoji)
  kSpaceEdge = 4,      // output starts with U+0020 while spaces collapse
  kBreaksBase = 8,     // a mark or a removed character: composition may span it
  kElongates = 16,  // a letter elongation may reduce
  kSeat = 32,       // a removed tatweel: the marks it carries decide (kept marks keep it; ـٔ is ء)
  kDigitContext = 64,  // ٫ ٬ ٪ while digits fold: between (٪: after) digits they fold too
};

struct Entry {
  std::uint16_t pool = 0;  // replacement bytes: Tables::pool[pool, pool + len)
  std::uint8_t len = 0;
  std::uint8_t action = kKeep;
  std::uint8_t special = 0;
  Rule rule = Rule::compose;
  std::uint8_t ccc = 0;   // canonical combining class (blocking during composition)
  std::uint8_t slow = 0;  // 0: a plain keep the hot loop copies without a second look
  bool plain() const { return slow == 0; }
  bool operator==(const Entry& o) const {
    return pool == o.pool && len == o.len && action == o.action && special == o.special && rule == o.rule &&
           ccc == o.ccc && slow == o.slow;
  }
};

constexpr std::uint32_t kFastLenShift = 16;
constexpr std::uint32_t kFastAdvanceShift = 18;
constexpr std::uint32_t kFastSlow = 1u << 20;              // needs the general path
constexpr std::uint32_t kFastBase = 1u << 21;              // a composition base
constexpr std::uint32_t kFastBreaksBase = kFastBase << 1;  // a mark or removed character
// The seat's pair (a tatweel, and the marks it may carry) one place higher,
// so that the loop's one test `f & (base << 1)` covers both.
constexpr std::uint32_t kFastSeat = kFastBase << 2;
constexpr std::uint32_t kFastMark = kFastSeat << 1;

struct ComposePair {
  char32_t base, mark, composed;
};

struct Tables {
  Options options;
  std::array<std::uint16_t, 256> page{};  // BMP: page of cp >> 8 -> block
  std::vector<Entry> blocks;              // 256 entries per block
  std::array<Entry, 0x800> low{};         // U+0000-U+07FF directly (one- and two-byte UTF-8)
  // The hot loop's table, indexed by two input bytes (first byte low): output
  // bytes (at most two) in the low 16 bits, their count at kFastLenShift, the
  // input bytes consumed at kFastAdvanceShift, and the flags below.
  std::vector<std::uint32_t> fast_pairs;
  SimdTables simd;                                 // the same entries for the SIMD path
  std::vector<std::pair<char32_t, Entry>> astral;  // sorted; absent = plain keep
  std::string pool;
  const std::vector<ComposePair>* pairs = nullptr;  // shared, sorted by (base, mark)
  bool ascii_plain = true;                          // no rule touches ASCII

  const Entry& lookup(char32_t cp) const {
    if (cp < 0x10000) return blocks[page[cp >> 8] * 256u + (cp & 0xFF)];
    return lookup_astral(cp);
  }
  const Entry& lookup_astral(char32_t cp) const;
  char32_t compose(char32_t base, char32_t mark) const;  // 0 when the pair does not compose
  std::string_view replacement(const Entry& e) const { return {pool.data() + e.pool, e.len}; }
};

std::shared_ptr<const Tables> compile(const Options& options);

// The SIMD path a normalization under these tables takes (inside the hot
// loop, which elongation turns off; the paths pass ASCII through as it is).
inline SimdLevel simd_level(const Tables& t) {
  return !t.ascii_plain || t.options.elongation ? SimdLevel::none : simd_level();
}

// Grows `s` to `size` units for a kernel to write into. Where the library
// has C++23's resize_and_overwrite the new units are not zero-filled first:
// the kernels write every unit they keep, and the fill costs as much as a copy.
template <class String>
void grow_for_writing(String& s, std::size_t size) {
#if defined(__cpp_lib_string_resize_and_overwrite)
  s.resize_and_overwrite(size, [](auto*, std::size_t n) { return n; });
#else
  s.resize(size);
#endif
}

[[noreturn]] void throw_error(Result r);

// Emoji context for the ZWJ policy.
bool is_pictographic(char32_t cp);
// Script context for the joiner policies: a script other than Arabic, Common
// and Inherited (a letter of Devanagari, Latin...).
bool is_other_script(char32_t cp);
bool is_inherited_script(char32_t cp);  // combining marks: they take their base's script
bool ends_emoji(char32_t cp);  // pictographic, skin tone modifier or VS16

// The Unicode version of the pinned data the tables are built from.
std::string unicode_version();

}  // namespace arnorm::detail
