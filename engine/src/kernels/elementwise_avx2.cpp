// elementwise_avx2.cpp — AVX2 + FMA kernels besides the decode matvecs: the blocks' element-wise math (exp-based
// GELU and sigmoid, the same algorithm as matmul_avx512.cpp so both levels agree), the attention dot and axpy, x @ W
// for the block-diagonal gates and attention's P·V, int8 dequantization and the activation quantizer.
// Compiled with -mavx2 -mfma -mf16c (kernels/CMakeLists.txt). Like matmul_avx2.cpp it includes only intrinsics and
// plain declarations and defines everything with internal linkage but the table's entries (kernels_avx2.h), so no
// AVX2 copy of a shared inline function can leak out.
#include <immintrin.h>

#include <cstdint>
#include <cstring>

#include "kernels/avx2_helpers.h"
#include "kernels/kernels_avx2.h"
#include "kernels/matmul_kernels.h"
#include "rgemma/dtype.h"

namespace rgemma::avx2 {

namespace {

// 2^n for integral n in [-63, 64] (a normal f32 built from its exponent bits).
inline __m256 pow2(__m256i n) {
    return _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_add_epi32(n, _mm256_set1_epi32(127)), 23));
}

// e^x within ~2 ulp, matmul_avx512.cpp's exp16 on 8 lanes (Cephes expf: exact range reduction by ln 2 in two parts,
// degree-6 polynomial, then y · 2^n); arguments are clamped to [-88, 88], so the result is finite and positive.
// AVX2 has no scalef: y · 2^n is two exact-exponent products y · 2^(n/2) · 2^(n - n/2), whose first is exact (y is
// about 1) and whose second rounds once, as scalef does (also where e^x is subnormal, n = -127).
inline __m256 exp8(__m256 x) {
    x = _mm256_min_ps(_mm256_max_ps(x, _mm256_set1_ps(-88.0f)), _mm256_set1_ps(88.0f));
    const __m256 n = _mm256_round_ps(_mm256_mul_ps(x, _mm256_set1_ps(1.44269504088896341f)),
                                     _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m256 r = _mm256_fnmadd_ps(n, _mm256_set1_ps(0.693359375f), x);
    r = _mm256_fnmadd_ps(n, _mm256_set1_ps(-2.12194440e-4f), r);
    __m256 p = _mm256_set1_ps(1.9875691500e-4f);
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.3981999507e-3f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(8.3334519073e-3f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(4.1665795894e-2f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.6666665459e-1f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(5.0000001201e-1f));
    const __m256 y = _mm256_add_ps(_mm256_fmadd_ps(_mm256_mul_ps(p, r), r, r), _mm256_set1_ps(1.0f));
    const __m256i whole = _mm256_cvtps_epi32(n);
    const __m256i half = _mm256_srai_epi32(whole, 1);
    return _mm256_mul_ps(_mm256_mul_ps(y, pow2(half)), pow2(_mm256_sub_epi32(whole, half)));
}

// gelu_tanh(x) = x / (1 + e^(-2u)), u = sqrt(2/π)(x + 0.044715 x³), as matmul_avx512.cpp's gelu16.
// ref: torch/modules.py gelu
inline __m256 gelu8(__m256 x) {
    const __m256 x3 = _mm256_mul_ps(_mm256_mul_ps(x, x), x);
    const __m256 u =
        _mm256_mul_ps(_mm256_fmadd_ps(x3, _mm256_set1_ps(0.044715f), x), _mm256_set1_ps(0.7978845608028654f));
    const __m256 e = exp8(_mm256_mul_ps(u, _mm256_set1_ps(-2.0f)));
    return _mm256_div_ps(x, _mm256_add_ps(_mm256_set1_ps(1.0f), e));
}

inline __m256 sigmoid8(__m256 x) {
    const __m256 e = exp8(_mm256_sub_ps(_mm256_setzero_ps(), x));
    return _mm256_div_ps(_mm256_set1_ps(1.0f), _mm256_add_ps(_mm256_set1_ps(1.0f), e));
}

// R tokens × 8·V columns of x @ W from column c (all 8·V inside cols): W row i (V loads) meets each token's x[t, i]
// broadcast, R·V accumulators in registers; W's strip is reused from L1 by every group of tokens. The design of
// matmul_avx512.cpp's inOutTile on 16 ymm registers: R·V + V + 1 <= 16.
template <int R, int V, typename T>
void inOutTile(const T* w, int64_t in, int64_t cols, const float* x, int64_t ldx, float* y, int64_t ldy, int64_t c) {
    static_assert(R * V + (R == 1 ? 0 : V) + 1 <= 16, "accumulators, W row and broadcast fit 16 ymm registers");
    // Every loop over the accumulators is unrolled: where one is not, GCC 12 keeps the array in memory (see
    // matmul_avx512.cpp).
    __m256 acc[R * V];
#pragma GCC unroll 16
    for (int k = 0; k < R * V; ++k) acc[k] = _mm256_setzero_ps();
    for (int64_t i = 0; i < in; ++i) {
        const T* row = w + i * cols + c;
        if constexpr (R == 1) {
            // W's row is used once: the FMAs take it straight from memory.
            const __m256 xi = _mm256_set1_ps(x[i]);
#pragma GCC unroll 16
            for (int v = 0; v < V; ++v) acc[v] = _mm256_fmadd_ps(xi, load8(row + 8 * v), acc[v]);
        } else {
            __m256 wi[V];
#pragma GCC unroll 16
            for (int v = 0; v < V; ++v) wi[v] = load8(row + 8 * v);
#pragma GCC unroll 8
            for (int r = 0; r < R; ++r) {
                const __m256 xi = _mm256_set1_ps(x[r * ldx + i]);
#pragma GCC unroll 16
                for (int v = 0; v < V; ++v) acc[r * V + v] = _mm256_fmadd_ps(xi, wi[v], acc[r * V + v]);
            }
        }
    }
#pragma GCC unroll 8
    for (int r = 0; r < R; ++r) {
#pragma GCC unroll 16
        for (int v = 0; v < V; ++v) _mm256_storeu_ps(y + r * ldy + c + 8 * v, acc[r * V + v]);
    }
}

// The last cols % 8 columns of `tokens` tokens, one at a time (no masked 16-bit loads in AVX2).
template <typename T>
void inOutTailColumns(const T* w, int64_t in, int64_t cols, const float* x, int64_t ldx, int64_t tokens, float* y,
                      int64_t ldy, int64_t c0) {
    for (int64_t t = 0; t < tokens; ++t) {
        for (int64_t c = c0; c < cols; ++c) {
            float sum = 0.0f;
            for (int64_t i = 0; i < in; ++i) sum += x[t * ldx + i] * toFloat(w[i * cols + c]);
            y[t * ldy + c] = sum;
        }
    }
}

// R tokens, the full 8-column vectors [v, vectors): strips of V vectors while they fit, then the rest in strips of
// V/2, V/4, ... (at most one each).
template <int R, int V, typename T>
void inOutStrips(const T* w, int64_t in, int64_t cols, const float* x, int64_t ldx, float* y, int64_t ldy, int64_t v,
                 int64_t vectors) {
    for (; v + V <= vectors; v += V) inOutTile<R, V>(w, in, cols, x, ldx, y, ldy, 8 * v);
    if constexpr (V > 1) inOutStrips<R, V / 2>(w, in, cols, x, ldx, y, ldy, v, vectors);
}

// Groups of 6 tokens × 16 columns (12 accumulators, 2 W vectors, 1 broadcast); the 1-5 tokens left over go one at
// a time, 64 columns per strip: 8 independent accumulators hide the FMA latency and, for a single token (decode),
// W is read once, row after row.
template <typename T>
void matmulInOut(const T* w, int64_t in, int64_t cols, const float* x, int64_t ldx, int64_t tokens, float* y,
                 int64_t ldy) {
    constexpr int kTokens = 6;
    const int64_t grouped = tokens / kTokens * kTokens;
    for (int64_t t = 0; t < grouped; t += kTokens)
        inOutStrips<kTokens, 2>(w, in, cols, x + t * ldx, ldx, y + t * ldy, ldy, 0, cols / 8);
    for (int64_t t = grouped; t < tokens; ++t)
        inOutStrips<1, 8>(w, in, cols, x + t * ldx, ldx, y + t * ldy, ldy, 0, cols / 8);
    const int64_t full = cols / 8 * 8;
    if (full < cols) inOutTailColumns(w, in, cols, x, ldx, tokens, y, ldy, full);
}

// 8 int8 values widened to f32; `left` (< 8) values only where the row ends, the rest 0 (never read past it).
inline __m256 loadI8(const int8_t* p, int64_t left) {
    int64_t bytes = 0;
    if (left >= 8) {
        std::memcpy(&bytes, p, 8);
    } else {
        std::memcpy(&bytes, p, static_cast<std::size_t>(left));
    }
    return _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(_mm_cvtsi64_si128(bytes)));
}

// dst[r, i] = q[r, i] · scale[r, i / 32], 8 values at a time (a block's scale covers four vectors).
template <typename Store>
void dequantizeRows(const int8_t* q, const float* scales, int64_t in, int64_t rows, Store store) {
    const int64_t blocks = i8Blocks(in);
    for (int64_t r = 0; r < rows; ++r) {
        for (int64_t i = 0; i < in; i += 8) {
            const __m256 value =
                _mm256_mul_ps(loadI8(q + r * in + i, in - i), _mm256_set1_ps(scales[r * blocks + i / kI8BlockSize]));
            store(r * in + i, in - i, value);
        }
    }
}

// One block of 32 (`left` values of it in the row) quantized as dtype.cpp's quantizeActivationsI8 does, with the
// same f32 operations in the same order (so the same bits): the block's absmax, 127 / absmax, round to nearest
// even, clamp; as matmul_avx512vnni.cpp's quantizeBlock.
void quantizeBlock(const float* x, int64_t left, int8_t* q, float* scale, float* values) {
    __m256 v[4];
    __m256 absMax8 = _mm256_setzero_ps();
    const __m256 signBit = _mm256_set1_ps(-0.0f);
#pragma GCC unroll 4
    for (int j = 0; j < 4; ++j) {
        v[j] = _mm256_maskload_ps(x + 8 * j, laneMask(left - 8 * j));
        absMax8 = _mm256_max_ps(absMax8, _mm256_andnot_ps(signBit, v[j]));
    }
    const float absMax = horizontalMax(absMax8);
    const __m256 inverse = _mm256_set1_ps(absMax > 0.0f ? 127.0f / absMax : 0.0f);
    const __m256 blockScale = _mm256_set1_ps(absMax / 127.0f);
    const __m256 limit = _mm256_set1_ps(127.0f), lowest = _mm256_set1_ps(-127.0f);
    __m256i levels[4];
#pragma GCC unroll 4
    for (int j = 0; j < 4; ++j) {
        const __m256 level = _mm256_max_ps(
            _mm256_min_ps(_mm256_round_ps(_mm256_mul_ps(v[j], inverse), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC),
                          limit),
            lowest);
        _mm256_maskstore_ps(values + 8 * j, laneMask(left - 8 * j), _mm256_mul_ps(level, blockScale));
        levels[j] = _mm256_cvtps_epi32(level);
    }
    // The packs work within 128-bit lanes: bytes come out as 4-value groups in the order 0 2 4 6 1 3 5 7 of the
    // groups; the permute puts them back.
    const __m256i words =
        _mm256_packs_epi16(_mm256_packs_epi32(levels[0], levels[1]), _mm256_packs_epi32(levels[2], levels[3]));
    const __m256i bytes = _mm256_permutevar8x32_epi32(words, _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7));
    if (left >= kI8BlockSize) {
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(q), bytes);
    } else {
        alignas(32) int8_t block[kI8BlockSize];
        _mm256_store_si256(reinterpret_cast<__m256i*>(block), bytes);
        std::memcpy(q, block, static_cast<std::size_t>(left));
    }
    *scale = absMax / 127.0f;
}

}  // namespace

