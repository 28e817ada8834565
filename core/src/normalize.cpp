// The one-pass engine. Each code point is looked up once in the compiled
// table; runs of unchanged text are copied in bulk; the rare characters that
// need context (composition, emoji ZWJ, collapsing spaces, elongation) take
// a slower path. Trackers (offsets, explain) are template parameters so the
// plain path pays nothing for them.
#include <algorithm>
#include <cstring>
#include <functional>
#include <iterator>
#include <mutex>
#include <stdexcept>
#include <unordered_map>

#include "arnorm/arnorm.hpp"
#include "simd.hpp"
#include "tables.hpp"
#include "utf8.hpp"

namespace arnorm {
namespace detail {
namespace {

constexpr char kReplacementChar[] = "\xEF\xBF\xBD";
// ARNORM_FAST_LOOP=OFF builds only the general path (to show what the hot loop buys).
#ifdef ARNORM_NO_FAST_LOOP
constexpr bool kFastLoopEnabled = false;
#else
constexpr bool kFastLoopEnabled = true;
#endif
// Output room beyond the input's length: the SIMD path stores whole 64-byte vectors.
constexpr std::size_t kSlack = 64;
// UAX #15 stream-safe limit: composition looks at most this many marks past its base.
constexpr int kMaxNonStarters = 30;

struct NoTracker {
  static constexpr bool kActive = false;
  void copy(std::size_t, std::size_t, std::size_t) {}
  void edit(std::size_t, std::size_t, std::size_t, std::size_t, Rule) {}
  void retract_last(std::size_t, std::size_t, std::size_t, std::size_t) {}
};

// Offsets: one source span per output code point.
struct OffsetTracker {
  static constexpr bool kActive = true;
  const unsigned char* src;
  const std::string& out;
  std::size_t out_base;
  std::vector<SourceSpan>& spans;
  std::size_t pending_begin = SIZE_MAX;  // a leading deletion waiting for the first output

  void add(std::size_t b, std::size_t e) {
    if (pending_begin != SIZE_MAX) b = pending_begin, pending_begin = SIZE_MAX;
    spans.push_back({b, e});
  }
  void copy(std::size_t src_begin, std::size_t len, std::size_t) {
    for (std::size_t i = src_begin, end = src_begin + len; i < end;) {
      std::size_t n = utf8_length(src[i]);
      add(i, i + n);
      i += n;
    }
  }
  void edit(std::size_t sb, std::size_t se, std::size_t ob, std::size_t oe, Rule) {
    if (ob == oe) {  // deletion: joins the previous output code point
      if (!spans.empty())
        spans.back().end = se;
      else if (pending_begin == SIZE_MAX)
        pending_begin = sb;
      return;
    }
    for (std::size_t i = ob; i < oe; ++i)
      if ((static_cast<unsigned char>(out[i]) & 0xC0) != 0x80) add(sb, se);
  }
  void retract_last(std::size_t, std::size_t, std::size_t, std::size_t) {
    SourceSpan last = spans.back();
    spans.pop_back();
    if (!spans.empty())
      spans.back().end = std::max(spans.back().end, last.end);
    else
      pending_begin = last.begin;
  }
};

struct ExplainTracker {
  static constexpr bool kActive = true;
  std::size_t out_base;
  std::vector<Edit>& edits;

