// peak_avx512.cpp — the AVX-512 peak loops (peak_loops.h): f32 FMA and int8 dot products (without VNNI) on zmm
// registers. Compiled with the AVX-512 F/BW/VL/DQ flags (kernels/CMakeLists.txt); only the two loops have external
// linkage, as in matmul_avx512.cpp.
#include <immintrin.h>

#include <cstdint>

#include "kernels/peak_loops.h"

namespace rgemma::avx512 {

// 16 chains: an FMA has 4 cycles of latency at up to two zmm per cycle, so 8 keep both units busy; 16 leave margin
// and fit the 32 zmm registers with the constants. Unrolled so they stay there.
double fp32FmaPeakLoop(int64_t iterations) {
    __m512 acc[kFp32Chains];
#pragma GCC unroll 16
    for (int j = 0; j < kFp32Chains; ++j) acc[j] = _mm512_set1_ps(static_cast<float>(j + 2));
    const __m512 half = _mm512_set1_ps(0.5f);
    for (int64_t i = 0; i < iterations; ++i) {
#pragma GCC unroll 16
        for (int j = 0; j < kFp32Chains; ++j) acc[j] = _mm512_fmadd_ps(acc[j], half, half);
    }
    __m512 sum = acc[0];
#pragma GCC unroll 16
    for (int j = 1; j < kFp32Chains; ++j) sum = _mm512_add_ps(sum, acc[j]);
    return _mm512_cvtss_f32(sum);
}

// vpmaddubsw + vpmaddwd by 1 + vpaddd: 64 multiply-adds per chain step, the AVX-512 BW int8 dot product where
// there is no VNNI. 16 chains cover a step's ~10-cycle latency at one step per cycle.
double int8DotPeakLoop(int64_t iterations) {
    __m512i acc[kInt8Chains];
#pragma GCC unroll 16
    for (int j = 0; j < kInt8Chains; ++j) acc[j] = _mm512_set1_epi32(j + 1);
    const __m512i ones8 = _mm512_set1_epi8(1);
    const __m512i ones16 = _mm512_set1_epi16(1);
    for (int64_t i = 0; i < iterations; ++i) {
#pragma GCC unroll 16
        for (int j = 0; j < kInt8Chains; ++j) {
            const __m512i pairs = _mm512_maddubs_epi16(acc[j], ones8);
            acc[j] = _mm512_add_epi32(acc[j], _mm512_madd_epi16(pairs, ones16));
        }
    }
    __m512i sum = acc[0];
#pragma GCC unroll 16
    for (int j = 1; j < kInt8Chains; ++j) sum = _mm512_add_epi32(sum, acc[j]);
    alignas(64) int32_t lanes[16];
    _mm512_store_si512(lanes, sum);
    return static_cast<double>(lanes[0]);
}

}  // namespace rgemma::avx512
