// peak_avx2.cpp — the AVX2 + FMA peak loops (peak_loops.h): f32 FMA and int8 dot products on ymm registers.
// Compiled with -mavx2 -mfma (kernels/CMakeLists.txt); everything but the two loops has internal linkage, as in
// matmul_avx2.cpp.
#include <immintrin.h>

#include <cstdint>

#include "kernels/peak_loops.h"

namespace rgemma::avx2 {

// 12 chains: an FMA has 4-5 cycles of latency (Intel 4, Zen 2 5) at two per cycle, so 8-10 chains keep both
// units busy; 12 accumulators and the 2 constants fit the 16 ymm registers. Unrolled so they stay there.
double fp32FmaPeakLoop(int64_t iterations) {
    __m256 acc[kFp32Chains];
#pragma GCC unroll 16
    for (int j = 0; j < kFp32Chains; ++j) acc[j] = _mm256_set1_ps(static_cast<float>(j + 2));
    const __m256 half = _mm256_set1_ps(0.5f);
    for (int64_t i = 0; i < iterations; ++i) {
#pragma GCC unroll 16
        for (int j = 0; j < kFp32Chains; ++j) acc[j] = _mm256_fmadd_ps(acc[j], half, half);
    }
    __m256 sum = acc[0];
#pragma GCC unroll 16
    for (int j = 1; j < kFp32Chains; ++j) sum = _mm256_add_ps(sum, acc[j]);
    return _mm256_cvtss_f32(sum);
}

// The int8 dot product of AVX2: vpmaddubsw (u8 × s8, pairs summed into i16), vpmaddwd by 1 (pairs into i32),
// vpaddd into the accumulator: 32 multiply-adds per chain step. A step's latency is about 9-11 cycles (two
// multiplies and an add), at up to one step per cycle (two multiply units): 12 chains, 12 accumulators plus the
// 2 constants in the 16 registers.
double int8DotPeakLoop(int64_t iterations) {
    __m256i acc[kInt8Chains];
#pragma GCC unroll 16
    for (int j = 0; j < kInt8Chains; ++j) acc[j] = _mm256_set1_epi32(j + 1);
    const __m256i ones8 = _mm256_set1_epi8(1);
    const __m256i ones16 = _mm256_set1_epi16(1);
    for (int64_t i = 0; i < iterations; ++i) {
#pragma GCC unroll 16
        for (int j = 0; j < kInt8Chains; ++j) {
            const __m256i pairs = _mm256_maddubs_epi16(acc[j], ones8);
            acc[j] = _mm256_add_epi32(acc[j], _mm256_madd_epi16(pairs, ones16));
        }
    }
    // Lane 0 of each chain, summed in scalars: a vector sum after the loop made GCC keep copies of some chains on
    // the stack inside it.
    alignas(32) int32_t lanes[kInt8Chains][8];
#pragma GCC unroll 16
    for (int j = 0; j < kInt8Chains; ++j) _mm256_store_si256(reinterpret_cast<__m256i*>(lanes[j]), acc[j]);
    uint32_t sum = 0;
    for (int j = 0; j < kInt8Chains; ++j) sum += static_cast<uint32_t>(lanes[j][0]);
    return static_cast<double>(static_cast<int32_t>(sum));
}

}  // namespace rgemma::avx2
