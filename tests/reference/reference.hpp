// A slow, obviously correct model of arnorm's normalization: decode to code
// points, compose, map each code point by asking ICU about it, then apply the
// context rules over the whole output. Tests and fuzzers compare the engine
// against it; it shares no code with the engine beyond the public Options.
#pragma once

#include <arnorm/arnorm.hpp>
#include <string>
#include <string_view>

namespace arnorm_reference {

struct Outcome {
  bool ok = true;
  std::size_t error_offset = 0;
  std::string text;
};

Outcome normalize(std::string_view in, const arnorm::Options& options);

// What the documented rules make of one code point on its own (UTF-32).
std::u32string map_code_point(char32_t cp, const arnorm::Options& options);

std::string to_utf8(const std::u32string& s);
std::u32string to_utf32(std::string_view valid_utf8);

}  // namespace arnorm_reference