  void copy(std::size_t, std::size_t, std::size_t) {}
  void edit(std::size_t sb, std::size_t se, std::size_t ob, std::size_t oe, Rule r) {
    edits.push_back({sb, se, ob - out_base, oe - out_base, r});
  }
  // The last output code point [out_pos, out_pos + len) is removed by elongation.
  void retract_last(std::size_t sb, std::size_t se, std::size_t out_pos, std::size_t len) {
    std::size_t pos = out_pos - out_base;
    // Deletions recorded after the letter stay after it, one letter earlier in the output.
    auto at = edits.end();
    while (at != edits.begin() && std::prev(at)->src_begin >= se) {
      --at;
      at->out_begin -= len;
      at->out_end -= len;
    }
    // The letter came from an edit (ٱ -> ا): that edit loses it; else it was copied.
    if (at != edits.begin() && std::prev(at)->src_end == se && std::prev(at)->out_end == pos + len) {
      Edit& e = *std::prev(at);
      e.out_end -= len;
      if (e.out_end == e.out_begin) e.rule = Rule::elongation;
      return;
    }
    edits.insert(at, {sb, se, pos, pos, Rule::elongation});
  }
};

// The hot loop. Each step reads two bytes and looks them up as one 16-bit
// index: an ASCII pair, an ASCII byte followed by anything, or a two-byte
// character. The entry holds the output bytes (a kept character rewrites
// itself), how many to write and how far to advance; anything else stops the
// loop for the general path. Locals only, so everything stays in registers.
// `met_upper`: the AVX-512 path has met a lead DA or DB in this text (the
// engine keeps it, since each stride pass that meets one late redoes a block).
template <SimdLevel kLevel>
const unsigned char* fast_loop(const unsigned char* p, const unsigned char* const end, char*& out,
                               const std::uint32_t* __restrict fast, const SimdTables* simd, bool& after_base,
                               bool& met_upper) {
  char* __restrict w = out;
  std::uint32_t base = after_base ? kFastBase : 0;
  const unsigned char* scalar_until = p;  // where the SIMD path may try again
  int misses = 0;                         // the AVX2 path's tries in a row that took nothing
  bool upper = met_upper;                 // (a local: the stores through w could alias the engine's)
  while (end - p >= 2) {
    // (Not right after a tatweel seat: the mark after it, if any, is the general path's.)
    if (kLevel != SimdLevel::none && p >= scalar_until && !(base & kFastSeat)) {
      bool b = base != 0;
      char* at = w;
      p = kLevel == SimdLevel::avx512 ? avx512_blocks(p, end, at, *simd, b, scalar_until, upper)
          : kLevel == SimdLevel::neon ? neon_blocks(p, end, at, *simd, b, scalar_until, misses)
                                      : avx2_blocks(p, end, at, *simd, b, scalar_until, misses);
      w = at;
      base = b ? kFastBase : 0;
      if (end - p < 2) break;
    }
    const std::uint32_t f = fast[p[0] | p[1] << 8];
    // Stop for the general path, or for a mark right after a base letter.
    if ((f & kFastSlow) | (f & (base << 1))) break;
    const unsigned char bytes[2] = {static_cast<unsigned char>(f), static_cast<unsigned char>(f >> 8)};
    std::memcpy(w, bytes, 2);
    w += f >> kFastLenShift & 3u;
    p += f >> kFastAdvanceShift & 3u;
    base = f & (kFastBase | kFastSeat);
  }
  out = w;
  after_base = base != 0;
  met_upper = upper;
  return p;
}


template <class Tracker, bool kElongation>
class Engine {
 public:
  Engine(const Tables& t, std::string_view in, std::string& out, Tracker& tracker)
      : t_(t),
        begin_(reinterpret_cast<const unsigned char*>(in.data())),
        end_(begin_ + in.size()),
        s_(out),
        base_(out.size()),
        n_(out.size()),
        tr_(tracker),
        level_(simd_level(t)) {}

  Result run() {
    grow_for_writing(s_, base_ + static_cast<std::size_t>(end_ - begin_) + kSlack);
    const unsigned char* p = begin_;
    const unsigned char* run = p;  // start of the pending unchanged run
    const unsigned char* const end = end_;
    bool after_base = false;  // the fast loop just wrote a letter that could take a hamza/madda mark
    while (p < end) {
      if constexpr (kFast) {
        p = fast_run(p, after_base);
        run = p;
        if (p >= end) break;
      }
      const unsigned b = *p;
      const Entry* e;
      Decoded d;
      if (b < 0xE0 && b >= 0xC2 && end - p >= 2 && (p[1] & 0xC0) == 0x80) {
        d = {static_cast<char32_t>(((b & 0x1F) << 6) | (p[1] & 0x3F)), 2, true};
        e = &t_.low[d.cp];
      } else if (b < 0x80) {
        d = {b, 1, true};
        e = &t_.low[b];
      } else {
        d = decode_utf8(p, end);
        if (!d.ok) {
          flush(run, p);
          if (t_.options.invalid_utf8 == InvalidUtf8::strict) {
            s_.resize(base_);
            return {Error::invalid_utf8, static_cast<std::size_t>(p - begin_)};
          }
          emit(p, p + d.len, kReplacementChar, 3, Rule::invalid_utf8);
          p += d.len;
          run = p;
          continue;
        }
        e = &t_.lookup(d.cp);
      }
      if constexpr (kFast) {
        // A mark or removed character right after a base letter the fast loop
        // wrote (always two bytes): compose them if a mark composes.
        if (after_base && (e->special & kBreaksBase)) {
          const unsigned char* base = p - 2;
          Decoded bd = decode_utf8(base, p);
          const Entry& be = t_.lookup(bd.cp);
          if (be.special & kSeat) {  // a mark after a tatweel the loop removed (it wrote nothing)
            p = seat(base, p, be);
            run = p;
            after_base = false;
            continue;
          }
          if (composes(p, bd.cp, be)) {
            n_ -= t_.fast_pairs[base[0] | base[1] << 8] >> kFastLenShift & 3u;
            p = compose(base, p, bd.cp, be);
            run = p;
            after_base = false;
            continue;
          }
        }
        after_base = false;
      } else if (!kElongation) {
        if (e->plain()) {
          p += d.len;
          continue;
        }
        // A mark or removed character after a kept base letter (still in the
        // pending run) may compose with it.
        if ((e->special & kBreaksBase) && p > run) {
          const unsigned char* base = p - 1;
          while (base > run && (*base & 0xC0) == 0x80) --base;
          Decoded bd = decode_utf8(base, p);
          const Entry& be = t_.lookup(bd.cp);
          if ((be.special & kBase) && composes(p, bd.cp, be)) {
            flush(run, base);
            p = compose(base, p, bd.cp, be);
            run = p;
            continue;
          }
        }
      }
      flush(run, p);
      p = step(p, d, *e);
      run = p;
    }
    flush(run, end_);
    s_.resize(n_);
    return {};
  }

