// Built against the installed package; exits non-zero when arnorm misbehaves.
#include <arnorm/arnorm.hpp>
#include <cstdio>

int main() {
  auto n = arnorm::Normalizer::from_profile("search");
  std::string out = n.normalize("الإستثمار على");
  if (out != "الاستثمار علي") {
    std::fprintf(stderr, "consumer: unexpected output %s\n", out.c_str());
    return 1;
  }
  std::printf("consumer: ok (%s)\n", out.c_str());
  return 0;
}