void geluTanh(float* x, const float* mul, int64_t n) {
    int64_t i = 0;
    for (; i + 8 <= n; i += 8) {
        __m256 g = gelu8(_mm256_loadu_ps(x + i));
        if (mul != nullptr) g = _mm256_mul_ps(g, _mm256_loadu_ps(mul + i));
        _mm256_storeu_ps(x + i, g);
    }
    if (i < n) {
        const __m256i mask = laneMask(n - i);
        __m256 g = gelu8(_mm256_maskload_ps(x + i, mask));
        if (mul != nullptr) g = _mm256_mul_ps(g, _mm256_maskload_ps(mul + i, mask));
        _mm256_maskstore_ps(x + i, mask, g);
    }
}

void sigmoid(float* x, int64_t n) {
    int64_t i = 0;
    for (; i + 8 <= n; i += 8) _mm256_storeu_ps(x + i, sigmoid8(_mm256_loadu_ps(x + i)));
    if (i < n) {
        const __m256i mask = laneMask(n - i);
        _mm256_maskstore_ps(x + i, mask, sigmoid8(_mm256_maskload_ps(x + i, mask)));
    }
}

float dot(const float* a, const float* b, int64_t n) {
    __m256 acc[4] = {_mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps()};
    int64_t i = 0;
    for (; i + 32 <= n; i += 32) {
#pragma GCC unroll 4
        for (int j = 0; j < 4; ++j) {
            acc[j] = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 8 * j), _mm256_loadu_ps(b + i + 8 * j), acc[j]);
        }
    }
    for (; i < n; i += 8) {
        const __m256i mask = laneMask(n - i);
        acc[0] = _mm256_fmadd_ps(_mm256_maskload_ps(a + i, mask), _mm256_maskload_ps(b + i, mask), acc[0]);
    }
    return horizontalSum(_mm256_add_ps(_mm256_add_ps(acc[0], acc[1]), _mm256_add_ps(acc[2], acc[3])));
}

