// Name-variant matching, on the project's own small cases.
#include <gtest/gtest.h>

#include <arnorm/variants.hpp>
#include <atomic>
#include <cmath>
#include <thread>

namespace {

TEST(Variants, SameAfterFoldingIsSimilarityOne) {
  EXPECT_DOUBLE_EQ(arnorm::variant_similarity("أستانا", "استانا"), 1.0);
  EXPECT_DOUBLE_EQ(arnorm::variant_similarity("الشئون", "الشؤون"), 1.0);
  EXPECT_TRUE(arnorm::are_variants("على", "علي"));
}

TEST(Variants, TransliterationVariantsJoin) {
  const char* const pairs[][2] = {{"شنغهاي", "شانغهاي"},      {"رحمن", "رحمون"},     {"بينغ", "بينج"},
                                  {"كلينتون", "كلنتون"},      {"كلينتون", "كلينتن"}, {"قازاقستان", "كازاخستان"},
                                  {"لقازاقستان", "كازاخستان"}};
  // Spelling alone (a list of names): every pair.
  const arnorm::Lexicon names = arnorm::Lexicon::none();
  for (const auto& p : pairs) {
    EXPECT_TRUE(arnorm::are_variants(p[0], p[1], arnorm::kVariantThreshold, &names)) << p[0] << " " << p[1];
    EXPECT_DOUBLE_EQ(arnorm::variant_similarity(p[0], p[1]), arnorm::variant_similarity(p[1], p[0]));
  }
  // With the built-in lexicon, unknown words need a closer spelling: رحمن/رحمون
  // is left to discovery, where the corpus can vouch for it.
  for (const auto& p : pairs)
    if (std::string(p[0]) != "رحمن") {
      EXPECT_TRUE(arnorm::are_variants(p[0], p[1])) << p[0] << " " << p[1];
    }
  EXPECT_FALSE(arnorm::are_variants("رحمن", "رحمون"));
}

// Pairs of real news words that spelling alone took for variants.
TEST(Variants, OrdinaryWordsAreNeverVariants) {
  const char* const words[][2] = {{"على", "إلى"},     {"استخدام", "استخدم"}, {"تقدم", "تقديم"}, {"أشار", "إشارة"},
                                  {"المؤتمر", "مثمرة"}, {"عالية", "آلية"},    {"كتب", "كاتب"}};
  for (const auto& p : words) {
    EXPECT_FALSE(arnorm::are_variants(p[0], p[1])) << p[0] << " " << p[1];
    EXPECT_EQ(arnorm::variant_similarity(p[0], p[1]), 0.0) << p[0] << " " << p[1];
  }
}

// Two forms of one word that differ by an inflectional affix, known or not.
TEST(Variants, InflectionsAreNotVariants) {
  const char* const forms[][2] = {{"صحافي", "صحافية"},  {"حواسيب", "حواسيبه"},     {"يندم", "أندم"},
                                  {"يجلسن", "يجلسون"},  {"الخميني", "الخمينية"},   {"منفذوها", "منفذيها"},
                                  {"مصدوم", "مصدومة"},  {"الاسكوتلندي", "الاسكوتلندية"}, {"ليبراليون", "ليبراليين"}};
  for (const auto& p : forms) EXPECT_FALSE(arnorm::are_variants(p[0], p[1])) << p[0] << " " << p[1];
  // A name's final vowel is not an affix: ماريا/ماري, بيرك/بيركه keep their spelling score.
  EXPECT_GT(arnorm::variant_similarity("فونتين", "فونتان"), 0.0);
}

TEST(Variants, AProcliticApartIsOneWord) {
  EXPECT_EQ(arnorm::variant_similarity("الجبيل", "جبيل"), 1.0);
  EXPECT_EQ(arnorm::variant_similarity("برشلونة", "وبرشلونة"), 1.0);
  EXPECT_EQ(arnorm::variant_similarity("لمواجهته", "مواجهته"), 1.0);
}

TEST(Variants, WordsWithoutArabicLettersAreNotVariants) {
  EXPECT_EQ(arnorm::variant_similarity("١٢٣", "٤٥٦"), 0.0);
  EXPECT_EQ(arnorm::variant_similarity("abc", "xyz"), 0.0);
  EXPECT_FALSE(arnorm::are_variants("", ""));
}

TEST(Lexicon, KnowsInflectedAndCliticizedForms) {
  const arnorm::Lexicon words;
  for (const char* w : {"كتاب", "والمدرسة", "مدرستها", "سيكتبون", "استخدموه", "بالمدرسة", "على", "المؤتمرات",
                        "صحافيون", "استثمارية"})
    EXPECT_TRUE(words.knows(w)) << w;
  for (const char* w : {"شنغهاي", "شانغهاي", "رحمون", "بينغ", "كازاخستان", "ديفيد", "xyz", ""})
    EXPECT_FALSE(words.knows(w)) << w;
}

TEST(Lexicon, CallersWordsCombineWithTheBuiltInOnes) {
  const arnorm::Lexicon both({"شانغهاي"});
  EXPECT_TRUE(both.knows("شانغهاي"));
  EXPECT_TRUE(both.knows("وشانغهاي"));  // the caller's words take affixes too
  EXPECT_TRUE(both.knows("كتاب"));
  EXPECT_EQ(both.size(), 1u);
  const arnorm::Lexicon own({"شانغهاي"}, false);
  EXPECT_TRUE(own.knows("شانغهاي"));
  EXPECT_FALSE(own.knows("كتاب"));
  // Two known words are never variants: the caller can keep two names apart.
  EXPECT_TRUE(arnorm::are_variants("شنغهاي", "شانغهاي"));
  const arnorm::Lexicon both_names({"شنغهاي", "شانغهاي"});
  EXPECT_FALSE(arnorm::are_variants("شنغهاي", "شانغهاي", arnorm::kVariantThreshold, &both_names));
  EXPECT_FALSE(arnorm::Lexicon::none().knows("كتاب"));
}

TEST(Variants, UnrelatedWordsDoNotJoin) {
  const char* const pairs[][2] = {{"شنغهاي", "بكين"}, {"محمد", "أحمد"}, {"كازاخستان", "باكستان"}, {"رحمن", "سلمان"}};
  for (const auto& p : pairs) EXPECT_FALSE(arnorm::are_variants(p[0], p[1])) << p[0] << " " << p[1];
}

// Between two words holding a letter transliteration seldom writes (ع ص ض ط
// ظ ذ خ ث), a vowel letter changes the word: فاعل and فعل are two words.
// One such word beside a plain one is still a transliteration (طوكيو/توكيو).
TEST(Variants, VowelLettersSeparateArabicWords) {
  const char* const distinct[][2] = {{"ظالم", "ظلم"}, {"صادق", "صدق"}, {"خاتم", "ختم"}, {"طالب", "طلب"}};
  for (const auto& p : distinct) EXPECT_FALSE(arnorm::are_variants(p[0], p[1])) << p[0] << " " << p[1];
  EXPECT_TRUE(arnorm::are_variants("طوكيو", "توكيو"));
  EXPECT_TRUE(arnorm::are_variants("طومسون", "تومسون"));
  // The surcharge is on vowel letters only: ث/س still alternates between such words.
  const arnorm::Lexicon spelling = arnorm::Lexicon::none();
  EXPECT_GT(arnorm::variant_similarity("ثابت", "سابت", &spelling), arnorm::variant_similarity("ثابت", "ثبت", &spelling));
}

// Found by fuzz_variants: the two argument orders summed costs in different
// orders and differed in the last bit.
TEST(Variants, ExactlySymmetricOnFuzzerInput) {
  const std::string input(
      "\xd9\x84\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\xd9\x82\xd8\xa7"
      "\xd8\xb2\xd8\xd9\xa7\x82\xd8\xd8\x5b\xb3\xaa\xd8\xa7\xd9\x86\x0a\xdb\x7e\x83\xd8\xa7\xd8\xd8\xaa\xd8"
      "\xb3\xaa\xd8\xa7\xd9\x86",
      55);
  std::size_t cut = input.find('\n');
  std::string a = input.substr(0, cut), b = input.substr(cut + 1);
  EXPECT_EQ(arnorm::variant_similarity(a, b), arnorm::variant_similarity(b, a));
  EXPECT_EQ(arnorm::variant_similarity("لقازاقستان", "كازاخستان"),
            arnorm::variant_similarity("كازاخستان", "لقازاقستان"));
}

TEST(Variants, SimilarityIsInTheUnitInterval) {
  for (const char* a : {"", "a", "ب", "شنغهاي", "عبدالله"})
    for (const char* b : {"", "x", "بب", "شانغهاي", "عبد الله"}) {
      double s = arnorm::variant_similarity(a, b);
      EXPECT_GE(s, 0.0);
      EXPECT_LE(s, 1.0);
    }
}

TEST(Variants, KeysAreSharedBySpellingsOfOneName) {
  EXPECT_EQ(arnorm::variant_key("شنغهاي"), arnorm::variant_key("شانغهاي"));
  EXPECT_EQ(arnorm::variant_key("بينغ"), arnorm::variant_key("بينج"));
  EXPECT_NE(arnorm::variant_key("شنغهاي"), arnorm::variant_key("بكين"));
}

TEST(VariantIndex, LooksUpBestFirstAndOnlyAccepted) {
  arnorm::VariantIndex index({"شنغهاي", "كازاخستان", "رحمون", "كلينتون", "بكين"});
  EXPECT_EQ(index.size(), 5u);
  auto hits = index.lookup("شانغهاي");
  ASSERT_FALSE(hits.empty());
  EXPECT_EQ(hits[0].name, "شنغهاي");
  for (std::size_t i = 1; i < hits.size(); ++i) EXPECT_GE(hits[i - 1].score, hits[i].score);
  EXPECT_EQ(index.lookup("لقازاقستان")[0].name, "كازاخستان");
  EXPECT_TRUE(index.lookup("طوكيو").empty());
  EXPECT_TRUE(index.lookup("").empty());
  index.add("طوكيو");
  EXPECT_EQ(index.size(), 6u);
  EXPECT_EQ(index.lookup("طوكيو")[0].score, 1.0);
}

// A lookup keeps only the k best while it scores (a candidate must reach the
// k-th best score so far); the result must be the first k of a wider lookup.
TEST(VariantIndex, SmallKIsThePrefixOfALargeK) {
  arnorm::VariantIndex index({"كلينتون", "كلنتون", "كلينتن", "كلنتن", "كلينتوني", "كالينتون", "كلانتون", "قلينتون",
                              "شنغهاي", "شانغهاي", "شنغاي"});
  for (const char* query : {"كلينطون", "ولكلنتون", "شنقهاي", "كلينتونن"}) {
    auto wide = index.lookup(query, 100);
    ASSERT_GE(wide.size(), 2u) << query;
    for (std::size_t k = 1; k <= wide.size(); ++k) {
      auto narrow = index.lookup(query, k);
      ASSERT_EQ(narrow.size(), k) << query;
      for (std::size_t i = 0; i < k; ++i) {
        EXPECT_EQ(narrow[i].name, wide[i].name) << query << " k=" << k;
        EXPECT_EQ(narrow[i].score, wide[i].score);
      }
    }
  }
}

// Keys one consonant apart: the name may have a consonant more (تش for ش),
// a consonant less, or one other; each way must reach the name.
TEST(VariantIndex, FindsNamesWhoseKeyIsOneConsonantApart) {
  for (auto [query, name] :
       {std::pair{"بوندارشوك", "بوندارتشوك"}, std::pair{"بوندارتشوك", "بوندارشوك"}, std::pair{"ديمتري", "ديمتريس"},
        std::pair{"ديمتريس", "ديمتري"}, std::pair{"فرانكفورت", "فرانكفورد"}}) {
    ASSERT_NE(arnorm::variant_key(query), arnorm::variant_key(name));
    arnorm::VariantIndex index({name});
    auto hits = index.lookup(query);
    ASSERT_EQ(hits.size(), 1u) << query << " / " << name;
    EXPECT_EQ(hits[0].name, name);
  }
}

// Only the query loses a proclitic; a gazetteer's name is taken as written.
TEST(VariantIndex, NamesAreTakenAsWritten) {
  arnorm::VariantIndex index({"باجمال", "أجمل", "كلينتون"});
  auto hits = index.lookup("اجمال");
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].name, "أجمل");
  ASSERT_FALSE(index.lookup("ولكلنتون").empty());  // و + ل
  EXPECT_EQ(index.lookup("ولكلنتون")[0].name, "كلينتون");
}