 private:
  static constexpr bool kFast = !Tracker::kActive && !kElongation && kFastLoopEnabled;

  const unsigned char* fast_run(const unsigned char* p, bool& after_base) {
    char* w = &s_[0] + n_;
    const std::uint32_t* fast = t_.fast_pairs.data();
    switch (level_) {
      case SimdLevel::avx512:
        p = fast_loop<SimdLevel::avx512>(p, end_, w, fast, &t_.simd, after_base, met_upper_);
        break;
      case SimdLevel::avx2:
        p = fast_loop<SimdLevel::avx2>(p, end_, w, fast, &t_.simd, after_base, met_upper_);
        break;
      case SimdLevel::neon:
        p = fast_loop<SimdLevel::neon>(p, end_, w, fast, &t_.simd, after_base, met_upper_);
        break;
      case SimdLevel::none:
        p = fast_loop<SimdLevel::none>(p, end_, w, fast, nullptr, after_base, met_upper_);
        break;
    }
    n_ = static_cast<std::size_t>(w - &s_[0]);
    return p;
  }

  std::size_t src_pos(const unsigned char* p) const { return static_cast<std::size_t>(p - begin_); }

  // Whether composition cannot start at the character before `q`.
  bool followed_by_kept_starter(const unsigned char* q) const {
    if (q >= end_ || *q < 0x80) return true;
    Decoded d = decode_utf8(q, end_);
    if (!d.ok) return true;
    const Entry& e = t_.lookup(d.cp);
    return e.ccc == 0 && e.action != kDelete;
  }

  void ensure(std::size_t len, const unsigned char* next) {
    std::size_t need = len + static_cast<std::size_t>(end_ - next) + kSlack;
    if (s_.size() - n_ < need) grow_for_writing(s_, std::max(s_.size() * 2, n_ + need));
  }

  void flush(const unsigned char* from, const unsigned char* to) {
    if (from == to) return;
    if constexpr (kElongation) {
      // Every character is its own unit here (run() never accumulates).
      emit(from, to, reinterpret_cast<const char*>(from), static_cast<std::size_t>(to - from), Rule::compose);
    } else {
      std::memcpy(&s_[n_], from, static_cast<std::size_t>(to - from));
      tr_.copy(src_pos(from), static_cast<std::size_t>(to - from), n_);
      n_ += static_cast<std::size_t>(to - from);
    }
  }

  // One character (or composed sequence) that is not a plain keep.
  const unsigned char* step(const unsigned char* p, Decoded d, const Entry& e) {
    const unsigned char* next = p + d.len;
    if ((e.special & kBase) && next < end_ && !followed_by_kept_starter(next) && composes(next, d.cp, e))
      return compose(p, next, d.cp, e);
    if (e.special & kDigitContext) return separator(p, next, d.cp, e);
    if (e.special & kJoinerContext) {
      const char32_t before = decode_utf8_before(begin_, p);
      const Decoded after = next < end_ ? decode_utf8(next, end_) : Decoded{0, 0, false};
      const char32_t after_cp = after.ok ? after.cp : 0;
      if (!joiner_applies(d.cp, p, next, before, after_cp)) {
        emit(p, next, reinterpret_cast<const char*>(p), d.len, e.rule);  // a copy
        return next;
      }
    }
    if (e.special & kSeat) return seat(p, next, e);
    emit_entry(p, next, e);
    return next;
  }

