// Ordinary Arabic words and the morphology that inflects them (internal).
//
// Words are handled as letter codes: one byte per folded Arabic letter,
// U+0620 + code, so that a word and all its affixes are plain byte strings.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace arnorm::detail {

using Codes = std::string;  // letter codes of a folded word

// Word classes (bits), as tools/make_lexicon.py writes them.
enum WordClass : std::uint8_t {
  kParticle = 1,   // listed with its clitics; takes no affix
  kNoun = 2,       // also verbal nouns
  kAdjective = 4,  // participles, nisba...: also take ة ون ين
  kPastVerb = 8,
  kPresentVerb = 16,  // with its person prefix ي ت ن
  kAnyClass = 31,
};

// A list of folded words with their classes.
class WordList {
 public:
  void add(Codes word, std::uint8_t classes);
  std::uint8_t classes(std::string_view word) const {
    auto it = map_.find(word);
    return it == map_.end() ? 0 : it->second;
  }
  std::size_t size() const noexcept { return map_.size(); }

 private:
  std::vector<std::unique_ptr<Codes>> storage_;  // stable addresses for the keys
  std::unordered_map<std::string_view, std::uint8_t> map_;
};

// The letter code of a folded Arabic letter.
constexpr char code(char32_t letter) { return static_cast<char>(letter - 0x0620); }

// The search-profile spelling of `utf8`, Arabic letters (U+0621-U+064A) only.
std::u32string fold_letters(std::string_view utf8);
// Letter codes of folded letters.
Codes to_codes(std::u32string_view letters);

// The built-in list (Ayaspell's words, folded), decoded on first use.
const WordList& builtin_words();

// Whether `ending` (letter codes) is an inflectional ending with an optional
// pronoun: 0 no; 1 weak (ا ي ه ن ت و ك, which also end transliterated names:
// ماريا/ماري); 2 strong (Arabic morphology and nothing else: ها, ات, تين, ية).
int ending_strength(std::string_view ending);

// Whether `word` (letter codes) is a word of `list` with proclitics (و ف, ب ك ل,
// ال, ل س before verbs) and suffixes (ة ات ان ين ون, verb endings, pronouns).
bool analyzes(const WordList& list, std::string_view word);

}  // namespace arnorm::detail

namespace arnorm {
class Lexicon;
struct LexiconAccess {
  // Whether the lexicon knows a folded word given as letter codes.
  static bool knows(const Lexicon& lexicon, std::string_view codes);
};
}  // namespace arnorm
