// VariantIndex: a gazetteer looked up by blocking key, scored by variant similarity and a frequency prior.
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

// -------------------------------------------------------------------- index --

struct VariantIndex::Impl {
  // Lookups share the index; add() takes it alone, so that a name added from
  // one thread never moves the tables under a lookup running in another. A
  // writer holds `gate` while it waits, so that a stream of lookups cannot
  // starve it (glibc's rwlock prefers readers); lookups pass the gate at once.
  mutable std::shared_mutex lock;
  mutable std::mutex gate;
  std::atomic<std::size_t> size{0};
  double threshold;
  std::vector<std::string> names;
  std::vector<Word> folded;
  std::vector<char> native;  // looks_native(folded[i])
  std::unordered_map<std::string, std::vector<std::uint32_t>> buckets;
  std::unordered_map<std::u32string, std::vector<std::uint32_t>> exact;  // folded spelling -> names
  // Frequency priors: each name's log count, and their sum (the prior is the
  // distance of a name's log count from the mean; without counts it is 0).
  std::vector<double> log_count;
  double log_count_sum = 0;

  double prior(std::uint32_t id) const {
    return kCountWeight * (log_count[id] - log_count_sum / static_cast<double>(log_count.size()));
  }

  void add(std::string_view name, std::uint64_t count) {
    Word w = fold(name);
    if (w.empty()) return;
    if (w.size() > kMaxNameLetters)
      throw std::invalid_argument("VariantIndex: a name of more than " + std::to_string(kMaxNameLetters) +
                                  " letters is not a name");
    std::lock_guard<std::mutex> first(gate);
    std::unique_lock<std::shared_mutex> hold(lock);
    auto id = static_cast<std::uint32_t>(names.size());
    names.emplace_back(name);
    folded.push_back(w);
    native.push_back(looks_native(w));
    exact[w].push_back(id);
    log_count.push_back(std::log1p(static_cast<double>(count)));
    log_count_sum += log_count.back();
    // The name's key and its deletions. Names are taken as written: a
    // proclitic is looked for on the query's side only (باجمال is not ب + اجمال).
    std::vector<std::string> keys = neighbourhood(key_of(w));
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    for (const auto& k : keys) buckets[k].push_back(id);
    size.store(names.size(), std::memory_order_release);
  }

  std::vector<VariantMatch> lookup(std::string_view query, std::size_t k) const {
    Word q = fold(query);
    std::vector<VariantMatch> out;
    if (q.empty() || k == 0 || q.size() > kMaxNameLetters) return out;
    { std::lock_guard<std::mutex> pass(gate); }
    std::shared_lock<std::shared_mutex> hold(lock);
    // A query spelled as an entry is that entry: two spellings that are both
    // entries are two names (to have them merged, index one of them only).
    if (auto hit = exact.find(q); hit != exact.end()) {
      for (std::size_t i = 0; i < hit->second.size() && out.size() < k; ++i) out.push_back({names[hit->second[i]], 1.0});
      return out;
    }
    // Stage one: names with the query's key (or a stripped form's key).
    // Stage two, only when stage one accepts nothing: keys one letter apart.
    std::vector<std::pair<double, std::uint32_t>> scored;
    Form fq[kMaxForms];
    std::size_t nq = forms(q, fq);
    // Each stage gathers the names of its buckets, once each (a name sits in
    // several buckets), and scores those the stage before did not.
    std::vector<std::uint32_t> done, ids;
    // The k best scores so far (a min-heap): a name must reach the lowest of
    // them to enter, so later candidates are cut off early in the distance.
    std::vector<double> best;
    auto floor = [&] { return best.size() < k ? threshold : std::max(threshold, best.front()); };
    auto gather = [&](const std::string& key) {
      auto it = buckets.find(key);
      if (it != buckets.end()) ids.insert(ids.end(), it->second.begin(), it->second.end());
    };
    auto score_gathered = [&] {
      std::sort(ids.begin(), ids.end());
      ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
      for (std::uint32_t id : ids) {
        if (std::binary_search(done.begin(), done.end(), id)) continue;
        const Form name{folded[id], 0.0, native[id] != 0};
        const double bar = floor();
        // The score is the spelling similarity moved by the name's frequency
        // prior; the spelling must reach the bar moved back by the same amount.
        const double p = prior(id);
        const double spelling = similarity_of_forms(fq, nq, &name, 1, p == 0 ? bar : logistic(logit(bar) - p));
        const double s = p == 0 || spelling <= 0 ? spelling : logistic(logit(spelling) + p);
        if (s < bar) continue;
        scored.emplace_back(s, id);
        best.push_back(s);
        std::push_heap(best.begin(), best.end(), std::greater<>());
        if (best.size() > k) std::pop_heap(best.begin(), best.end(), std::greater<>()), best.pop_back();
      }
      done.swap(ids);
      ids.clear();
    };
    std::vector<std::string> keys = neighbourhood(key_of(q));
    gather(keys[0]);
    for (std::size_t i = 1; i < nq; ++i) gather(key_of(Word(fq[i].word)));
    score_gathered();
    if (scored.empty()) {
      // A name's deletions are filed under "~" + deletion, so one lookup
      // finds keys one letter apart three ways: a letter more in the name
      // ("~" + the query's key), a letter less (a deletion of the query's key
      // without the mark), and one letter different (both deletions).
      auto gather_around = [&](const std::vector<std::string>& around) {
        gather("~" + around[0]);
        for (std::size_t j = 1; j < around.size(); ++j) gather(around[j]), gather(around[j].substr(1));
      };
      gather_around(keys);
      for (std::size_t i = 1; i < nq; ++i) gather_around(neighbourhood(key_of(Word(fq[i].word))));
      score_gathered();
    }
    std::sort(scored.begin(), scored.end(), [&](const auto& x, const auto& y) {
      return x.first != y.first ? x.first > y.first : x.second < y.second;
    });
    for (std::size_t i = 0; i < scored.size() && out.size() < k; ++i)
      out.push_back({names[scored[i].second], scored[i].first});
    return out;
  }
};

