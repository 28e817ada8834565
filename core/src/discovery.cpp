// Discovery: VariantStats (mergeable word statistics) and find_variants.
#include <algorithm>
#include <atomic>
#include <cmath>
#include <functional>
#include <mutex>
#include <numeric>
#include <shared_mutex>
#include <stdexcept>
#include <tuple>
#include <unordered_map>

#include "arnorm/variants.hpp"
#include "lexicon.hpp"
#include "utf8.hpp"
#include "variant_model.hpp"

namespace arnorm {

using namespace variant_model;
using detail::Codes;

// -------------------------------------------------------------- discovery --

namespace {

// The words of a text: runs of Arabic letters and marks (digits and Arabic
// punctuation end a word), each with its folded letters.
template <class F>
void for_each_word(std::string_view text, F&& f) {
  auto* p = reinterpret_cast<const unsigned char*>(text.data());
  auto* end = p + text.size();
  const unsigned char* start = nullptr;
  auto flush = [&](const unsigned char* stop) {
    if (!start) return;
    std::string_view raw(reinterpret_cast<const char*>(start), static_cast<std::size_t>(stop - start));
    start = nullptr;
    Word w = fold(raw);
    if (!w.empty()) f(raw, w);
  };
  while (p < end) {
    detail::Decoded d = detail::decode_utf8(p, end);
    // A word: letters and the marks among them (folded away later), not digits or punctuation.
    const bool in_word = d.ok && d.cp >= 0x0621 && d.cp <= 0x0670 && !(d.cp >= 0x0660 && d.cp <= 0x066D);
    if (in_word) {
      if (!start) start = p;
    } else {
      flush(p);
    }
    p += d.len;
  }
  flush(end);
}

}  // namespace

// Per folded word: its count; for a word the lexicon does not know (a
// candidate name), also its spellings, the sources it occurs in and its
// neighbours (folded words, "<" left and ">" right).
struct VariantStats::Impl {
  Lexicon lexicon;
  struct Candidate {
    std::unordered_map<std::string, std::uint64_t> spellings, neighbours;
    std::unordered_map<std::uint64_t, std::uint64_t> sources;
  };
  std::unordered_map<std::string, std::uint64_t> counts;  // UTF-8 of the folded letters
  std::unordered_map<std::string, Candidate> candidates;
  std::unordered_map<std::string, bool> known;  // cache of lexicon verdicts
};

VariantStats::VariantStats(const Lexicon& lexicon) : impl_(std::make_unique<Impl>()) { impl_->lexicon = lexicon; }
VariantStats::VariantStats() : VariantStats(Lexicon()) {}
VariantStats::~VariantStats() = default;
VariantStats::VariantStats(VariantStats&&) noexcept = default;
VariantStats& VariantStats::operator=(VariantStats&&) noexcept = default;

// Moved-from statistics are empty and refuse more.
void VariantStats::add(std::string_view text, std::uint64_t source) {
  if (!impl_) throw std::logic_error("VariantStats: used after being moved from");
  Impl& m = *impl_;
  std::vector<std::string> words;
  std::vector<std::pair<std::string_view, std::size_t>> candidates;  // raw spelling, index in words
  for_each_word(text, [&](std::string_view raw, const Word& w) {
    std::string key = to_utf8(w);
    ++m.counts[key];
    if (w.size() >= 3 && w.size() <= kMaxNameLetters) {
      auto it = m.known.find(key);
      if (it == m.known.end()) it = m.known.emplace(key, LexiconAccess::knows(m.lexicon, detail::to_codes(w))).first;
      if (!it->second) candidates.emplace_back(raw, words.size());
    }
    words.push_back(std::move(key));
  });
  for (const auto& [raw, i] : candidates) {
    Impl::Candidate& c = m.candidates[words[i]];
    ++c.spellings[std::string(raw)];
    ++c.sources[source];
    // Neighbours one and two words away on each side, the pair as one neighbour.
    if (i > 0) ++c.neighbours["<" + words[i - 1]];
    if (i > 1) ++c.neighbours["<" + words[i - 2] + " " + words[i - 1]];
    if (i + 1 < words.size()) ++c.neighbours[">" + words[i + 1]];
    if (i + 2 < words.size()) ++c.neighbours[">" + words[i + 1] + " " + words[i + 2]];
  }
}

void VariantStats::merge(const VariantStats& other) {
  if (!impl_) throw std::logic_error("VariantStats: used after being moved from");
  if (!other.impl_) return;
  if (&other == this) return merge(deserialize(serialize(), impl_->lexicon));  // counts everything twice
  Impl& m = *impl_;
  for (const auto& [w, n] : other.impl_->counts) m.counts[w] += n;
  for (const auto& [w, k] : other.impl_->known) m.known.emplace(w, k);
  for (const auto& [w, c] : other.impl_->candidates) {
    Impl::Candidate& mine = m.candidates[w];
    for (const auto& [k, n] : c.spellings) mine.spellings[k] += n;
    for (const auto& [k, n] : c.neighbours) mine.neighbours[k] += n;
    for (const auto& [k, n] : c.sources) mine.sources[k] += n;
  }
}

std::size_t VariantStats::words() const noexcept { return impl_ ? impl_->counts.size() : 0; }

// Lines of tab-separated fields (words hold no tab or newline): "w word
// count", then per candidate "c word" followed by its "s spelling n",
// "n neighbour n" and "o source n" lines.
std::string VariantStats::serialize() const {
  std::string out = "arnorm-variant-stats 1\n";
  if (!impl_) return out;
  auto line = [&](char tag, const std::string& a, std::uint64_t n) {
    out += tag;
    out += '\t';
    out += a;
    out += '\t';
    out += std::to_string(n);
    out += '\n';
  };
  for (const auto& [w, n] : impl_->counts) line('w', w, n);
  for (const auto& [w, c] : impl_->candidates) {
    out += "c\t" + w + "\n";
    for (const auto& [k, n] : c.spellings) line('s', k, n);
    for (const auto& [k, n] : c.neighbours) line('n', k, n);
    for (const auto& [k, n] : c.sources) line('o', std::to_string(k), n);
  }
  return out;
}

VariantStats VariantStats::deserialize(std::string_view bytes, const Lexicon& lexicon) {
  VariantStats stats(lexicon);
  Impl& m = *stats.impl_;
  const std::string_view header = "arnorm-variant-stats 1\n";
  if (bytes.substr(0, header.size()) != header) throw std::invalid_argument("VariantStats: not serialized statistics");
  bytes.remove_prefix(header.size());
  Impl::Candidate* current = nullptr;
  auto number = [](std::string_view s) {
    std::uint64_t n = 0;
    if (s.empty()) throw std::invalid_argument("VariantStats: bad number");
    for (char c : s) {
      if (c < '0' || c > '9') throw std::invalid_argument("VariantStats: bad number");
      n = n * 10 + static_cast<std::uint64_t>(c - '0');
    }
    return n;
  };
  while (!bytes.empty()) {
    const std::size_t eol = bytes.find('\n');
    if (eol == bytes.npos) throw std::invalid_argument("VariantStats: truncated");
    std::string_view l = bytes.substr(0, eol);
    bytes.remove_prefix(eol + 1);
    const std::size_t t1 = l.find('\t');
    if (t1 != 1) throw std::invalid_argument("VariantStats: bad line");
    const char tag = l[0];
    std::string_view rest = l.substr(2);
    if (tag == 'c') {
      current = &m.candidates[std::string(rest)];
      m.known[std::string(rest)] = false;
      continue;
    }
    const std::size_t t2 = rest.find('\t');
    if (t2 == rest.npos) throw std::invalid_argument("VariantStats: bad line");
    std::string key(rest.substr(0, t2));
    const std::uint64_t n = number(rest.substr(t2 + 1));
    if (tag == 'w') {
      m.counts[key] += n;
    } else if (current && tag == 's') {
      current->spellings[key] += n;
    } else if (current && tag == 'n') {
      current->neighbours[key] += n;
    } else if (current && tag == 'o') {
      current->sources[number(key)] += n;
    } else {
      throw std::invalid_argument("VariantStats: bad line");
    }
  }
  return stats;
}

namespace {

// The stem of a candidate for discovery: the article (with و ب ف ك ل before
// it) is removed when three letters remain; a single proclitic only when
// the rest also occurs on its own, so that وثيق keeps its و.
Word discovery_stem(const Word& w, const std::unordered_map<std::string, std::uint64_t>& counts, bool& article) {
  article = false;
  for (const auto& p : kProclitics) {
    const std::u32string_view a(p.text);
    if (!p.stem || !holds_article(a) || w.size() < a.size() + 3 || w.compare(0, a.size(), a) != 0) continue;
    article = true;
    return w.substr(a.size());
  }
  for (const auto& p : kProclitics)
    if (p.stem && p.text[1] == 0 && w.size() >= 4 && w[0] == p.text[0]) {
      Word rest = w.substr(1);
      if (counts.count(to_utf8(rest)) || counts.count(to_utf8(U"\u0627\u0644" + rest))) return rest;
    }
  return w;
}

// Weights of the evidence beside spelling, chosen on the dev half of the
// labelled news pairs (docs/variants.md): shared neighbours, sources that
// keep to one spelling each, and how often the words come without a proclitic.
// The bias puts the default cut (0.5) where the dev pairs found in the news corpus
// were mostly right (docs/variants.md).
constexpr double kContextWeight = 8.0, kContextPrior = 0.2, kSeparationWeight = 2.0, kBareWeight = 1.0,
                 kDiscoveryBias = -0.8473;  // logit(0.7)

}  // namespace

std::vector<VariantGroup> find_variants(const VariantStats& stats, double threshold, double min_confidence) {
  if (!stats.impl_) return {};
  const auto& m = *stats.impl_;
  struct Stem {
    Word word;
    std::unordered_map<std::string, std::uint64_t> spellings, neighbours;
    std::unordered_map<std::uint64_t, double> sources;
    double total = 0, bare = 0, definite = 0;
    std::string spelling;  // the most frequent
    std::unordered_map<std::string, double> weighted;  // neighbour -> its weight (below)
    double weight_total = 0;
  };
  std::unordered_map<std::u32string, std::size_t> index;
  std::vector<Stem> stems;
  // Candidates in a fixed order, so the result does not depend on hashing.
  std::vector<const std::string*> order;
  for (const auto& [w, c] : m.candidates) order.push_back(&w);
  std::sort(order.begin(), order.end(), [](const std::string* x, const std::string* y) { return *x < *y; });
  for (const std::string* key : order) {
    const auto& c = m.candidates.at(*key);
    Word w = fold(*key);
    bool article = false;
    Word stem = discovery_stem(w, m.counts, article);
    if (stem.size() < 3) continue;
    auto [it, fresh] = index.emplace(stem, stems.size());
    if (fresh) stems.push_back(Stem{stem, {}, {}, {}, 0, 0, 0, {}, {}, 0});
    Stem& s = stems[it->second];
    std::uint64_t n = 0;
    for (const auto& [k, v] : c.spellings) s.spellings[k] += v, n += v;
    for (const auto& [k, v] : c.neighbours) s.neighbours[k] += v;
    for (const auto& [k, v] : c.sources) s.sources[k] += static_cast<double>(v);
    s.total += static_cast<double>(n);
    if (stem.size() == w.size()) s.bare += static_cast<double>(n);
    if (article) s.definite += static_cast<double>(n);
  }
  for (Stem& s : stems) {
    // Seen with the article anywhere in the corpus (also as an ordinary word, which is not a candidate).
    auto with_article = m.counts.find(to_utf8(U"\u0627\u0644" + s.word));
    if (with_article != m.counts.end()) s.definite += static_cast<double>(with_article->second);
    s.spelling = std::max_element(s.spellings.begin(), s.spellings.end(), [](const auto& x, const auto& y) {
                   return x.second != y.second ? x.second < y.second : x.first > y.first;
                 })->first;
  }
  // A neighbour counts for more the rarer it is (a name's company is specific).
  // A pair of neighbours weighs as its rarer word.
  auto weight = [&](const std::string& neighbour) {
    std::string_view n(neighbour);
    n.remove_prefix(1);
    double least = 1e300;
    for (std::size_t start = 0; start <= n.size();) {
      std::size_t space = std::min(n.find(' ', start), n.size());
      auto it = m.counts.find(std::string(n.substr(start, space - start)));
      least = std::min(least, it == m.counts.end() ? 1.0 : static_cast<double>(it->second));
      start = space + 1;
    }
    return 1.0 / std::log(2.0 + least);
  };
  // Each stem's neighbour weights and their sum, worked out once (a stem meets many others).
  for (Stem& st : stems) {
    for (auto& [k, v] : st.neighbours) {
      const double w = weight(k);
      st.weighted.emplace(k, w);
      st.weight_total += w;
    }
  }
  auto context = [&](const Stem& x, const Stem& y) {
    double shared = 0;
    for (const auto& [k, w] : x.weighted)
      if (y.weighted.count(k)) shared += w;
    const double least = std::min(x.weight_total, y.weight_total);
    return least > 0 ? shared / least : 0.0;
  };
  auto separation = [&](const Stem& x, const Stem& y) {
    double overlap = 0;
    for (const auto& [t, n] : x.sources) {
      auto it = y.sources.find(t);
      if (it != y.sources.end()) overlap += std::min(n / x.total, it->second / y.total);
    }
    return 1.0 - overlap;
  };
  // Candidate pairs share a key bucket.
  std::unordered_map<std::string, std::vector<std::size_t>> buckets;
  for (std::size_t i = 0; i < stems.size(); ++i) buckets[key_of(stems[i].word)].push_back(i);
  struct Link {
    std::size_t a, b;
    double confidence;
  };
  std::vector<Link> links;
  for (const auto& [key, members] : buckets) {
    for (std::size_t x = 0; x < members.size(); ++x) {
      for (std::size_t y = x + 1; y < members.size(); ++y) {
        const Stem& a = stems[members[x]];
        const Stem& b = stems[members[y]];
        const bool definite = a.definite > 0 || b.definite > 0;
        double sim = similarity_with(a.word, b.word, m.lexicon, true, definite);
        if (sim < threshold * 0.5 || sim <= 0.0) continue;  // context can lift a pair only so far
        if (sim >= 1.0) sim = 1.0 - 1e-9;
        const double bare = std::min(a.bare / a.total, b.bare / b.total);
        const double z = logit(sim) + kContextWeight * (context(a, b) - kContextPrior) +
                         kSeparationWeight * (separation(a, b) - 0.5) + kBareWeight * (bare - 0.5) + kDiscoveryBias;
        const double confidence = logistic(z);
        if (confidence >= min_confidence) links.push_back({members[x], members[y], confidence});
      }
    }
  }
  // Groups by complete linkage: two groups join only when every pair across
  // them is linked, so a chain of look-alikes never becomes one group.
  std::sort(links.begin(), links.end(), [](const Link& x, const Link& y) {
    return x.confidence != y.confidence ? x.confidence > y.confidence : std::tie(x.a, x.b) < std::tie(y.a, y.b);
  });
  std::unordered_map<std::uint64_t, double> linked;
  auto pair_key = [&](std::size_t a, std::size_t b) {
    return static_cast<std::uint64_t>(std::min(a, b)) << 32 | static_cast<std::uint64_t>(std::max(a, b));
  };
  for (const Link& l : links) linked.emplace(pair_key(l.a, l.b), l.confidence);
  std::vector<std::size_t> group_of(stems.size());
  std::iota(group_of.begin(), group_of.end(), 0);
  std::unordered_map<std::size_t, std::vector<std::size_t>> members;
  std::unordered_map<std::size_t, double> weakest;
  for (const Link& l : links) {
    const std::size_t ga = group_of[l.a], gb = group_of[l.b];
    if (ga == gb) continue;
    auto list = [&](std::size_t g) { return members.count(g) ? members[g] : std::vector<std::size_t>{g}; };
    std::vector<std::size_t> ma = list(ga), mb = list(gb);
    double least = l.confidence;
    bool complete = true;
    for (std::size_t x : ma) {
      for (std::size_t y : mb) {
        auto it = linked.find(pair_key(x, y));
        if (it == linked.end()) {
          complete = false;
          break;
        }
        least = std::min(least, it->second);
      }
      if (!complete) break;
    }
    if (!complete) continue;
    if (weakest.count(ga)) least = std::min(least, weakest[ga]);
    if (weakest.count(gb)) least = std::min(least, weakest[gb]);
    for (std::size_t y : mb) group_of[y] = ga;
    ma.insert(ma.end(), mb.begin(), mb.end());
    members[ga] = std::move(ma);
    members.erase(gb);
    weakest[ga] = least;
    weakest.erase(gb);
  }
  std::vector<VariantGroup> out;
  for (auto& [g, list] : members) {
    std::sort(list.begin(), list.end(), [&](std::size_t x, std::size_t y) {
      return stems[x].total != stems[y].total ? stems[x].total > stems[y].total : stems[x].spelling < stems[y].spelling;
    });
    VariantGroup group;
    for (std::size_t i : list) {
      group.spellings.push_back(stems[i].spelling);
      group.counts.push_back(static_cast<std::size_t>(stems[i].total));
    }
    group.confidence = weakest[g];
    out.push_back(std::move(group));
  }
  std::sort(out.begin(), out.end(), [](const VariantGroup& x, const VariantGroup& y) {
    return x.confidence != y.confidence ? x.confidence > y.confidence : x.spellings < y.spellings;
  });
  return out;
}

std::vector<VariantGroup> find_variants(const std::vector<std::string>& texts, double threshold, double min_confidence,
                                        const Lexicon* lexicon) {
  VariantStats stats(lexicon ? *lexicon : Lexicon());
  for (std::size_t t = 0; t < texts.size(); ++t) stats.add(texts[t], t);
  return find_variants(stats, threshold, min_confidence);
}

}  // namespace arnorm
