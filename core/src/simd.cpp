// Which SIMD path the hot loop and the conversions take: the best the CPU has, within a cap.
#include "simd.hpp"

#include <atomic>
#include <cstdlib>
#include <cstring>

namespace arnorm::detail {
namespace {

// ARNORM_SIMD=OFF and ARNORM_FAST_LOOP=OFF builds run no vector code (the
// SIMD paths of the hot loop live inside it).
SimdLevel cpu_level() {
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__)) && !defined(ARNORM_NO_SIMD) && \
    !defined(ARNORM_NO_FAST_LOOP)
  if (__builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vbmi") &&
      __builtin_cpu_supports("avx512vbmi2") && __builtin_cpu_supports("bmi2"))
    return SimdLevel::avx512;
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("popcnt")) return SimdLevel::avx2;
#endif
  return SimdLevel::none;
}

// The environment variable ARNORM_SIMD (none, avx2, avx512) caps the path a
// process uses, to compare paths on one machine (like simdutf's
// SIMDUTF_FORCE_IMPLEMENTATION); anything else leaves the CPU's best.
SimdLevel environment_cap() {
  const char* v = std::getenv("ARNORM_SIMD");
  if (v && std::strcmp(v, "none") == 0) return SimdLevel::none;
  if (v && std::strcmp(v, "avx2") == 0) return SimdLevel::avx2;
  return SimdLevel::avx512;
}

std::atomic<int> g_cap{static_cast<int>(environment_cap())};

}  // namespace

SimdLevel simd_level() {
  static const SimdLevel cpu = cpu_level();
  const int cap = g_cap.load(std::memory_order_relaxed);
  return static_cast<SimdLevel>(cap < static_cast<int>(cpu) ? cap : static_cast<int>(cpu));
}

void limit_simd(SimdLevel level) { g_cap.store(static_cast<int>(level), std::memory_order_relaxed); }

}  // namespace arnorm::detail
