// Throughput of arnorm beside, in the same run: memcpy of the same bytes (the
// physical limit), ICU NFKC through normalizeUTF8, and an ICU Transliterator
// with rules equivalent to the search profile. Prints each case's ratio to
// memcpy and to ICU NFKC at the end.
//
//   bench_normalize [--corpus FILE] [--diacritized FILE] [google benchmark flags]
//   (or ARNORM_BENCH_CORPUS / ARNORM_BENCH_DIACRITIZED in the environment)
#include <benchmark/benchmark.h>
#include <unicode/bytestream.h>
#include <unicode/normalizer2.h>
#include <unicode/translit.h>

#include <algorithm>
#include <arnorm/arnorm.hpp>
#include <arnorm/variants.hpp>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>

#include "sample_text.hpp"

namespace {

using arnorm_bench::Style;

std::string g_corpus_path, g_diacritized_path;

const std::string& text(const std::string& kind) {
  static std::map<std::string, std::string> texts = [] {
    std::map<std::string, std::string> t;
    constexpr std::size_t kSize = 8 << 20;
    t["news"] =
        g_corpus_path.empty() ? arnorm_bench::generate(kSize, Style::news) : arnorm_bench::read_file(g_corpus_path);
    t["diacritized"] = g_diacritized_path.empty() ? arnorm_bench::generate(kSize, Style::diacritized)
                                                  : arnorm_bench::read_file(g_diacritized_path);
    t["mixed"] = arnorm_bench::generate(kSize, Style::mixed);
    return t;
  }();
  return texts.at(kind);
}

const char* const kTexts[] = {"news", "diacritized", "mixed"};

void memcpy_case(benchmark::State& state, std::string kind) {
  const std::string& in = text(kind);
  std::string out(in.size(), '\0');
  for (auto _ : state) {
    std::memcpy(&out[0], in.data(), in.size());
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * in.size()));
}

void arnorm_case(benchmark::State& state, std::string profile, std::string kind) {
  const std::string& in = text(kind);
  static std::map<std::string, std::unique_ptr<arnorm::Normalizer>> normalizers;
  auto& n = normalizers[profile];
  if (!n) n = std::make_unique<arnorm::Normalizer>(arnorm::Options::profile(profile));
  std::string out;
  for (auto _ : state) {
    out.clear();
    n->normalize_into(in, out);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * in.size()));
}

void icu_nfkc_case(benchmark::State& state, std::string kind) {
  const std::string& in = text(kind);
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCInstance(status);
  std::string out;
  for (auto _ : state) {
    out.clear();
    icu::StringByteSink<std::string> sink(&out, static_cast<int32_t>(in.size()));
    nfkc->normalizeUTF8(0, icu::StringPiece(in.data(), static_cast<int32_t>(in.size())), sink, nullptr, status);
    benchmark::DoNotOptimize(out.data());
  }
  if (U_FAILURE(status)) state.SkipWithError("ICU NFKC failed");
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * in.size()));
}

// The search profile as ICU transliteration rules (UTF-8 in and out, as arnorm).
const char* const kSearchRules =
    "::[\\uFB50-\\uFDFF\\uFE70-\\uFEFF] NFKC;"
    "[\\u0622\\u0623\\u0625\\u0671\\u0672\\u0673\\u0675] > \\u0627;"
    "[\\u0624\\u0626] > \\u0621;"
    "\\u0649 > \\u064A; \\u0629 > \\u0647; \\u06A9 > \\u0643; [\\u06CC\\u06D2] > \\u064A;"
    "[\\u06C0\\u06C1\\u06C2\\u06D5] > \\u0647;"
    "[\\u0640\\u064B-\\u065F\\u0670\\u0610-\\u061A\\u06D6-\\u06DC\\u06DF-\\u06E8\\u06EA-\\u06ED] > ;"
    "[\\u00AD\\u061C\\u180E\\u200B\\u200C\\u200E\\u200F\\u202A-\\u202E\\u2060-\\u2064\\u2066-\\u206F\\uFEFF] > ;"
    "\\u0660 > 0; \\u0661 > 1; \\u0662 > 2; \\u0663 > 3; \\u0664 > 4;"
    "\\u0665 > 5; \\u0666 > 6; \\u0667 > 7; \\u0668 > 8; \\u0669 > 9;"
    "\\u06F0 > 0; \\u06F1 > 1; \\u06F2 > 2; \\u06F3 > 3; \\u06F4 > 4;"
    "\\u06F5 > 5; \\u06F6 > 6; \\u06F7 > 7; \\u06F8 > 8; \\u06F9 > 9;"
    "[\\u00A0\\u1680\\u2000-\\u200A\\u202F\\u205F\\u3000] > ' ';";