TEST(VariantIndex, CanonicalizeRewritesNamesAndKeepsTheRest) {
  arnorm::VariantIndex index({"كلينتون", "شنغهاي"});
  EXPECT_EQ(index.canonicalize("زار كلنتون شانغهاي، ثم عاد. Clinton"), "زار كلينتون شنغهاي، ثم عاد. Clinton");
  EXPECT_EQ(index.canonicalize("وكلنتون"), "وكلينتون");
}

// Two entries are two names: a query spelled as one gets that one only.
TEST(VariantIndex, AnEntryIsItsOwnName) {
  arnorm::VariantIndex index({"كامرون", "كاميرون", "شنغهاي"});
  auto found = index.lookup("كامرون", 5);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].name, "كامرون");
  EXPECT_EQ(found[0].score, 1.0);
  EXPECT_EQ(index.lookup("شنغهاى", 5).size(), 1u);  // the same after folding
}

TEST(VariantIndex, CountsRankFrequentNamesFirst) {
  // Two spellings as close to the query: the frequent one comes first.
  const std::vector<std::string> names = {"كلنتن", "كلينتن"};
  arnorm::VariantIndex plain(names);
  arnorm::VariantIndex rare_first(names, {1000, 1});
  arnorm::VariantIndex rare_second(names, {1, 1000});
  EXPECT_EQ(rare_first.lookup("كلينتون", 1).at(0).name, "كلنتن");
  EXPECT_EQ(rare_second.lookup("كلينتون", 1).at(0).name, "كلينتن");
  for (const auto& m : plain.lookup("كلينتون", 5))
    if (m.name == "كلينتن") {
      EXPECT_GT(rare_second.lookup("كلينتون", 1).at(0).score, m.score);
    }
  EXPECT_THROW(arnorm::VariantIndex(names, std::vector<std::uint64_t>{1}), std::invalid_argument);
}