  // Whether the character at q is a joiner its policy would remove but its
  // context keeps (step() copies it then): a starter composition cannot cross.
  bool joiner_kept(const unsigned char* q, const Decoded& m, const Entry& me) const {
    if (!(me.special & kJoinerContext)) return false;
    const unsigned char* next = q + m.len;
    const Decoded after = next < end_ ? decode_utf8(next, end_) : Decoded{0, 0, false};
    return !joiner_applies(m.cp, q, next, decode_utf8_before(begin_, q), after.ok ? after.cp : 0);
  }

  // Whether a joiner's policy applies here: everywhere but inside another
  // script (क्‍ष, ශ්‍රී keep theirs; Arabic, spaces and emoji are no other script)
  // and, for a ZWJ kept in emoji, between emoji. A neighbour's script is that
  // of its base: combining marks (Inherited) are passed over, so composed and
  // decomposed text agree. (Other scripts are never changed, so a second pass
  // sees what the first saw.)
  bool joiner_applies(char32_t joiner, const unsigned char* p, const unsigned char* next, char32_t before,
                      char32_t after) const {
    if (joiner == 0x200D && t_.options.zwj == JoinerPolicy::keep_in_emoji && before && ends_emoji(before) &&
        is_pictographic(after))
      return false;
    return !is_other_script(script_neighbour(p, -1)) && !is_other_script(script_neighbour(next, 1));
  }

  // The nearest character before `at` (step -1) or from `at` on (step 1)
  // that `passed` does not pass over, within `limit` characters; 0 when there
  // is none.
  template <class Passed>
  char32_t neighbour(const unsigned char* at, int step, Passed passed, std::size_t limit) const {
    for (std::size_t seen = 0; seen < limit; ++seen) {
      char32_t cp;
      if (step < 0) {
        cp = decode_utf8_before(begin_, at);
        if (!cp) return 0;
        at -= cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
      } else {
        if (at >= end_) return 0;
        const Decoded d = decode_utf8(at, end_);
        if (!d.ok) return 0;
        cp = d.cp;
        at += d.len;
      }
      if (!passed(cp)) return cp;
    }
    return 0;
  }

  // Past combining marks, at most kMaxNonStarters of them.
  char32_t script_neighbour(const unsigned char* at, int step) const {
    return neighbour(at, step, is_inherited_script, kMaxNonStarters + 1);
  }

  static bool is_digit(char32_t c) {
    return (c >= U'0' && c <= U'9') || (c >= 0x0660 && c <= 0x0669) || (c >= 0x06F0 && c <= 0x06F9);
  }

  // ٫ and ٬ between digits, ٪ after one, fold with the digits ("3.14",
  // "1,000", "50%"). Characters these options remove between do not count,
  // so that a second pass finds what the first did.
  const unsigned char* separator(const unsigned char* p, const unsigned char* next, char32_t cp, const Entry& e) {
    const bool folds = is_digit(kept_neighbour(p, -1)) && (cp == 0x066A || is_digit(kept_neighbour(next, 1)));
    if (!folds) {
      emit_entry(p, next, e);
      return next;
    }
    const char ascii = cp == 0x066A ? '%' : cp == 0x066B ? '.' : ',';
    emit(p, next, &ascii, 1, Rule::digit);
    return next;
  }

  // Past what these options remove. Linear overall: each removed stretch is
  // passed by the characters on its two sides only.
  char32_t kept_neighbour(const unsigned char* at, int step) const {
    return neighbour(at, step, [this](char32_t cp) { return t_.lookup(cp).action == kDelete; }, SIZE_MAX);
  }

