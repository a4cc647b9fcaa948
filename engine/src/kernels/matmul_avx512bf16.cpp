// matmul_avx512bf16.cpp — the fast prefill GEMM: activations rounded to bf16 pairs, weights read in place (their
// stored [out, in] rows already hold bf16 pairs), products with vdpbf16ps (AVX512_BF16) accumulated in f32.
// Compiled with AVX-512 + BF16 flags (kernels/CMakeLists.txt); internal linkage only, as in matmul_avx2.cpp.
#include <immintrin.h>

#include <cstdint>

#include "kernels/avx512_helpers.h"
#include "kernels/matmul_kernels.h"
#include "kernels/panel_gemm.h"

namespace rgemma {

namespace {

// Packed layout: [panel][k-pair][token] of 32-bit words, each the bf16 pair (x[t, 2k], x[t, 2k+1]).
constexpr int64_t kUnitsPerPair = kGemmPanelTokens;

// One token's row, rounded to nearest even bf16 (as torch's .to(bfloat16)), into panel column `column`; for an
// odd `in` the masked load makes the missing partner of the last pair 0.
void packRow(const float* x, int64_t in, int64_t column, uint32_t* panel) {
    for (int64_t i = 0; i < in; i += 16) {
        const bool full = in - i >= 16;
        const __m512 values = _mm512_maskz_loadu_ps(laneMask(in - i), x + i);
        alignas(32) uint32_t words[8];
        _mm256_store_si256(reinterpret_cast<__m256i*>(words), reinterpret_cast<__m256i>(_mm512_cvtneps_pbh(values)));
        const int64_t pairs = full ? 8 : (in - i + 1) / 2;
        uint32_t* dst = panel + (i / 2) * kUnitsPerPair + column;
        for (int64_t k = 0; k < pairs; ++k) dst[k * kUnitsPerPair] = words[k];
    }
}

void pack(const float* x, int64_t tokens, int64_t in, int64_t panelBegin, int64_t panelEnd, uint32_t* packed) {
    packPanels(x, tokens, in, kUnitsPerPair, panelBegin, panelEnd, packed,
               [in](const float* row, int64_t column, uint32_t* panel) { packRow(row, in, column, panel); });
}

// acc[j][v] (lanes = tokens 16v .. 16v+15) += Σ_{pairs [p0, p1)} x-pair · W[rows[j]]-pair: 16 vdpbf16ps per pair,
// the weight pair broadcast to every lane.
struct DotBf16Kernel {
    static constexpr int64_t kUnitsPerPair = kGemmPanelTokens;
    static void run(const uint32_t* panel, const uint16_t* const rows[kPanelRows], int64_t p0, int64_t p1,
                    int64_t singlePair, __m512 acc[kPanelRows][2]) {
        for (int64_t p = p0; p < p1; ++p, panel += kUnitsPerPair) {
            const auto x0 = reinterpret_cast<__m512bh>(_mm512_loadu_si512(panel));
            const auto x1 = reinterpret_cast<__m512bh>(_mm512_loadu_si512(panel + 16));
            const bool single = p == singlePair;
#pragma GCC unroll 8
            for (int j = 0; j < kPanelRows; ++j) {
                const auto w =
                    reinterpret_cast<__m512bh>(_mm512_set1_epi32(static_cast<int>(weightPair(rows[j], p, single))));
                acc[j][0] = _mm512_dpbf16_ps(acc[j][0], x0, w);
                acc[j][1] = _mm512_dpbf16_ps(acc[j][1], x1, w);
            }
        }
    }
};

void gemm(const void* packed, const uint16_t* w, int64_t in, int64_t tokens, int64_t rowBegin, int64_t rowEnd,
          int64_t panelBegin, int64_t panelEnd, float* y, int64_t ldy) {
    panelGemm<DotBf16Kernel>(packed, w, in, tokens, rowBegin, rowEnd, panelBegin, panelEnd, y, ldy);
}

// 12 independent accumulators cover the instruction's latency at two issues per cycle. Unrolled, so they stay in
// registers: a loop GCC leaves rolled at -O2 keeps them on the stack, and then measures store forwarding, not the
// dot-product units (it read 2.5× below the GEMM's own rate).
float bf16DotPeakLoop(int64_t iterations) {
    __m512 acc[12];
#pragma GCC unroll 12
    for (int j = 0; j < 12; ++j) acc[j] = _mm512_setzero_ps();
    const auto x = reinterpret_cast<__m512bh>(_mm512_set1_epi32(0x3F803F80));  // (1.0, 1.0) in bf16
    const auto y = reinterpret_cast<__m512bh>(_mm512_set1_epi32(0x3A803A80));  // (2^-10, 2^-10)
    for (int64_t i = 0; i < iterations; ++i) {
#pragma GCC unroll 12
        for (int j = 0; j < 12; ++j) acc[j] = _mm512_dpbf16_ps(acc[j], x, y);
    }
    __m512 sum = acc[0];
#pragma GCC unroll 12
    for (int j = 1; j < 12; ++j) sum = _mm512_add_ps(sum, acc[j]);
    alignas(64) float lanes[16];
    _mm512_store_ps(lanes, sum);
    return lanes[0];
}

}  // namespace

const MatmulKernels& avx512Bf16Kernels() {
    static const MatmulKernels table = [] {
        MatmulKernels t = avx512VnniKernels();
        t.isa = Isa::Avx512Bf16;
        t.gemmBf16Activations = PanelGemm{kUnitsPerPair, pack, gemm};
        t.bf16DotPeakLoop = bf16DotPeakLoop;
        return t;
    }();
    return table;
}

}  // namespace rgemma
