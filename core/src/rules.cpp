// The rules: which characters each documented rule covers and what they
// become under Options (DESIGN.md is their prose form). Every Unicode fact
// (compatibility mappings, digit values, which characters are marks, spaces
// or invisible controls) comes from the pinned Unicode data (unicode_data.hpp);
// the lists only name characters.
#include "rules.hpp"

#include "unicode_data.hpp"

#include <algorithm>
#include <iterator>

namespace arnorm::detail {
namespace {

struct CodeFold {
  char32_t from, to;
};

// Rule lists. Each character appears in exactly one list.
constexpr char32_t kAlefHamzaForms[] = {0x0622, 0x0623, 0x0625};          // آ أ إ
constexpr char32_t kAlefOtherForms[] = {0x0671, 0x0672, 0x0673, 0x0675};  // ٱ ٲ ٳ ٵ
constexpr char32_t kAlef = 0x0627, kHamza = 0x0621, kWaw = 0x0648, kYeh = 0x064A;
constexpr char32_t kWawHamza = 0x0624, kYehHamza = 0x0626;
constexpr char32_t kAlefMaksura = 0x0649, kTehMarbuta = 0x0629, kHeh = 0x0647;
constexpr char32_t kTatweel = 0x0640, kZwnj = 0x200C, kZwj = 0x200D;
constexpr CodeFold kPersianFolds[] = {
    {0x06A9, 0x0643},  // ک keheh -> ك
    {0x06CC, 0x064A},  // ی farsi yeh -> ي
    {0x06D2, 0x064A},  // ے yeh barree -> ي
    {0x06D3, 0x0626},  // ۓ yeh barree with hamza -> ئ
    {0x06C1, 0x0647},  // ہ heh goal -> ه
    {0x06C2, 0x0647},  // ۂ heh goal with hamza -> ه
    {0x06D5, 0x0647},  // ە ae -> ه
    {0x06C0, 0x0647},  // ۀ heh with yeh above (ezafe) -> ه
    {0x06C3, 0x0629},  // ۃ teh marbuta goal -> ة
    {0x06BE, 0x0647},  // ھ heh doachashmee (Urdu, Persian web text) -> ه
};
constexpr CodeFold kLoanwordFolds[] = {
    {0x067E, 0x0628},  // پ -> ب
    {0x0686, 0x062C},  // چ -> ج
    {0x0698, 0x0632},  // ژ -> ز
    {0x06A4, 0x0641},  // ڤ -> ف
    {0x06A5, 0x0641},  // ڥ (Maghrebi veh) -> ف
    {0x06AF, 0x0643},  // گ -> ك
    {0x06A8, 0x0642},  // ڨ (Maghrebi g) -> ق
    {0x06AD, 0x0643},  // ڭ ng -> ك
    {0x0763, 0x0643},  // ݣ -> ك
};
constexpr CodeFold kPunctuationFolds[] = {
    {0x060C, ','}, {0x061B, ';'}, {0x061F, '?'}, {0x066A, '%'}, {0x066B, '.'}, {0x066C, ','}, {0x06D4, '.'},
};
// Arabic-script marks (composing hamza and madda) whose pairs are composed.
constexpr char32_t kComposingMarks[] = {0x0653, 0x0654, 0x0655};

template <std::size_t N>
bool listed(const char32_t (&list)[N], char32_t cp) {
  return std::find(std::begin(list), std::end(list), cp) != std::end(list);
}
template <std::size_t N>
char32_t folded(const CodeFold (&list)[N], char32_t cp) {
  for (const auto& f : list)
    if (f.from == cp) return f.to;
  return 0;
}

bool is_presentation_form(char32_t cp) { return (cp >= 0xFB50 && cp <= 0xFDFF) || (cp >= 0xFE70 && cp <= 0xFEFF); }

// The diacritic class of an Arabic-script mark, or 0 when cp is not one.
std::uint32_t diacritic_class(char32_t cp) {
  if (cp >= 0x064B && cp <= 0x0650) return kHarakat;
  if (cp == 0x0651) return kShadda;
  if (cp == 0x0652) return kSukun;
  if (cp == 0x0670) return kDaggerAlef;
  bool quranic_range = (cp >= 0x0610 && cp <= 0x061A) || (cp >= 0x06D6 && cp <= 0x06ED);
  // Small waw and small yeh (Lm) serve as vowel signs in Quranic orthography.
  if (quranic_range && (ucd::is_mark(cp) || cp == 0x06E5 || cp == 0x06E6)) return kQuranicMarks;
  if (ucd::in_arabic_block(cp) && ucd::is_mark(cp)) return kOtherMarks;
  return 0;
}

Rule diacritic_rule(std::uint32_t cls) {
  switch (cls) {
    case kHarakat:
      return Rule::harakat;
    case kShadda:
      return Rule::shadda;
    case kSukun:
      return Rule::sukun;
    case kDaggerAlef:
      return Rule::dagger_alef;
    case kQuranicMarks:
      return Rule::quranic_marks;
    default:
      return Rule::other_marks;
  }
}

// Invisible format controls: default-ignorable Cf characters of the BMP,
// except the joiners (their own policy) and the emoji tag characters.
bool is_invisible_control(char32_t cp) {
  if (cp == kZwnj || cp == kZwj || cp >= 0x10000) return false;
  return ucd::category(cp) == ucd::Category::Cf && ucd::is_default_ignorable(cp);
}

// One code point under the letter, mark, digit and control rules.
Mapping map_basic(char32_t cp, const Options& o) {
  Mapping m;
  char32_t c = cp;
  auto change = [&](Rule r) {
    if (!m.changed) m.rule = r;
    m.changed = true;
  };
  if (o.persian_letters)
    if (char32_t to = folded(kPersianFolds, c)) c = to, change(Rule::persian_letter);
  if (o.loanword_letters)
    if (char32_t to = folded(kLoanwordFolds, c)) c = to, change(Rule::loanword_letter);

  const ucd::Category gc = ucd::category(c);
  if ((o.alef == AlefPolicy::hamza_forms || o.alef == AlefPolicy::all) && listed(kAlefHamzaForms, c)) {
    c = kAlef, change(Rule::alef);
  } else if (o.alef == AlefPolicy::all && listed(kAlefOtherForms, c)) {
    c = kAlef, change(Rule::alef);
  } else if ((c == kWawHamza || c == kYehHamza) && o.hamza != HamzaPolicy::keep) {
    c = o.hamza == HamzaPolicy::to_hamza ? kHamza : (c == kWawHamza ? kWaw : kYeh);
    change(Rule::hamza);
  } else if (c == kAlefMaksura && o.alef_maksura) {
    c = kYeh, change(Rule::alef_maksura);
  } else if (c == kTehMarbuta && o.teh_marbuta) {
    c = kHeh, change(Rule::teh_marbuta);
  } else if (c == kTatweel && o.tatweel) {
    change(Rule::tatweel);
    return m;  // deleted
  } else if (std::uint32_t cls = diacritic_class(c); cls && (o.diacritics & cls)) {
    change(diacritic_rule(cls));
    return m;
  } else if (o.digits && ucd::in_arabic_block(c) && gc == ucd::Category::Nd) {
    c = U'0' + static_cast<char32_t>(ucd::digit_value(c)), change(Rule::digit);
  } else if (o.punctuation && folded(kPunctuationFolds, c)) {
    c = folded(kPunctuationFolds, c), change(Rule::punctuation);
  } else if (o.controls && is_invisible_control(c)) {
    change(Rule::control);
    return m;
  } else if (c == kZwnj && o.zwnj != JoinerPolicy::keep) {
    change(Rule::zwnj);
    if (o.zwnj == JoinerPolicy::to_space) m.text = U" ";
    return m;
  } else if (c == kZwj && o.zwj != JoinerPolicy::keep) {
    change(Rule::zwj);
    return m;  // deleted unless the context keeps it (Special::kJoinerContext)
  } else if (o.spaces && gc == ucd::Category::Zs && c != U' ') {
    c = U' ', change(Rule::space);
  }
  m.text = std::u32string(1, m.changed ? c : cp);
  return m;
}

}  // namespace

bool is_composing_mark(char32_t cp) { return listed(kComposingMarks, cp); }

Mapping map_code_point(char32_t cp, const Options& o) {
  if (o.presentation_forms && is_presentation_form(cp)) {
    std::u32string compat = ucd::presentation_form_nfkc(cp);
    if (compat != std::u32string(1, cp)) {
      Mapping m;
      m.rule = Rule::presentation_form;
      m.changed = true;
      for (char32_t c : compat) m.text += map_basic(c, o).text;
      // Isolated spacing forms of marks (space + mark): when the mark is
      // removed, the form goes with it instead of leaving a stray space.
      bool spacing_mark =
          compat.size() > 1 && compat[0] == U' ' &&
          std::all_of(compat.begin() + 1, compat.end(), [&](char32_t c) { return map_basic(c, o).text.empty(); });
      if (spacing_mark) m.text.clear();
      return m;
    }
  }
  return map_basic(cp, o);
}

}  // namespace arnorm::detail
