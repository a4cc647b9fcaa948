// gemm_avx2.cpp — the prefill GEMM for AVX2 + FMA: y [tokens, out] = x [tokens, in] · Wᵀ on f32 activations, with
// f32, bf16, f16 or int8 weights read from the mapping and converted once per tile.
// Compiled with -mavx2 -mfma -mf16c (kernels/CMakeLists.txt); everything but the table's entry points has internal
// linkage (see matmul_avx2.cpp for why).
//
// The design is the one that reaches the FMA peak with 16 ymm registers (BLIS' and OpenBLAS' Haswell sgemm): a
// micro-tile of 24 weight rows × 4 tokens keeps 12 accumulators, 3 weight vectors and 1 broadcast in registers; per
// k it does 3 weight loads and 4 broadcasts for 12 FMAs, so the loads (two per cycle) never bind and the 12
// independent chains cover the FMA latency (5 cycles × 2 pipes on Zen 2). Lanes are weight rows, so a tile of W is
// converted to f32 and transposed once ([k][24 rows], 24 KiB: it stays in L1 while every token of the chunk streams
// past it), which is also where bf16, f16 and int8 become f32 exactly as dtype_convert.h converts them. The
// activations are packed per panel of kGemmPanelTokens tokens as [quad of 4 tokens][k][4], one 16-byte read per k.
#include <immintrin.h>

#include <cstdint>

#include "kernels/avx2_helpers.h"
#include "kernels/kernels_avx2.h"
#include "kernels/matmul_kernels.h"
#include "rgemma/dtype.h"

namespace rgemma::avx2 {

namespace {

constexpr int kTileRows = 24;     // weight rows per micro-tile: 3 vectors of 8
constexpr int kTileTokens = 4;    // tokens per micro-tile
constexpr int64_t kBlockK = 256;  // k per converted weight tile: 256 × 24 × 4 B = 24 KiB, within a 32 KiB L1

// Values per token in a packed panel: `in` rounded up to the pairs the panel layout counts in (PanelGemm).
inline int64_t paddedIn(int64_t in) { return (in + 1) / 2 * 2; }

// Rows of W in their stored dtype: 8 consecutive values of a row as f32 (`load8`), or one (`at`).
struct F32Rows {
    const float* w;
    int64_t in;
    __m256 load8(int64_t r, int64_t k) const { return _mm256_loadu_ps(w + r * in + k); }
    float at(int64_t r, int64_t k) const { return w[r * in + k]; }
};

// bf16 -> f32 is exact: the bf16 bits are the high half of the f32 bits.
struct Bf16Rows {
    const uint16_t* w;
    int64_t in;
    __m256 load8(int64_t r, int64_t k) const { return loadBf16(w + r * in + k); }
    float at(int64_t r, int64_t k) const { return bf16Value(w[r * in + k]); }
};

// IEEE half -> f32 with F16C, exact for every value (as dtype_convert.h's f16ToFloat).
struct F16Rows {
    const uint16_t* w;
    int64_t in;
    __m256 load8(int64_t r, int64_t k) const {
        return _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(w + r * in + k)));
    }
    float at(int64_t r, int64_t k) const { return _mm_cvtss_f32(_mm_cvtph_ps(_mm_cvtsi32_si128(w[r * in + k]))); }
};

// I8 blocks dequantized as dtype_convert.h's dequantizeI8: q · scale[r, k / 32], one f32 product. `load8` is only
// asked for 8 values inside one block (k a multiple of 8, blocks of 32).
struct I8Rows {
    const int8_t* w;
    const float* scales;
    int64_t in;
    int64_t blocks;
    __m256 load8(int64_t r, int64_t k) const {
        const __m256 q =
            _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(w + r * in + k))));
        return _mm256_mul_ps(q, _mm256_set1_ps(scales[r * blocks + k / kI8BlockSize]));
    }
    float at(int64_t r, int64_t k) const {
        return static_cast<float>(w[r * in + k]) * scales[r * blocks + k / kI8BlockSize];
    }
};
static_assert(kBlockK % kI8BlockSize == 0 && kI8BlockSize % 8 == 0, "a k-block holds whole I8 blocks");

