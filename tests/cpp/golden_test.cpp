// The golden cases shared with the Python suite.
#include <gtest/gtest.h>

#include <fstream>

#include "test_util.hpp"

namespace {

struct GoldenCase {
  std::string options, input, expected, note;
  int line;
};

std::vector<GoldenCase> load() {
  std::ifstream f(ARNORM_GOLDEN_FILE);
  std::vector<GoldenCase> cases;
  std::string line;
  for (int number = 1; std::getline(f, line); ++number) {
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> cols;
    std::size_t start = 0, tab;
    while ((tab = line.find('\t', start)) != std::string::npos) {
      cols.push_back(line.substr(start, tab - start));
      start = tab + 1;
    }
    cols.push_back(line.substr(start));
    if (cols.size() < 3)
      ADD_FAILURE() << "golden line " << number << " has " << cols.size() << " columns";
    else
      cases.push_back({cols[0], arnorm_test::unescape(cols[1]), arnorm_test::unescape(cols[2]),
                       cols.size() > 3 ? cols[3] : "", number});
  }
  return cases;
}

TEST(Golden, EveryCase) {
  auto cases = load();
  ASSERT_GT(cases.size(), 50u);
  for (const auto& c : cases) {
    arnorm::Options o = arnorm_test::parse_options(c.options);
    arnorm::Normalizer n(o);
    EXPECT_EQ(n.normalize(c.input), c.expected) << "line " << c.line << ": " << c.note;
    // The slow model agrees, and the result is a fixed point.
    EXPECT_EQ(arnorm_reference::normalize(c.input, o).text, c.expected) << "reference, line " << c.line;
    EXPECT_EQ(n.normalize(c.expected), c.expected) << "idempotence, line " << c.line;
  }
}

}  // namespace