TEST(VariantIndex, CanonicalizeNeverRewritesOrdinaryWordsAndSaysWhatItRewrote) {
  // على looks like the name علي (Ali), عالية like the name عاليه: neither is touched.
  arnorm::VariantIndex index({"علي", "عاليه", "شنغهاي"});
  std::vector<arnorm::Rewrite> rewrites;
  const std::string text = "قمة على مستوى عالية في شانغهاي";
  EXPECT_EQ(index.canonicalize(text, &rewrites), "قمة على مستوى عالية في شنغهاي");
  ASSERT_EQ(rewrites.size(), 1u);
  EXPECT_EQ(text.substr(rewrites[0].begin, rewrites[0].end - rewrites[0].begin), "شانغهاي");
  EXPECT_EQ(rewrites[0].replacement, "شنغهاي");
  EXPECT_GE(rewrites[0].score, 0.7);
  EXPECT_EQ(index.canonicalize("شنغهاي", &rewrites), "شنغهاي");
  EXPECT_TRUE(rewrites.empty());  // nothing changed, nothing reported
}

// add() beside lookups in other threads (TSan runs this in CI).
TEST(VariantIndex, ConcurrentAddAndLookups) {
  arnorm::VariantIndex index({"شنغهاي", "كازاخستان"});
  std::atomic<bool> stop{false};
  std::atomic<int> wrong{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 3; ++t)
    readers.emplace_back([&] {
      while (!stop.load()) {
        auto found = index.lookup("شانغهاي", 3);
        if (found.empty() || found[0].name != "شنغهاي") ++wrong;
        (void)index.canonicalize("زار شانغهاي");
      }
    });
  for (char32_t i = 0; i < 2000; ++i) {
    std::u32string name = U"\u0643\u0644\u0645\u0629";
    name += static_cast<char32_t>(0x0628 + i % 20);
    name += static_cast<char32_t>(0x0628 + i / 20 % 20);
    name += static_cast<char32_t>(0x0628 + i / 400);
    std::string utf8;
    for (char32_t c : name) utf8 += std::string{static_cast<char>(0xC0 | (c >> 6)), static_cast<char>(0x80 | (c & 0x3F))};
    index.add(utf8);
  }
  stop = true;
  for (auto& r : readers) r.join();
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_EQ(index.size(), 2002u);
}

