// Spelling-variant matching: folding, a class-aware weighted edit distance,
// proclitic handling, blocking keys and the gazetteer index.
#include "arnorm/variants.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <functional>
#include <mutex>
#include <numeric>
#include <shared_mutex>
#include <stdexcept>
#include <tuple>
#include <unordered_map>

#include "arnorm/arnorm.hpp"
#include "lexicon.hpp"
#include "utf8.hpp"

namespace arnorm {
namespace {

using Word = std::u32string;
using detail::Codes;

// ------------------------------------------------------------------ folding --

const Normalizer& search_normalizer() {
  // Built once and never destroyed (as every table here): a thread still
  // matching variants while the process exits must not find it gone.
  static const Normalizer& n = *new Normalizer([] {
    Options o;
    o.invalid_utf8 = InvalidUtf8::replace;
    return o;
  }());
  return n;
}

// The letters the search profile leaves (U+0621-U+064A but tatweel): the
// alphabet of variant keys, costs and the lexicon.
bool is_arabic_letter(char32_t c) { return c >= 0x0621 && c <= 0x064A && c != 0x0640; }

}  // namespace

std::u32string detail::fold_letters(std::string_view s) {
  std::string n = search_normalizer().normalize(s);
  Word out;
  auto* p = reinterpret_cast<const unsigned char*>(n.data());
  auto* end = p + n.size();
  while (p < end) {
    detail::Decoded d = detail::decode_utf8(p, end);
    if (d.ok && is_arabic_letter(d.cp)) out.push_back(d.cp);
    p += d.len;
  }
  return out;
}

namespace {

// The search-profile spelling, Arabic letters only.
Word fold(std::string_view s) { return detail::fold_letters(s); }

std::string to_utf8(const Word& w) {
  std::string s;
  for (char32_t c : w) detail::append_utf8(s, c);
  return s;
}

// --------------------------------------------------------------- the costs --
// A logistic model over the edits that align two spellings: each kind of
// edit (a vowel letter inserted in the middle, ج for غ, an unrelated
// consonant, ...) has a cost, every letter of the shorter word a credit, and
// the similarity is sigmoid(bias + credit * letters - cost). The numbers are
// learned by tools/learn_variant_costs.py from the dev split of the shared
// name-spelling pairs against different names of the gazetteer.

constexpr char32_t kAlef = U'\u0627', kHeh = U'\u0647';

struct SubCost {
  char32_t a, b;
  double cost;
};
struct IndelCost {
  char32_t letter;
  double cost[3];  // initial, medial, final
};
// Two letters written for one sound: ك/تش (ch), ز/تس (ts).
struct PairCost {
  char32_t single, first, second;
  double cost;
};

#include "variant_costs.inc"

double substitution_cost(char32_t x, char32_t y) {
  if (x == y) return 0;
  for (const auto& s : kSubstitutions)
    if ((s.a == x && s.b == y) || (s.a == y && s.b == x)) return s.cost;
  return kSubOther;
}

// Inserting or dropping c; position 0 initial, 1 medial, 2 final.
double indel_cost(char32_t c, int position) {
  for (const auto& i : kIndels)
    if (i.letter == c) return i.cost[position];
  return kIndelOther[position];
}

double logistic(double x) { return 1.0 / (1.0 + std::exp(-x)); }

// The costs above as tables over the Arabic letters U+0621-U+064A (index 42: anything else).
constexpr std::size_t kLetters = 43;
std::size_t letter_index(char32_t c) { return is_arabic_letter(c) ? c - 0x0621 : kLetters - 1; }

// The letter sets come with the costs learned for them (variant_costs.inc).
template <std::size_t N>
bool is_one_of(const char32_t (&letters)[N], char32_t c) {
  return std::find(letters, letters + N, c) != letters + N;
}
bool is_vowel_letter(char32_t c) { return is_one_of(kVowelLetters, c); }

// Letters transliteration seldom writes (ع ص ض ط ظ ذ خ ث): a word holding
// one is most likely Arabic, and between two such words a vowel letter
// changes the word (ظالم/ظلم), so there vowel-letter edits cost more. ح is
// left out: names from Persian or Tajik keep it (رحمن/رحمون).
bool is_native_letter(char32_t c) { return is_one_of(kNativeLetters, c); }
bool looks_native(std::u32string_view w) { return std::any_of(w.begin(), w.end(), is_native_letter); }

struct CostTables {
  float sub[kLetters][kLetters];
  float indel[3][kLetters];  // initial, medial, final
  // vowel_surcharge: added to every edit of vowel letters only (the native pair's tables).
  explicit CostTables(double vowel_surcharge) {
    auto letter = [](std::size_t i) { return i + 1 < kLetters ? static_cast<char32_t>(0x0621 + i) : U'?'; };
    for (std::size_t i = 0; i < kLetters; ++i) {
      const bool vi = is_vowel_letter(letter(i));
      for (std::size_t j = 0; j < kLetters; ++j) {
        double s = i + 1 < kLetters && i == j ? 0.0 : substitution_cost(letter(i), letter(j));
        if (i != j && vi && is_vowel_letter(letter(j))) s += vowel_surcharge;
        sub[i][j] = static_cast<float>(s);
      }
      for (int p = 0; p < 3; ++p)
        indel[p][i] = static_cast<float>(indel_cost(letter(i), p) + (vi ? vowel_surcharge : 0));
    }
  }
};

const CostTables& costs(bool native_pair) {
  static const CostTables& plain = *new CostTables(0.0);
  static const CostTables& native = *new CostTables(kNativeVowelSurcharge);
  return native_pair ? native : plain;
}

// Weighted edit distance between two folded words, or a value above `limit`
// as soon as every alignment must exceed it.
// native_pair: both words look native (looks_native).
double distance(std::u32string_view a, std::u32string_view b, bool native_pair, double limit) {
  constexpr std::size_t kMax = 48;  // kMaxNameLetters: longer words never get here
  const std::size_t n = std::min(a.size(), kMax), m = std::min(b.size(), kMax);
  const CostTables& c = costs(native_pair);
  std::uint8_t ia[kMax], ib[kMax];
  for (std::size_t i = 0; i < n; ++i) ia[i] = static_cast<std::uint8_t>(letter_index(a[i]));
  for (std::size_t j = 0; j < m; ++j) ib[j] = static_cast<std::uint8_t>(letter_index(b[j]));
  auto pos = [](std::size_t k, std::size_t len) { return k == 1 ? 0 : k == len ? 2 : 1; };
  // Per letter, the cost of inserting it, and which digraphs (bit g: kDigraphs[g])
  // its word spells with the letter before it, found once instead of per cell.
  constexpr std::size_t kDigraphCount = sizeof(kDigraphs) / sizeof(kDigraphs[0]);
  static_assert(kDigraphCount <= 8, "digraph sets are bytes");
  auto digraphs_ending = [](std::u32string_view w, std::size_t k) {
    std::uint8_t set = 0;
    for (std::size_t g = 0; g < kDigraphCount && k >= 2; ++g)
      if (w[k - 2] == kDigraphs[g].first && w[k - 1] == kDigraphs[g].second) set |= std::uint8_t(1u << g);
    return set;
  };
  std::uint8_t a_digraphs[kMax + 1], b_digraphs[kMax + 1];
  double insert[kMax + 1];
  for (std::size_t i = 1; i <= n; ++i) a_digraphs[i] = digraphs_ending(a, i);
  for (std::size_t j = 1; j <= m; ++j) b_digraphs[j] = digraphs_ending(b, j), insert[j] = c.indel[pos(j, m)][ib[j - 1]];
  double rows[3][kMax + 1];
  double* prev2 = rows[0];
  double* prev = rows[1];
  double* cur = rows[2];
  prev[0] = 0;
  for (std::size_t j = 1; j <= m; ++j) prev[j] = prev[j - 1] + insert[j];
  for (std::size_t i = 1; i <= n; ++i) {
    const std::size_t ai = ia[i - 1];
    const double del = c.indel[pos(i, n)][ai];
    cur[0] = prev[0] + del;
    double row_min = cur[0];
    for (std::size_t j = 1; j <= m; ++j) {
      double sub = c.sub[ai][ib[j - 1]];
      if (i == n && j == m && ((a[i - 1] == kAlef && b[j - 1] == kHeh) || (a[i - 1] == kHeh && b[j - 1] == kAlef)))
        sub = kFinalAlefHeh;
      double best = std::min({prev[j - 1] + sub, prev[j] + del, cur[j - 1] + insert[j]});
      // A digraph of one word for a single letter of the other (تش for ك).
      for (unsigned set = a_digraphs[i]; set; set &= set - 1) {
        const auto& g = kDigraphs[__builtin_ctz(set)];
        if (b[j - 1] == g.single) best = std::min(best, prev2[j - 1] + g.cost);
      }
      for (unsigned set = b_digraphs[j]; set; set &= set - 1) {
        const auto& g = kDigraphs[__builtin_ctz(set)];
        if (a[i - 1] == g.single) best = std::min(best, prev[j - 2] + g.cost);
      }
      cur[j] = best;
      row_min = std::min(row_min, best);
    }
    if (row_min > limit) return row_min;
    double* spare = prev2;
    prev2 = prev;
    prev = cur;
    cur = spare;
  }
  return prev[m];
}

// ---------------------------------------------------------------- proclitics --
// و ف ب ك ل and the article, alone or combined; removing one costs a little,
// and only when a word of three letters or more remains.

struct Proclitic {
  const char32_t* text;
  double cost;
  // Removed from discovery stems: the article, alone or after one letter, or a single letter.
  bool stem;
};
constexpr Proclitic kProclitics[] = {
    {U"\u0648\u0628\u0627\u0644", kStripArticleCombined, false},  // و + ب + ال
    {U"\u0641\u0628\u0627\u0644", kStripArticleCombined, false},
    {U"\u0648\u0643\u0627\u0644", kStripArticleCombined, false},
    {U"\u0648\u0627\u0644", kStripArticleCombined, true},
    {U"\u0628\u0627\u0644", kStripArticleCombined, true},
    {U"\u0641\u0627\u0644", kStripArticleCombined, true},
    {U"\u0643\u0627\u0644", kStripArticleCombined, true},
    {U"\u0644\u0644", kStripArticleCombined, true},
    {U"\u0648\u0644\u0644", kStripArticleCombined, false},  // و + لل
    {U"\u0641\u0644\u0644", kStripArticleCombined, false},  // ف + لل
    {U"\u0648\u0644", kStripArticleCombined, false},        // و + ل, and so on
    {U"\u0648\u0628", kStripArticleCombined, false},
    {U"\u0648\u0643", kStripArticleCombined, false},
    {U"\u0641\u0644", kStripArticleCombined, false},
    {U"\u0641\u0628", kStripArticleCombined, false},
    {U"\u0641\u0643", kStripArticleCombined, false},
    {U"\u0627\u0644", kStripArticle, true},
    {U"\u0648", kStripSingle, true},
    {U"\u0644", kStripSingle, true},
    {U"\u0628", kStripSingle, true},
    {U"\u0641", kStripSingle, true},
    {U"\u0643", kStripSingle, true},
};

struct Form {
  std::u32string_view word;
  double cost;
  bool native;  // looks_native(word), worked out once per word
};

// The word and each proclitic-stripped form of it (at most 1 + proclitics).
// No proclitic holds a native letter, so every form is as native as the word.
std::size_t forms(std::u32string_view w, Form* out) {
  std::size_t n = 0;
  const bool native = looks_native(w);
  out[n++] = {w, 0.0, native};
  for (const auto& p : kProclitics) {
    std::u32string_view prefix(p.text);
    if (w.size() >= prefix.size() + 3 && w.substr(0, prefix.size()) == prefix)
      out[n++] = {w.substr(prefix.size()), p.cost, native};
  }
  return n;
}
constexpr std::size_t kMaxForms = 1 + sizeof(kProclitics) / sizeof(kProclitics[0]);

// The best similarity over the forms of two words (proclitics stripped from one side at most).
double similarity_of_forms(const Form* fa, std::size_t na, const Form* fb, std::size_t nb, double threshold) {
  double best = 0;
  for (std::size_t i = 0; i < na; ++i) {
    for (std::size_t j = 0; j < nb; ++j) {
      if (fa[i].cost > 0 && fb[j].cost > 0) continue;  // strip from one side only
      double len = static_cast<double>(std::min(fa[i].word.size(), fb[j].word.size()));
      double strip = fa[i].cost + fb[j].cost;
      // The largest edit cost that can still reach max(best, threshold).
      double floor = std::min(std::max(best, threshold), 1.0 - 1e-9);
      double budget = kLearnedBias + kLengthCredit * len - strip - (floor > 0 ? std::log(floor / (1.0 - floor)) : -1e9);
      if (budget < 0) continue;
      double cost = distance(fa[i].word, fb[j].word, fa[i].native && fb[j].native, budget);
      if (cost > budget) continue;
      best = std::max(best, logistic(kLearnedBias + kLengthCredit * len - strip - cost));
    }
  }
  return best;
}

// ---------------------------------------------------------------- the keys --

// The letter class each consonant stands for in a key; 0 drops it. Only the
// most frequent alternations share a class, so buckets stay small.
char32_t key_class(char32_t c) {
  switch (c) {
    case U'\u0627':
    case U'\u0648':
    case U'\u064A':
    case U'\u0621':
    case U'\u0639':
      return 0;  // vowel letters, hamza, ain
    case U'\u062C':
    case U'\u063A':
      return U'G';  // ج غ
    case U'\u0632':
    case U'\u0633':
    case U'\u0635':
      return U'S';  // ز س ص
    case U'\u062A':
    case U'\u0637':
    case U'\u062B':
      return U'T';  // ت ط ث
    case U'\u0642':
    case U'\u0643':
      return U'K';  // ق ك
    default:
      return c;
  }
}

std::string key_of(const Word& w) {
  std::string k;
  char32_t last = 0;
  for (std::size_t i = 0; i < w.size(); ++i) {
    char32_t c = key_class(w[i]);
    if (w[i] == kHeh && i + 1 == w.size()) c = 0;  // final ه reads as a vowel
    if (c == 0 || c == last) continue;
    last = c;
    std::string piece = to_utf8(Word(1, c));
    k += piece;
  }
  return k;
}

// Keys of a key: itself and, when long enough, each one-letter deletion
// (symmetric deletion: two keys one edit apart share an entry).
std::vector<std::string> neighbourhood(const std::string& key) {
  std::vector<std::string> out{key};
  // Split into letters (ASCII class letters or two-byte Arabic letters).
  std::vector<std::string> letters;
  for (std::size_t i = 0; i < key.size();) {
    std::size_t n = static_cast<unsigned char>(key[i]) < 0x80 ? 1 : 2;
    letters.push_back(key.substr(i, n));
    i += n;
  }
  if (letters.size() < 4) return out;  // short keys: deletions would match too much
  for (std::size_t skip = 0; skip < letters.size(); ++skip) {
    std::string k = "~";  // marks a deletion key
    for (std::size_t i = 0; i < letters.size(); ++i)
      if (i != skip) k += letters[i];
    out.push_back(k);
  }
  return out;
}

// ------------------------------------------------------------- the lexicon --
// What spelling cannot tell from a name: two ordinary words, or two forms of
// one word that differ by an inflectional affix.

bool is_person_prefix(char c) {
  using detail::code;
  return c == code(U'\u064A') || c == code(U'\u062A') || c == code(U'\u0646') || c == code(U'\u0627');
}

// Two forms of one stem: the same stem (three letters or more) with
// different endings, or a verb with another person prefix (يندم/أندم/ندم).
// definite: either word has the article; known(x): the lexicon knows x.
// whole: x and y are whole words (the person prefix is looked at only there).
template <class Known>
bool inflections(std::string_view x, std::string_view y, bool definite, bool whole, const Known& known) {
  std::size_t common = 0;
  while (common < x.size() && common < y.size() && x[common] == y[common]) ++common;
  constexpr char kTeh = detail::code(U'\u062A'), kHeh = detail::code(U'\u0647'), kNoon = detail::code(U'\u0646'),
                 kYeh = detail::code(U'\u064A'), kAlef_ = detail::code(U'\u0627');
  for (std::size_t stem = common; stem + 4 > common && stem >= 3; --stem) {
    std::string_view rx = x.substr(stem), ry = y.substr(stem);
    // ة is written ت before a pronoun (مدرستها/مدرسة).
    Codes tx, ty;
    if (!rx.empty() && !ry.empty() && rx[0] != ry[0]) {
      if (rx[0] == kTeh && ry == std::string_view(&kHeh, 1)) ty = "", ry = ty, tx = rx.substr(1), rx = tx;
      else if (ry[0] == kTeh && rx == std::string_view(&kHeh, 1)) tx = "", rx = tx, ty = ry.substr(1), ry = ty;
    }
    const int ex = detail::ending_strength(rx), ey = detail::ending_strength(ry);
    if (!ex || !ey || rx == ry) continue;
    // Two endings of two letters or more (ون/ين, ات/ان) are two inflections,
    // and so is ة or the pronoun ه against no ending (مصدوم/مصدومة, محققو/محققوه).
    const bool heh = (rx.empty() && ry == std::string_view(&kHeh, 1)) || (ry.empty() && rx == std::string_view(&kHeh, 1));
    // (ان/ين is left out: names end in -an and -in as often: فونتان/فونتين.)
    const bool an_in = rx.size() == 2 && ry.size() == 2 && rx[1] == kNoon && ry[1] == kNoon &&
                       ((rx[0] == kAlef_ && ry[0] == kYeh) || (rx[0] == kYeh && ry[0] == kAlef_));
    if (ex == 2 || ey == 2 || (rx.size() >= 2 && ry.size() >= 2 && !an_in) ||
        (heh && stem == common && x.size() >= 4 && y.size() >= 4)) {
      // A strong ending under a shorter stem needs a stem of four letters:
      // فونتين/فونتان is ين/ان after فونت, not تين/تان after فون.
      if (stem == common || stem >= 4) return true;
    } else if (stem == common && (definite || known(x) || known(y))) {
      return true;
    }
  }
  if (whole && std::min(x.size(), y.size()) >= 3) {
    const bool swapped = x.size() == y.size() && is_person_prefix(x[0]) && is_person_prefix(y[0]) && x.substr(1) == y.substr(1);
    const bool added = (x.size() == y.size() + 1 && is_person_prefix(x[0]) && x.substr(1) == y) ||
                       (y.size() == x.size() + 1 && is_person_prefix(y[0]) && y.substr(1) == x);
    if ((swapped || added) && (known(x) || known(y))) return true;
    // ي ت ن (not ا) for one another begin the persons of one verb, seldom two names (يتماهى/تتماهى).
    if (swapped && x.size() >= 5 && x[0] != kAlef_ && y[0] != kAlef_) return true;
  }
  return false;
}

// Whether a word starts with the article (after و ف ب ك, or as لل) and
// `rest` letters or more follow it.
bool holds_article(std::u32string_view proclitic) {
  return proclitic.find(U"\u0627\u0644") != proclitic.npos || proclitic.find(U"\u0644\u0644") != proclitic.npos;
}
bool has_article(std::u32string_view w, std::size_t rest = 2) {
  for (const auto& p : kProclitics) {
    std::u32string_view t(p.text);
    if (w.size() >= t.size() + rest && w.substr(0, t.size()) == t && holds_article(t)) return true;
  }
  return false;
}

// How far the lexicon moves a spelling similarity: the spelling similarity
// a pair needs to reach 0.5 when neither word is known, and when one is (an
// ordinary word beside an unknown one is more often another word or a typo
// than a name: أساس/أسياس, أتيلا/إطلاع). Chosen on the dev half of the
// labelled news pairs (docs/variants.md).
constexpr double kUnknownBar = 0.6, kOneKnownBar = 0.7;

double logit(double p) { return std::log(p / (1.0 - p)); }

// How much a name's frequency moves its lookup score: the logit moves by
// this much per unit of log count away from the index's mean (measured on
// the dev pairs with the gazetteer's counts: docs/variants.md).
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

// The similarity of two folded words with the lexicon's evidence. stems:
// discovery stems, whose proclitics are already gone (none is stripped again);
// definite: either was seen with the article.
double similarity_with(const Word& first, const Word& second, const Lexicon& lexicon, bool stems = false,
                       bool definite = false) {
  if (first.empty() || second.empty()) return 0.0;  // not Arabic words
  if (first == second) return 1.0;
  if (first.size() > kMaxNameLetters || second.size() > kMaxNameLetters) return 0.0;
  // One order for both calls: exactly symmetric in floating point.
  const Word& a = second < first ? second : first;
  const Word& b = second < first ? first : second;
  Form fa[kMaxForms], fb[kMaxForms];
  const std::size_t na = forms(a, fa), nb = forms(b, fb);
  // Stems are compared as they are; their other forms serve the inflection test only.
  auto spelling = [&] { return similarity_of_forms(fa, stems ? 1 : na, fb, stems ? 1 : nb, 0.0); };
  if (!lexicon.with_builtin() && lexicon.size() == 0) return spelling();
  if (!stems)
    for (std::size_t i = 0; i < na; ++i)
      for (std::size_t j = 0; j < nb; ++j)
        if (fa[i].word == fb[j].word) return 1.0;  // one word, a proclitic apart
  auto known = [&](std::string_view codes) { return LexiconAccess::knows(lexicon, codes); };
  // Beside an affix, a first-person present (أشاهد/أشاهده) counts as known too:
  // the lexicon leaves those forms out only because names begin like them.
  auto known_inflecting = [&](std::string_view codes) {
    constexpr char kAlefCode = detail::code(U'\u0627'), kYehCode = detail::code(U'\u064A');
    return known(codes) || (codes.size() >= 4 && codes[0] == kAlefCode && known(kYehCode + std::string(codes.substr(1))));
  };
  const Codes ca = detail::to_codes(a), cb = detail::to_codes(b);
  // Inflections are compared on the words and on their forms without the
  // article or و (والبلجيكي/البلجيكية), not on every stripped form: a name's
  // first letter is too often ب ك ل ف.
  definite = definite || has_article(a, 4) || has_article(b, 4);
  auto plain = [&](const Form& f, const Word& w) {
    return f.cost == 0 || w[0] == U'\u0648' || holds_article(std::u32string_view(w).substr(0, w.size() - f.word.size()));
  };
  if (inflections(ca, cb, definite, true, known_inflecting)) return 0.0;
  for (std::size_t i = 0; i < na; ++i)
    for (std::size_t j = (i == 0 ? 1 : 0); j < nb; ++j)
      if (plain(fa[i], a) && plain(fb[j], b) &&
          inflections(detail::to_codes(fa[i].word), detail::to_codes(fb[j].word), definite, false, known_inflecting))
        return 0.0;
  const int k = static_cast<int>(known(ca)) + static_cast<int>(known(cb));
  if (k == 2) return 0.0;
  const double s = spelling();
  if (s <= 0.0 || s >= 1.0) return s;
  return logistic(logit(s) - logit(k == 1 ? kOneKnownBar : kUnknownBar));
}

const Lexicon& builtin_lexicon() {
  static const Lexicon& l = *new Lexicon();
  return l;
}

}  // namespace

std::string variant_key(std::string_view word) { return key_of(fold(word)); }

double variant_similarity(std::string_view a, std::string_view b, const Lexicon* lexicon) {
  return similarity_with(fold(a), fold(b), lexicon ? *lexicon : builtin_lexicon());
}

bool are_variants(std::string_view a, std::string_view b, double threshold, const Lexicon* lexicon) {
  return variant_similarity(a, b, lexicon) >= threshold;
}

// -------------------------------------------------------------------- index --

struct VariantIndex::Impl {
  // Lookups share the index; add() takes it alone, so that a name added from
  // one thread never moves the tables under a lookup running in another. A
  // writer holds `gate` while it waits, so that a stream of lookups cannot
  // starve it (glibc's rwlock prefers readers); lookups pass the gate at once.
  mutable std::shared_mutex lock;
  mutable std::mutex gate;
  std::atomic<std::size_t> size{0};
  double threshold;
  std::vector<std::string> names;
  std::vector<Word> folded;
  std::vector<char> native;  // looks_native(folded[i])
  std::unordered_map<std::string, std::vector<std::uint32_t>> buckets;
  std::unordered_map<std::u32string, std::vector<std::uint32_t>> exact;  // folded spelling -> names
  // Frequency priors: each name's log count, and their sum (the prior is the
  // distance of a name's log count from the mean; without counts it is 0).
  std::vector<double> log_count;
  double log_count_sum = 0;

