// Chunked normalization. The engine never looks across a "neutral" ASCII
// byte (one no rule touches) or across a boundary between two starters with
// unrelated outputs, so cutting the input there gives output identical to
// one-shot. Everything after the last such boundary is carried to the next
// feed; a stretch longer than kMaxCarry without one is cut anyway.
#include "arnorm/arnorm.hpp"
#include "tables.hpp"
#include "utf8.hpp"

namespace arnorm {
namespace {

using detail::Entry;

// Whether a starter is safe to cut beside; its output bytes go to `out`.
bool plain_unit(const detail::Tables& t, const Entry& e, std::string_view src, std::string_view& out) {
  if (e.special || e.ccc || e.action == detail::kDelete) return false;
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

// The last offset k in (0, size] where data can be cut, or 0 when none.
std::size_t last_boundary(const detail::Tables& t, std::string_view data, bool allow_weak) {
  for (std::size_t k = data.size(); k >= 1; --k) {
    auto c = static_cast<unsigned char>(data[k - 1]);
    if (c < 0x80 && t.lookup(c).plain()) return k;
  }
  if (!allow_weak) return 0;
  // Between two starters whose outputs cannot join a run (elongation) and
  // that no context rule inspects.
  auto* b = reinterpret_cast<const unsigned char*>(data.data());
  auto* end = b + data.size();
  std::size_t best = 0;
  std::string_view prev_out;
  bool prev_ok = false;
  for (auto* p = b; p < end;) {
    detail::Decoded d = detail::decode_utf8(p, end);
    if (!d.ok) {
      prev_ok = false;
      p += d.len;
      continue;
    }
    std::string_view src(reinterpret_cast<const char*>(p), d.len), out;
    bool ok = plain_unit(t, t.lookup(d.cp), src, out);
    if (ok && prev_ok && last_cp(prev_out) != first_cp(out)) best = static_cast<std::size_t>(p - b);
    prev_ok = ok;
    prev_out = out;
    p += d.len;
  }
  return best;
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

}  // namespace

Stream::Stream(const Normalizer& normalizer) : normalizer_(normalizer) {}

Result Stream::run(std::string_view data, bool final, std::string& out) {
  const auto& t = normalizer_.tables();
  std::size_t cut = data.size();
  if (!final) {
    cut = last_boundary(t, data, data.size() > kMaxCarry);
    if (cut == 0 && data.size() > kMaxCarry) cut = data.size() - incomplete_tail(data);
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
  if (carry_.empty()) return run(chunk, false, out);
  std::string data = carry_ + std::string(chunk);
  return run(data, false, out);
}

Result Stream::finish(std::string& out) {
  if (!failed_.ok()) return failed_;
  std::string data;
  data.swap(carry_);
  return run(data, true, out);
}

}  // namespace arnorm