// Words longer than any name: no one's variant, never looked up, refused by
// an index (so no input costs more than linear time).
TEST(VariantIndex, LongWordsAreNotNames) {
  std::string a, b;
  for (int i = 0; i < 170; ++i) a += "\u0628\u062A", b += i % 2 ? "\u0628\u062A" : "\u062A\u0628";
  EXPECT_EQ(arnorm::variant_similarity(a, b), 0.0);
  EXPECT_EQ(arnorm::variant_similarity(a, a), 1.0);
  arnorm::VariantIndex index({"شنغهاي"});
  EXPECT_THROW(index.add(a), std::invalid_argument);
  EXPECT_TRUE(index.lookup(a).empty());
  EXPECT_EQ(index.canonicalize(a + " شانغهاي"), a + " شنغهاي");
  EXPECT_THROW(arnorm::VariantIndex(std::nan("")), std::invalid_argument);
}

TEST(VariantIndex, MovedFromIsEmpty) {
  arnorm::VariantIndex index({"شنغهاي"});
  arnorm::VariantIndex moved(std::move(index));
  EXPECT_EQ(moved.lookup("شانغهاي").at(0).name, "شنغهاي");
  EXPECT_TRUE(index.lookup("شانغهاي").empty());  // NOLINT(bugprone-use-after-move): what it does is the test
  EXPECT_EQ(index.size(), 0u);
  EXPECT_EQ(index.canonicalize("شانغهاي"), "شانغهاي");
  EXPECT_THROW(index.add("x"), std::logic_error);
  arnorm::VariantStats stats;
  stats.add("زار شانغهاي", 1);
  stats.merge(stats);  // with itself: everything twice
  arnorm::VariantStats twice;
  twice.add("زار شانغهاي", 1);
  twice.add("زار شانغهاي", 1);
  EXPECT_EQ(stats.serialize().size(), twice.serialize().size());
  arnorm::VariantStats other(std::move(stats));
  EXPECT_EQ(stats.words(), 0u);  // NOLINT(bugprone-use-after-move)
  EXPECT_TRUE(arnorm::find_variants(stats).empty());
  EXPECT_THROW(stats.add("x", 0), std::logic_error);
}