void icu_translit_case(benchmark::State& state, std::string kind) {
  // A 1 MB slice: the transliterator is slow enough that the full text takes seconds.
  std::string in = text(kind).substr(0, 1 << 20);
  while (!in.empty() && (static_cast<unsigned char>(in.back()) & 0xC0) == 0x80) in.pop_back();
  if (!in.empty() && static_cast<unsigned char>(in.back()) >= 0xC0) in.pop_back();
  UErrorCode status = U_ZERO_ERROR;
  UParseError perr;
  std::unique_ptr<icu::Transliterator> t(icu::Transliterator::createFromRules(
      "arnorm-search", icu::UnicodeString::fromUTF8(kSearchRules), UTRANS_FORWARD, perr, status));
  if (U_FAILURE(status)) {
    state.SkipWithError("transliterator rules rejected");
    return;
  }
  std::string out;
  for (auto _ : state) {
    icu::UnicodeString u = icu::UnicodeString::fromUTF8(in);
    t->transliterate(u);
    out.clear();
    u.toUTF8String(out);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * in.size()));
}

// Sizes from 64 B to 64 MB, against memcpy of the same size.
void sized_input(benchmark::State& state, bool copy_only) {
  static const std::string big = arnorm_bench::grow(text("news"), 64 << 20);
  std::string_view in(big.data(), static_cast<std::size_t>(state.range(0)));
  static const arnorm::Normalizer n;
  std::string out(in.size() + 16, '\0');
  for (auto _ : state) {
    if (copy_only) {
      std::memcpy(&out[0], in.data(), in.size());
    } else {
      out.clear();
      n.normalize_into(in, out);
    }
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * in.size()));
}

// Per-call cost: many short lines, one call each.
void short_lines(benchmark::State& state) {
  const std::vector<std::string_view> lines = arnorm_bench::short_lines(text("news"));
  static const arnorm::Normalizer n;
  std::string out;
  std::size_t bytes = 0;
  for (auto _ : state) {
    for (auto line : lines) {
      out.clear();
      n.normalize_into(line, out);
      benchmark::DoNotOptimize(out.data());
      bytes += line.size();
    }
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * lines.size()));
}

// Threads sharing one Normalizer, each on its own slice.
void shared_threads(benchmark::State& state) {
  static const arnorm::Normalizer n;
  const std::string& all = text("news");
  std::size_t slice = all.size() / static_cast<std::size_t>(state.threads());
  // Slices start and end on character boundaries (a cut character would stop the work early).
  auto boundary = [&](std::size_t pos) {
    while (pos < all.size() && (static_cast<unsigned char>(all[pos]) & 0xC0) == 0x80) ++pos;
    return pos;
  };
  std::size_t begin = boundary(slice * static_cast<std::size_t>(state.thread_index()));
  std::size_t end = boundary(std::min(all.size(), begin + slice));
  std::string_view in(all.data() + begin, end - begin);
  std::string out;
  for (auto _ : state) {
    out.clear();
    if (!n.normalize_into(in, out).ok()) state.SkipWithError("invalid UTF-8 in the slice");
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * in.size()));
}