  // A removed tatweel, the seat of the marks after it: a kept mark keeps it
  // (the mark stays on its seat instead of moving to the letter before); with
  // every mark removed, a hamza above on it (Uthmani ـٔ) is the letter ء.
  const unsigned char* seat(const unsigned char* p, const unsigned char* next, const Entry& e) {
    const unsigned char* hamza = nullptr;
    for (const unsigned char* q = next; q < end_;) {
      Decoded m = decode_utf8(q, end_);
      if (!m.ok) break;
      const Entry& me = t_.lookup(m.cp);
      if (me.ccc == 0) break;
      if (me.action != kDelete) {
        emit(p, next, reinterpret_cast<const char*>(p), static_cast<std::size_t>(next - p), Rule::tatweel);
        return next;
      }
      if (m.cp == 0x0654 && !hamza) hamza = q;
      q += m.len;
    }
    if (!hamza) {
      emit_entry(p, next, e);
      return next;
    }
    emit(p, hamza + 2, "\xD8\xA1", 2, Rule::tatweel);  // ء for the tatweel, the marks removed and the hamza
    return hamza + 2;
  }

  void emit_entry(const unsigned char* p, const unsigned char* next, const Entry& e) {
    if (e.action == kKeep) {
      emit(p, next, reinterpret_cast<const char*>(p), static_cast<std::size_t>(next - p), e.rule);
    } else {
      std::string_view r = t_.replacement(e);
      emit(p, next, r.data(), r.size(), e.rule);
    }
  }

  // Whether a hamza or madda mark after `next` composes with the letter
  // before it (the scan of compose(), without building anything).
  bool composes(const unsigned char* next, char32_t source, const Entry& e) const {
    std::string_view r = t_.replacement(e);
    char32_t out_last = e.action == kKeep
                            ? source
                            : decode_utf8_before(reinterpret_cast<const unsigned char*>(r.data()),
                                                 reinterpret_cast<const unsigned char*>(r.data() + r.size()));
    unsigned max_ccc = 0;
    int kept = 0;
    for (const unsigned char* q = next; q < end_;) {
      Decoded m = decode_utf8(q, end_);
      if (!m.ok) return false;
      const Entry& me = t_.lookup(m.cp);
      if (me.special & kSeat) return false;  // marks after a tatweel are its own
      if (me.ccc > max_ccc && (t_.compose(source, m.cp) || t_.compose(out_last, m.cp))) return true;
      if (me.action == kDelete && joiner_kept(q, m, me)) return false;  // a kept starter
      q += m.len;
      if (me.action == kDelete) continue;
      if (me.ccc == 0 || ++kept > kMaxNonStarters) return false;
      max_ccc = std::max<unsigned>(max_ccc, me.ccc);
    }
    return false;
  }

  // Composition at a letter whose output ends with a base (ا و ي ...): the
  // following hamza or madda marks that compose with it and are not blocked by
  // a kept mark of equal or higher class (UAX #15) are merged into it.
  // Characters this normalizer removes do not separate them, so the output
  // never holds a pair that a second pass would compose. At most
  // kMaxNonStarters kept marks are examined. Called only when composes() holds.
  const unsigned char* compose(const unsigned char* p, const unsigned char* next, char32_t source, const Entry& e) {
    std::string unit = std::string(
        e.action == kKeep ? std::string_view(reinterpret_cast<const char*>(p), static_cast<std::size_t>(next - p))
                          : t_.replacement(e));
    std::string marks, marks_at_end;  // outputs of kept marks passed over
    const unsigned char* done = nullptr;
    unsigned max_ccc = 0;
    int kept = 0;
    for (const unsigned char* q = next; q < end_;) {
      Decoded m = decode_utf8(q, end_);
      if (!m.ok) break;
      const Entry& me = t_.lookup(m.cp);
      if (me.special & kSeat) break;
      if (me.ccc > max_ccc) {
        // Canonical composition of the source letter first (ە + ٔ is ۀ,
        // whatever ە folds to), then of the letter it was folded to.
        auto* tail = reinterpret_cast<const unsigned char*>(unit.data() + unit.size());
        auto* head = reinterpret_cast<const unsigned char*>(unit.data());
        char32_t base = decode_utf8_before(head, tail);
        char32_t composed = t_.compose(source, m.cp);
        if (composed) {
          source = composed;
          unit.clear();
        } else if ((composed = t_.compose(base, m.cp)) != 0) {
          unit.resize(unit.size() - (base < 0x80 ? 1 : base < 0x800 ? 2 : 3));
        }
        if (composed) {
          append_output(unit, composed);
          q += m.len;
          done = q;
          marks_at_end = marks;
          continue;
        }
      }
      if (me.action == kDelete && !joiner_kept(q, m, me)) {
        q += m.len;
        continue;
      }
      if (me.ccc == 0 || ++kept > kMaxNonStarters) break;
      max_ccc = std::max<unsigned>(max_ccc, me.ccc);
      marks.append(reinterpret_cast<const char*>(q), m.len);  // marks are kept or deleted, never replaced
      q += m.len;
    }
    unit += marks_at_end;
    emit(p, done, unit.data(), unit.size(), Rule::compose);
    return done;
  }

