// gemm_int8_avx2.cpp — the int8 prefill GEMM for AVX2 (gemm_int8_avx2.h: vpmaddubsw + vpmaddwd per 4-value step),
// its activation packing and the bf16 weight quantizer. Compiled with -mavx2 -mfma (kernels/CMakeLists.txt); internal
// linkage except avx2::int8PanelGemm (see matmul_avx2.cpp for why).
#include "kernels/gemm_int8_avx2.h"

#include <immintrin.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>

#include "kernels/avx2_helpers.h"
#include "kernels/kernels_avx2.h"

namespace rgemma {

namespace {

// Σ of 4 products per lane into acc: vpmaddubsw (u8 |a| × s8 signed weight, pairs into exact s16), vpmaddwd by 1
// (pairs of pairs into s32).
struct MaddubsDot {
    static __m256i step(__m256i acc, __m256i magnitude, __m256i signedWeight, __m256i ones) {
        const __m256i pairs = _mm256_maddubs_epi16(magnitude, signedWeight);
        return _mm256_add_epi32(acc, _mm256_madd_epi16(pairs, ones));
    }
};

void gemm(const uint32_t* packed, const int8_t* w, const float* wScales, int64_t in, int64_t tokens, int64_t rowBegin,
          int64_t rowEnd, int64_t panelBegin, int64_t panelEnd, float* y, int64_t ldy) {
    int8PanelGemm<MaddubsDot>(packed, w, wScales, in, tokens, rowBegin, rowEnd, panelBegin, panelEnd, y, ldy);
}

// Int8PanelGemm::pack: each token's q row, 4 bytes per k-quad, into its lane of the panel; the block scales after
// the quads. Panels are cleared first, so tokens past the end (and their scales) are 0.
void pack(const int8_t* q, int64_t qStride, const float* scales, int64_t tokens, int64_t in, int64_t panelBegin,
          int64_t panelEnd, uint32_t* packed) {
    const int64_t blocks = i8Blocks(in), quads = blocks * kQuadsPerBlock;
    const int64_t panelUnits = Int8PanelGemm::panelUnits(in);
    for (int64_t p = panelBegin; p < panelEnd; ++p) {
        uint32_t* panel = packed + p * panelUnits;
        float* panelScales = reinterpret_cast<float*>(panel + blocks * kPanelBlockUnits);
        std::memset(panel, 0, static_cast<std::size_t>(panelUnits) * 4);
        const int64_t t0 = p * kInt8PanelTokens;
        const int64_t valid = std::min<int64_t>(kInt8PanelTokens, tokens - t0);
        for (int64_t t = 0; t < valid; ++t) {
            const int8_t* row = q + (t0 + t) * qStride;  // zero-padded to qStride >= blocks · 32
            for (int64_t quad = 0; quad < quads; ++quad) {
                std::memcpy(panel + quad * kPanelQuadUnits + t, row + 4 * quad, 4);
            }
            for (int64_t b = 0; b < blocks; ++b) panelScales[b * kInt8PanelTokens + t] = scales[(t0 + t) * blocks + b];
        }
    }
}

// Int8PanelGemm::quantizeBf16: each block as dtype.cpp's quantizeActivationsI8 does it, with the same f32 operations
// (absmax, 127 / absmax, round to nearest even, clamp to ±127), so the same bits; a short last block in scalar code.
void quantizeBf16(const uint16_t* w, int64_t in, int64_t rows, int8_t* q, float* scales) {
    const int64_t blocks = i8Blocks(in), fullBlocks = in / kI8BlockSize;
    const __m256 signBit = _mm256_set1_ps(-0.0f), limit = _mm256_set1_ps(127.0f), negLimit = _mm256_set1_ps(-127.0f);
    const __m256i order = _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7);
    for (int64_t r = 0; r < rows; ++r) {
        const uint16_t* row = w + r * in;
        int8_t* qRow = q + r * in;
        for (int64_t b = 0; b < fullBlocks; ++b) {
            __m256 v[4];
            __m256 absMax = _mm256_setzero_ps();
            for (int j = 0; j < 4; ++j) {
                v[j] = loadBf16(row + b * kI8BlockSize + 8 * j);
                absMax = _mm256_max_ps(absMax, _mm256_andnot_ps(signBit, v[j]));
            }
            __m128 m = _mm_max_ps(_mm256_castps256_ps128(absMax), _mm256_extractf128_ps(absMax, 1));
            m = _mm_max_ps(m, _mm_movehl_ps(m, m));
            m = _mm_max_ss(m, _mm_movehdup_ps(m));
            const float blockMax = _mm_cvtss_f32(m);
            const __m256 inverse = _mm256_set1_ps(blockMax > 0.0f ? 127.0f / blockMax : 0.0f);
            __m256i level[4];
            for (int j = 0; j < 4; ++j) {
                const __m256 rounded =
                    _mm256_round_ps(_mm256_mul_ps(v[j], inverse), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
                level[j] = _mm256_cvtps_epi32(_mm256_max_ps(_mm256_min_ps(rounded, limit), negLimit));
            }
            const __m256i bytes =
                _mm256_packs_epi16(_mm256_packs_epi32(level[0], level[1]), _mm256_packs_epi32(level[2], level[3]));
            _mm256_storeu_si256(reinterpret_cast<__m256i*>(qRow + b * kI8BlockSize),
                                _mm256_permutevar8x32_epi32(bytes, order));
            scales[r * blocks + b] = blockMax / 127.0f;
        }
        if (fullBlocks < blocks) {
            const int64_t begin = fullBlocks * kI8BlockSize;
            float absMax = 0.0f;
            for (int64_t i = begin; i < in; ++i) absMax = std::max(absMax, std::fabs(bf16Value(row[i])));
            const float inverse = absMax > 0.0f ? 127.0f / absMax : 0.0f;
            for (int64_t i = begin; i < in; ++i) {
                qRow[i] = static_cast<int8_t>(std::clamp(std::nearbyint(bf16Value(row[i]) * inverse), -127.0f, 127.0f));
            }
            scales[r * blocks + fullBlocks] = absMax / 127.0f;
        }
    }
}

}  // namespace

Int8PanelGemm avx2::int8PanelGemm() { return Int8PanelGemm{.pack = pack, .quantizeBf16 = quantizeBf16, .gemm = gemm}; }

}  // namespace rgemma
