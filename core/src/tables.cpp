// Builds the per-Options lookup tables. Every Unicode fact (compatibility
// mappings, combining classes, digit values, which characters are marks,
// spaces or invisible controls, canonical compositions) comes from ICU; the
// code point lists below only name which characters each documented rule
// covers (DESIGN.md is their prose form).
#include "tables.hpp"
#include "utf8.hpp"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/uniset.h>
#include <unicode/unistr.h>
#include <unicode/uscript.h>

#include <algorithm>
#include <map>

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

bool in_arabic_block(char32_t cp) {
  switch (ublock_getCode(static_cast<UChar32>(cp))) {
    case UBLOCK_ARABIC:
    case UBLOCK_ARABIC_SUPPLEMENT:
    case UBLOCK_ARABIC_EXTENDED_A:
    case UBLOCK_ARABIC_EXTENDED_B:
    case UBLOCK_ARABIC_EXTENDED_C:
    case UBLOCK_ARABIC_PRESENTATION_FORMS_A:
    case UBLOCK_ARABIC_PRESENTATION_FORMS_B:
      return true;
    default:
      return false;
  }
}

bool is_presentation_form(char32_t cp) { return (cp >= 0xFB50 && cp <= 0xFDFF) || (cp >= 0xFE70 && cp <= 0xFEFF); }

bool is_mark(char32_t cp) {
  auto gc = u_charType(static_cast<UChar32>(cp));
  return gc == U_NON_SPACING_MARK || gc == U_ENCLOSING_MARK || gc == U_COMBINING_SPACING_MARK;
}

// The diacritic class of an Arabic-script mark, or 0 when cp is not one.
std::uint32_t diacritic_class(char32_t cp) {
  if (cp >= 0x064B && cp <= 0x0650) return kHarakat;
  if (cp == 0x0651) return kShadda;
  if (cp == 0x0652) return kSukun;
  if (cp == 0x0670) return kDaggerAlef;
  bool quranic_range = (cp >= 0x0610 && cp <= 0x061A) || (cp >= 0x06D6 && cp <= 0x06ED);
  // Small waw and small yeh (Lm) serve as vowel signs in Quranic orthography.
  if (quranic_range && (is_mark(cp) || cp == 0x06E5 || cp == 0x06E6)) return kQuranicMarks;
  if (in_arabic_block(cp) && is_mark(cp)) return kOtherMarks;
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
  return u_charType(static_cast<UChar32>(cp)) == U_FORMAT_CHAR &&
         u_hasBinaryProperty(static_cast<UChar32>(cp), UCHAR_DEFAULT_IGNORABLE_CODE_POINT);
}

std::u32string to_u32(const icu::UnicodeString& s) {
  std::u32string out;
  for (int32_t i = 0; i < s.length();) {
    UChar32 c = s.char32At(i);
    out.push_back(static_cast<char32_t>(c));
    i += U16_LENGTH(c);
  }
  return out;
}

std::u32string nfkc(char32_t cp) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* n = icu::Normalizer2::getNFKCInstance(status);
  icu::UnicodeString s(static_cast<UChar32>(cp));
  return U_SUCCESS(status) ? to_u32(n->normalize(s, status)) : std::u32string(1, cp);
}

struct Mapping {
  std::u32string text;
  Rule rule = Rule::compose;
  bool changed = false;
};

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

  auto gc = u_charType(static_cast<UChar32>(c));
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
  } else if (o.digits && in_arabic_block(c) && gc == U_DECIMAL_DIGIT_NUMBER) {
    c = U'0' + static_cast<char32_t>(u_charDigitValue(static_cast<UChar32>(c))), change(Rule::digit);
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
    return m;  // deleted unless the emoji context keeps it (Special::kZwjContext)
  } else if (o.spaces && gc == U_SPACE_SEPARATOR && c != U' ') {
    c = U' ', change(Rule::space);
  }
  m.text = std::u32string(1, m.changed ? c : cp);
  return m;
}