TEST(VariantIndex, ConcurrentLookups) {
  arnorm::VariantIndex index({"شنغهاي", "كازاخستان", "رحمون", "كلينتون"});
  std::vector<std::thread> threads;
  std::vector<int> wrong(4, 0);
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 2000; ++i)
        if (index.lookup("شانغهاي").at(0).name != "شنغهاي") ++wrong[t];
    });
  for (auto& th : threads) th.join();
  for (int w : wrong) EXPECT_EQ(w, 0);
}

TEST(FindVariants, GroupsSpellingsUsedBySeparateSources) {
  std::vector<std::string> texts = {"وصل الرئيس رحمون إلى شانغهاي. قال رحمون إن شانغهاي مدينة كبيرة. التقى بينغ.",
                                    "وصل الرئيس رحمن إلى شنغهاي. قال رحمن إن شنغهاي مدينة كبيرة. التقى بينج."};
  auto groups = arnorm::find_variants(texts);
  auto has = [&](const std::string& a, const std::string& b) {
    for (const auto& g : groups) {
      bool x = std::find(g.spellings.begin(), g.spellings.end(), a) != g.spellings.end();
      bool y = std::find(g.spellings.begin(), g.spellings.end(), b) != g.spellings.end();
      if (x && y) return true;
    }
    return false;
  };
  EXPECT_TRUE(has("رحمون", "رحمن"));
  EXPECT_TRUE(has("شانغهاي", "شنغهاي"));
  EXPECT_TRUE(has("بينغ", "بينج"));
  EXPECT_FALSE(has("مدينة", "كبيرة"));
  for (std::size_t i = 1; i < groups.size(); ++i) EXPECT_GE(groups[i - 1].confidence, groups[i].confidence);
  EXPECT_TRUE(arnorm::find_variants(std::vector<std::string>{}).empty());
}

// Statistics counted in pieces and merged, or serialized and read back, give
// the groups one pass over the whole gives.
TEST(FindVariants, MergedStatisticsEqualOnePass) {
  std::vector<std::string> texts = {"وصل الرئيس رحمون إلى شانغهاي. قال رحمون إن شانغهاي مدينة كبيرة. التقى بينغ.",
                                    "وصل الرئيس رحمن إلى شنغهاي. قال رحمن إن شنغهاي مدينة كبيرة. التقى بينج.",
                                    "زار الرئيس رحمن منظمة شنغهاي للتعاون مع الرئيس شي جين بينج."};
  auto whole = arnorm::find_variants(texts);
  ASSERT_FALSE(whole.empty());
  arnorm::VariantStats a, b;
  a.add(texts[2], 2);
  b.add(texts[0], 0);
  b.add(texts[1], 1);
  a.merge(arnorm::VariantStats::deserialize(b.serialize()));
  auto merged = arnorm::find_variants(a);
  ASSERT_EQ(merged.size(), whole.size());
  for (std::size_t i = 0; i < whole.size(); ++i) {
    EXPECT_EQ(merged[i].spellings, whole[i].spellings);
    EXPECT_EQ(merged[i].counts, whole[i].counts);
    EXPECT_DOUBLE_EQ(merged[i].confidence, whole[i].confidence);
  }
  EXPECT_THROW(arnorm::VariantStats::deserialize("not statistics"), std::invalid_argument);
}

// Ordinary words never form groups, and look-alikes do not chain.
TEST(FindVariants, OrdinaryWordsStayOut) {
  std::vector<std::string> texts = {"قال إنه سيعود على الفور إلى المدينة وأشار إلى التقدم.",
                                    "أشار الوزير إلى تقديم الدعم على مستوى عال وإشارة إلى الآلية."};
  EXPECT_TRUE(arnorm::find_variants(texts).empty());
}

}  // namespace
