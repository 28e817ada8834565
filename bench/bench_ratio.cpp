// The copy-ratio measure: a large text cut into ~64 KiB documents at spaces;
// each round copies every document into a new std::string, then normalizes
// every document with the convenience API; the median of interleaved rounds
// is reported as normalize throughput / copy throughput.
//
//   bench_ratio [--corpus FILE] [--profile NAME] [--rounds N] [--min-mb N]
//   bench_ratio --probe N [--corpus FILE]   normalize a fixed text N times (for callgrind)
//   bench_ratio --probe-lines N [--corpus FILE]   the same, line by line, lines cut as
//                                            bench_normalize's short_lines cuts them (short_lines())
//   bench_ratio --dump-sample BYTES          write that text, this long, to stdout
#include <algorithm>
#include <arnorm/arnorm.hpp>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "sample_text.hpp"

namespace {

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// Kept out of line so callgrind can count exactly this (--toggle-collect=run_probe*).
__attribute__((noinline)) std::size_t run_probe(const arnorm::Normalizer& n, const std::string& text, int times) {
  std::size_t total = 0;
  std::string out;
  for (int i = 0; i < times; ++i) {
    out.clear();
    n.normalize_into(text, out);
    total += out.size();
  }
  return total;
}

// Each line alone, as a caller with short texts (titles, tweets) does.
__attribute__((noinline)) std::size_t run_probe_lines(const arnorm::Normalizer& n, const std::string& text,
                                                      int times) {
  const std::vector<std::string_view> lines = arnorm_bench::short_lines(text);
  std::size_t total = 0;
  std::string out;
  for (int i = 0; i < times; ++i)
    for (auto line : lines) {
      out.clear();
      n.normalize_into(line, out);
      total += out.size();
    }
  return total;
}

}  // namespace

int main(int argc, char** argv) {
  std::string corpus, profile = "search";
  int rounds = 7, probe = 0, probe_lines = 0;
  std::size_t min_mb = 64;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string a = argv[i];
    if (a == "--corpus")
      corpus = argv[i + 1];
    else if (a == "--profile")
      profile = argv[i + 1];
    else if (a == "--rounds")
      rounds = std::stoi(argv[i + 1]);
    else if (a == "--min-mb")
      min_mb = std::stoul(argv[i + 1]);
    else if (a == "--probe")
      probe = std::stoi(argv[i + 1]);
    else if (a == "--probe-lines")
      probe_lines = std::stoi(argv[i + 1]);
    else if (a == "--dump-sample") {  // the probe's built-in text, cut to this many bytes (for qemu_count.py)
      const std::string text = arnorm_bench::generate(std::stoul(argv[i + 1]), arnorm_bench::Style::news, 7);
      std::fwrite(text.data(), 1, text.size(), stdout);
      return 0;
    } else {
      std::fprintf(stderr, "unknown argument %s\n", a.c_str());
      return 2;
    }
  }
  arnorm::Normalizer n = arnorm::Normalizer::from_profile(profile);
  if (probe > 0 || probe_lines > 0) {
    std::string text = corpus.empty() ? arnorm_bench::generate(1 << 20, arnorm_bench::Style::news, 7)
                                      : arnorm_bench::read_file(corpus);
    const int times = probe > 0 ? probe : probe_lines;
    std::size_t out = probe > 0 ? run_probe(n, text, times) : run_probe_lines(n, text, times);
    std::printf("probe: %d x %zu bytes%s, %zu bytes out\n", times, text.size(), probe > 0 ? "" : " line by line", out);
    return 0;
  }
  std::string text =
      corpus.empty() ? arnorm_bench::generate(8 << 20, arnorm_bench::Style::news) : arnorm_bench::read_file(corpus);
  text = arnorm_bench::grow(text, min_mb << 20);
  std::vector<std::string_view> docs;
  for (std::size_t pos = 0; pos < text.size();) {
    std::size_t end = text.find(' ', pos + (64 << 10));
    if (end == std::string::npos) end = text.size();
    docs.emplace_back(text.data() + pos, end - pos);
    pos = end;
  }
  std::vector<double> copy_rate, norm_rate;
  for (int r = 0; r < rounds; ++r) {
    auto t0 = std::chrono::steady_clock::now();
    std::size_t sink = 0;
    for (auto d : docs) {
      std::string copy(d);
      sink += static_cast<unsigned char>(copy[copy.size() / 2]);
    }
    copy_rate.push_back(static_cast<double>(text.size()) / seconds_since(t0));
    t0 = std::chrono::steady_clock::now();
    for (auto d : docs) {
      std::string out = arnorm::normalize(d, profile);
      sink += out.size();
    }
    norm_rate.push_back(static_cast<double>(text.size()) / seconds_since(t0));
    if (sink == 42) std::puts("");  // keeps the work observable
  }
  std::sort(copy_rate.begin(), copy_rate.end());
  std::sort(norm_rate.begin(), norm_rate.end());
  double copy = copy_rate[copy_rate.size() / 2], norm = norm_rate[norm_rate.size() / 2];
  std::printf("input: %s, %.1f MB in %zu documents, profile %s, %d rounds (median)\n",
              corpus.empty() ? "built-in generator" : corpus.c_str(), static_cast<double>(text.size()) / 1e6,
              docs.size(), profile.c_str(), rounds);
  std::printf("copy      %10.1f MB/s\nnormalize %10.1f MB/s\nratio     %10.3f\n", copy / 1e6, norm / 1e6, norm / copy);
  return 0;
}
