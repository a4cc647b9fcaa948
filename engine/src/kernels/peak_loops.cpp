// peak_loops.cpp — which peak loops each level has (peak_loops.h), and the portable level's own: SSE2, the
// baseline of x86-64, has no fused multiply-add, so its f32 peak is mulps and addps, one of each per step.
// Compiled for baseline x86-64, like the dispatcher (matmul_kernels.cpp).
#include "kernels/peak_loops.h"

#include <emmintrin.h>

namespace rgemma {

namespace portable {

// 12 chains of a multiply then an add (6-8 cycles of latency together) cover two multiplies and two adds per
// cycle where the core has separate units for them (Zen), one of each where they share (Intel); 12 accumulators
// and the constant fit the 16 xmm registers. Unrolled so they stay there.
double fp32MulAddPeakLoop(int64_t iterations) {
    __m128 acc[kFp32Chains];
#pragma GCC unroll 16
    for (int j = 0; j < kFp32Chains; ++j) acc[j] = _mm_set1_ps(static_cast<float>(j + 2));
    const __m128 half = _mm_set1_ps(0.5f);
    for (int64_t i = 0; i < iterations; ++i) {
#pragma GCC unroll 16
        for (int j = 0; j < kFp32Chains; ++j) acc[j] = _mm_add_ps(_mm_mul_ps(acc[j], half), half);
    }
    __m128 sum = acc[0];
#pragma GCC unroll 16
    for (int j = 1; j < kFp32Chains; ++j) sum = _mm_add_ps(sum, acc[j]);
    return _mm_cvtss_f32(sum);
}

}  // namespace portable

namespace {

double bf16DotPeakLoop(int64_t iterations) { return matmulKernels(Isa::Avx512Bf16).bf16DotPeakLoop(iterations); }

// Operations per iteration: chains × lanes × 2 (a multiply and an add per lane, or per int8 product).
constexpr PeakLoop kPortableFp32{portable::fp32MulAddPeakLoop, portable::kFp32Chains * 4 * 2, "SSE2 mulps + addps xmm"};
constexpr PeakLoop kAvx2Fp32{avx2::fp32FmaPeakLoop, avx2::kFp32Chains * 8 * 2, "vfmadd231ps ymm"};
constexpr PeakLoop kAvx2Int8{avx2::int8DotPeakLoop, avx2::kInt8Chains * 32 * 2, "vpmaddubsw + vpmaddwd + vpaddd ymm"};
constexpr PeakLoop kAvx512Fp32{avx512::fp32FmaPeakLoop, avx512::kFp32Chains * 16 * 2, "vfmadd231ps zmm"};
constexpr PeakLoop kAvx512Int8{avx512::int8DotPeakLoop, avx512::kInt8Chains * 64 * 2,
                               "vpmaddubsw + vpmaddwd + vpaddd zmm"};
constexpr PeakLoop kVnniInt8{avx512vnni::int8DotPeakLoop, avx512vnni::kInt8Chains * 64 * 2, "vpdpbusd zmm"};
constexpr PeakLoop kBf16{bf16DotPeakLoop, kDotPeakFlopsPerIteration, "vdpbf16ps zmm"};

}  // namespace

const PeakLoops& peakLoops(Isa isa) {
    static const PeakLoops portable{kPortableFp32, {}, {}};
    static const PeakLoops avx2{kAvx2Fp32, kAvx2Int8, {}};
    static const PeakLoops avx512{kAvx512Fp32, kAvx512Int8, {}};
    static const PeakLoops vnni{kAvx512Fp32, kVnniInt8, {}};
    static const PeakLoops bf16{kAvx512Fp32, kVnniInt8, kBf16};
    switch (isa) {
        case Isa::Portable:
            return portable;
        case Isa::Avx2:
            return avx2;
        case Isa::Avx512:
            return avx512;
        case Isa::Avx512Vnni:
            return vnni;
        case Isa::Avx512Bf16:
            return bf16;
    }
    return portable;
}

}  // namespace rgemma
