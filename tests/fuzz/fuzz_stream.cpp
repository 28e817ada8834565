// Streaming with chunk boundaries chosen by the input equals one-shot.
#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto& compiled = arnorm_fuzz::take_options(data, size);
  if (size < 1) return 0;
  unsigned step_seed = data[0];
  ++data, --size;
  std::string_view in(reinterpret_cast<const char*>(data), size);
  const arnorm::Normalizer& n = compiled.normalizer;
  std::string whole;
  arnorm::Result one = n.normalize_into(in, whole);
  arnorm::Stream stream(n);
  std::string streamed;
  arnorm::Result r;
  for (std::size_t pos = 0; pos < in.size() && r.ok();) {
    std::size_t len = 1 + (step_seed = step_seed * 1103515245u + 12345u) % 9;
    r = stream.feed(in.substr(pos, len), streamed);
    pos += len;
  }
  if (r.ok()) r = stream.finish(streamed);
  if (r.ok() != one.ok()) arnorm_fuzz::fail("stream error status differs");
  if (!r.ok() && r.position != one.position) arnorm_fuzz::fail("stream error offset differs");
  if (r.ok() && streamed != whole) arnorm_fuzz::fail("stream output differs from one-shot");
  return 0;
}
