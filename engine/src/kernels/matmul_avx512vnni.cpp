// matmul_avx512vnni.cpp — the W8A8 decode kernels: activations quantized per block of 32 (matmul_kernels.h), and
// int8 weights × int8 activations with vpdpbusd (AVX512_VNNI), exact in int32 per block, scaled in f32.
// Compiled with AVX-512 + VNNI flags (kernels/CMakeLists.txt); internal linkage only, as in matmul_avx2.cpp.
#include <immintrin.h>

#include <cstdint>

#include "kernels/avx512_helpers.h"
#include "kernels/matmul_kernels.h"
#include "rgemma/dtype.h"

namespace rgemma {

namespace {

constexpr int64_t kBlock = kI8BlockSize;
constexpr int64_t kChunk = 64;                     // int8 values per vector: two blocks
constexpr int64_t kGroupBlocks = 16;               // blocks per vector of scales
constexpr int64_t kGroup = kGroupBlocks * kBlock;  // values whose scales one vector holds: 8 chunks

inline __mmask64 byteMask(int64_t left) { return left >= kChunk ? ~__mmask64{0} : (__mmask64{1} << left) - 1; }

// One block of 32 quantized as dtype.cpp's quantizeActivationsI8 does, with the same f32 operations in the same
// order (so the same bits): the block's absmax, 127 / absmax, round to nearest even, clamp.
void quantizeBlock(const float* x, int64_t left, int8_t* q, float* scale, float* values) {
    const __mmask16 low = laneMask(left), high = laneMask(left - 16);
    const __m512 x0 = _mm512_maskz_loadu_ps(low, x), x1 = _mm512_maskz_loadu_ps(high, x + 16);
    const float absMax = horizontalMax(_mm512_maskz_max_ps(kAll, _mm512_abs_ps(x0), _mm512_abs_ps(x1)));
    const __m512 inverse = _mm512_set1_ps(absMax > 0.0f ? 127.0f / absMax : 0.0f);
    const __m512 blockScale = _mm512_set1_ps(absMax / 127.0f);
    const __m512 limit = _mm512_set1_ps(127.0f);
    const auto quantize = [&](__m512 v) {
        const __m512 level =
            _mm512_maskz_roundscale_ps(kAll, _mm512_mul_ps(v, inverse), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
        return _mm512_maskz_max_ps(kAll, _mm512_maskz_min_ps(kAll, level, limit),
                                   _mm512_sub_ps(_mm512_setzero_ps(), limit));
    };
    const __m512 level0 = quantize(x0), level1 = quantize(x1);
    _mm_mask_storeu_epi8(q, low, _mm512_maskz_cvtepi32_epi8(kAll, _mm512_maskz_cvtps_epi32(kAll, level0)));
    _mm_mask_storeu_epi8(q + 16, high, _mm512_maskz_cvtepi32_epi8(kAll, _mm512_maskz_cvtps_epi32(kAll, level1)));
    _mm512_mask_storeu_ps(values, low, _mm512_mul_ps(level0, blockScale));
    _mm512_mask_storeu_ps(values + 16, high, _mm512_mul_ps(level1, blockScale));
    *scale = absMax / 127.0f;
}

void quantizeActivationsI8(const float* x, int64_t in, int64_t tokens, int8_t* q, float* scales, float* values) {
    const int64_t stride = i8ActivationStride(in), blocks = (in + kBlock - 1) / kBlock;
    for (int64_t t = 0; t < tokens; ++t) {
        int8_t* qRow = q + t * stride;
        for (int64_t b = 0; b < blocks; ++b) {
            quantizeBlock(x + t * in + b * kBlock, in - b * kBlock, qRow + b * kBlock, scales + t * blocks + b,
                          values + t * in + b * kBlock);
        }
        for (int64_t i = in; i < stride; ++i) qRow[i] = 0;
    }
}

// Weights asked for 4 KiB ahead of the reads, and the block scales (a second, thinner stream) 8 rows ahead: as
// for matmul_avx512.cpp's int8 kernel, the hardware prefetchers alone left decode at about 70% of this speed.
// One row at a time: interleaving 2 or 4 rows (to share the x loads) measured 10-30% slower (AMD Zen 5).
constexpr int64_t kPrefetchBytes = 4096;
constexpr int64_t kScaleRowsAhead = 8;

// Adds chunk `c` (values c·64 .. c·64+63 of a 16-block group) of one row to acc. Lane l of vpdpbusd's result holds
// Σ of the values 4l .. 4l+3: lanes 0-7 belong to block 2c of the group, lanes 8-15 to block 2c+1, whose combined
// scales wScale · xScale the permute spreads over those lanes. vpdpbusd multiplies unsigned by signed bytes: the
// weights are flipped to w + 128 (xor 0x80), and the accumulator starts at -128 · Σ x of the lane to take that offset
// back out. Weights past the row's end read as 0 (then 128) and meet the zero padding of xq.
inline __m512 chunkStep(const int8_t* w, const int8_t* xq, int64_t i, __mmask64 mask, int c, __m512 scale, __m512 acc) {
    const __m512i flip = _mm512_set1_epi8(static_cast<char>(0x80));
    const __m512i x = _mm512_loadu_si512(xq + i);
    const __m512i offset =
        _mm512_sub_epi32(_mm512_setzero_si512(), _mm512_dpbusd_epi32(_mm512_setzero_si512(), flip, x));
    const __m512i lanes = _mm512_set_epi32(1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0);
    const __m512i index = _mm512_add_epi32(lanes, _mm512_set1_epi32(2 * c));
    prefetchLines(w, i + kPrefetchBytes, kChunk);
    const __m512i weights = _mm512_xor_si512(_mm512_maskz_loadu_epi8(mask, w + i), flip);
    const __m512 dots = _mm512_maskz_cvtepi32_ps(kAll, _mm512_dpbusd_epi32(offset, weights, x));
    return _mm512_fmadd_ps(dots, _mm512_maskz_permutexvar_ps(kAll, index, scale), acc);
}

// Σ_b wScale[b] · xScale[b] · Σ_{i in block b} w[i] · xq[i] over one row; even and odd chunks into two
// accumulators, so the FMA latency does not bound the loop.
float dotRowQuantized(const int8_t* w, const float* wScales, int64_t in, const int8_t* xq, const float* xScales) {
    const int64_t blocks = (in + kBlock - 1) / kBlock;
    __m512 acc[2] = {_mm512_setzero_ps(), _mm512_setzero_ps()};
    for (int64_t b0 = 0, i0 = 0; b0 < blocks; b0 += kGroupBlocks, i0 += kGroup) {
        const __mmask16 scaleMask = laneMask(blocks - b0);
        const __m512 scale = _mm512_mul_ps(_mm512_maskz_loadu_ps(scaleMask, wScales + b0),
                                           _mm512_maskz_loadu_ps(scaleMask, xScales + b0));
        if (in - i0 >= kGroup) {
#pragma GCC unroll 8
            for (int c = 0; c < kGroup / kChunk; ++c) {
                acc[c % 2] = chunkStep(w, xq, i0 + c * kChunk, ~__mmask64{0}, c, scale, acc[c % 2]);
            }
        } else {
            for (int c = 0; i0 + c * kChunk < in; ++c) {
                const int64_t i = i0 + c * kChunk;
                acc[c % 2] = chunkStep(w, xq, i, byteMask(in - i), c, scale, acc[c % 2]);
            }
        }
    }
    return horizontalSum(_mm512_add_ps(acc[0], acc[1]));
}

void matvecI8Quantized(const int8_t* w, const float* wScales, int64_t in, int64_t rowBegin, int64_t rowEnd,
                       const int8_t* xq, const float* xScales, float* y) {
    const int64_t blocks = (in + kBlock - 1) / kBlock;
    for (int64_t r = rowBegin; r < rowEnd; ++r) {
        prefetchLines(wScales, (r + kScaleRowsAhead) * blocks * 4, blocks * 4);
        y[r - rowBegin] = dotRowQuantized(w + r * in, wScales + r * blocks, in, xq, xScales);
    }
}

}  // namespace

const MatmulKernels& avx512VnniKernels() {
    static const MatmulKernels table = [] {
        MatmulKernels t = avx512Kernels();
        t.isa = Isa::Avx512Vnni;
        t.matvecI8Quantized = matvecI8Quantized;
        t.quantizeActivationsI8 = quantizeActivationsI8;
        return t;
    }();
    return table;
}

}  // namespace rgemma