// In place: v[i] (8 values of row i) becomes 8 rows' values at column i.
inline void transpose8(__m256 v[8]) {
    __m256 t[8], u[8];
    for (int i = 0; i < 8; i += 2) {
        t[i] = _mm256_unpacklo_ps(v[i], v[i + 1]);
        t[i + 1] = _mm256_unpackhi_ps(v[i], v[i + 1]);
    }
    for (int i = 0; i < 8; i += 4) {
        u[i] = _mm256_shuffle_ps(t[i], t[i + 2], 0x44);
        u[i + 1] = _mm256_shuffle_ps(t[i], t[i + 2], 0xEE);
        u[i + 2] = _mm256_shuffle_ps(t[i + 1], t[i + 3], 0x44);
        u[i + 3] = _mm256_shuffle_ps(t[i + 1], t[i + 3], 0xEE);
    }
    for (int i = 0; i < 4; ++i) {
        v[i] = _mm256_permute2f128_ps(u[i], u[i + 4], 0x20);
        v[i + 4] = _mm256_permute2f128_ps(u[i], u[i + 4], 0x31);
    }
}

// wp[k][j] = W[r0 + j, k0 + k] as f32 for k < kc and j < 8 · vectors; rows j >= rows read as 0.
template <typename Rows>
void packWeightTile(const Rows& w, int64_t r0, int64_t rows, int vectors, int64_t k0, int64_t kc, float* wp) {
    for (int j0 = 0; j0 < 8 * vectors; j0 += 8) {
        const int64_t valid = rows - j0 < 8 ? rows - j0 : 8;
        int64_t k = 0;
        for (; k + 8 <= kc; k += 8) {
            __m256 v[8];
#pragma GCC unroll 8
            for (int j = 0; j < 8; ++j) v[j] = j < valid ? w.load8(r0 + j0 + j, k0 + k) : _mm256_setzero_ps();
            transpose8(v);
#pragma GCC unroll 8
            for (int i = 0; i < 8; ++i) _mm256_store_ps(wp + (k + i) * kTileRows + j0, v[i]);
        }
        for (; k < kc; ++k) {
            for (int j = 0; j < 8; ++j) wp[k * kTileRows + j0 + j] = j < valid ? w.at(r0 + j0 + j, k0 + k) : 0.0f;
        }
    }
}

// acc[v][t] = Σ_{k < kc} wp[k][8v .. 8v+7] · a[k][t]: `Vectors` × 8 rows against 4 tokens, then stored into
// y[t, 0 .. rows) (rows < 8 · Vectors masked), added to what is there after the first k-block.
// Every loop over `acc` is unrolled: where one is not, GCC 12 keeps the array on the stack.
template <int Vectors>
void microTile(const float* wp, const float* a, int64_t kc, int64_t rows, int64_t tokens, bool accumulate, float* y,
               int64_t ldy) {
    __m256 acc[Vectors][kTileTokens];
#pragma GCC unroll 4
    for (int t = 0; t < kTileTokens; ++t) {
#pragma GCC unroll 3
        for (int v = 0; v < Vectors; ++v) acc[v][t] = _mm256_setzero_ps();
    }
#pragma GCC unroll 2
    for (int64_t k = 0; k < kc; ++k, wp += kTileRows, a += kTileTokens) {
        __m256 w[Vectors];
#pragma GCC unroll 3
        for (int v = 0; v < Vectors; ++v) w[v] = _mm256_load_ps(wp + 8 * v);
#pragma GCC unroll 4
        for (int t = 0; t < kTileTokens; ++t) {
            const __m256 x = _mm256_broadcast_ss(a + t);
#pragma GCC unroll 3
            for (int v = 0; v < Vectors; ++v) acc[v][t] = _mm256_fmadd_ps(w[v], x, acc[v][t]);
        }
    }
#pragma GCC unroll 4
    for (int t = 0; t < kTileTokens; ++t) {
        if (t >= tokens) break;
        float* out = y + t * ldy;
#pragma GCC unroll 3
        for (int v = 0; v < Vectors; ++v) {
            const int64_t left = rows - 8 * v;
            if (left >= 8) {
                const __m256 sum = accumulate ? _mm256_add_ps(_mm256_loadu_ps(out + 8 * v), acc[v][t]) : acc[v][t];
                _mm256_storeu_ps(out + 8 * v, sum);
            } else {
                const __m256i mask = laneMask(left);
                const __m256 sum =
                    accumulate ? _mm256_add_ps(_mm256_maskload_ps(out + 8 * v, mask), acc[v][t]) : acc[v][t];
                _mm256_maskstore_ps(out + 8 * v, mask, sum);
            }
        }
    }
}

