// Builds the per-Options lookup tables from the rules (rules.cpp): the
// entry of every code point, the hot loop's two-byte table, the SIMD tables,
// and the page compression of the BMP. Canonical compositions, combining
// classes, scripts and emoji properties come from the pinned Unicode data.
#include "tables.hpp"

#include "rules.hpp"
#include "unicode_data.hpp"
#include "utf8.hpp"

#include <algorithm>
#include <map>

namespace arnorm::detail {
namespace {

// The canonical pairs whose mark is a composing mark, sorted by (base, mark).
const std::vector<ComposePair>& composing_pairs() {
  static const auto& pairs = *[] {
    auto* out = new std::vector<ComposePair>();  // never destroyed (threads may outlive exit)
    for (const ucd::Composition& c : ucd::compositions())
      if (is_composing_mark(c.mark)) out->push_back({c.base, c.mark, c.composed});
    return out;
  }();
  return pairs;
}

void finish_entry(Entry& e, const Options& o);

Entry make_entry(char32_t cp, const Options& o, std::string& pool, std::map<std::string, std::uint16_t>& pool_index) {
  Entry e;
  e.ccc = ucd::combining_class(cp);
  if (!in_rule_ranges(cp)) {
    finish_entry(e, o);
    return e;
  }

  Mapping m = map_code_point(cp, o);
  if (ucd::in_arabic_block(cp) && ucd::category(cp) == ucd::Category::Lo) e.special |= kElongates;
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
  if ((cp == 0x200C && o.zwnj != JoinerPolicy::keep) || (cp == 0x200D && o.zwj != JoinerPolicy::keep))
    e.special |= kJoinerContext;
  if (cp == 0x0640 && o.tatweel && o.compose) e.special |= kSeat;
  if (cp >= 0x066A && cp <= 0x066C && o.digits && !o.punctuation) e.special |= kDigitContext;
  if (o.compose) {
    // A base: the letter itself, or what it outputs (ٱ becomes ا, which takes a madda).
    const auto& pairs = composing_pairs();
    char32_t last = m.text.empty() ? 0 : m.text.back();
    if (std::any_of(pairs.begin(), pairs.end(), [&](const ComposePair& p) { return p.base == last || p.base == cp; }))
      e.special |= kBase;
  }
  finish_entry(e, o);
  return e;
}

// Plain entries are kept bytes with no context; a kept base letter stays plain
// (the mark or removed character after it starts composition instead).
void finish_entry(Entry& e, const Options& o) {
  if (o.compose && (e.ccc != 0 || e.action == kDelete)) e.special |= kBreaksBase;
  bool context = e.special & (kJoinerContext | kSpaceEdge | kBreaksBase | kDigitContext);
  bool base_kept_plain = (e.special & kBase) && e.action == kKeep;
  e.slow = e.action != kKeep || context || ((e.special & kBase) && !base_kept_plain);
}

// The hot-loop entry of one character (ASCII or two-byte) consumed whole.
std::uint32_t fast_entry(const Tables& t, char32_t cp, std::uint32_t advance) {
  const Entry& e = t.low[cp];
  std::string out;
  if (e.action == kKeep)
    append_utf8(out, cp);
  else if (e.action == kReplace)
    out = std::string(t.replacement(e));
  bool context = e.special & (kJoinerContext | kSpaceEdge | kDigitContext);
  bool kept_slow = e.action == kKeep && e.slow && !(e.special & kBreaksBase);
  if (out.size() > advance || context || kept_slow) return kFastSlow;
  std::uint32_t f = 0;
  for (std::size_t i = 0; i < out.size(); ++i)
    f |= static_cast<std::uint32_t>(static_cast<unsigned char>(out[i])) << (8 * i);
  f |= static_cast<std::uint32_t>(out.size()) << kFastLenShift | advance << kFastAdvanceShift;
  // A tatweel seat is removed on the hot loop; a mark after it stops the
  // loop, and the general path decides (seat()).
  if (e.special & kBase) f |= kFastBase;
  if (e.special & kSeat) f |= kFastSeat;
  if (e.special & kBreaksBase) f |= kFastBreaksBase;
  if ((e.special & kBreaksBase) && e.ccc != 0) f |= kFastMark;
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
// matters to the SIMD path where it changes the output: under the search
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
  // A tatweel seat (kSeat): the vector paths remove it inline only when every
  // mark of the block would be removed too, and then treat it as a base that
  // no composition crosses (a starter), with a hamza above after it stopping
  // the block; when some mark is kept, the tatweel itself stops the block.
  const bool seat = t.low[0x0640].special & kSeat;
  bool marks_removed = true;
  for (char32_t c = 0x0600; c <= 0x06FF; ++c) {
    const Entry& e = t.low[c];
    if (e.ccc != 0 && e.action != kDelete) marks_removed = false;
  }
  if (seat) mark_matters[0x54] = true;
  for (std::uint32_t i = 0; i < 256; ++i) {
    std::uint32_t lead = 0xD8 | (i >> 6), trail = 0x80 | (i & 0x3F);
    std::uint32_t f = t.fast_pairs[lead | trail << 8];
    std::uint32_t len = f >> kFastLenShift & 3u;
    bool composing = t.options.compose && is_composing_mark(0x0600 + i) && mark_matters[i];
    // The SIMD path stops before these, so their output bytes are never written.
    t.simd.lead[i] = (f & kFastSlow) || composing ? kSimdStop : len >= 1 ? static_cast<std::uint8_t>(f) : kSimdRemoved;
    t.simd.trail[i] = len == 2 ? static_cast<std::uint8_t>(f >> 8) : kSimdRemoved;
    const bool is_seat = seat && i == 0x40;
    if (is_seat && !marks_removed) t.simd.lead[i] = kSimdStop, f |= kFastSlow;
    bool base = ((f & kFastBase) && base_matters[i]) || is_seat;
    const bool breaks = (f & kFastBreaksBase) && !is_seat;
    t.simd.flags[i] =
        static_cast<std::uint8_t>(((f & kFastSlow) ? kSimdSlow : 0) | (base ? kSimdBase : 0) |
                                  (breaks ? kSimdBreaksBase : 0) | (composing ? kSimdComposing : 0));
  }
  // The AVX2 form: one code per character (kSimdCode*), as XOR rows (SimdTables::code_rows).
  std::uint8_t* const code = t.simd.code;
  for (std::uint32_t i = 0; i < 256; ++i) {
    const std::uint8_t lead = t.simd.lead[i], trail = t.simd.trail[i];
    const std::uint8_t in_lead = static_cast<std::uint8_t>(0xD8 | i >> 6);
    const std::uint8_t in_trail = static_cast<std::uint8_t>(0x80 | (i & 0x3F));
    if (lead == kSimdStop)
      code[i] = kSimdCodeStop;
    else if (lead == kSimdRemoved && trail == kSimdRemoved)
      code[i] = kSimdCodeRemoved;
    else if (lead == in_lead && trail == in_trail)
      code[i] = i < 128 ? static_cast<std::uint8_t>(i) : kSimdCodeKept;
    else if ((lead == 0xD8 || lead == 0xD9) && (trail & 0xC0) == 0x80)
      code[i] = static_cast<std::uint8_t>((lead & 1) << 6 | (trail & 0x3F));
    else if (lead < 0x40 && trail == kSimdRemoved)
      code[i] = static_cast<std::uint8_t>(0x80 | lead);
    else
      code[i] = kSimdCodeStop;  // another output (U+0680-U+06FF, ASCII from '@' on): the scalar loop writes it
  }
  for (int lead = 0; lead < 4; ++lead)
    for (int h = 0; h < 4; ++h)
      for (int j = 0; j < 32; ++j) {
        const int at = lead * 64 + h * 16 + j % 16;
        t.simd.code_rows[lead][h][j] = static_cast<std::uint8_t>(code[at] ^ (h ? code[at - 16] : 0));
      }
  for (std::uint32_t i = 0; i < 128; ++i) {
    std::uint32_t lead = 0xC2 | (i >> 6), trail = 0x80 | (i & 0x3F);
    std::uint32_t f = t.fast_pairs[lead | trail << 8];
    bool unchanged = !(f & (kFastSlow | kFastBase | kFastBreaksBase)) && (f >> kFastLenShift & 3u) == 2 &&
                     (f & 0xFFFFu) == (lead | trail << 8);
    t.simd.latin1_kept[i] = unchanged ? kSimdLatin1Kept : 0;
    if (unchanged) t.simd.latin1_bits[i >> 3] |= static_cast<std::uint8_t>(1u << (i & 7));
  }
  for (char32_t i = 0; i < 64; ++i) {
    const Entry& e = t.lookup(0x2000 + i);
    t.simd.punct_kept[i] = e.plain() && e.special == 0 && e.ccc == 0 ? 0xFF : 0;
    if (t.simd.punct_kept[i]) t.simd.punct_bits[i >> 3] |= static_cast<std::uint8_t>(1u << (i & 7));
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
  if (!is_composing_mark(mark)) return 0;
  for (const auto& p : *pairs)
    if (p.base == base && p.mark == mark) return p.composed;
  return 0;
}

bool is_pictographic(char32_t cp) { return ucd::is_extended_pictographic(cp); }

bool is_other_script(char32_t cp) { return ucd::script_class(cp) == ucd::ScriptClass::other; }

bool is_inherited_script(char32_t cp) { return ucd::script_class(cp) == ucd::ScriptClass::inherited; }

bool ends_emoji(char32_t cp) {
  return cp == 0xFE0F || ucd::is_extended_pictographic(cp) || ucd::is_emoji_modifier(cp);
}

std::string unicode_version() { return ucd::unicode_version(); }

std::shared_ptr<const Tables> compile(const Options& o) {
  auto t = std::make_shared<Tables>();
  t->options = o;
  t->pairs = &composing_pairs();
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
  const auto runs = ucd::combining_class_runs();
  for (const ucd::Run* r = runs.begin(); r != runs.end(); ++r) {
    const char32_t end = r + 1 != runs.end() ? r[1].first : 0x110000;
    for (char32_t cp = std::max<char32_t>(r->first, 0x10000); r->value && cp < end; ++cp) {
      astral[cp].ccc = r->value;
      finish_entry(astral[cp], o);
    }
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