// Variant-index lookups per second: the distinct words of the news text as
// the index, and the same words (every 7th) as queries.
void variant_lookups(benchmark::State& state) {
  static const auto setup = [] {
    std::vector<std::string> words;
    const std::string& t = text("news");
    std::size_t pos = 0;
    while (pos < t.size() && words.size() < 200000) {
      std::size_t end = t.find_first_of(" \n", pos);
      if (end == std::string::npos) end = t.size();
      if (end - pos >= 6) words.push_back(t.substr(pos, end - pos));
      pos = end + 1;
    }
    std::sort(words.begin(), words.end());
    words.erase(std::unique(words.begin(), words.end()), words.end());
    return std::make_pair(std::make_unique<arnorm::VariantIndex>(words), words);
  }();
  std::size_t i = 0, found = 0;
  for (auto _ : state) {
    found += setup.first->lookup(setup.second[(i * 7) % setup.second.size()], 5).size();
    ++i;
  }
  state.counters["index_size"] = static_cast<double>(setup.second.size());
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  benchmark::DoNotOptimize(found);
}

// Collects bytes/second and prints ratios once every case has run.
class RatioReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const auto& r : runs) {
      auto it = r.counters.find("bytes_per_second");
      if (it != r.counters.end() && r.run_type == Run::RT_Iteration) rates_[r.benchmark_name()] = it->second;
    }
  }
  void Finalize() override {
    ConsoleReporter::Finalize();
    std::printf("\n%-34s %12s %10s %10s\n", "case", "MB/s", "x memcpy", "x ICU NFKC");
    for (const auto& [name, rate] : rates_) {
      std::string kind = name.substr(name.find('/') + 1);
      kind = kind.substr(0, kind.find('/'));
      auto copy = rates_.find("memcpy/" + kind);
      auto nfkc = rates_.find("icu_nfkc/" + kind);
      std::printf("%-34s %12.1f", name.c_str(), rate / 1e6);
      if (copy != rates_.end() && name.rfind("memcpy", 0) != 0)
        std::printf(" %10.3f", rate / copy->second);
      else
        std::printf(" %10s", "");
      if (nfkc != rates_.end() && name.rfind("icu_nfkc", 0) != 0) std::printf(" %10.2f", rate / nfkc->second);
      std::printf("\n");
    }
  }

 private:
  std::map<std::string, double> rates_;
};

}  // namespace

int main(int argc, char** argv) {
  if (const char* c = std::getenv("ARNORM_BENCH_CORPUS")) g_corpus_path = c;
  if (const char* d = std::getenv("ARNORM_BENCH_DIACRITIZED")) g_diacritized_path = d;
  std::vector<char*> args;
  for (int i = 0; i < argc; ++i) {
    std::string a = argv[i];
    if ((a == "--corpus" || a == "--diacritized") && i + 1 < argc) {
      (a == "--corpus" ? g_corpus_path : g_diacritized_path) = argv[++i];
    } else {
      args.push_back(argv[i]);
    }
  }
  for (const char* kind : kTexts) {
    benchmark::RegisterBenchmark((std::string("memcpy/") + kind).c_str(), memcpy_case, kind);
    for (const char* profile : {"search", "clean", "lucene"})
      benchmark::RegisterBenchmark((std::string("arnorm_") + profile + "/" + kind).c_str(), arnorm_case, profile, kind);
    benchmark::RegisterBenchmark((std::string("icu_nfkc/") + kind).c_str(), icu_nfkc_case, kind);
    benchmark::RegisterBenchmark((std::string("icu_translit/") + kind).c_str(), icu_translit_case, kind);
  }
  benchmark::RegisterBenchmark("size_memcpy", sized_input, true)->RangeMultiplier(16)->Range(64, 64 << 20);
  benchmark::RegisterBenchmark("size_arnorm_search", sized_input, false)->RangeMultiplier(16)->Range(64, 64 << 20);
  benchmark::RegisterBenchmark("short_lines/search", short_lines);
  benchmark::RegisterBenchmark("threads/search", shared_threads)->ThreadRange(1, 2)->UseRealTime();
  benchmark::RegisterBenchmark("variant_index/lookup", variant_lookups);
  int n = static_cast<int>(args.size());
  benchmark::Initialize(&n, args.data());
  RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
}
