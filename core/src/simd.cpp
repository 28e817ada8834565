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
#elif defined(__aarch64__) && defined(__ARM_NEON) && !defined(ARNORM_NO_SIMD) && !defined(ARNORM_NO_FAST_LOOP)
  return SimdLevel::neon;
#endif
  return SimdLevel::none;
}

// The environment variable ARNORM_SIMD (none, avx2, neon, avx512) caps the
// path a process uses, to compare paths on one machine (like simdutf's
// SIMDUTF_FORCE_IMPLEMENTATION); anything else leaves the CPU's best.
SimdLevel environment_cap() {
  const char* v = std::getenv("ARNORM_SIMD");
  if (v && std::strcmp(v, "none") == 0) return SimdLevel::none;
  if (v && (std::strcmp(v, "avx2") == 0 || std::strcmp(v, "neon") == 0)) return SimdLevel::avx2;
  return SimdLevel::avx512;
}

int rank(SimdLevel level) { return level == SimdLevel::neon ? 1 : static_cast<int>(level); }

std::atomic<int> g_cap{rank(environment_cap())};

}  // namespace

SimdLevel simd_level() {
  static const SimdLevel cpu = cpu_level();
  const int cap = g_cap.load(std::memory_order_relaxed);
  if (cap >= rank(cpu)) return cpu;
  return cap == 0 ? SimdLevel::none : SimdLevel::avx2;  // (only an AVX-512 CPU ranks above 1)
}

void limit_simd(SimdLevel level) { g_cap.store(rank(level), std::memory_order_relaxed); }

}  // namespace arnorm::detail
