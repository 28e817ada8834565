// Throughput of single instructions the SIMD paths lean on, in cycles each,
// on the machine it runs on (x86-64 with AVX-512 VBMI2). Each loop runs
// independent copies of one instruction; the clock is found from a chain of
// dependent adds (one cycle each). Not built by CMake:
//   g++ -O2 -mavx512bw bench/op_costs.cpp -o /tmp/op_costs && /tmp/op_costs
#include <chrono>
#include <cstdio>

namespace {

constexpr long kLoops = 200000000;

template <class Body>
double seconds(Body body) {
  const auto t0 = std::chrono::steady_clock::now();
  for (long i = 0; i < kLoops; ++i) body();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

#define ARNORM_OP(name, copies, text)                                                                            \
  std::printf("%-26s %5.2f cycles each\n", name,                                                               \
              seconds([] {                                                                                     \
                asm volatile(text ::: "rax", "rbx", "rcx", "rdx", "k1", "k2", "k3", "k4", "xmm1", "xmm2", "xmm3", \
                             "xmm4", "cc");                                                                    \
              }) * hz / kLoops / copies)

}  // namespace

int main() {
  if (!__builtin_cpu_supports("avx512vbmi2")) {
    std::puts("needs AVX-512 VBMI2");
    return 0;
  }
  // Four dependent adds a loop, one chain through all loops: four cycles.
  long chain = 0;
  const double hz = 4.0 * kLoops / seconds([&chain] {
                      asm volatile("add $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\tadd $1, %0" : "+r"(chain));
                    });
  std::printf("clock %.2f GHz\n", hz / 1e9);
  ARNORM_OP("kmovq k -> r64", 4, "kmovq %%k5, %%rax\n kmovq %%k6, %%rbx\n kmovq %%k5, %%rcx\n kmovq %%k6, %%rdx");
  ARNORM_OP("kmovd k -> r32", 4, "kmovd %%k5, %%eax\n kmovd %%k6, %%ebx\n kmovd %%k5, %%ecx\n kmovd %%k6, %%edx");
  ARNORM_OP("kortestq", 4, "kortestq %%k5, %%k5\n kortestq %%k6, %%k6\n kortestq %%k5, %%k6\n kortestq %%k6, %%k5");
  ARNORM_OP("korq", 4, "korq %%k5, %%k6, %%k1\n korq %%k5, %%k6, %%k2\n korq %%k5, %%k6, %%k3\n korq %%k5, %%k6, %%k4");
  ARNORM_OP("vptestmb zmm", 4,
            "vptestmb %%zmm5, %%zmm6, %%k1\n vptestmb %%zmm5, %%zmm7, %%k2\n vptestmb %%zmm6, %%zmm7, %%k3\n "
            "vptestmb %%zmm5, %%zmm5, %%k4");
  ARNORM_OP("vpermb zmm", 4,
            "vpermb %%zmm0, %%zmm9, %%zmm1\n vpermb %%zmm0, %%zmm9, %%zmm2\n vpermb %%zmm0, %%zmm9, %%zmm3\n "
            "vpermb %%zmm0, %%zmm9, %%zmm4");
  ARNORM_OP("vpcompressb zmm", 2, "vpcompressb %%zmm0, %%zmm1%{%%k5%}%{z%}\n vpcompressb %%zmm0, %%zmm2%{%%k5%}%{z%}");
  ARNORM_OP("vpandd zmm", 4,
            "vpandd %%zmm5, %%zmm6, %%zmm1\n vpandd %%zmm5, %%zmm6, %%zmm2\n vpandd %%zmm5, %%zmm6, %%zmm3\n "
            "vpandd %%zmm5, %%zmm6, %%zmm4");
  ARNORM_OP("vpmovmskb ymm", 4,
            "vpmovmskb %%ymm5, %%eax\n vpmovmskb %%ymm6, %%ebx\n vpmovmskb %%ymm7, %%ecx\n vpmovmskb %%ymm5, %%edx");
  ARNORM_OP("vpshufb ymm", 4,
            "vpshufb %%ymm5, %%ymm6, %%ymm1\n vpshufb %%ymm5, %%ymm6, %%ymm2\n vpshufb %%ymm5, %%ymm6, %%ymm3\n "
            "vpshufb %%ymm5, %%ymm6, %%ymm4");
  ARNORM_OP("vpblendvb ymm", 4,
            "vpblendvb %%ymm7, %%ymm5, %%ymm6, %%ymm1\n vpblendvb %%ymm7, %%ymm5, %%ymm6, %%ymm2\n "
            "vpblendvb %%ymm7, %%ymm5, %%ymm6, %%ymm3\n vpblendvb %%ymm7, %%ymm5, %%ymm6, %%ymm4");
  ARNORM_OP("vperm2i128 ymm", 4,
            "vperm2i128 $0x21, %%ymm5, %%ymm6, %%ymm1\n vperm2i128 $0x21, %%ymm5, %%ymm6, %%ymm2\n "
            "vperm2i128 $0x21, %%ymm5, %%ymm6, %%ymm3\n vperm2i128 $0x21, %%ymm5, %%ymm6, %%ymm4");
  ARNORM_OP("vpalignr ymm", 4,
            "vpalignr $15, %%ymm5, %%ymm6, %%ymm1\n vpalignr $15, %%ymm5, %%ymm6, %%ymm2\n "
            "vpalignr $15, %%ymm5, %%ymm6, %%ymm3\n vpalignr $15, %%ymm5, %%ymm6, %%ymm4");
  ARNORM_OP("vpcmpeqb ymm", 4,
            "vpcmpeqb %%ymm5, %%ymm6, %%ymm1\n vpcmpeqb %%ymm5, %%ymm6, %%ymm2\n vpcmpeqb %%ymm5, %%ymm6, %%ymm3\n "
            "vpcmpeqb %%ymm5, %%ymm6, %%ymm4");
  ARNORM_OP("vptest ymm", 4, "vptest %%ymm5, %%ymm6\n vptest %%ymm5, %%ymm7\n vptest %%ymm6, %%ymm7\n vptest %%ymm5, %%ymm5");
  return 0;
}
