// peak_avx512vnni.cpp — the AVX-512 VNNI int8 peak loop (peak_loops.h): vpdpbusd on zmm registers. Compiled with
// the AVX-512 VNNI flags (kernels/CMakeLists.txt); only the loop has external linkage, as in matmul_avx512vnni.cpp.
#include <immintrin.h>

#include <cstdint>

#include "kernels/peak_loops.h"

namespace rgemma::avx512vnni {

// vpdpbusd: 64 u8 × s8 multiply-adds into 16 i32 lanes per instruction, 5 cycles of latency at up to two per
// cycle; 16 chains cover it. The u8 operand is the accumulator itself (see peak_loops.h).
double int8DotPeakLoop(int64_t iterations) {
    __m512i acc[kInt8Chains];
#pragma GCC unroll 16
    for (int j = 0; j < kInt8Chains; ++j) acc[j] = _mm512_set1_epi32(j + 1);
    const __m512i ones8 = _mm512_set1_epi8(1);
    for (int64_t i = 0; i < iterations; ++i) {
#pragma GCC unroll 16
        for (int j = 0; j < kInt8Chains; ++j) acc[j] = _mm512_dpbusd_epi32(acc[j], acc[j], ones8);
    }
    __m512i sum = acc[0];
#pragma GCC unroll 16
    for (int j = 1; j < kInt8Chains; ++j) sum = _mm512_add_epi32(sum, acc[j]);
    alignas(64) int32_t lanes[16];
    _mm512_store_si512(lanes, sum);
    return static_cast<double>(lanes[0]);
}

}  // namespace rgemma::avx512vnni
