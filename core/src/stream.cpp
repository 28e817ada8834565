// Chunked normalization. The engine never looks across a "neutral" ASCII
// byte (one no rule touches) or across a boundary between two starters with
// unrelated outputs, so cutting the input there gives output identical to
// one-shot. Everything after the last such boundary is carried to the next
// feed; a stretch longer than kMaxCarry without one is cut anyway. Each feed
// searches only what is new since the last one (plus the carry's last
// character), so a long stretch without ASCII streams in linear time.
#include "arnorm/arnorm.hpp"
#include "tables.hpp"
#include "utf8.hpp"

namespace arnorm {
namespace {

using detail::Entry;

// Whether a starter is safe to cut beside; its output bytes go to `out`. A
// letter elongation may reduce is (a run is never cut: the outputs on the
// two sides must differ); a letter that may compose, a mark, a removed or a
// context character is not.
bool plain_unit(const detail::Tables& t, const Entry& e, std::string_view src, std::string_view& out) {
  if ((e.special & ~detail::kElongates) || e.ccc || e.action == detail::kDelete) return false;
  out = e.action == detail::kKeep ? src : t.replacement(e);
  return !out.empty();
}

char32_t first_cp(std::string_view s) {
  auto* b = reinterpret_cast<const unsigned char*>(s.data());
  return detail::decode_utf8(b, b + s.size()).cp;
}
char32_t last_cp(std::string_view s) {
  auto* b = reinterpret_cast<const unsigned char*>(s.data());
  return detail::decode_utf8_before(b, b + s.size());
}

// Whether the character at data[k] reads back across k: a digit separator
// (which reads past removed characters) or a joiner (past combining marks),
// at k or after such characters from k. Past the end of the data, at bytes not
// yet a character, or after a long stretch of such characters, whether these
// options have such a rule at all (the next feed may bring one).
bool looks_behind(const detail::Tables& t, std::string_view data, std::size_t k) {
  constexpr auto kBehind = detail::kJoinerContext | detail::kDigitContext;
  auto* b = reinterpret_cast<const unsigned char*>(data.data());
  for (int passed = 0; k < data.size() && passed <= 32; ++passed) {
    const detail::Decoded d = detail::decode_utf8(b + k, b + data.size());
    if (!d.ok) break;
    const Entry& e = t.lookup(d.cp);
    if (e.special & kBehind) return true;
    if (!detail::is_inherited_script(d.cp) && e.action != detail::kDelete) return false;
    k += d.len;
  }
  return ((t.lookup(0x200C).special | t.lookup(0x200D).special | t.lookup(0x066B).special) & kBehind) != 0;
}

// Whether a joiner before data[k] reads past it: a joiner reads ahead past
// combining marks (Inherited, the joiners included) to the next base.
bool read_ahead_past(const detail::Tables& t, std::string_view data, std::size_t k) {
  auto* b = reinterpret_cast<const unsigned char*>(data.data());
  const unsigned char* p = b + k;
  for (int marks = 0; p > b && marks <= 32; ++marks) {
    const char32_t cp = detail::decode_utf8_before(b, p);
    if (!cp) return false;
    if (t.lookup(cp).special & detail::kJoinerContext) return true;
    if (!detail::is_inherited_script(cp)) return false;
    p -= cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
  return false;
}

// The last offset k in (from, size] after a neutral ASCII byte, or 0 when none.
std::size_t last_neutral_boundary(const detail::Tables& t, std::string_view data, std::size_t from) {
  for (std::size_t k = data.size(); k > from; --k) {
    auto c = static_cast<unsigned char>(data[k - 1]);
    if (c < 0x80 && t.lookup(c).plain() && !looks_behind(t, data, k)) return k;
  }
  return 0;
}

// The last offset k in [from, size) between two starters whose outputs cannot
// join a run (elongation) and that no context rule inspects, or 0 when none.
// Searched backward from the end, so a long stretch without ASCII costs only
// the characters after its last such boundary. A character counts only when
// it decodes exactly back to its lead byte; a lead is never inside another
// sequence, so forward decoding sees the same characters.
std::size_t last_weak_boundary(const detail::Tables& t, std::string_view data, std::size_t from) {
  auto* b = reinterpret_cast<const unsigned char*>(data.data());
  const unsigned char* p = b + data.size();  // the end of the character looked at
  std::string_view next_out;                 // the output of the character after it
  bool next_ok = false;
  while (p > b + from) {
    const unsigned char* q = p - 1;
    while (q > b && (*q & 0xC0) == 0x80 && p - q < 4) --q;
    detail::Decoded d = detail::decode_utf8(q, p);
    if (!d.ok || q + d.len != p) {  // invalid bytes: no boundary beside them
      next_ok = false;
      --p;
      continue;
    }
    std::string_view src(reinterpret_cast<const char*>(q), d.len), out;
    const bool ok = plain_unit(t, t.lookup(d.cp), src, out);
    const auto k = static_cast<std::size_t>(p - b);
    if (ok && next_ok && last_cp(out) != first_cp(next_out) && !looks_behind(t, data, k) && !read_ahead_past(t, data, k))
      return k;
    next_ok = ok;
    next_out = out;
    p = q;
  }
  return 0;
}

// Bytes at the end of data that form an incomplete (but so far valid) sequence.
std::size_t incomplete_tail(std::string_view data) {
  auto* b = reinterpret_cast<const unsigned char*>(data.data());
  std::size_t n = data.size();
  for (std::size_t back = 1; back <= 3 && back <= n; ++back) {
    unsigned char c = b[n - back];
    if ((c & 0xC0) == 0x80) continue;
    return detail::utf8_length(c) > back && c >= 0xC2 && c < 0xF5 ? back : 0;
  }
  return 0;
}

// Whether a run of this character reduces to one output whatever its length
// past three: an Arabic letter under elongation, a space under collapse_spaces.
bool reduced_run(const detail::Tables& t, std::string_view ch) {
  const Entry& e = t.lookup(first_cp(ch));
  if (t.options.elongation && (e.special & detail::kElongates)) return true;
  if (!t.options.collapse_spaces) return false;
  std::string_view out = e.action == detail::kKeep ? ch : t.replacement(e);
  return out == " ";
}

// The bytes of the run of the last character at the end of data, and of that character.
std::size_t tail_run(std::string_view data, std::string_view& ch) {
  auto* b = reinterpret_cast<const unsigned char*>(data.data());
  const char32_t last = detail::decode_utf8_before(b, b + data.size());
  if (!last) return 0;
  std::string unit;
  detail::append_utf8(unit, last);
  ch = data.substr(data.size() - unit.size());
  std::size_t n = 0;
  while (n + ch.size() <= data.size() && data.substr(data.size() - n - ch.size(), ch.size()) == ch) n += ch.size();
  return n;
}

}  // namespace

Stream::Stream(const Normalizer& normalizer) : normalizer_(normalizer) {}

// After a run was cut inside (it was longer than kMaxCarry and reduced to
// one character already), more of it would start a second run: drop it.
std::string_view Stream::skip_run(std::string_view data) {
  if (run_.empty()) return data;
  std::size_t n = 0;
  while (data.size() - n >= run_.size() && data.compare(n, run_.size(), run_) == 0) n += run_.size();
  consumed_ += n;
  data.remove_prefix(n);
  // The run goes on while the data holds only its character (or the start of one).
  if (!data.empty() && !(data.size() < run_.size() && run_.compare(0, data.size(), data) == 0)) run_.clear();
  return data;
}

Result Stream::run(std::string_view data, bool final, std::string& out) {
  const auto& t = *normalizer_.tables_;
  std::size_t cut = data.size();
  if (!final) {
    // The carry holds no neutral byte (it starts after the last one); if it
    // was cut at a weak boundary, none before its last character either.
    const std::size_t old = carry_.size() <= data.size() ? carry_.size() : 0;
    cut = last_neutral_boundary(t, data, old);
    if (cut == 0) cut = last_weak_boundary(t, data, old > 4 ? old - 4 : 0);
    if (cut == 0 && data.size() > kMaxCarry) cut = last_weak_boundary(t, data, 0);
    if (cut == 0 && data.size() > kMaxCarry) {
      cut = data.size() - incomplete_tail(data);
      // Inside a run that reduces to one character (3+ letters, 2+ spaces):
      // with three or more of it before the cut, the output so far holds the
      // reduced character, and more of it must add nothing (skip_run).
      std::string_view ch;
      const std::size_t run = tail_run(data.substr(0, cut), ch);
      if (run >= 3 * ch.size() && reduced_run(t, ch)) run_.assign(ch);
    }
  }
  Result r = normalizer_.normalize_into(data.substr(0, cut), out);
  if (!r.ok()) {
    r.position += consumed_;
    failed_ = r;
    return r;
  }
  consumed_ += cut;
  carry_.assign(data.substr(cut));
  return r;
}

Result Stream::feed(std::string_view chunk, std::string& out) {
  if (!failed_.ok()) return failed_;
  if (carry_.empty()) return run(skip_run(chunk), false, out);
  std::string data = carry_ + std::string(chunk);
  return run(skip_run(data), false, out);
}

Result Stream::finish(std::string& out) {
  if (!failed_.ok()) return failed_;
  std::string data;
  data.swap(carry_);
  return run(skip_run(data), true, out);
}

}  // namespace arnorm
