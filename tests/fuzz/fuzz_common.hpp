// Shared by the libFuzzer targets: options from the input's first bytes.
#pragma once

#include <arnorm/arnorm.hpp>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string_view>
#include <vector>

namespace arnorm_fuzz {

// Consumes up to 4 bytes of `data` to choose options; the rest is the text.
// The bits pick one of 64 option sets (each compiled once: compiling per
// input would leave little time for fuzzing).
inline arnorm::Options options_for(std::uint32_t bits) {
  auto names = arnorm::Options::profile_names();
  arnorm::Options o = arnorm::Options::profile(names[bits % names.size()]);
  bits /= 3;
  auto flag = [&] {
    bool b = bits & 1;
    bits >>= 1;
    return b;
  };
  if (flag()) o.compose = !o.compose;
  if (flag()) o.alef = arnorm::AlefPolicy::hamza_forms;
  if (flag()) o.hamza = arnorm::HamzaPolicy::to_letter;
  if (flag()) o.diacritics = arnorm::kShadda | arnorm::kQuranicMarks;
  if (flag()) o.loanword_letters = o.punctuation = true;
  if (flag()) o.collapse_spaces = true;
  if (flag()) o.elongation = true;
  if (flag()) o.zwnj = arnorm::JoinerPolicy::to_space;
  if (flag()) o.zwj = arnorm::JoinerPolicy::remove;
  if (flag()) o.persian_letters = !o.persian_letters;
  if (flag()) o.presentation_forms = !o.presentation_forms;
  o.invalid_utf8 = flag() ? arnorm::InvalidUtf8::replace : arnorm::InvalidUtf8::strict;
  return o;
}

struct Compiled {
  arnorm::Options options;
  arnorm::Normalizer normalizer;
};

inline const Compiled& take_options(const std::uint8_t*& data, std::size_t& size) {
  static std::vector<std::unique_ptr<Compiled>> cache(64);
  std::uint32_t bits = 0;
  for (int i = 0; i < 4 && size > 0; ++i, ++data, --size) bits |= static_cast<std::uint32_t>(*data) << (8 * i);
  // Spread the 64 slots over the option space by hashing the bits.
  std::uint32_t slot = (bits * 2654435761u) >> 26;
  auto& c = cache[slot];
  if (!c) {
    arnorm::Options o = options_for(slot * 40503u + slot / 3);  // a function of the slot alone
    c.reset(new Compiled{o, arnorm::Normalizer(o)});
  }
  return *c;
}

[[noreturn]] inline void fail(const char* what) {
  std::fprintf(stderr, "invariant broken: %s\n", what);
  std::abort();
}

}  // namespace arnorm_fuzz
