// arnorm: one-pass Arabic text normalization over UTF-8.
//
// A Normalizer is compiled once from Options and is then immutable: share it
// freely between threads. Its tables are built from the Unicode data
// compiled into the library (no ICU at build or run time).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace arnorm {

// ---------------------------------------------------------------- options --

enum class AlefPolicy : std::uint8_t {
  keep,         // no alef folding
  hamza_forms,  // آ أ إ -> ا (what Lucene folds)
  all,          // آ أ إ ٱ ٲ ٳ ٵ -> ا
};

enum class HamzaPolicy : std::uint8_t {
  keep,       // ؤ ئ untouched
  to_hamza,   // ؤ ئ -> ء (unifies الشئون / الشؤون)
  to_letter,  // ؤ -> و, ئ -> ي
};

enum class JoinerPolicy : std::uint8_t {
  keep,
  remove,
  keep_in_emoji,  // ZWJ: kept only between emoji (family, profession sequences)
  to_space,       // ZWNJ: becomes U+0020
};

enum class InvalidUtf8 : std::uint8_t {
  strict,   // stop with an error carrying the byte offset
  replace,  // U+FFFD per maximal subpart (Unicode 15, section 3.9)
};

// Diacritic classes, as bit flags for Options::diacritics.
enum Diacritic : std::uint32_t {
  kHarakat = 1u << 0,       // U+064B-U+0650: tanween and short vowels
  kShadda = 1u << 1,        // U+0651
  kSukun = 1u << 2,         // U+0652
  kDaggerAlef = 1u << 3,    // U+0670 superscript alef
  kQuranicMarks = 1u << 4,  // U+0610-U+061A, U+06D6-U+06ED
  kOtherMarks = 1u << 5,    // remaining Arabic-script marks (U+0653-U+065F, extended blocks)
  kAllDiacritics = (1u << 6) - 1,
};

struct Options {
  bool compose = true;  // decomposed sequences (ا + U+0654 ...) become their composed letter
  AlefPolicy alef = AlefPolicy::all;
  HamzaPolicy hamza = HamzaPolicy::to_hamza;
  bool alef_maksura = true;  // ى -> ي
  bool teh_marbuta = true;   // ة -> ه
  bool tatweel = true;       // remove U+0640
  std::uint32_t diacritics = kAllDiacritics;
  bool presentation_forms = true;  // U+FB50-FDFF, U+FE70-FEFF per compatibility data
  bool persian_letters = true;     // ک ی ے ہ ە ۀ ۃ -> Arabic letters
  bool loanword_letters = false;   // پ چ ژ ڤ گ ... -> nearest Arabic letter
  bool digits = true;              // Arabic-Indic and Extended Arabic-Indic -> ASCII
  bool punctuation = false;        // ، ؛ ؟ ٪ ٫ ٬ ۔ -> ASCII
  bool controls = true;            // bidi controls, ZWSP, BOM, soft hyphen, word joiner
  JoinerPolicy zwnj = JoinerPolicy::remove;
  JoinerPolicy zwj = JoinerPolicy::keep_in_emoji;
  bool spaces = true;            // Unicode spaces (Zs) -> U+0020
  bool collapse_spaces = false;  // runs of U+0020 -> one
  bool elongation = false;       // 3 or more identical Arabic letters -> one
  InvalidUtf8 invalid_utf8 = InvalidUtf8::strict;

  // Named presets: "clean", "search" (the default), "lucene".
  // Unknown name: std::invalid_argument listing the valid ones.
  static Options profile(std::string_view name);
  static std::vector<std::string> profile_names();

  // Sets one option from text ("alef", "all"); booleans accept true/false/1/0/on/off.
  // Unknown name or value: std::invalid_argument listing the valid ones.
  void set(std::string_view name, std::string_view value);
  static std::vector<std::string> option_names();
  // The value of one option as text (the inverse of set()).
  std::string get(std::string_view name) const;

  bool operator==(const Options& o) const;
  bool operator!=(const Options& o) const { return !(*this == o); }
};

// ------------------------------------------------------------------ results --

enum class Error : std::uint8_t {
  ok = 0,
  invalid_utf8,   // position: byte offset of the first bad byte
  invalid_utf16,  // position: index of the lone surrogate
  invalid_utf32,  // position: index of the surrogate or the value above U+10FFFF
  out_of_memory,
};

// Surrogates in 16-bit text: UTF-16 pairs them; in UCS-2 storage (CPython's
// two-byte strs, which hold no character above U+FFFF) each one is alone,
// so every surrogate is an error.
enum class Surrogates : std::uint8_t { pairs, lone };

struct Result {
  Error error = Error::ok;
  std::size_t position = 0;  // for the invalid_ errors: where in the input
  bool ok() const { return error == Error::ok; }
};

// Thrown by the throwing API under InvalidUtf8::strict.
class Utf8Error : public std::runtime_error {
 public:
  Utf8Error(std::size_t offset, const std::string& what) : std::runtime_error(what), offset_(offset) {}
  std::size_t offset() const noexcept { return offset_; }  // in bytes

 private:
  std::size_t offset_;
};

