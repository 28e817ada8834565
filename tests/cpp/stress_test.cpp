// Sixteen threads mixing every API while Normalizers and indexes are built and
// dropped (CI runs it under TSan too: its name matches the threaded filter).
#include <gtest/gtest.h>

#include <arnorm/arnorm.hpp>
#include <arnorm/variants.hpp>
#include <atomic>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace {

TEST(Stress, SixteenThreadsMixingEveryApiConcurrently) {
  const std::vector<std::string> texts = {"الإستثمار على شانغهاي", "مَدّ ﻻ ١٢٣", "جمييييل  جدا", "\xD8\xA7\xD9\x94 x",
                                          "😀\u200d😀 ok", "bad \xFF byte"};
  const char* const profiles[] = {"search", "clean", "lucene"};
  const arnorm::Normalizer reference;  // shared by every thread
  arnorm::VariantIndex index({"شنغهاي", "كلينتون", "كازاخستان"});
  std::shared_ptr<const arnorm::Normalizer> current = std::make_shared<arnorm::Normalizer>();
  std::mutex current_lock;  // guards the pointer only; the Normalizer it names is shared without a lock
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 16; ++t) {
    threads.emplace_back([&, t] {
      std::mt19937 rng(static_cast<unsigned>(t));
      for (int i = 0; i < 60; ++i) {
        const std::string& text = texts[rng() % texts.size()];
        switch ((t + i) % 8) {
          case 0: {  // build and drop a Normalizer, and publish one
            arnorm::Options o = arnorm::Options::profile(profiles[rng() % 3]);
            o.elongation = rng() % 2;
            o.invalid_utf8 = arnorm::InvalidUtf8::replace;
            auto fresh = std::make_shared<arnorm::Normalizer>(o);
            if (fresh->normalize(text).empty() && !text.empty()) ++wrong;
            std::lock_guard<std::mutex> hold(current_lock);
            current = fresh;
            break;
          }
          case 1: {
            std::shared_ptr<const arnorm::Normalizer> n;
            {
              std::lock_guard<std::mutex> hold(current_lock);
              n = current;
            }
            std::string out;
            (void)n->normalize_into(text, out);
            break;
          }
          case 2: {
            std::string out;
            arnorm::Result r = reference.normalize_into(text, out);
            if (r.ok() != (text.find('\xFF') == std::string::npos)) ++wrong;
            break;
          }
          case 3: {
            std::vector<arnorm::SourceSpan> spans;
            try {
              (void)reference.normalize_with_offsets(text, spans);
              (void)reference.explain(text);
            } catch (const arnorm::Utf8Error&) {
            }
            break;
          }
          case 4: {
            arnorm::Stream s(reference);
            std::string out;
            (void)s.feed(text.substr(0, text.size() / 2), out);
            (void)s.feed(text.substr(text.size() / 2), out);
            (void)s.finish(out);
            break;
          }
          case 5:
            if (index.lookup("شانغهاي").empty()) ++wrong;
            (void)index.canonicalize(text);
            break;
          case 6:
            index.add("اسم" + std::to_string(t * 1000 + i));
            break;
          default: {
            if (!arnorm::are_variants("شنغهاي", "شانغهاي")) ++wrong;
            if (arnorm::are_variants("على", "إلى")) ++wrong;
            arnorm::VariantStats stats;
            stats.add(text, static_cast<std::uint64_t>(i));
            (void)arnorm::find_variants(stats);
            (void)arnorm::Lexicon().knows(text);
            break;
          }
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_GE(index.size(), 3u);
}

}  // namespace