  double prior(std::uint32_t id) const {
    return kCountWeight * (log_count[id] - log_count_sum / static_cast<double>(log_count.size()));
  }

  void add(std::string_view name, std::uint64_t count) {
    Word w = fold(name);
    if (w.empty()) return;
    if (w.size() > kMaxNameLetters)
      throw std::invalid_argument("VariantIndex: a name of more than " + std::to_string(kMaxNameLetters) +
                                  " letters is not a name");
    std::lock_guard<std::mutex> first(gate);
    std::unique_lock<std::shared_mutex> hold(lock);
    auto id = static_cast<std::uint32_t>(names.size());
    names.emplace_back(name);
    folded.push_back(w);
    native.push_back(looks_native(w));
    exact[w].push_back(id);
    log_count.push_back(std::log1p(static_cast<double>(count)));
    log_count_sum += log_count.back();
    // The name's key and its deletions. Names are taken as written: a
    // proclitic is looked for on the query's side only (باجمال is not ب + اجمال).
    std::vector<std::string> keys = neighbourhood(key_of(w));
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    for (const auto& k : keys) buckets[k].push_back(id);
    size.store(names.size(), std::memory_order_release);
  }

  std::vector<VariantMatch> lookup(std::string_view query, std::size_t k) const {
    Word q = fold(query);
    std::vector<VariantMatch> out;
    if (q.empty() || k == 0 || q.size() > kMaxNameLetters) return out;
    { std::lock_guard<std::mutex> pass(gate); }
    std::shared_lock<std::shared_mutex> hold(lock);
    // A query spelled as an entry is that entry: two spellings that are both
    // entries are two names (to have them merged, index one of them only).
    if (auto hit = exact.find(q); hit != exact.end()) {
      for (std::size_t i = 0; i < hit->second.size() && out.size() < k; ++i) out.push_back({names[hit->second[i]], 1.0});
      return out;
    }
    // Stage one: names with the query's key (or a stripped form's key).
    // Stage two, only when stage one accepts nothing: keys one letter apart.
    std::vector<std::pair<double, std::uint32_t>> scored;
    Form fq[kMaxForms];
    std::size_t nq = forms(q, fq);
    // Each stage gathers the names of its buckets, once each (a name sits in
    // several buckets), and scores those the stage before did not.
    std::vector<std::uint32_t> done, ids;
    // The k best scores so far (a min-heap): a name must reach the lowest of
    // them to enter, so later candidates are cut off early in the distance.
    std::vector<double> best;
    auto floor = [&] { return best.size() < k ? threshold : std::max(threshold, best.front()); };
    auto gather = [&](const std::string& key) {
      auto it = buckets.find(key);
      if (it != buckets.end()) ids.insert(ids.end(), it->second.begin(), it->second.end());
    };
    auto score_gathered = [&] {
      std::sort(ids.begin(), ids.end());
      ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
      for (std::uint32_t id : ids) {
        if (std::binary_search(done.begin(), done.end(), id)) continue;
        const Form name{folded[id], 0.0, native[id] != 0};
        const double bar = floor();
        // The score is the spelling similarity moved by the name's frequency
        // prior; the spelling must reach the bar moved back by the same amount.
        const double p = prior(id);
        const double spelling = similarity_of_forms(fq, nq, &name, 1, p == 0 ? bar : logistic(logit(bar) - p));
        const double s = p == 0 || spelling <= 0 ? spelling : logistic(logit(spelling) + p);
        if (s < bar) continue;
        scored.emplace_back(s, id);
        best.push_back(s);
        std::push_heap(best.begin(), best.end(), std::greater<>());
        if (best.size() > k) std::pop_heap(best.begin(), best.end(), std::greater<>()), best.pop_back();
      }
      done.swap(ids);
      ids.clear();
    };
    std::vector<std::string> keys = neighbourhood(key_of(q));
    gather(keys[0]);
    for (std::size_t i = 1; i < nq; ++i) gather(key_of(Word(fq[i].word)));
    score_gathered();
    if (scored.empty()) {
      // A name's deletions are filed under "~" + deletion, so one lookup
      // finds keys one letter apart three ways: a letter more in the name
      // ("~" + the query's key), a letter less (a deletion of the query's key
      // without the mark), and one letter different (both deletions).
      auto gather_around = [&](const std::vector<std::string>& around) {
        gather("~" + around[0]);
        for (std::size_t j = 1; j < around.size(); ++j) gather(around[j]), gather(around[j].substr(1));
      };
      gather_around(keys);
      for (std::size_t i = 1; i < nq; ++i) gather_around(neighbourhood(key_of(Word(fq[i].word))));
      score_gathered();
    }
    std::sort(scored.begin(), scored.end(), [&](const auto& x, const auto& y) {
      return x.first != y.first ? x.first > y.first : x.second < y.second;
    });
    for (std::size_t i = 0; i < scored.size() && out.size() < k; ++i)
      out.push_back({names[scored[i].second], scored[i].first});
    return out;
  }
};

VariantIndex::VariantIndex(double threshold) : impl_(std::make_unique<Impl>()) {
  if (!(threshold >= 0.0 && threshold <= 1.0))
    throw std::invalid_argument("VariantIndex: the threshold must be between 0 and 1");
  impl_->threshold = threshold;
}

VariantIndex::VariantIndex(const std::vector<std::string>& names, double threshold) : VariantIndex(threshold) {
  for (const auto& n : names) add(n);
}

VariantIndex::VariantIndex(const std::vector<std::string>& names, const std::vector<std::uint64_t>& counts,
                           double threshold)
    : VariantIndex(threshold) {
  if (counts.size() != names.size()) throw std::invalid_argument("VariantIndex: one count per name");
  for (std::size_t i = 0; i < names.size(); ++i) add(names[i], counts[i]);
}

VariantIndex::~VariantIndex() = default;
VariantIndex::VariantIndex(VariantIndex&&) noexcept = default;
VariantIndex& VariantIndex::operator=(VariantIndex&&) noexcept = default;

// A moved-from index is empty: it finds nothing and refuses names.
void VariantIndex::add(std::string_view name, std::uint64_t count) {
  if (!impl_) throw std::logic_error("VariantIndex: used after being moved from");
  impl_->add(name, count);
}
std::size_t VariantIndex::size() const noexcept { return impl_ ? impl_->size.load(std::memory_order_acquire) : 0; }
double VariantIndex::threshold() const noexcept { return impl_ ? impl_->threshold : kVariantThreshold; }

std::vector<VariantMatch> VariantIndex::lookup(std::string_view query, std::size_t k) const {
  return impl_ ? impl_->lookup(query, k) : std::vector<VariantMatch>{};
}

std::string VariantIndex::canonicalize(std::string_view text, std::vector<Rewrite>* rewrites) const {
  if (rewrites) rewrites->clear();
  if (!impl_) return std::string(text);
  std::string out;
  const Lexicon& lexicon = builtin_lexicon();
  const double bar = std::max(impl_->threshold, kRewriteThreshold);
  auto* b = reinterpret_cast<const unsigned char*>(text.data());
  auto* end = b + text.size();
  const unsigned char* word_start = nullptr;
  auto flush_word = [&](const unsigned char* stop) {
    if (!word_start) return;
    const std::size_t begin = static_cast<std::size_t>(word_start - b), size = static_cast<std::size_t>(stop - word_start);
    std::string_view word(text.data() + begin, size);
    word_start = nullptr;
    // An ordinary word is never rewritten, whatever name it looks like.
    Word folded_word = fold(word);
    if (LexiconAccess::knows(lexicon, detail::to_codes(folded_word))) return void(out += word);
    // The word whole, or without a proclitic (kept in the output: ولكلنتون -> ولكلينتون).
    Form f[kMaxForms];
    std::size_t n = forms(folded_word, f);
    std::string best_name, best_prefix;
    double best_score = -1;
    for (std::size_t i = 0; i < n; ++i) {
      auto found = lookup(to_utf8(Word(f[i].word)), 1);
      if (found.empty() || found[0].score < bar || found[0].score <= best_score) continue;
      best_score = found[0].score;
      best_name = found[0].name;
      best_prefix = to_utf8(folded_word.substr(0, folded_word.size() - f[i].word.size()));
    }
    std::string replacement = best_score < 0 ? std::string(word) : best_prefix + best_name;
    if (rewrites && replacement != word) rewrites->push_back({begin, begin + size, replacement, best_score});
    out += replacement;
  };
  for (auto* p = b; p < end;) {
    detail::Decoded d = detail::decode_utf8(p, end);
    bool letter = d.ok && ((d.cp >= 0x0600 && d.cp <= 0x06FF && d.cp != 0x060C && d.cp != 0x061B && d.cp != 0x061F &&
                            !(d.cp >= 0x0660 && d.cp <= 0x066D)));
    if (letter) {
      if (!word_start) word_start = p;
    } else {
      flush_word(p);
      out.append(reinterpret_cast<const char*>(p), d.len);
    }
    p += d.len;
  }
  flush_word(end);
  return out;
}

// -------------------------------------------------------------- discovery --

namespace {

// The words of a text: runs of Arabic letters and marks (digits and Arabic
// punctuation end a word), each with its folded letters.
template <class F>
void for_each_word(std::string_view text, F&& f) {
  auto* p = reinterpret_cast<const unsigned char*>(text.data());
  auto* end = p + text.size();
  const unsigned char* start = nullptr;
  auto flush = [&](const unsigned char* stop) {
    if (!start) return;
    std::string_view raw(reinterpret_cast<const char*>(start), static_cast<std::size_t>(stop - start));
    start = nullptr;
    Word w = fold(raw);
    if (!w.empty()) f(raw, w);
  };
  while (p < end) {
    detail::Decoded d = detail::decode_utf8(p, end);
    // A word: letters and the marks among them (folded away later), not digits or punctuation.
    const bool in_word = d.ok && d.cp >= 0x0621 && d.cp <= 0x0670 && !(d.cp >= 0x0660 && d.cp <= 0x066D);
    if (in_word) {
      if (!start) start = p;
    } else {
      flush(p);
    }
    p += d.len;
  }
  flush(end);
}

}  // namespace

// Per folded word: its count; for a word the lexicon does not know (a
// candidate name), also its spellings, the sources it occurs in and its
// neighbours (folded words, "<" left and ">" right).
struct VariantStats::Impl {
  Lexicon lexicon;
  struct Candidate {
    std::unordered_map<std::string, std::uint64_t> spellings, neighbours;
    std::unordered_map<std::uint64_t, std::uint64_t> sources;
  };
  std::unordered_map<std::string, std::uint64_t> counts;  // UTF-8 of the folded letters
  std::unordered_map<std::string, Candidate> candidates;
  std::unordered_map<std::string, bool> known;  // cache of lexicon verdicts
};

VariantStats::VariantStats(const Lexicon& lexicon) : impl_(std::make_unique<Impl>()) { impl_->lexicon = lexicon; }
VariantStats::VariantStats() : VariantStats(Lexicon()) {}
VariantStats::~VariantStats() = default;
VariantStats::VariantStats(VariantStats&&) noexcept = default;
VariantStats& VariantStats::operator=(VariantStats&&) noexcept = default;

// Moved-from statistics are empty and refuse more.
void VariantStats::add(std::string_view text, std::uint64_t source) {
  if (!impl_) throw std::logic_error("VariantStats: used after being moved from");
  Impl& m = *impl_;
  std::vector<std::string> words;
  std::vector<std::pair<std::string_view, std::size_t>> candidates;  // raw spelling, index in words
  for_each_word(text, [&](std::string_view raw, const Word& w) {
    std::string key = to_utf8(w);
    ++m.counts[key];
    if (w.size() >= 3 && w.size() <= kMaxNameLetters) {
      auto it = m.known.find(key);
      if (it == m.known.end()) it = m.known.emplace(key, LexiconAccess::knows(m.lexicon, detail::to_codes(w))).first;
      if (!it->second) candidates.emplace_back(raw, words.size());
    }
    words.push_back(std::move(key));
  });
  for (const auto& [raw, i] : candidates) {
    Impl::Candidate& c = m.candidates[words[i]];
    ++c.spellings[std::string(raw)];
    ++c.sources[source];
    // Neighbours one and two words away on each side, the pair as one neighbour.
    if (i > 0) ++c.neighbours["<" + words[i - 1]];
    if (i > 1) ++c.neighbours["<" + words[i - 2] + " " + words[i - 1]];
    if (i + 1 < words.size()) ++c.neighbours[">" + words[i + 1]];
    if (i + 2 < words.size()) ++c.neighbours[">" + words[i + 1] + " " + words[i + 2]];
  }
}

void VariantStats::merge(const VariantStats& other) {
  if (!impl_) throw std::logic_error("VariantStats: used after being moved from");
  if (!other.impl_) return;
  if (&other == this) return merge(deserialize(serialize(), impl_->lexicon));  // counts everything twice
  Impl& m = *impl_;
  for (const auto& [w, n] : other.impl_->counts) m.counts[w] += n;
  for (const auto& [w, k] : other.impl_->known) m.known.emplace(w, k);
  for (const auto& [w, c] : other.impl_->candidates) {
    Impl::Candidate& mine = m.candidates[w];
    for (const auto& [k, n] : c.spellings) mine.spellings[k] += n;
    for (const auto& [k, n] : c.neighbours) mine.neighbours[k] += n;
    for (const auto& [k, n] : c.sources) mine.sources[k] += n;
  }
}

std::size_t VariantStats::words() const noexcept { return impl_ ? impl_->counts.size() : 0; }

// Lines of tab-separated fields (words hold no tab or newline): "w word
// count", then per candidate "c word" followed by its "s spelling n",
// "n neighbour n" and "o source n" lines.
std::string VariantStats::serialize() const {
  std::string out = "arnorm-variant-stats 1\n";
  if (!impl_) return out;
  auto line = [&](char tag, const std::string& a, std::uint64_t n) {
    out += tag;
    out += '\t';
    out += a;
    out += '\t';
    out += std::to_string(n);
    out += '\n';
  };
  for (const auto& [w, n] : impl_->counts) line('w', w, n);
  for (const auto& [w, c] : impl_->candidates) {
    out += "c\t" + w + "\n";
    for (const auto& [k, n] : c.spellings) line('s', k, n);
    for (const auto& [k, n] : c.neighbours) line('n', k, n);
    for (const auto& [k, n] : c.sources) line('o', std::to_string(k), n);
  }
  return out;
}

VariantStats VariantStats::deserialize(std::string_view bytes, const Lexicon& lexicon) {
  VariantStats stats(lexicon);
  Impl& m = *stats.impl_;
  const std::string_view header = "arnorm-variant-stats 1\n";
  if (bytes.substr(0, header.size()) != header) throw std::invalid_argument("VariantStats: not serialized statistics");
  bytes.remove_prefix(header.size());
  Impl::Candidate* current = nullptr;
  auto number = [](std::string_view s) {
    std::uint64_t n = 0;
    if (s.empty()) throw std::invalid_argument("VariantStats: bad number");
    for (char c : s) {
      if (c < '0' || c > '9') throw std::invalid_argument("VariantStats: bad number");
      n = n * 10 + static_cast<std::uint64_t>(c - '0');
    }
    return n;
  };
  while (!bytes.empty()) {
    const std::size_t eol = bytes.find('\n');
    if (eol == bytes.npos) throw std::invalid_argument("VariantStats: truncated");
    std::string_view l = bytes.substr(0, eol);
    bytes.remove_prefix(eol + 1);
    const std::size_t t1 = l.find('\t');
    if (t1 != 1) throw std::invalid_argument("VariantStats: bad line");
    const char tag = l[0];
    std::string_view rest = l.substr(2);
    if (tag == 'c') {
      current = &m.candidates[std::string(rest)];
      m.known[std::string(rest)] = false;
      continue;
    }
    const std::size_t t2 = rest.find('\t');
    if (t2 == rest.npos) throw std::invalid_argument("VariantStats: bad line");
    std::string key(rest.substr(0, t2));
    const std::uint64_t n = number(rest.substr(t2 + 1));
    if (tag == 'w') {
      m.counts[key] += n;
    } else if (current && tag == 's') {
      current->spellings[key] += n;
    } else if (current && tag == 'n') {
      current->neighbours[key] += n;
    } else if (current && tag == 'o') {
      current->sources[number(key)] += n;
    } else {
      throw std::invalid_argument("VariantStats: bad line");
    }
  }
  return stats;
}

namespace {

// The stem of a candidate for discovery: the article (with و ب ف ك ل before
// it) is removed when three letters remain; a single proclitic only when
// the rest also occurs on its own, so that وثيق keeps its و.
Word discovery_stem(const Word& w, const std::unordered_map<std::string, std::uint64_t>& counts, bool& article) {
  article = false;
  for (const auto& p : kProclitics) {
    const std::u32string_view a(p.text);
    if (!p.stem || !holds_article(a) || w.size() < a.size() + 3 || w.compare(0, a.size(), a) != 0) continue;
    article = true;
    return w.substr(a.size());
  }
  for (const auto& p : kProclitics)
    if (p.stem && p.text[1] == 0 && w.size() >= 4 && w[0] == p.text[0]) {
      Word rest = w.substr(1);
      if (counts.count(to_utf8(rest)) || counts.count(to_utf8(U"\u0627\u0644" + rest))) return rest;
    }
  return w;
}

// Weights of the evidence beside spelling, chosen on the dev half of the
// labelled news pairs (docs/variants.md): shared neighbours, sources that
// keep to one spelling each, and how often the words come without a proclitic.
// The bias puts the default cut (0.5) where the dev pairs found in the news corpus
// were mostly right (docs/variants.md).
constexpr double kContextWeight = 8.0, kContextPrior = 0.2, kSeparationWeight = 2.0, kBareWeight = 1.0,
                 kDiscoveryBias = -0.8473;  // logit(0.7)

}  // namespace

std::vector<VariantGroup> find_variants(const VariantStats& stats, double threshold, double min_confidence) {
  if (!stats.impl_) return {};
  const auto& m = *stats.impl_;
  struct Stem {
    Word word;
    std::unordered_map<std::string, std::uint64_t> spellings, neighbours;
    std::unordered_map<std::uint64_t, double> sources;
    double total = 0, bare = 0, definite = 0;
    std::string spelling;  // the most frequent
    std::unordered_map<std::string, double> weighted;  // neighbour -> its weight (below)
    double weight_total = 0;
  };
  std::unordered_map<std::u32string, std::size_t> index;
  std::vector<Stem> stems;
  // Candidates in a fixed order, so the result does not depend on hashing.
  std::vector<const std::string*> order;
  for (const auto& [w, c] : m.candidates) order.push_back(&w);
  std::sort(order.begin(), order.end(), [](const std::string* x, const std::string* y) { return *x < *y; });
  for (const std::string* key : order) {
    const auto& c = m.candidates.at(*key);
    Word w = fold(*key);
    bool article = false;
    Word stem = discovery_stem(w, m.counts, article);
    if (stem.size() < 3) continue;
    auto [it, fresh] = index.emplace(stem, stems.size());
    if (fresh) stems.push_back(Stem{stem, {}, {}, {}, 0, 0, 0, {}, {}, 0});
    Stem& s = stems[it->second];
    std::uint64_t n = 0;
    for (const auto& [k, v] : c.spellings) s.spellings[k] += v, n += v;
    for (const auto& [k, v] : c.neighbours) s.neighbours[k] += v;
    for (const auto& [k, v] : c.sources) s.sources[k] += static_cast<double>(v);
    s.total += static_cast<double>(n);
    if (stem.size() == w.size()) s.bare += static_cast<double>(n);
    if (article) s.definite += static_cast<double>(n);
  }
  for (Stem& s : stems) {
    // Seen with the article anywhere in the corpus (also as an ordinary word, which is not a candidate).
    auto with_article = m.counts.find(to_utf8(U"\u0627\u0644" + s.word));
    if (with_article != m.counts.end()) s.definite += static_cast<double>(with_article->second);
    s.spelling = std::max_element(s.spellings.begin(), s.spellings.end(), [](const auto& x, const auto& y) {
                   return x.second != y.second ? x.second < y.second : x.first > y.first;
                 })->first;
  }
  // A neighbour counts for more the rarer it is (a name's company is specific).
  // A pair of neighbours weighs as its rarer word.
  auto weight = [&](const std::string& neighbour) {
    std::string_view n(neighbour);
    n.remove_prefix(1);
    double least = 1e300;
    for (std::size_t start = 0; start <= n.size();) {
      std::size_t space = std::min(n.find(' ', start), n.size());
      auto it = m.counts.find(std::string(n.substr(start, space - start)));
      least = std::min(least, it == m.counts.end() ? 1.0 : static_cast<double>(it->second));
      start = space + 1;
    }
    return 1.0 / std::log(2.0 + least);
  };
  // Each stem's neighbour weights and their sum, worked out once (a stem meets many others).
  for (Stem& st : stems) {
    for (auto& [k, v] : st.neighbours) {
      const double w = weight(k);
      st.weighted.emplace(k, w);
      st.weight_total += w;
    }
  }
  auto context = [&](const Stem& x, const Stem& y) {
    double shared = 0;
    for (const auto& [k, w] : x.weighted)
      if (y.weighted.count(k)) shared += w;
    const double least = std::min(x.weight_total, y.weight_total);
    return least > 0 ? shared / least : 0.0;
  };
  auto separation = [&](const Stem& x, const Stem& y) {
    double overlap = 0;
    for (const auto& [t, n] : x.sources) {
      auto it = y.sources.find(t);
      if (it != y.sources.end()) overlap += std::min(n / x.total, it->second / y.total);
    }
    return 1.0 - overlap;
  };
  // Candidate pairs share a key bucket.
  std::unordered_map<std::string, std::vector<std::size_t>> buckets;
  for (std::size_t i = 0; i < stems.size(); ++i) buckets[key_of(stems[i].word)].push_back(i);
  struct Link {
    std::size_t a, b;
    double confidence;
  };
  std::vector<Link> links;
  for (const auto& [key, members] : buckets) {
    for (std::size_t x = 0; x < members.size(); ++x) {
      for (std::size_t y = x + 1; y < members.size(); ++y) {
        const Stem& a = stems[members[x]];
        const Stem& b = stems[members[y]];
        const bool definite = a.definite > 0 || b.definite > 0;
        double sim = similarity_with(a.word, b.word, m.lexicon, true, definite);
        if (sim < threshold * 0.5 || sim <= 0.0) continue;  // context can lift a pair only so far
        if (sim >= 1.0) sim = 1.0 - 1e-9;
        const double bare = std::min(a.bare / a.total, b.bare / b.total);
        const double z = logit(sim) + kContextWeight * (context(a, b) - kContextPrior) +
                         kSeparationWeight * (separation(a, b) - 0.5) + kBareWeight * (bare - 0.5) + kDiscoveryBias;
        const double confidence = logistic(z);
        if (confidence >= min_confidence) links.push_back({members[x], members[y], confidence});
      }
    }
  }
  // Groups by complete linkage: two groups join only when every pair across
  // them is linked, so a chain of look-alikes never becomes one group.
  std::sort(links.begin(), links.end(), [](const Link& x, const Link& y) {
    return x.confidence != y.confidence ? x.confidence > y.confidence : std::tie(x.a, x.b) < std::tie(y.a, y.b);
  });
  std::unordered_map<std::uint64_t, double> linked;
  auto pair_key = [&](std::size_t a, std::size_t b) {
    return static_cast<std::uint64_t>(std::min(a, b)) << 32 | static_cast<std::uint64_t>(std::max(a, b));
  };
  for (const Link& l : links) linked.emplace(pair_key(l.a, l.b), l.confidence);
  std::vector<std::size_t> group_of(stems.size());
  std::iota(group_of.begin(), group_of.end(), 0);
  std::unordered_map<std::size_t, std::vector<std::size_t>> members;
  std::unordered_map<std::size_t, double> weakest;
  for (const Link& l : links) {
    const std::size_t ga = group_of[l.a], gb = group_of[l.b];
    if (ga == gb) continue;
    auto list = [&](std::size_t g) { return members.count(g) ? members[g] : std::vector<std::size_t>{g}; };
    std::vector<std::size_t> ma = list(ga), mb = list(gb);
    double least = l.confidence;
    bool complete = true;
    for (std::size_t x : ma) {
      for (std::size_t y : mb) {
        auto it = linked.find(pair_key(x, y));
        if (it == linked.end()) {
          complete = false;
          break;
        }
        least = std::min(least, it->second);
      }
      if (!complete) break;
    }
    if (!complete) continue;
    if (weakest.count(ga)) least = std::min(least, weakest[ga]);
    if (weakest.count(gb)) least = std::min(least, weakest[gb]);
    for (std::size_t y : mb) group_of[y] = ga;
    ma.insert(ma.end(), mb.begin(), mb.end());
    members[ga] = std::move(ma);
    members.erase(gb);
    weakest[ga] = least;
    weakest.erase(gb);
  }
  std::vector<VariantGroup> out;
  for (auto& [g, list] : members) {
    std::sort(list.begin(), list.end(), [&](std::size_t x, std::size_t y) {
      return stems[x].total != stems[y].total ? stems[x].total > stems[y].total : stems[x].spelling < stems[y].spelling;
    });
    VariantGroup group;
    for (std::size_t i : list) {
      group.spellings.push_back(stems[i].spelling);
      group.counts.push_back(static_cast<std::size_t>(stems[i].total));
    }
    group.confidence = weakest[g];
    out.push_back(std::move(group));
  }
  std::sort(out.begin(), out.end(), [](const VariantGroup& x, const VariantGroup& y) {
    return x.confidence != y.confidence ? x.confidence > y.confidence : x.spellings < y.spellings;
  });
  return out;
}

std::vector<VariantGroup> find_variants(const std::vector<std::string>& texts, double threshold, double min_confidence,
                                        const Lexicon* lexicon) {
  VariantStats stats(lexicon ? *lexicon : Lexicon());
  for (std::size_t t = 0; t < texts.size(); ++t) stats.add(texts[t], t);
  return find_variants(stats, threshold, min_confidence);
}

}  // namespace arnorm
