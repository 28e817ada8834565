// The built-in word list and the morphology that inflects listed words.
#include "lexicon.hpp"

#include <initializer_list>

#include "arnorm/variants.hpp"
#include "utf8.hpp"

namespace arnorm::detail {
namespace {

#include "lexicon_data.inc"

// Letter codes from Arabic letters (for the affix lists below).
Codes codes(std::u32string_view letters) { return to_codes(letters); }
std::vector<Codes> codes(std::initializer_list<std::u32string_view> list) {
  std::vector<Codes> out;
  for (auto l : list) out.push_back(to_codes(l));
  return out;
}

bool starts(std::string_view w, std::string_view p) { return w.size() >= p.size() && w.substr(0, p.size()) == p; }
bool ends(std::string_view w, std::string_view s) { return w.size() >= s.size() && w.substr(w.size() - s.size()) == s; }

// The affixes (folded: ة is written ه).
struct Affixes {
  const char waw = code(U'\u0648'), fa = code(U'\u0641'), ba = code(U'\u0628'), kaf = code(U'\u0643'),
             lam = code(U'\u0644'), sin = code(U'\u0633'), heh = code(U'\u0647'), teh = code(U'\u062A'),
             alef = code(U'\u0627'), yeh = code(U'\u064A');
  const Codes article = codes(U"\u0627\u0644");
  const Codes my = codes(U"\u064A"), me = codes(U"\u0646\u064A"), alef_s = codes(U"\u0627"), an = codes(U"\u0627\u0646"),
              dual = codes(U"\u064A\u0646");
  // Pronoun suffixes of nouns (ي: my) and of verbs (ني: me).
  const std::vector<Codes> noun_pronouns =
      codes({U"\u0647", U"\u0647\u0627", U"\u0647\u0645", U"\u0647\u0645\u0627", U"\u0647\u0646", U"\u0643\u0645",
             U"\u0643\u0645\u0627", U"\u0643\u0646", U"\u0646\u0627", U"\u0646\u064A", U"\u0643", U"\u064A"});
  const std::vector<Codes> verb_pronouns =
      codes({U"\u0647", U"\u0647\u0627", U"\u0647\u0645", U"\u0647\u0645\u0627", U"\u0647\u0646", U"\u0643\u0645",
             U"\u0643\u0645\u0627", U"\u0643\u0646", U"\u0646\u0627", U"\u0646\u064A", U"\u0643"});
  // Endings any noun takes (tanween alef, dual, feminine plural) and those of adjectives only.
  const std::vector<Codes> noun_endings =
      codes({U"", U"\u0627", U"\u0627\u0646", U"\u064A\u0646", U"\u0627\u062A", U"\u062A\u0627\u0646", U"\u062A\u064A\u0646"});
  const std::vector<Codes> adjective_endings =
      codes({U"\u0647", U"\u0648\u0646", U"\u064A\u0646", U"\u0627\u062A", U"\u062A\u0627\u0646", U"\u062A\u064A\u0646",
             U"\u064A\u0647", U"\u064A\u0627\u062A", U"\u064A\u064A\u0646", U"\u064A\u0648\u0646"});
  const std::vector<Codes> feminine_endings = codes({U"\u0627\u062A", U"\u062A\u0627\u0646", U"\u062A\u064A\u0646"});
  // Person endings of past and present verbs (و: وا before a pronoun).
  const std::vector<Codes> past_endings = codes({U"", U"\u062A", U"\u062A\u0645", U"\u062A\u0645\u0627", U"\u0646\u0627",
                                                 U"\u0648\u0627", U"\u0627", U"\u0648", U"\u062A\u0648"});
  const std::vector<Codes> present_endings =
      codes({U"", U"\u0648\u0646", U"\u0627\u0646", U"\u064A\u0646", U"\u0648\u0627", U"\u0627", U"\u0648", U"\u064A", U"\u0646"});
  // Every noun ending once (the two lists above share some).
  const std::vector<Codes> all_noun_endings = merged({&noun_endings, &adjective_endings});
  // و and تو: وا and توا written before a pronoun.
  const Codes waw_before_pronoun = codes(U"\u0648"), tu_before_pronoun = codes(U"\u062A\u0648");
  // Endings that are Arabic morphology and nothing else, unlike ا ي ه ن ت و, which also end names.
  const std::vector<Codes> strong_endings =
      codes({U"\u0627\u062A", U"\u064A\u0647", U"\u064A\u0627\u062A", U"\u064A\u064A\u0646", U"\u064A\u0648\u0646",
             U"\u062A\u0627\u0646", U"\u062A\u064A\u0646", U"\u062A\u0645", U"\u0648\u0627"});

  static std::vector<Codes> merged(std::initializer_list<const std::vector<Codes>*> lists) {
    std::vector<Codes> out;
    for (const auto* list : lists)
      for (const auto& x : *list)
        if (!in(out, x)) out.push_back(x);
    return out;
  }

