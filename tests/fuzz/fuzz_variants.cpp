// Variant similarity bounded and symmetric (with and without the lexicon);
// index lookups accepted and sorted; canonicalize's rewrites inside the input
// and in order; discovery statistics that survive serialization, and bytes
// that are not statistics refused with an exception, never a crash.
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
  const arnorm::Lexicon none = arnorm::Lexicon::none();
  double spelling = arnorm::variant_similarity(words[0], words[1], &none);
  if (!(spelling >= 0.0 && spelling <= 1.0)) arnorm_fuzz::fail("spelling similarity outside [0, 1]");
  if (arnorm::are_variants(words[0], words[1]) != (s >= arnorm::kVariantThreshold))
    arnorm_fuzz::fail("are_variants disagrees with variant_similarity");
  (void)arnorm::Lexicon().knows(words[0]);
  std::vector<arnorm::Rewrite> rewrites;
  (void)index.canonicalize(in, &rewrites);
  for (std::size_t i = 0; i < rewrites.size(); ++i) {
    if (rewrites[i].begin >= rewrites[i].end || rewrites[i].end > in.size()) arnorm_fuzz::fail("rewrite outside the input");
    if (i && rewrites[i].begin < rewrites[i - 1].end) arnorm_fuzz::fail("rewrites out of order");
  }
  (void)arnorm::find_variants(words);
  arnorm::VariantStats stats;
  for (std::size_t i = 0; i < words.size(); ++i) stats.add(words[i], i);
  arnorm::VariantStats back = arnorm::VariantStats::deserialize(stats.serialize());
  if (back.words() != stats.words()) arnorm_fuzz::fail("statistics changed through serialization");
  try {
    (void)arnorm::VariantStats::deserialize(in);
  } catch (const std::invalid_argument&) {
  }
  return 0;
}
