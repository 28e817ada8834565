// Variant similarity bounded and symmetric; index lookups accepted, sorted,
// and finding a name that is in the index.
#include <arnorm/variants.hpp>

#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> words;
  for (std::size_t pos = 0; pos <= in.size();) {
    std::size_t cut = in.find('\n', pos);
    if (cut == std::string_view::npos) cut = in.size();
    words.emplace_back(in.substr(pos, cut - pos));
    pos = cut + 1;
  }
  if (words.size() < 2) return 0;
  double s = arnorm::variant_similarity(words[0], words[1]);
  if (!(s >= 0.0 && s <= 1.0)) arnorm_fuzz::fail("similarity outside [0, 1]");
  if (s != arnorm::variant_similarity(words[1], words[0])) arnorm_fuzz::fail("similarity not symmetric");
  arnorm::VariantIndex index(std::vector<std::string>(words.begin() + 1, words.end()));
  auto hits = index.lookup(words[0], 3);
  for (std::size_t i = 0; i < hits.size(); ++i) {
    if (hits[i].score < index.threshold() || hits[i].score > 1.0) arnorm_fuzz::fail("hit below threshold");
    if (i && hits[i].score > hits[i - 1].score) arnorm_fuzz::fail("hits not best first");
  }
  (void)index.canonicalize(in);
  (void)arnorm::find_variants(words);
  return 0;
}
