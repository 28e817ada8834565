// normalize under random options against the slow reference model; output
// is valid UTF-8 and a fixed point; valid input as UTF-16 gives the same.
#include "fuzz_common.hpp"
#include "reference.hpp"
#include "utf16.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto& compiled = arnorm_fuzz::take_options(data, size);
  arnorm::Options o = compiled.options;
  std::string_view in(reinterpret_cast<const char*>(data), size);
  const arnorm::Normalizer& n = compiled.normalizer;
  std::string out;
  arnorm::Result r = n.normalize_into(in, out);
  auto want = arnorm_reference::normalize(in, o);
  if (r.ok() != want.ok) arnorm_fuzz::fail("error status differs from the reference");
  if (!r.ok()) {
    if (r.position != want.error_offset) arnorm_fuzz::fail("error offset differs from the reference");
    if (!out.empty()) arnorm_fuzz::fail("output left behind after an error");
    return 0;
  }
  if (out != want.text) arnorm_fuzz::fail("output differs from the reference");
  if (arnorm_reference::to_utf8(arnorm_reference::to_utf32(out)) != out) arnorm_fuzz::fail("invalid UTF-8 out");
  if (n.normalize(out) != out) arnorm_fuzz::fail("not idempotent");
  const std::string text(in);
  if (arnorm_reference::to_utf8(arnorm_reference::to_utf32(text)) == text) {
    std::string why;
    if (arnorm_reference::normalize_as_utf16(n, text, why) != out || !why.empty())
      arnorm_fuzz::fail("UTF-16 output differs");
  }
  return 0;
}