// y[t, r] = Σ_i x[t, i] · W[r, i] for r in [rowBegin, rowEnd) and the tokens of panels [panelBegin, panelEnd):
// per k-block and group of 24 rows, the tile is converted once, then every 4-token quad of the panels runs over it.
template <typename Rows>
void panelGemm(const void* packed, const Rows& w, int64_t in, int64_t tokens, int64_t rowBegin, int64_t rowEnd,
               int64_t panelBegin, int64_t panelEnd, float* y, int64_t ldy) {
    const int64_t quadFloats = paddedIn(in) * kTileTokens;
    const int64_t panelFloats = paddedIn(in) * kGemmPanelTokens;
    alignas(32) float wp[kBlockK * kTileRows];
    for (int64_t k0 = 0; k0 < in; k0 += kBlockK) {
        const int64_t kc = in - k0 < kBlockK ? in - k0 : kBlockK;
        for (int64_t r = rowBegin; r < rowEnd; r += kTileRows) {
            const int64_t rows = rowEnd - r < kTileRows ? rowEnd - r : kTileRows;
            const int vectors = static_cast<int>((rows + 7) / 8);
            packWeightTile(w, r, rows, vectors, k0, kc, wp);
            for (int64_t p = panelBegin; p < panelEnd; ++p) {
                const float* panel = static_cast<const float*>(packed) + p * panelFloats;
                for (int64_t quad = 0; quad < kGemmPanelTokens / kTileTokens; ++quad) {
                    const int64_t t0 = p * kGemmPanelTokens + quad * kTileTokens;
                    if (t0 >= tokens) break;
                    const float* a = panel + quad * quadFloats + k0 * kTileTokens;
                    float* out = y + t0 * ldy + r;
                    const int64_t valid = tokens - t0;
                    if (vectors == 3) {
                        microTile<3>(wp, a, kc, rows, valid, k0 > 0, out, ldy);
                    } else if (vectors == 2) {
                        microTile<2>(wp, a, kc, rows, valid, k0 > 0, out, ldy);
                    } else {
                        microTile<1>(wp, a, kc, rows, valid, k0 > 0, out, ldy);
                    }
                }
            }
        }
    }
}

static_assert(kGemmPanelTokens % kTileTokens == 0, "a panel holds whole quads");

}  // namespace

void packF32Activations(const float* x, int64_t tokens, int64_t in, int64_t panelBegin, int64_t panelEnd,
                        uint32_t* packed) {
    const int64_t padded = paddedIn(in);
    for (int64_t p = panelBegin; p < panelEnd; ++p) {
        auto* panel = reinterpret_cast<float*>(packed) + p * padded * kGemmPanelTokens;
        for (int64_t slot = 0; slot < kGemmPanelTokens; ++slot) {
            const int64_t t = p * kGemmPanelTokens + slot;
            float* dst = panel + (slot / kTileTokens) * padded * kTileTokens + slot % kTileTokens;
            for (int64_t i = 0; i < padded; ++i) {
                dst[i * kTileTokens] = t < tokens && i < in ? x[t * in + i] : 0.0f;
            }
        }
    }
}

void gemmBf16Weights(const void* packed, const uint16_t* w, int64_t in, int64_t tokens, int64_t rowBegin,
                     int64_t rowEnd, int64_t panelBegin, int64_t panelEnd, float* y, int64_t ldy) {
    panelGemm(packed, Bf16Rows{w, in}, in, tokens, rowBegin, rowEnd, panelBegin, panelEnd, y, ldy);
}

void gemmF32Weights(const void* packed, const float* w, int64_t in, int64_t tokens, int64_t rowBegin, int64_t rowEnd,
                    int64_t panelBegin, int64_t panelEnd, float* y, int64_t ldy) {
    panelGemm(packed, F32Rows{w, in}, in, tokens, rowBegin, rowEnd, panelBegin, panelEnd, y, ldy);
}

void gemmF16Weights(const void* packed, const uint16_t* w, int64_t in, int64_t tokens, int64_t rowBegin, int64_t rowEnd,
                    int64_t panelBegin, int64_t panelEnd, float* y, int64_t ldy) {
    panelGemm(packed, F16Rows{w, in}, in, tokens, rowBegin, rowEnd, panelBegin, panelEnd, y, ldy);
}

void gemmI8Weights(const void* packed, const int8_t* w, const float* scales, int64_t in, int64_t tokens,
                   int64_t rowBegin, int64_t rowEnd, int64_t panelBegin, int64_t panelEnd, float* y, int64_t ldy) {
    const int64_t blocks = i8Blocks(in);
    panelGemm(packed, I8Rows{w, scales, in, blocks}, in, tokens, rowBegin, rowEnd, panelBegin, panelEnd, y, ldy);
}

}  // namespace rgemma::avx2