Mapping map_code_point(char32_t cp, const Options& o) {
  if (o.presentation_forms && is_presentation_form(cp)) {
    std::u32string compat = nfkc(cp);
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

using Ranges = std::vector<std::pair<char32_t, char32_t>>;

Ranges ranges_of(UProperty property) {
  Ranges out;
  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeSet set;
  set.applyIntPropertyValue(property, 1, status);
  for (int32_t i = 0; U_SUCCESS(status) && i < set.getRangeCount(); ++i)
    out.emplace_back(static_cast<char32_t>(set.getRangeStart(i)), static_cast<char32_t>(set.getRangeEnd(i)));
  return out;
}

bool in_ranges(const Ranges& ranges, char32_t cp) {
  auto it = std::upper_bound(ranges.begin(), ranges.end(), cp, [](char32_t c, const auto& r) { return c < r.first; });
  return it != ranges.begin() && cp <= std::prev(it)->second;
}

// Facts that do not depend on Options, computed once per process.
struct UnicodeFacts {
  std::vector<ComposePair> pairs;
  Ranges pictographic, modifiers;
  std::vector<std::pair<char32_t, std::uint8_t>> astral_ccc;

  UnicodeFacts() {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
    for (char32_t cp = 0; cp < 0x110000; ++cp) {
      if (cp >= 0xD800 && cp < 0xE000) continue;
      if (cp >= 0x10000) {
        auto ccc = u_getCombiningClass(static_cast<UChar32>(cp));
        if (ccc) astral_ccc.emplace_back(cp, ccc);
      }
      icu::UnicodeString raw;
      if (!nfc->getRawDecomposition(static_cast<UChar32>(cp), raw) || raw.countChar32() != 2) continue;
      auto parts = to_u32(raw);
      if (!listed(kComposingMarks, parts[1])) continue;
      if (nfc->composePair(static_cast<UChar32>(parts[0]), static_cast<UChar32>(parts[1])) == static_cast<UChar32>(cp))
        pairs.push_back({parts[0], parts[1], cp});
    }
    std::sort(pairs.begin(), pairs.end(), [](const ComposePair& a, const ComposePair& b) {
      return a.base != b.base ? a.base < b.base : a.mark < b.mark;
    });
    pictographic = ranges_of(UCHAR_EXTENDED_PICTOGRAPHIC);
    modifiers = ranges_of(UCHAR_EMOJI_MODIFIER);
  }
};

const UnicodeFacts& facts() {
  static const UnicodeFacts& f = *new UnicodeFacts();  // never destroyed (threads may outlive exit)
  return f;
}

// Only these ranges hold characters that some rule can change; everything
// else keeps its bytes (the every-scalar-value test checks this claim).
constexpr std::pair<char32_t, char32_t> kRuleRanges[] = {
    {0x0020, 0x0020}, {0x00A0, 0x00AD}, {0x0600, 0x08FF}, {0x1680, 0x1680}, {0x180E, 0x180E},
    {0x2000, 0x206F}, {0x3000, 0x3000}, {0xFB50, 0xFDFF}, {0xFE70, 0xFEFF}, {0x10EC0, 0x10EFF},
};

void finish_entry(Entry& e, const Options& o);

Entry make_entry(char32_t cp, const Options& o, std::string& pool, std::map<std::string, std::uint16_t>& pool_index) {
  Entry e;
  e.ccc = static_cast<std::uint8_t>(u_getCombiningClass(static_cast<UChar32>(cp)));
  bool ruled = std::any_of(std::begin(kRuleRanges), std::end(kRuleRanges),
                           [&](const auto& r) { return cp >= r.first && cp <= r.second; });
  if (!ruled) {
    finish_entry(e, o);
    return e;
  }

  Mapping m = map_code_point(cp, o);
  if (in_arabic_block(cp) && u_charType(static_cast<UChar32>(cp)) == U_OTHER_LETTER) e.special |= kArabicLetter;
  if (m.changed) {
    e.rule = m.rule;
    std::string bytes;
    for (char32_t c : m.text) append_utf8(bytes, c);
    if (bytes.empty()) {
      e.action = kDelete;
    } else {
      e.action = kReplace;
      auto it = pool_index.find(bytes);
      if (it == pool_index.end()) {
        it = pool_index.emplace(bytes, static_cast<std::uint16_t>(pool.size())).first;
        pool += bytes;
      }
      e.pool = it->second;
      e.len = static_cast<std::uint8_t>(bytes.size());
    }
    if (o.collapse_spaces && !m.text.empty() && m.text[0] == U' ') e.special |= kSpaceEdge;
  } else if (cp == U' ' && o.collapse_spaces) {
    e.special |= kSpaceEdge;
  }
  if (cp == kZwj && o.zwj == JoinerPolicy::keep_in_emoji) e.special |= kZwjContext;
  if (o.compose) {
    // A base: the letter itself, or what it outputs (ٱ becomes ا, which takes a madda).
    const auto& pairs = facts().pairs;
    char32_t last = m.text.empty() ? 0 : m.text.back();
    if (std::any_of(pairs.begin(), pairs.end(), [&](const ComposePair& p) { return p.base == last || p.base == cp; }))
      e.special |= kComposeBase;
  }
  finish_entry(e, o);
  return e;
}

// Plain entries are kept bytes with no context; a kept base letter stays plain
// (the mark or removed character after it starts composition instead).
void finish_entry(Entry& e, const Options& o) {
  if (o.compose && (e.ccc != 0 || e.action == kDelete)) e.special |= kBreaksBase;
  bool context = e.special & (kZwjContext | kSpaceEdge | kBreaksBase);
  bool base_kept_plain = (e.special & kComposeBase) && e.action == kKeep;
  e.slow = e.action != kKeep || context || ((e.special & kComposeBase) && !base_kept_plain);
}

// The hot-loop entry of one character (ASCII or two-byte) consumed whole.
std::uint32_t fast_entry(const Tables& t, char32_t cp, std::uint32_t advance) {
  const Entry& e = t.low[cp];
  std::string out;
  if (e.action == kKeep)
    append_utf8(out, cp);
  else if (e.action == kReplace)
    out = std::string(t.replacement(e));
  bool context = e.special & (kZwjContext | kSpaceEdge);
  bool kept_slow = e.action == kKeep && e.slow && !(e.special & kBreaksBase);
  if (out.size() > advance || context || kept_slow) return kFastSlow;
  std::uint32_t f = 0;
  for (std::size_t i = 0; i < out.size(); ++i)
    f |= static_cast<std::uint32_t>(static_cast<unsigned char>(out[i])) << (8 * i);
  f |= static_cast<std::uint32_t>(out.size()) << kFastLenShift | advance << kFastAdvanceShift;
  if (e.special & kComposeBase) f |= kFastBase;
  if (e.special & kBreaksBase) f |= kFastBreaksBase;
  return f;
}

void build_fast_pairs(Tables& t) {
  t.fast_pairs.assign(0x10000, kFastSlow);
  for (std::uint32_t first = 0; first < 0x100; ++first) {
    for (std::uint32_t second = 0; second < 0x100; ++second) {
      std::uint32_t& f = t.fast_pairs[first | second << 8];
      if (first < 0x80 && second < 0x80) {
        // Two ASCII characters: both must be plain (one step writes both).
        std::uint32_t a = fast_entry(t, first, 1), b = fast_entry(t, second, 1);
        if ((a | b) & kFastSlow || (a >> kFastLenShift & 3u) != 1 || (b >> kFastLenShift & 3u) != 1) continue;
        f = (first | second << 8) | 2u << kFastLenShift | 2u << kFastAdvanceShift;
      } else if (first < 0x80) {
        f = fast_entry(t, first, 1);
      } else if (first >= 0xC2 && first < 0xE0 && (second & 0xC0) == 0x80) {
        f = fast_entry(t, (first & 0x1F) << 6 | (second & 0x3F), 2);
      }
    }
  }
}

// The hot-loop output of one U+0600-U+06FF character; false when it needs the general path.
bool fast_output(const Tables& t, char32_t cp, std::string& out) {
  std::uint32_t f = t.fast_pairs[(0xC0 | (cp >> 6)) | (0x80 | (cp & 0x3F)) << 8];
  if (f & kFastSlow) return false;
  out.assign({static_cast<char>(f), static_cast<char>(f >> 8)}, 0, f >> kFastLenShift & 3u);
  return true;
}

// The SIMD tables repeat fast_pairs for U+0600-U+06FF. Composition only
// matters to the vector path where it changes the output: under the search
// profile ا + ٓ gives آ, which folds back to ا while the mark is removed
// anyway, so neither that base nor that mark needs to stop a block. Like the
// engine, a letter composes as itself (ە + ٔ) or as what it folds to (ی
// folds to ي, which takes ٔ); each way must leave the output unchanged.
void build_simd_tables(Tables& t) {
  bool base_matters[256] = {}, mark_matters[256] = {};
  for (char32_t c = 0x0600; c <= 0x06FF; ++c) {
    std::string out;
    if (!fast_output(t, c, out) || out.size() != 2) {  // not a two-byte letter out: keep every stop
      for (const ComposePair& pair : *t.pairs)
        if (pair.base == c && pair.mark >= 0x0600 && pair.mark <= 0x06FF)
          base_matters[c - 0x0600] = mark_matters[pair.mark - 0x0600] = true;
      continue;
    }
    const auto* bytes = reinterpret_cast<const unsigned char*>(out.data());
    const char32_t folded = decode_utf8(bytes, bytes + out.size()).cp;
    for (const ComposePair& pair : *t.pairs) {
      if ((pair.base != c && pair.base != folded) || pair.mark < 0x0600 || pair.mark > 0x06FF) continue;
      // Composing replaces the letter's output (as itself) or the folded letter (the same two bytes here).
      std::string mark, composed;
      bool same = fast_output(t, pair.mark, mark) && mark.empty() && pair.composed >= 0x0600 &&
                  pair.composed <= 0x06FF && fast_output(t, pair.composed, composed) && composed == out;
      if (!same) base_matters[c - 0x0600] = mark_matters[pair.mark - 0x0600] = true;
    }
  }
  for (std::uint32_t i = 0; i < 256; ++i) {
    std::uint32_t lead = 0xD8 | (i >> 6), trail = 0x80 | (i & 0x3F);
    std::uint32_t f = t.fast_pairs[lead | trail << 8];
    std::uint32_t len = f >> kFastLenShift & 3u;
    bool composing = t.options.compose && listed(kComposingMarks, 0x0600 + i) && mark_matters[i];
    // The vector path stops before these, so their output bytes are never written.
    t.simd.lead[i] = (f & kFastSlow) || composing ? kSimdStop : len >= 1 ? static_cast<std::uint8_t>(f) : kSimdRemoved;
    t.simd.trail[i] = len == 2 ? static_cast<std::uint8_t>(f >> 8) : kSimdRemoved;
    bool base = (f & kFastBase) && base_matters[i];
    t.simd.flags[i] =
        static_cast<std::uint8_t>(((f & kFastSlow) ? kSimdSlow : 0) | (base ? kSimdBase : 0) |
                                  ((f & kFastBreaksBase) ? kSimdBreaksBase : 0) | (composing ? kSimdComposing : 0));
  }
  // The AVX2 form of the lead and trail tables (SimdTables::lead_rows).
  for (int half = 0; half < 2; ++half)
    for (int h = 0; h < 8; ++h)
      for (int j = 0; j < 32; ++j) {
        const int at = half * 128 + h * 16 + j % 16, below = at - 16;
        t.simd.lead_rows[half][h][j] = static_cast<std::uint8_t>(t.simd.lead[at] ^ (h ? t.simd.lead[below] : 0));
        t.simd.trail_rows[half][h][j] = static_cast<std::uint8_t>(t.simd.trail[at] ^ (h ? t.simd.trail[below] : 0));
      }
  for (std::uint32_t i = 0; i < 128; ++i) {
    std::uint32_t lead = 0xC2 | (i >> 6), trail = 0x80 | (i & 0x3F);
    std::uint32_t f = t.fast_pairs[lead | trail << 8];
    bool unchanged = !(f & (kFastSlow | kFastBase | kFastBreaksBase)) && (f >> kFastLenShift & 3u) == 2 &&
                     (f & 0xFFFFu) == (lead | trail << 8);
    t.simd.latin1_kept[i] = unchanged ? 0xFF : 0;
  }
  t.simd.usable = t.ascii_plain;
  for (char32_t i = 0; i < 64; ++i) {
    const Entry& e = t.lookup(0x2000 + i);
    t.simd.punct_kept[i] = e.plain() && e.special == 0 && e.ccc == 0 ? 0xFF : 0;
  }
  // Astral entries are listed when a rule touches them or they combine.
  t.simd.emoji_kept = std::none_of(t.astral.begin(), t.astral.end(),
                                   [](const auto& a) { return a.first >= 0x1F000 && a.first <= 0x1FFFF; });
}

}  // namespace

const Entry& Tables::lookup_astral(char32_t cp) const {
  static const Entry kPlain;
  auto it = std::lower_bound(astral.begin(), astral.end(), cp, [](const auto& a, char32_t c) { return a.first < c; });
  return it != astral.end() && it->first == cp ? it->second : kPlain;
}

char32_t Tables::compose(char32_t base, char32_t mark) const {
  if (mark < 0x0653 || mark > 0x0655) return 0;  // the only composing marks (kComposingMarks)
  for (const auto& p : *pairs)
    if (p.base == base && p.mark == mark) return p.composed;
  return 0;
}

bool is_pictographic(char32_t cp) { return in_ranges(facts().pictographic, cp); }

bool ends_emoji(char32_t cp) {
  return cp == 0xFE0F || in_ranges(facts().pictographic, cp) || in_ranges(facts().modifiers, cp);
}

std::string unicode_version() {
  UVersionInfo v;
  u_getUnicodeVersion(v);
  char text[U_MAX_VERSION_STRING_LENGTH];
  u_versionToString(v, text);
  return text;
}

std::shared_ptr<const Tables> compile(const Options& o) {
  auto t = std::make_shared<Tables>();
  t->options = o;
  t->pairs = &facts().pairs;
  std::map<std::string, std::uint16_t> pool_index;

  for (char32_t page = 0; page < 256; ++page) {
    std::vector<Entry> block(256);
    for (char32_t low = 0; low < 256; ++low) {
      char32_t cp = page << 8 | low;
      if (cp >= 0xD800 && cp < 0xE000) continue;  // surrogates never decode
      block[low] = make_entry(cp, o, t->pool, pool_index);
    }
    // Identical pages (most of the BMP) share one block.
    std::size_t index = 0, count = t->blocks.size() / 256;
    while (index < count && !std::equal(block.begin(), block.end(), t->blocks.begin() + index * 256)) ++index;
    if (index == count) t->blocks.insert(t->blocks.end(), block.begin(), block.end());
    t->page[page] = static_cast<std::uint16_t>(index);
  }
  // Astral code points: non-starters (for composition blocking) and ruled ranges.
  std::map<char32_t, Entry> astral;
  for (const auto& [cp, ccc] : facts().astral_ccc) {
    astral[cp].ccc = ccc;
    finish_entry(astral[cp], o);
  }
  for (const auto& r : kRuleRanges)
    for (char32_t cp = std::max<char32_t>(r.first, 0x10000); cp <= r.second; ++cp)
      astral[cp] = make_entry(cp, o, t->pool, pool_index);
  for (const auto& [cp, e] : astral)
    if (!e.plain() || e.ccc) t->astral.emplace_back(cp, e);

  for (char32_t cp = 0; cp < 0x800; ++cp) t->low[cp] = t->lookup(cp);
  build_fast_pairs(*t);
  const Entry& space = t->lookup(U' ');
  t->ascii_plain = space.plain();
  build_simd_tables(*t);
  return t;
}

}  // namespace arnorm::detail