VariantIndex::VariantIndex(double threshold) : impl_(std::make_unique<Impl>()) {
  if (!(threshold >= 0.0 && threshold <= 1.0))
    throw std::invalid_argument("VariantIndex: the threshold must be between 0 and 1");
  impl_->threshold = threshold;
}

VariantIndex::VariantIndex(const std::vector<std::string>& names, double threshold) : VariantIndex(threshold) {
  for (const auto& n : names) add(n);
}

VariantIndex::VariantIndex(const std::vector<std::string>& names, const std::vector<std::uint64_t>& counts,
                           double threshold)
    : VariantIndex(threshold) {
  if (counts.size() != names.size()) throw std::invalid_argument("VariantIndex: one count per name");
  for (std::size_t i = 0; i < names.size(); ++i) add(names[i], counts[i]);
}

VariantIndex::~VariantIndex() = default;
VariantIndex::VariantIndex(VariantIndex&&) noexcept = default;
VariantIndex& VariantIndex::operator=(VariantIndex&&) noexcept = default;

// A moved-from index is empty: it finds nothing and refuses names.
void VariantIndex::add(std::string_view name, std::uint64_t count) {
  if (!impl_) throw std::logic_error("VariantIndex: used after being moved from");
  impl_->add(name, count);
}
std::size_t VariantIndex::size() const noexcept { return impl_ ? impl_->size.load(std::memory_order_acquire) : 0; }
double VariantIndex::threshold() const noexcept { return impl_ ? impl_->threshold : kVariantThreshold; }

std::vector<VariantMatch> VariantIndex::lookup(std::string_view query, std::size_t k) const {
  return impl_ ? impl_->lookup(query, k) : std::vector<VariantMatch>{};
}

std::string VariantIndex::canonicalize(std::string_view text, std::vector<Rewrite>* rewrites) const {
  if (rewrites) rewrites->clear();
  if (!impl_) return std::string(text);
  std::string out;
  const Lexicon& lexicon = builtin_lexicon();
  const double bar = std::max(impl_->threshold, kRewriteThreshold);
  auto* b = reinterpret_cast<const unsigned char*>(text.data());
  auto* end = b + text.size();
  const unsigned char* word_start = nullptr;
  auto flush_word = [&](const unsigned char* stop) {
    if (!word_start) return;
    const std::size_t begin = static_cast<std::size_t>(word_start - b), size = static_cast<std::size_t>(stop - word_start);
    std::string_view word(text.data() + begin, size);
    word_start = nullptr;
    // An ordinary word is never rewritten, whatever name it looks like.
    Word folded_word = fold(word);
    if (LexiconAccess::knows(lexicon, detail::to_codes(folded_word))) return void(out += word);
    // The word whole, or without a proclitic (kept in the output: ولكلنتون -> ولكلينتون).
    Form f[kMaxForms];
    std::size_t n = forms(folded_word, f);
    std::string best_name, best_prefix;
    double best_score = -1;
    for (std::size_t i = 0; i < n; ++i) {
      auto found = lookup(to_utf8(Word(f[i].word)), 1);
      if (found.empty() || found[0].score < bar || found[0].score <= best_score) continue;
      best_score = found[0].score;
      best_name = found[0].name;
      best_prefix = to_utf8(folded_word.substr(0, folded_word.size() - f[i].word.size()));
    }
    std::string replacement = best_score < 0 ? std::string(word) : best_prefix + best_name;
    if (rewrites && replacement != word) rewrites->push_back({begin, begin + size, replacement, best_score});
    out += replacement;
  };
  for (auto* p = b; p < end;) {
    detail::Decoded d = detail::decode_utf8(p, end);
    bool letter = d.ok && ((d.cp >= 0x0600 && d.cp <= 0x06FF && d.cp != 0x060C && d.cp != 0x061B && d.cp != 0x061F &&
                            !(d.cp >= 0x0660 && d.cp <= 0x066D)));
    if (letter) {
      if (!word_start) word_start = p;
    } else {
      flush_word(p);
      out.append(reinterpret_cast<const char*>(p), d.len);
    }
    p += d.len;
  }
  flush_word(end);
  return out;
}

}  // namespace arnorm