  // Appends the output of code point c (its table mapping) to s.
  void append_output(std::string& s, char32_t c) {
    const Entry& e = t_.lookup(c);
    if (e.action != kKeep)
      s += t_.replacement(e);
    else
      append_utf8(s, c);
  }

  // Writes `len` output bytes that replace source [src, src_end).
  void emit(const unsigned char* src, const unsigned char* src_end, const char* bytes, std::size_t len, Rule rule) {
    ensure(len, src_end);
    std::size_t n0 = n_;
    if constexpr (kElongation) {
      for (std::size_t i = 0; i < len;) {
        std::size_t cl = utf8_length(static_cast<unsigned char>(bytes[i]));
        put_elongated(src, src_end, bytes + i, cl, n0);
        i += cl;
      }
    } else if (t_.options.collapse_spaces && len && bytes[0] == ' ' && n_ > base_ && s_[n_ - 1] == ' ') {
      // A space after a space: drop it (the rest of the output stays).
      std::memcpy(&s_[n_], bytes + 1, len - 1);
      n_ += len - 1;
      record(src, src_end, bytes, len, n0, rule, Rule::collapse_space);
      return;
    } else {
      std::memcpy(&s_[n_], bytes, len);
      n_ += len;
    }
    bool dropped_space = len && bytes[0] == ' ' && n_ - n0 < len;
    record(src, src_end, bytes, len, n0, rule, dropped_space ? Rule::collapse_space : Rule::elongation);
  }

  // Tells the tracker what became of source [src, src_end): a copy when the
  // output is the source, otherwise an edit (by `rule`, or `changed_by` when a
  // context rule removed part of the intended output).
  void record(const unsigned char* src, const unsigned char* src_end, const char* bytes, std::size_t len,
              std::size_t n0, Rule rule, Rule changed_by) {
    if constexpr (Tracker::kActive) {
      std::size_t src_len = static_cast<std::size_t>(src_end - src);
      bool intended_copy = len == src_len && std::memcmp(bytes, src, len) == 0;
      bool written_as_intended = n_ - n0 == len;
      if (intended_copy && written_as_intended)
        tr_.copy(src_pos(src), src_len, n0);
      else
        tr_.edit(src_pos(src), src_pos(src_end), n0, n_, written_as_intended ? rule : changed_by);
    }
  }

  // Elongation: a run of 3 or more identical Arabic letters in the output
  // keeps only its first. The run's second letter is already written when
  // the third arrives, and it is always the last output code point then.
  void put_elongated(const unsigned char* src, const unsigned char* src_end, const char* cp_bytes, std::size_t cl,
                     std::size_t& unit_start) {
    Decoded d = decode_utf8(reinterpret_cast<const unsigned char*>(cp_bytes),
                            reinterpret_cast<const unsigned char*>(cp_bytes) + cl);
    bool letter = t_.lookup(d.cp).special & kElongates;
    bool space_dup = t_.options.collapse_spaces && d.cp == U' ' && n_ > base_ && s_[n_ - 1] == ' ';
    if (space_dup) return;
    if (letter && d.cp == run_cp_) {
      ++run_len_;
      if (run_len_ == 3) {
        n_ -= cl;
        if (n_ < unit_start) {  // the second letter belongs to an earlier unit
          tr_.retract_last(prev_src_b_, prev_src_e_, n_, cl);
          unit_start = n_;
        }
      }
      if (run_len_ >= 3) return;
    } else {
      run_cp_ = letter ? d.cp : 0;
      run_len_ = 1;
    }
    std::memcpy(&s_[n_], cp_bytes, cl);
    n_ += cl;
    prev_src_b_ = src_pos(src);
    prev_src_e_ = src_pos(src_end);
  }

