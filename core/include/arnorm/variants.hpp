// Spelling variants of transliterated names: شنغهاي/شانغهاي, رحمن/رحمون, بينغ/بينج.
//
// Words are first folded with the search profile; then a class-aware edit
// distance prices each difference by how often two independent sources of
// name spellings disagree that way (vowel letters inserted or dropped, g as
// ج or غ, s as س or ز ...). docs/variants.md gives the method and figures.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace arnorm {

// The default decision threshold of are_variants() and VariantIndex.
constexpr double kVariantThreshold = 0.5;

// A blocking key that spellings of one name share as often as possible: the
// consonant skeleton with letters that transliteration alternates merged.
// For finding candidates, not a verdict.
std::string variant_key(std::string_view word);

namespace detail {
class WordList;
}

// Ordinary Arabic words. Built in: Ayaspell's word list (about 100,000 nouns,
// adjectives, verb forms and particles; MPL-1.1), decoded on first use. A
// word is known when it is listed or is a listed word with proclitics (و ف,
// ب ك ل, ال, ل س before verbs) and suffixes (ة ات ان ين ون, verb endings,
// pronouns ه ها هم كم نا ي ...). Copies share their words; const use is thread-safe.
class Lexicon {
 public:
  // The built-in words.
  Lexicon();
  // The caller's `words` (each taking every affix), with the built-in words
  // too unless with_builtin is false: a word is known when either knows it.
  explicit Lexicon(const std::vector<std::string>& words, bool with_builtin = true);
  // No words at all: spelling alone decides (for lists known to hold names only).
  static Lexicon none();

  bool knows(std::string_view word) const;
  // The caller's words (folded, distinct); the built-in ones are not counted.
  std::size_t size() const noexcept;
  bool with_builtin() const noexcept { return builtin_; }

 private:
  friend struct LexiconAccess;
  std::shared_ptr<const detail::WordList> own_;
  bool builtin_ = true;
};

// How likely two words are one word or name spelled two ways, in [0, 1]:
// 1 when they fold to one spelling or differ only by a proclitic
// (الجبيل/جبيل). Spelling decides between names; the lexicon vetoes what
// spelling cannot tell from a name: two different ordinary words (على/إلى,
// استخدام/استخدم) score 0, as do two forms that differ by an inflectional
// affix (صحافي/صحافية, حواسيب/حواسيبه, يندم/أندم); an ordinary word against an
// unknown one needs a closer spelling. lexicon: nullptr is the built-in one.
double variant_similarity(std::string_view a, std::string_view b, const Lexicon* lexicon = nullptr);

bool are_variants(std::string_view a, std::string_view b, double threshold = kVariantThreshold,
                  const Lexicon* lexicon = nullptr);

struct VariantMatch {
  std::string name;
  double score;
};

// A word canonicalize() rewrote: its bytes [begin, end) in the input, what
// replaced them, and the match's score.
struct Rewrite {
  std::size_t begin, end;
  std::string replacement;
  double score;
};

// An index over a gazetteer of names. Lookups generate candidates from key
// buckets (never a scan of the whole index), score them, and return only
// those accepted as variants, best first. Lookups are const and may run from
// many threads, and add() may run beside them (it waits for the lookups
// under way; they share the index, add() takes it alone). A word of more than
// 48 letters is not a name: add() throws std::invalid_argument, a lookup finds nothing.
class VariantIndex {
 public:
  explicit VariantIndex(double threshold = kVariantThreshold);
  explicit VariantIndex(const std::vector<std::string>& names, double threshold = kVariantThreshold);
  // With each name's frequency (how often the name occurs, say in a
  // gazetteer): frequent names rank higher among spellings alike. Throws
  // std::invalid_argument unless there is one count per name.
  VariantIndex(const std::vector<std::string>& names, const std::vector<std::uint64_t>& counts,
               double threshold = kVariantThreshold);
  ~VariantIndex();
  VariantIndex(VariantIndex&&) noexcept;
  VariantIndex& operator=(VariantIndex&&) noexcept;

  void add(std::string_view name, std::uint64_t count = 0);
  std::size_t size() const noexcept;
  double threshold() const noexcept;
  std::vector<VariantMatch> lookup(std::string_view query, std::size_t k = 5) const;
  // Rewrites each Arabic word of `text` that matches a name to that name's
  // spelling (proclitics such as و and ال kept); other text is unchanged.
  // Words the built-in lexicon knows are never rewritten, and a word is
  // rewritten only when its match scores at least max(threshold(), 0.7).
  // rewrites: if given, receives each rewritten word's byte span in `text`.
  std::string canonicalize(std::string_view text, std::vector<Rewrite>* rewrites = nullptr) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

struct VariantGroup {
  std::vector<std::string> spellings;  // most frequent first
  std::vector<std::size_t> counts;
  double confidence;
};

// Vocabulary statistics of a corpus, the input of discovery: each word's
// count and, for words the lexicon does not know (candidate names), their
// spellings, the sources they occur in and their neighbours. A corpus too
// large for one machine is counted in pieces (any split, any order) and
// merged: the merged statistics equal those of one pass over the whole.
// add() and merge() must not run concurrently with any other use.
class VariantStats {
 public:
  VariantStats();  // the built-in lexicon
  explicit VariantStats(const Lexicon& lexicon);
  ~VariantStats();
  VariantStats(VariantStats&&) noexcept;
  VariantStats& operator=(VariantStats&&) noexcept;

  // Counts the words of `text`; `source` names where it comes from (an
  // article, a feed): spellings that keep to different sources are evidence.
  void add(std::string_view text, std::uint64_t source);
  void merge(const VariantStats& other);
  std::size_t words() const noexcept;  // distinct folded words
  // A byte string that deserialize() turns back into equal statistics.
  std::string serialize() const;
  static VariantStats deserialize(std::string_view bytes, const Lexicon& lexicon = Lexicon());

 private:
  friend std::vector<VariantGroup> find_variants(const VariantStats&, double, double);
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Groups of words that are spellings of one name or word, most confident
// first. Only words the lexicon does not know take part, compared without
// their proclitics. A pair's confidence combines its variant_similarity
// (which must reach threshold / 2) with what the corpus says: neighbours the
// two share (rarer neighbours weigh more), sources that each keep to one
// spelling, and how seldom they take a proclitic (names seldom do). Groups
// join only when every pair across them reaches min_confidence (complete
// linkage: a chain of look-alikes never becomes one group); a group's
// confidence is its weakest pair.
std::vector<VariantGroup> find_variants(const VariantStats& stats, double threshold = kVariantThreshold,
                                        double min_confidence = 0.5);
// One pass over `texts`, each its own source.
std::vector<VariantGroup> find_variants(const std::vector<std::string>& texts, double threshold = kVariantThreshold,
                                        double min_confidence = 0.5, const Lexicon* lexicon = nullptr);

}  // namespace arnorm
