// Offsets and explain: spans monotone, in range, one per output code point;
// replaying the edits rebuilds the output.
#include "fuzz_common.hpp"
#include "reference.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto& compiled = arnorm_fuzz::take_options(data, size);
  arnorm::Options o = compiled.options;
  std::string_view in(reinterpret_cast<const char*>(data), size);
  const arnorm::Normalizer& n = compiled.normalizer;
  std::string probe;
  if (o.invalid_utf8 == arnorm::InvalidUtf8::strict && !n.normalize_into(in, probe).ok()) return 0;
  std::vector<arnorm::SourceSpan> spans;
  std::string out = n.normalize_with_offsets(in, spans);
  if (out != n.normalize(in)) arnorm_fuzz::fail("offsets output differs");
  if (spans.size() != arnorm_reference::to_utf32(out).size()) arnorm_fuzz::fail("one span per output code point");
  for (std::size_t i = 0; i < spans.size(); ++i) {
    if (spans[i].begin >= spans[i].end || spans[i].end > in.size()) arnorm_fuzz::fail("span out of range");
    if (i && (spans[i].begin < spans[i - 1].begin || spans[i].end < spans[i - 1].end))
      arnorm_fuzz::fail("spans not monotone");
  }
  if (!spans.empty() && (spans.front().begin != 0 || spans.back().end != in.size()))
    arnorm_fuzz::fail("spans do not cover the input");
  std::string explained;
  auto edits = n.explain(in, &explained);
  if (explained != out) arnorm_fuzz::fail("explain output differs");
  std::string rebuilt;
  std::size_t src = 0;
  for (const auto& e : edits) {
    if (e.src_begin < src || e.src_end < e.src_begin || e.src_end > in.size()) arnorm_fuzz::fail("edit order");
    rebuilt.append(in.substr(src, e.src_begin - src));
    if (rebuilt.size() != e.out_begin || e.out_end > out.size()) arnorm_fuzz::fail("edit output position");
    rebuilt.append(out, e.out_begin, e.out_end - e.out_begin);
    src = e.src_end;
  }
  rebuilt.append(in.substr(src));
  if (rebuilt != out) arnorm_fuzz::fail("edits do not rebuild the output");
  return 0;
}