  const Tables& t_;
  const unsigned char* begin_;
  const unsigned char* end_;
  std::string& s_;
  std::size_t base_;
  std::size_t n_;
  Tracker& tr_;
  const SimdLevel level_;  // the SIMD path this normalization takes
  char32_t run_cp_ = 0;
  int run_len_ = 0;
  bool met_upper_ = false;  // see fast_loop
  std::size_t prev_src_b_ = 0, prev_src_e_ = 0;
};

template <class Tracker>
Result run_engine(const Tables& t, std::string_view in, std::string& out, Tracker& tracker) {
  if (t.options.elongation) return Engine<Tracker, true>(t, in, out, tracker).run();
  return Engine<Tracker, false>(t, in, out, tracker).run();
}

}  // namespace

[[noreturn]] void throw_error(Result r) {
  if (r.error == Error::invalid_utf8)
    throw Utf8Error(r.position, "arnorm: invalid UTF-8 at byte offset " + std::to_string(r.position));
  if (r.error == Error::invalid_utf16)
    throw Utf16Error(r.position, "arnorm: lone surrogate at UTF-16 unit " + std::to_string(r.position));
  throw std::bad_alloc();
}

namespace {

}  // namespace
}  // namespace detail

Normalizer::Normalizer(const Options& options) : tables_(detail::compile(options)) {}

Normalizer Normalizer::from_profile(std::string_view name) { return Normalizer(Options::profile(name)); }

const Options& Normalizer::options() const noexcept { return tables_->options; }

bool Normalizer::changes_ascii() const noexcept { return !tables_->ascii_plain; }

std::string unicode_version() { return detail::unicode_version(); }

std::string simd_path() {
  switch (detail::simd_level()) {
    case detail::SimdLevel::avx512:
      return "avx512";
    case detail::SimdLevel::avx2:
      return "avx2";
    case detail::SimdLevel::neon:
      return "neon";
    case detail::SimdLevel::none:
      break;
  }
  return "none";
}

Result Normalizer::normalize_into(std::string_view in, std::string& out) const noexcept {
  std::size_t before = out.size();
  // The output is sized from the input once: a size that cannot be is no memory.
  if (in.size() > out.max_size() - before - 4096) return {Error::out_of_memory, 0};
  try {
    // Input inside the output's buffer (normalize_into(s, s)) moves when the
    // output grows: read it from a copy.
    std::less<const char*> below;
    if (!in.empty() && !below(in.data(), out.data()) && below(in.data(), out.data() + out.capacity())) {
      const std::string copy(in);
      return normalize_into(copy, out);
    }
    detail::NoTracker none;
    return detail::run_engine(*tables_, in, out, none);
  } catch (const std::bad_alloc&) {
    out.resize(std::min(before, out.size()));
    return {Error::out_of_memory, 0};
  } catch (const std::length_error&) {
    out.resize(std::min(before, out.size()));
    return {Error::out_of_memory, 0};
  }
}

std::string Normalizer::normalize(std::string_view in) const {
  std::string out;
  Result r = normalize_into(in, out);
  if (!r.ok()) detail::throw_error(r);
  return out;
}

std::string Normalizer::normalize_with_offsets(std::string_view in, std::vector<SourceSpan>& offsets) const {
  std::string out;
  offsets.clear();
  detail::OffsetTracker tracker{reinterpret_cast<const unsigned char*>(in.data()), out, 0, offsets};
  Result r = detail::run_engine(*tables_, in, out, tracker);
  if (!r.ok()) detail::throw_error(r);
  // A text whose every character was deleted has no output to attach spans to.
  return out;
}

std::vector<Edit> Normalizer::explain(std::string_view in, std::string* out) const {
  std::string local;
  std::string& target = out ? *out : local;
  target.clear();
  std::vector<Edit> edits;
  detail::ExplainTracker tracker{0, edits};
  Result r = detail::run_engine(*tables_, in, target, tracker);
  if (!r.ok()) detail::throw_error(r);
  return edits;
}

std::string normalize(std::string_view in, std::string_view profile) {
  // Never destroyed: a thread normalizing while the process exits must not find them gone.
  static std::mutex& mutex = *new std::mutex;
  static auto& cache = *new std::unordered_map<std::string, Normalizer>;
  const Normalizer* n;
  {
    std::lock_guard<std::mutex> lock(mutex);
    auto it = cache.find(std::string(profile));
    if (it == cache.end()) it = cache.emplace(std::string(profile), Normalizer::from_profile(profile)).first;
    n = &it->second;  // unordered_map nodes are stable
  }
  return n->normalize(in);
}

}  // namespace arnorm
