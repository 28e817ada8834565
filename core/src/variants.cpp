// Spelling-variant similarity: folding, a class-aware weighted edit
// distance, proclitic handling, blocking keys and the lexicon's evidence.
// The index is in variant_index.cpp, discovery in discovery.cpp.
#include "arnorm/variants.hpp"

#include <algorithm>
#include <bit>
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
#include "variant_model.hpp"

namespace arnorm {
namespace variant_model {

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

}  // namespace variant_model

using namespace variant_model;

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

namespace variant_model {

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
        const auto& g = kDigraphs[std::countr_zero(set)];
        if (b[j - 1] == g.single) best = std::min(best, prev2[j - 1] + g.cost);
      }
      for (unsigned set = b_digraphs[j]; set; set &= set - 1) {
        const auto& g = kDigraphs[std::countr_zero(set)];
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

const Proclitic kProclitics[kProcliticCount] = {
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
bool has_article(std::u32string_view w, std::size_t rest) {
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

// The similarity of two folded words with the lexicon's evidence. stems:
// discovery stems, whose proclitics are already gone (none is stripped again);
// definite: either was seen with the article.
double similarity_with(const Word& first, const Word& second, const Lexicon& lexicon, bool stems, bool definite) {
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

}  // namespace variant_model

std::string variant_key(std::string_view word) { return key_of(fold(word)); }

double variant_similarity(std::string_view a, std::string_view b, const Lexicon* lexicon) {
  return similarity_with(fold(a), fold(b), lexicon ? *lexicon : builtin_lexicon());
}

bool are_variants(std::string_view a, std::string_view b, double threshold, const Lexicon* lexicon) {
  return variant_similarity(a, b, lexicon) >= threshold;
}

}  // namespace arnorm
