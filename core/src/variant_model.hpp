// What the three parts of the variant code share: similarity
// (variants.cpp), the index (variant_index.cpp) and discovery
// (discovery.cpp). Words are folded: the search profile's spelling, Arabic
// letters only.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "arnorm/variants.hpp"
#include "lexicon.hpp"

namespace arnorm::variant_model {

using Word = std::u32string;

Word fold(std::string_view s);
std::string to_utf8(const Word& w);
double logistic(double x);
double logit(double p);

// Whether a word holds a letter of native Arabic words only (then it is no transliteration).
bool looks_native(std::u32string_view w);

// The blocking key of a folded word, and the keys one letter class away.
std::string key_of(const Word& w);
std::vector<std::string> neighbourhood(const std::string& key);

// و ف ب ك ل and the article, alone or combined; removing one costs a little,
// and only when a word of three letters or more remains.
struct Proclitic {
  const char32_t* text;
  double cost;
  // Removed from discovery stems: the article, alone or after one letter, or a single letter.
  bool stem;
};
constexpr std::size_t kProcliticCount = 22;
extern const Proclitic kProclitics[kProcliticCount];
// Whether a proclitic holds the article (ال, or لل).
bool holds_article(std::u32string_view proclitic);
// Whether a word starts with the article (after و ف ب ك, or as لل) and `rest` letters or more follow it.
bool has_article(std::u32string_view w, std::size_t rest = 2);

struct Form {
  std::u32string_view word;
  double cost;
  bool native;  // looks_native(word), worked out once per word
};
constexpr std::size_t kMaxForms = 1 + kProcliticCount;
// The word and each proclitic-stripped form of it (at most kMaxForms).
std::size_t forms(std::u32string_view w, Form* out);
// The best similarity over the forms of two words (proclitics stripped from one side at most).
double similarity_of_forms(const Form* fa, std::size_t na, const Form* fb, std::size_t nb, double threshold);

// The similarity of two folded words with the lexicon's evidence. stems:
// discovery stems, whose proclitics are already gone (none is stripped again);
// definite: either was seen with the article.
double similarity_with(const Word& first, const Word& second, const Lexicon& lexicon, bool stems = false,
                       bool definite = false);
const Lexicon& builtin_lexicon();

// How much a name's frequency moves its lookup score: the logit moves by
// this much per unit of log count away from the index's mean (chosen on the
// dev pairs with the gazetteer's counts: docs/variants.md).
constexpr double kCountWeight = 0.2;

// canonicalize() rewrites text, so it acts only on a likely match: a bar
// well above the lookup cut keeps wrong rewrites of names the index lacks
// rare (docs/variants.md gives the figures).
constexpr double kRewriteThreshold = 0.7;

// The longest word the variant functions treat as a name, in folded letters:
// the edit distance looks at this many (no real name comes near it). A
// longer word is no one's variant, is never looked up, and cannot enter an
// index, so that no input costs more than linear time.
constexpr std::size_t kMaxNameLetters = 48;

}  // namespace arnorm::variant_model
