// Normalization of UTF-16 text. Where the AVX-512 path runs, the text goes
// through its UTF-16 prefix (simd_avx512.cpp), alternating with the UTF-8
// engine from the first character the prefix cannot take up to the next
// neutral ASCII character (see neutral()), so that only what needs the
// general path makes the round trip through UTF-8. Elsewhere the whole text
// makes it, in stretches cut before neutral characters where ASCII passes
// unchanged. Either way the result is the UTF-8 engine's, by construction and
// by test.
#include <algorithm>
#include <functional>
#include <new>
#include <stdexcept>
#include <string>

#include "arnorm/arnorm.hpp"
#include "arnorm/transcode.hpp"
#include "simd.hpp"
#include "tables.hpp"

namespace arnorm {
namespace {

// A thread's UTF-8 stretches, kept between calls so that short texts
// allocate nothing; given back after a large text.
struct Scratch {
  std::string in, out;
  void trim() {
    constexpr std::size_t kKeep = std::size_t{4} << 20;
    if (in.capacity() > kKeep) std::string().swap(in);
    if (out.capacity() > kKeep) std::string().swap(out);
  }
};

class Utf16Run {
 public:
  Utf16Run(const Normalizer& n, const detail::Tables& t, std::u16string_view in, std::u16string& out, Surrogates s)
      : n_(n), t_(t), in_(in), out_(out), w_(out.size()), surrogates_(s) {}

  Result run() {
    const std::size_t length = in_.size();
    room(w_ + length);
    Result r = detail::simd_level(t_) == detail::SimdLevel::avx512 ? alternate()
               : t_.ascii_plain                                      ? in_pieces()
                                                                     : via_utf8(0, length);
    out_.resize(r.ok() ? w_ : base_);
    return r;
  }

 private:
  Result alternate() {
    const std::size_t length = in_.size();
#if defined(__GNUC__)
    // Ask for the first 4 KiB at once: host text is seldom in cache, and the
    // pass would otherwise meet its cache lines one miss at a time.
    for (std::size_t at = 0; at < std::min<std::size_t>(length, 2048); at += 32) __builtin_prefetch(in_.data() + at);
#endif
    std::size_t pos = 0, slow_at_least = 0;
    while (pos < length) {
      const detail::Utf16Prefix p =
          detail::avx512_utf16_prefix(in_.data() + pos, length - pos, out_.data() + w_, t_.simd);
      if (pos == 0 && p.stop == 0) return via_utf8(0, length);
      w_ += p.written;
      if (p.consumed == length - pos) break;
      // When the prefix takes little, each UTF-8 stretch is made longer (up
      // to 64 Ki characters), so text that stops it often is not cut into crumbs.
      slow_at_least =
          p.consumed < 64 ? std::min<std::size_t>(std::max<std::size_t>(64, 2 * slow_at_least), 1 << 16) : 0;
      const std::size_t from = pos + p.consumed;
      std::size_t cut = std::max(pos + p.stop + 1, from + slow_at_least);
      while (cut < length && !neutral(in_[cut])) ++cut;
      cut = std::min(cut, length);
      const Result r = via_utf8(from, cut);
      if (!r.ok()) return r;
      pos = cut;
    }
    return {};
  }

  // The whole text through the UTF-8 engine, in stretches of about 16 Ki
  // units ended before a neutral character: the UTF-8 copies stay in cache
  // and take no fresh pages from the system at every call, which cost more
  // than the work on large texts. Only where ASCII passes unchanged: under
  // collapse_spaces a run of spaces cut in two would keep two.
  Result in_pieces() {
    constexpr std::size_t kPiece = std::size_t{1} << 14;
    const std::size_t length = in_.size();
    for (std::size_t pos = 0; pos < length;) {
      std::size_t cut = length - pos > kPiece ? pos + kPiece : length;
      while (cut < length && !neutral(in_[cut])) ++cut;
      const Result r = via_utf8(pos, cut);
      if (!r.ok()) return r;
      pos = cut;
    }
    return {};
  }

  // An ASCII character no rule reads across: not a letter (a joiner reads the
  // script beside it) nor a digit (a separator reads those). A stretch ends
  // before one, and the characters in it that read what follows them find
  // the same answer without it. (The stretch's start needs no such care: it
  // is a restart point of the prefix, with a starter between it and the first
  // character there that reads back.)
  static bool neutral(char16_t u) {
    return u < 0x80 && !((u >= u'0' && u <= u'9') || (u >= u'A' && u <= u'Z') || (u >= u'a' && u <= u'z'));
  }

  // Units [from, to) through the UTF-8 engine, appended at w_, with room
  // kept for the rest of the input after them.
  Result via_utf8(std::size_t from, std::size_t to) {
    thread_local Scratch scratch;
    struct Trim {
      Scratch& s;
      ~Trim() { s.trim(); }
    } trim{scratch};
    detail::grow_for_writing(scratch.in, 3 * (to - from));
    const Converted c = utf16_to_utf8(in_.data() + from, to - from, scratch.in.data(), surrogates_);
    if (!c.ok()) return {Error::invalid_utf16, from + c.count};
    scratch.in.resize(c.count);
    scratch.out.clear();
    const Result r = n_.normalize_into(scratch.in, scratch.out);
    if (!r.ok()) return r;  // valid UTF-8 in: only memory
    room(w_ + scratch.out.size() + (in_.size() - to));
    w_ += valid_utf8_to_utf16(scratch.out, out_.data() + w_);
    return {};
  }

  void room(std::size_t need) {
    if (out_.size() < need) detail::grow_for_writing(out_, std::max(need, 2 * out_.size()));
  }

  const Normalizer& n_;
  const detail::Tables& t_;
  std::u16string_view in_;
  std::u16string& out_;
  std::size_t w_;                   // the output's end
  const std::size_t base_ = w_;     // where this call's output begins
  const Surrogates surrogates_;
};

}  // namespace

Result Normalizer::normalize_into(std::u16string_view in, std::u16string& out, Surrogates surrogates) const noexcept {
  const std::size_t before = out.size();
  if (in.size() > (out.max_size() - before) / 3) return {Error::out_of_memory, 0};
  try {
    // Input inside the output's buffer moves when the output grows: read it from a copy.
    std::less<const char16_t*> below;
    if (!in.empty() && !below(in.data(), out.data()) && below(in.data(), out.data() + out.capacity())) {
      const std::u16string copy(in);
      return normalize_into(copy, out, surrogates);
    }
    return Utf16Run(*this, *tables_, in, out, surrogates).run();
  } catch (const std::bad_alloc&) {
  } catch (const std::length_error&) {
  }
  out.resize(std::min(before, out.size()));
  return {Error::out_of_memory, 0};
}

std::u16string Normalizer::normalize(std::u16string_view in) const {
  std::u16string out;
  const Result r = normalize_into(in, out);
  if (!r.ok()) detail::throw_error(r);
  return out;
}

}  // namespace arnorm