  static bool in(const std::vector<Codes>& list, std::string_view s) {
    for (const auto& x : list)
      if (x == s) return true;
    return false;
  }
};

const Affixes& affixes() {
  static const Affixes& a = *new Affixes();  // never destroyed: see builtin_words()
  return a;
}

// A noun stem with an ending and a pronoun: the stem as listed. ة is written
// ت before a pronoun and dropped before ات; ى is written ا before a pronoun.
bool noun_stem(const WordList& list, const Codes& stem, std::string_view ending, bool pronoun) {
  const Affixes& a = affixes();
  const bool any = Affixes::in(a.noun_endings, ending), adjective = Affixes::in(a.adjective_endings, ending);
  auto accepts = [&](const Codes& s) {
    if (s.size() < 2) return false;
    const std::uint8_t c = list.classes(s);
    return (any && (c & (kNoun | kAdjective))) || (adjective && (c & kAdjective));
  };
  if (accepts(stem)) return true;
  // A nisba adjective made from a listed noun (استثمار -> استثماري, -ية, -يون).
  if (stem.size() >= 4 && stem.back() == a.yeh) {
    const Codes base = stem.substr(0, stem.size() - 1);
    const std::uint8_t c = list.classes(base) | list.classes(base + a.heh);
    if (c & (kNoun | kAdjective)) return any || adjective;
  }
  // ة is dropped before ات, تان, تين.
  if (Affixes::in(a.feminine_endings, ending) && accepts(stem + a.heh)) return true;
  if (pronoun && ending.empty() && !stem.empty()) {
    if (stem.back() == a.teh && accepts(stem.substr(0, stem.size() - 1) + a.heh)) return true;
    if (stem.back() == a.alef && accepts(stem.substr(0, stem.size() - 1) + a.yeh)) return true;
  }
  return false;
}

// [ب ك ل] [ال] noun [ending] [pronoun]; a pronoun never follows the article.
bool analyzes_noun(const WordList& list, std::string_view x, bool conj) {
  const Affixes& a = affixes();
  for (char p : {'\0', a.ba, a.kaf, a.lam}) {
    if (p && (x.empty() || x[0] != p)) continue;
    std::string_view y = p ? x.substr(1) : x;
    std::string_view forms[2];
    std::size_t n = 0;
    forms[n++] = y;
    if (starts(y, a.article))
      forms[n++] = y.substr(2);
    else if (p == a.lam && !y.empty() && y[0] == a.lam)
      forms[n++] = y.substr(1);  // لل: ل + ال
    for (std::size_t f = 0; f < n; ++f) {
      const bool article = f == 1;
      // On names against ordinary words (docs/variants.md): ك before an
      // indefinite noun, and ف before a word without the article, mostly come
      // from transliterations (كوين, كارمن, فيليني), seldom from Arabic.
      if (!article && (p == a.kaf || (conj && !p))) continue;
      std::string_view z = forms[f];
      for (std::size_t pi = 0; pi <= (article ? 0 : a.noun_pronouns.size()); ++pi) {
        std::string_view pronoun = pi == 0 ? std::string_view() : std::string_view(a.noun_pronouns[pi - 1]);
        if (!ends(z, pronoun)) continue;
        std::string_view z2 = z.substr(0, z.size() - pronoun.size());
        {
          for (const auto& ending : a.all_noun_endings) {
            if (!ends(z2, ending)) continue;
            if (!pronoun.empty() && ending.size() == 1 && ending[0] == a.heh) continue;  // ة+pronoun is ته
            // ي and ني (my, me) after a preposition or after ا ان: mostly names' endings (بوثباي, كيلاني).
            if ((pronoun == a.my || pronoun == a.me) && (p || ending == a.alef_s || ending == a.an)) continue;
            Codes stem(z2.substr(0, z2.size() - ending.size()));
            const bool affixed = !ending.empty() || !pronoun.empty() || p || article;
            if (stem.size() < (affixed ? 3u : 2u)) continue;
            // A bare dual ين on a plain noun: mostly a name ending in -in.
            if (ending == a.dual && pronoun.empty() && !article && !(list.classes(stem) & kAdjective)) continue;
            if (noun_stem(list, stem, ending, !pronoun.empty())) return true;
          }
        }
      }
    }
  }
  return false;
}

// [ل س] verb [person ending] [pronoun]; س only before the present.
bool analyzes_verb(const WordList& list, std::string_view x, bool conj) {
  const Affixes& a = affixes();
  // ل before a verb, and ف before one, are far more often a transliteration's first letter.
  if (conj) return false;
  for (char p : {'\0', a.sin}) {
    if (p && (x.empty() || x[0] != p)) continue;
    std::string_view y = p ? x.substr(1) : x;
    for (std::size_t pi = 0; pi <= a.verb_pronouns.size(); ++pi) {
      std::string_view pronoun = pi == 0 ? std::string_view() : std::string_view(a.verb_pronouns[pi - 1]);
      if (!ends(y, pronoun)) continue;
      std::string_view z = y.substr(0, y.size() - pronoun.size());
      for (const auto* endings : {&a.past_endings, &a.present_endings}) {
        const bool past = endings == &a.past_endings;
        if (past && p == a.sin) continue;
        for (const auto& ending : *endings) {
          if (!ends(z, ending)) continue;
          // وا is written و before a pronoun.
          if (pronoun.empty() && (ending == a.waw_before_pronoun || ending == a.tu_before_pronoun)) continue;
          Codes stem(z.substr(0, z.size() - ending.size()));
          const bool affixed = !ending.empty() || !pronoun.empty() || p;
          if (stem.size() < (affixed ? 3u : 2u)) continue;
          const std::uint8_t want = past ? kPastVerb : kPresentVerb;
          if (list.classes(stem) & want) return true;
          // A final ى (folded ي) is written ا before an ending.
          if (affixed && stem.back() == a.alef && (list.classes(stem.substr(0, stem.size() - 1) + a.yeh) & want))
            return true;
        }
      }
    }
  }
  return false;
}

}  // namespace

int ending_strength(std::string_view ending) {
  // Every inflectional ending (a noun's or a verb's, ت for ة before a pronoun, ي و of a construct
  // plural) followed by every pronoun, each possibly empty; strong when either part is.
  static const auto& table = *new std::unordered_map<Codes, bool>([] {
    const Affixes& a = affixes();
    std::unordered_map<Codes, bool> t;
    const std::vector<Codes> extra = codes({U"\u062A", U"\u062A\u0627", U"\u064A", U"\u0648"});
    for (const auto& e : Affixes::merged({&a.noun_endings, &a.adjective_endings, &a.past_endings, &a.present_endings, &extra})) {
      const bool strong_ending = Affixes::in(a.strong_endings, e);
      for (std::size_t pi = 0; pi <= a.noun_pronouns.size(); ++pi) {
        const Codes pronoun = pi == 0 ? Codes() : a.noun_pronouns[pi - 1];
        bool& strong = t[e + pronoun];
        strong = strong || strong_ending || pronoun.size() >= 2;
      }
    }
    return t;
  }());
  auto it = table.find(Codes(ending));
  return it == table.end() ? 0 : it->second ? 2 : 1;
}

void WordList::add(Codes word, std::uint8_t classes) {
  auto it = map_.find(word);
  if (it != map_.end()) {
    it->second |= classes;
    return;
  }
  storage_.push_back(std::make_unique<Codes>(std::move(word)));
  map_.emplace(*storage_.back(), classes);
}

Codes to_codes(std::u32string_view letters) {
  Codes c;
  c.reserve(letters.size());
  for (char32_t l : letters) c += code(l);
  return c;
}

const WordList& builtin_words() {
  // Never destroyed: a thread still looking words up while the process exits
  // (a daemon thread at interpreter exit) must not find the list gone.
  static const WordList& list = *new WordList([] {
    WordList l;
    std::string word;  // UTF-8
    std::string prev;  // letter codes of the previous word
    const unsigned char* p = kLexiconData;
    const unsigned char* end = kLexiconData + sizeof(kLexiconData);
    while (p < end) {
      const std::size_t shared = p[0], rest = p[1];
      prev.resize(shared);
      prev.append(reinterpret_cast<const char*>(p + 2), rest);
      const std::uint8_t classes = p[2 + rest];
      p += 3 + rest;
      word.clear();
      for (char c : prev) append_utf8(word, 0x0620 + static_cast<unsigned char>(c));
      l.add(to_codes(fold_letters(word)), classes);
    }
    return l;
  }());
  return list;
}

bool analyzes(const WordList& list, std::string_view w) {
  const Affixes& a = affixes();
  std::string_view forms[2] = {w, {}};
  std::size_t n = 1;
  if (w.size() > 2 && (w[0] == a.waw || w[0] == a.fa)) forms[n++] = w.substr(1);
  for (std::size_t i = 0; i < n; ++i) {
    if (list.classes(forms[i]) & kParticle) return true;
    const bool fa = i == 1 && w[0] == a.fa;
    if (analyzes_noun(list, forms[i], fa) || analyzes_verb(list, forms[i], fa)) return true;
  }
  return false;
}

}  // namespace arnorm::detail

namespace arnorm {

Lexicon::Lexicon() = default;

Lexicon::Lexicon(const std::vector<std::string>& words, bool with_builtin) : builtin_(with_builtin) {
  auto own = std::make_shared<detail::WordList>();
  for (const auto& w : words) {
    detail::Codes c = detail::to_codes(detail::fold_letters(w));
    if (!c.empty()) own->add(std::move(c), detail::kAnyClass);
  }
  own_ = std::move(own);
}

Lexicon Lexicon::none() { return Lexicon({}, false); }

std::size_t Lexicon::size() const noexcept { return own_ ? own_->size() : 0; }

bool Lexicon::knows(std::string_view word) const {
  return LexiconAccess::knows(*this, detail::to_codes(detail::fold_letters(word)));
}

bool LexiconAccess::knows(const Lexicon& lexicon, std::string_view codes) {
  if (codes.empty()) return false;
  if (lexicon.own_ && detail::analyzes(*lexicon.own_, codes)) return true;
  return lexicon.builtin_ && detail::analyzes(detail::builtin_words(), codes);
}

}  // namespace arnorm
