// Option names, values and profiles: the one place that spells them, shared
// by the C++ API, the CLI and the Python binding.
#include <algorithm>
#include <string>

#include "arnorm/arnorm.hpp"

namespace arnorm {
namespace {

std::string join(const std::vector<std::string>& items) {
  std::string s;
  for (const auto& item : items) {
    if (!s.empty()) s += ", ";
    s += item;
  }
  return s;
}

// The edit distance of two short names (options, values, profiles).
std::size_t distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

// " (valid: ...)", led by "did you mean 'x'?" when one valid name is close to `given`.
std::string valid_list(std::string_view given, const std::vector<std::string>& valid) {
  const std::string* best = nullptr;
  std::size_t best_distance = 0;
  for (const auto& v : valid) {
    const std::size_t d = distance(given, v);
    if (!best || d < best_distance) best = &v, best_distance = d;
  }
  std::string s;
  if (best && best_distance > 0 && best_distance <= std::max<std::size_t>(1, best->size() / 3))
    s = "; did you mean '" + *best + "'?";
  return s + " (valid: " + join(valid) + ")";
}

bool parse_bool(std::string_view name, std::string_view v) {
  if (v == "true" || v == "1" || v == "on" || v == "yes") return true;
  if (v == "false" || v == "0" || v == "off" || v == "no") return false;
  throw std::invalid_argument("option '" + std::string(name) + "': invalid value '" + std::string(v) +
                              "' (valid: true, false)");
}

template <class Enum>
struct EnumName {
  Enum value;
  const char* name;
};

constexpr EnumName<AlefPolicy> kAlefNames[] = {
    {AlefPolicy::keep, "keep"}, {AlefPolicy::hamza_forms, "hamza_forms"}, {AlefPolicy::all, "all"}};
constexpr EnumName<HamzaPolicy> kHamzaNames[] = {
    {HamzaPolicy::keep, "keep"}, {HamzaPolicy::to_hamza, "to_hamza"}, {HamzaPolicy::to_letter, "to_letter"}};
constexpr EnumName<JoinerPolicy> kZwnjNames[] = {
    {JoinerPolicy::keep, "keep"}, {JoinerPolicy::remove, "remove"}, {JoinerPolicy::to_space, "to_space"}};
constexpr EnumName<JoinerPolicy> kZwjNames[] = {
    {JoinerPolicy::keep, "keep"}, {JoinerPolicy::remove, "remove"}, {JoinerPolicy::keep_in_emoji, "keep_in_emoji"}};
constexpr EnumName<InvalidUtf8> kInvalidNames[] = {{InvalidUtf8::strict, "strict"}, {InvalidUtf8::replace, "replace"}};
constexpr EnumName<std::uint32_t> kDiacriticNames[] = {{kHarakat, "harakat"},      {kShadda, "shadda"},
                                                       {kSukun, "sukun"},          {kDaggerAlef, "dagger_alef"},
                                                       {kQuranicMarks, "quranic"}, {kOtherMarks, "other"}};

template <class Enum, std::size_t N>
Enum parse_enum(std::string_view name, std::string_view v, const EnumName<Enum> (&names)[N]) {
  std::vector<std::string> valid;
  for (const auto& n : names) {
    if (v == n.name) return n.value;
    valid.emplace_back(n.name);
  }
  throw std::invalid_argument("option '" + std::string(name) + "': invalid value '" + std::string(v) + "'" +
                              valid_list(v, valid));
}

template <class Enum, std::size_t N>
std::string enum_text(Enum value, const EnumName<Enum> (&names)[N]) {
  for (const auto& n : names)
    if (n.value == value) return n.name;
  return "?";
}

// Diacritics are given as "all", "none" or a '+'-separated list of classes.
std::uint32_t parse_diacritics(std::string_view v) {
  if (v == "all" || v == "true" || v == "1" || v == "on") return kAllDiacritics;
  if (v == "none" || v == "false" || v == "0" || v == "off") return 0;
  // Every piece between the '+' must name a class: "harakat+", "+" and "" are refused.
  std::uint32_t mask = 0;
  for (;;) {
    auto cut = v.find('+');
    mask |= parse_enum("diacritics", v.substr(0, cut), kDiacriticNames);
    if (cut == std::string_view::npos) return mask;
    v = v.substr(cut + 1);
  }
}

std::string diacritics_text(std::uint32_t mask) {
  if (mask == kAllDiacritics) return "all";
  if (mask == 0) return "none";
  std::string s;
  for (const auto& n : kDiacriticNames)
    if (mask & n.value) s += (s.empty() ? "" : "+") + std::string(n.name);
  return s;
}

// Every option once: name, how to set it, how to read it.
struct OptionField {
  const char* name;
  void (*set)(Options&, std::string_view);
  std::string (*get)(const Options&);
};

#define ARNORM_BOOL_FIELD(field)                                                                                       \
  OptionField {                                                                                                        \
#field, [](Options & o,                                                                                            \
               std::string_view                                                                                        \
                   v) { o.field = parse_bool(#field, v); },                                                            \
                                                         [](const Options&                                             \
                                                                o) { return std::string(o.field ? "true" : "false"); } \
  }
#define ARNORM_ENUM_FIELD(field, table)                                                                                \
  OptionField {                                                                                                        \
#field,                                                                                                            \
        [](Options & o,                                                                                                \
           std::string_view                                                                                            \
               v) { o.field = parse_enum(#field, v, table); },                                                         \
                                                            [](const Options& o) { return enum_text(o.field, table); } \
  }

const OptionField kFields[] = {
    ARNORM_BOOL_FIELD(compose),
    ARNORM_ENUM_FIELD(alef, kAlefNames),
    ARNORM_ENUM_FIELD(hamza, kHamzaNames),
    ARNORM_BOOL_FIELD(alef_maksura),
    ARNORM_BOOL_FIELD(teh_marbuta),
    ARNORM_BOOL_FIELD(tatweel),
    OptionField{"diacritics", [](Options& o, std::string_view v) { o.diacritics = parse_diacritics(v); },
                [](const Options& o) { return diacritics_text(o.diacritics); }},
    ARNORM_BOOL_FIELD(presentation_forms),
    ARNORM_BOOL_FIELD(persian_letters),
    ARNORM_BOOL_FIELD(loanword_letters),
    ARNORM_BOOL_FIELD(digits),
    ARNORM_BOOL_FIELD(punctuation),
    ARNORM_BOOL_FIELD(controls),
    ARNORM_ENUM_FIELD(zwnj, kZwnjNames),
    ARNORM_ENUM_FIELD(zwj, kZwjNames),
    ARNORM_BOOL_FIELD(spaces),
    ARNORM_BOOL_FIELD(collapse_spaces),
    ARNORM_BOOL_FIELD(elongation),
    ARNORM_ENUM_FIELD(invalid_utf8, kInvalidNames),
};

#undef ARNORM_BOOL_FIELD
#undef ARNORM_ENUM_FIELD

const OptionField& field(std::string_view name) {
  for (const auto& f : kFields)
    if (name == f.name) return f;
  throw std::invalid_argument("unknown option '" + std::string(name) + "'" + valid_list(name, Options::option_names()));
}

}  // namespace

std::vector<std::string> Options::option_names() {
  std::vector<std::string> names;
  for (const auto& f : kFields) names.emplace_back(f.name);
  return names;
}

void Options::set(std::string_view name, std::string_view value) { field(name).set(*this, value); }

std::string Options::get(std::string_view name) const { return field(name).get(*this); }

bool Options::operator==(const Options& o) const {
  for (const auto& f : kFields)
    if (f.get(*this) != f.get(o)) return false;
  return true;
}

std::vector<std::string> Options::profile_names() { return {"clean", "search", "lucene"}; }

Options Options::profile(std::string_view name) {
  Options o;  // the defaults are the search profile
  if (name == "search") return o;
  if (name == "clean") {
    // Lossless repairs only: the text reads the same, letters are not folded.
    o.alef = AlefPolicy::keep;
    o.hamza = HamzaPolicy::keep;
    o.alef_maksura = false;
    o.teh_marbuta = false;
    o.diacritics = 0;
    o.persian_letters = false;
    o.digits = false;
    o.zwnj = JoinerPolicy::keep;
    o.zwj = JoinerPolicy::keep;
    return o;
  }
  if (name == "lucene") {
    // Lucene's ArabicNormalizer: آ أ إ -> ا, ى -> ي, ة -> ه, tatweel and U+064B-U+0652 removed.
    o.compose = false;
    o.alef = AlefPolicy::hamza_forms;
    o.hamza = HamzaPolicy::keep;
    o.diacritics = kHarakat | kShadda | kSukun;
    o.presentation_forms = false;
    o.persian_letters = false;
    o.digits = false;
    o.controls = false;
    o.zwnj = JoinerPolicy::keep;
    o.zwj = JoinerPolicy::keep;
    o.spaces = false;
    return o;
  }
  throw std::invalid_argument("unknown profile '" + std::string(name) + "'" + valid_list(name, profile_names()));
}

const char* rule_name(Rule r) noexcept {
  // The option that controls each rule, so that an edit names what turns it off.
  static const char* const kNames[] = {
      "compose",     "alef",          "hamza",           "alef_maksura", "teh_marbuta", "tatweel",
      "diacritics",  "diacritics",    "diacritics",      "diacritics",   "diacritics",  "diacritics",
      "presentation_forms", "persian_letters", "loanword_letters", "digits", "punctuation", "controls",
      "zwnj",        "zwj",           "spaces",          "collapse_spaces", "elongation", "invalid_utf8"};
  auto i = static_cast<std::size_t>(r);
  return i < sizeof(kNames) / sizeof(kNames[0]) ? kNames[i] : "?";
}

}  // namespace arnorm