void axpy(float a, const float* x, float* y, int64_t n) {
    const __m256 scale = _mm256_set1_ps(a);
    int64_t i = 0;
    for (; i + 8 <= n; i += 8) {
        _mm256_storeu_ps(y + i, _mm256_fmadd_ps(scale, _mm256_loadu_ps(x + i), _mm256_loadu_ps(y + i)));
    }
    if (i < n) {
        const __m256i mask = laneMask(n - i);
        _mm256_maskstore_ps(y + i, mask,
                            _mm256_fmadd_ps(scale, _mm256_maskload_ps(x + i, mask), _mm256_maskload_ps(y + i, mask)));
    }
}

void matmulInOutF32(const float* w, int64_t in, int64_t cols, const float* x, int64_t ldx, int64_t tokens, float* y,
                    int64_t ldy) {
    matmulInOut(w, in, cols, x, ldx, tokens, y, ldy);
}

void matmulInOutBf16(const uint16_t* w, int64_t in, int64_t cols, const float* x, int64_t ldx, int64_t tokens, float* y,
                     int64_t ldy) {
    matmulInOut(w, in, cols, x, ldx, tokens, y, ldy);
}

void dequantizeI8(const int8_t* q, const float* scales, int64_t in, int64_t rows, float* dst) {
    dequantizeRows(q, scales, in, rows, [dst](int64_t at, int64_t left, __m256 v) { storeF32(dst + at, left, v); });
}

void dequantizeI8Bf16(const int8_t* q, const float* scales, int64_t in, int64_t rows, uint16_t* dst) {
    dequantizeRows(q, scales, in, rows, [dst](int64_t at, int64_t left, __m256 v) { storeBf16(dst + at, left, v); });
}

void quantizeActivationsI8(const float* x, int64_t in, int64_t tokens, int8_t* q, float* scales, float* values) {
    const int64_t stride = i8ActivationStride(in), blocks = i8Blocks(in);
    for (int64_t t = 0; t < tokens; ++t) {
        int8_t* qRow = q + t * stride;
        for (int64_t b = 0; b < blocks; ++b) {
            quantizeBlock(x + t * in + b * kI8BlockSize, in - b * kI8BlockSize, qRow + b * kI8BlockSize,
                          scales + t * blocks + b, values + t * in + b * kI8BlockSize);
        }
        std::memset(qRow + in, 0, static_cast<std::size_t>(stride - in));
    }
}

}  // namespace rgemma::avx2