// Thrown by the throwing UTF-16 API at a lone surrogate.
class Utf16Error : public std::runtime_error {
 public:
  Utf16Error(std::size_t offset, const std::string& what) : std::runtime_error(what), offset_(offset) {}
  std::size_t offset() const noexcept { return offset_; }  // in 16-bit units

 private:
  std::size_t offset_;
};

// The rule that made an edit (for explain()).
enum class Rule : std::uint8_t {
  compose,
  alef,
  hamza,
  alef_maksura,
  teh_marbuta,
  tatweel,
  harakat,
  shadda,
  sukun,
  dagger_alef,
  quranic_marks,
  other_marks,
  presentation_form,
  persian_letter,
  loanword_letter,
  digit,
  punctuation,
  control,
  zwnj,
  zwj,
  space,
  collapse_space,
  elongation,
  invalid_utf8,
};
// The option that controls the rule ("diacritics" for every mark class, "digits"...).
const char* rule_name(Rule r) noexcept;

// Source byte span [begin, end) of one output code point.
struct SourceSpan {
  std::size_t begin = 0;
  std::size_t end = 0;
  bool operator==(const SourceSpan& o) const { return begin == o.begin && end == o.end; }
};

// One change: source bytes [src_begin, src_end) became output bytes [out_begin, out_end).
struct Edit {
  std::size_t src_begin, src_end, out_begin, out_end;
  Rule rule;
};

namespace detail {
struct Tables;
}

// --------------------------------------------------------------- normalizer --

class Normalizer {
 public:
  explicit Normalizer(const Options& options = Options{});
  Normalizer(const Normalizer&) = default;
  Normalizer& operator=(const Normalizer&) = default;
  // A move shares the tables as a copy does (they are immutable), so that a
  // moved-from Normalizer still works.
  Normalizer(Normalizer&& other) noexcept : tables_(other.tables_) {}
  Normalizer& operator=(Normalizer&& other) noexcept {
    tables_ = other.tables_;
    return *this;
  }
  static Normalizer from_profile(std::string_view name);

  const Options& options() const noexcept;

  // Throws Utf8Error (a std::runtime_error) on invalid UTF-8 under strict.
  std::string normalize(std::string_view in) const;

  // Appends the result to `out`; never throws. On error, `out` keeps what it
  // had before the call and the result names the error and its byte offset.
  Result normalize_into(std::string_view in, std::string& out) const noexcept;

  // For each output code point, the source byte span it came from. Deleted
  // source bytes join the span of the preceding output code point (the first
  // one, for a leading deletion), so the spans are monotone and cover the input.
  std::string normalize_with_offsets(std::string_view in, std::vector<SourceSpan>& offsets) const;

  // The edits made, in order; unchanged text makes none.
  std::vector<Edit> explain(std::string_view in, std::string* out = nullptr) const;

  // UTF-16 text (Qt, Windows, Java, ICU; CPython's two-byte strs with
  // Surrogates::lone): the same result as normalizing its UTF-8, appended
  // to `out`; never throws. A lone surrogate is Error::invalid_utf16 at its
  // unit index, and `out` keeps what it had.
  Result normalize_into(std::u16string_view in, std::u16string& out,
                        Surrogates surrogates = Surrogates::pairs) const noexcept;
  // Throws Utf16Error at a lone surrogate.
  std::u16string normalize(std::u16string_view in) const;

  // Whether any rule of these options can change ASCII text (only collapse_spaces does).
  bool changes_ascii() const noexcept;

 private:
  friend class Stream;
  std::shared_ptr<const detail::Tables> tables_;
};

// Chunked normalization in bounded memory: output identical to one-shot.
// Input is carried only up to the next safe boundary (a neutral ASCII byte,
// or between two unrelated letters); a stretch of more than kMaxCarry bytes
// without any boundary is cut there (see DESIGN.md).
class Stream {
 public:
  static constexpr std::size_t kMaxCarry = 1 << 20;

  explicit Stream(const Normalizer& normalizer);
  // Appends finished output to `out`. After an error the stream stays failed.
  Result feed(std::string_view chunk, std::string& out);
  Result finish(std::string& out);
  // Bytes of input consumed by earlier feeds (for error offsets).
  std::size_t consumed() const noexcept { return consumed_; }

 private:
  Result run(std::string_view data, bool final, std::string& out);
  std::string_view skip_run(std::string_view data);
  Normalizer normalizer_;
  std::string carry_;
  std::size_t consumed_ = 0;
  Result failed_;
  std::string run_;  // a run cut inside after it was reduced: its character's bytes (see stream.cpp)
};

// The Unicode version of the data compiled into the library ("15.0").
std::string unicode_version();

// The SIMD path new normalizations and conversions take on this CPU:
// "avx512", "avx2", "neon" (AArch64) or "none" (the portable scalar loops, or
// a build with ARNORM_SIMD=OFF). The environment variable ARNORM_SIMD (none,
// avx2, neon) caps it; every path gives the same output.
std::string simd_path();

// Convenience: normalize with a profile (compiled once per profile and cached).
std::string normalize(std::string_view in, std::string_view profile = "search");

}  // namespace arnorm
