// matmul_avx512.cpp — AVX-512 kernels: decode matrix-vector products (f32, bf16 and int8 weights read in place,
// masked tails), the exact prefill GEMM (f32 activations × weights widened in registers, f32 FMA), x @ W for the
// block-diagonal gates, int8 dequantization, and the blocks' element-wise math (exp-based GELU and sigmoid).
// Compiled with -mavx512f -mavx512bw -mavx512vl -mavx512dq (kernels/CMakeLists.txt); like matmul_avx2.cpp it
// defines everything with internal linkage so no AVX-512 copy of a shared inline function can leak out.
#include <immintrin.h>

#include <cstdint>

#include "kernels/avx512_helpers.h"
#include "kernels/kernels_avx2.h"
#include "kernels/matmul_kernels.h"
#include "kernels/panel_gemm.h"
#include "rgemma/dtype.h"

namespace rgemma {

namespace {

// Exact bf16 -> f32 widening of 16 values.
inline __m512 widenBf16(__m256i bits) {
    return _mm512_castsi512_ps(_mm512_maskz_slli_epi32(kAll, _mm512_maskz_cvtepu16_epi32(kAll, bits), 16));
}

// 16 f32, or 16 bf16 widened exactly (the bf16 bits are the high half of the f32 bits); masked lanes read as 0.
inline __m512 load16(const float* p, __mmask16 mask) { return _mm512_maskz_loadu_ps(mask, p); }
inline __m512 load16(const uint16_t* p, __mmask16 mask) { return widenBf16(_mm256_maskz_loadu_epi16(mask, p)); }
inline __m512 load16(const int8_t* p, __mmask16 mask) {
    return _mm512_maskz_cvtepi32_ps(kAll, _mm512_maskz_cvtepi8_epi32(kAll, _mm_maskz_loadu_epi8(mask, p)));
}
inline __m512 load16(const int8_t* p) {
    return _mm512_maskz_cvtepi32_ps(
        kAll, _mm512_maskz_cvtepi8_epi32(kAll, _mm_loadu_si128(reinterpret_cast<const __m128i*>(p))));
}
inline __m512 load16(const float* p) { return _mm512_loadu_ps(p); }
inline __m512 load16(const uint16_t* p) { return widenBf16(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p))); }

// Σ_i w[i] · x[i] over one row. One row at a time on purpose: a single sequential stream lets the hardware
// prefetchers reach full bandwidth, where interleaving 4 rows (to reuse x loads) measured 35% slower on Zen 5.
// Four accumulators hide the FMA latency; the last in % 16 columns go through a masked load.
template <typename T>
float dotRow(const T* w, int64_t in, const float* x) {
    __m512 acc[4];
    for (auto& a : acc) a = _mm512_setzero_ps();
    int64_t i = 0;
    for (; i + 64 <= in; i += 64) {
        for (int j = 0; j < 4; ++j)
            acc[j] = _mm512_fmadd_ps(load16(w + i + 16 * j), _mm512_loadu_ps(x + i + 16 * j), acc[j]);
    }
    for (; i < in; i += 16) {
        const __mmask16 mask = laneMask(in - i);
        acc[0] = _mm512_fmadd_ps(load16(w + i, mask), _mm512_maskz_loadu_ps(mask, x + i), acc[0]);
    }
    return horizontalSum(_mm512_add_ps(_mm512_add_ps(acc[0], acc[1]), _mm512_add_ps(acc[2], acc[3])));
}

template <typename T>
void matvec(const T* w, int64_t in, int64_t rowBegin, int64_t rowEnd, const float* x, float* y) {
    for (int64_t r = rowBegin; r < rowEnd; ++r) y[r - rowBegin] = dotRow(w + r * in, in, x);
}

void matvecF32(const float* w, int64_t in, int64_t rowBegin, int64_t rowEnd, const float* x, float* y) {
    matvec(w, in, rowBegin, rowEnd, x, y);
}

void matvecBf16(const uint16_t* w, int64_t in, int64_t rowBegin, int64_t rowEnd, const float* x, float* y) {
    matvec(w, in, rowBegin, rowEnd, x, y);
}

// The dot product of one 32-value block of q with x (16-lane halves; `left` values remain in the row).
inline __m512 blockDot(const int8_t* q, const float* x, int64_t left) {
    if (left >= kI8BlockSize) {
        const __m512 low = _mm512_mul_ps(load16(q), _mm512_loadu_ps(x));
        return _mm512_fmadd_ps(load16(q + 16), _mm512_loadu_ps(x + 16), low);
    }
    const __mmask16 lowMask = laneMask(left), highMask = laneMask(left - 16);
    const __m512 low = _mm512_mul_ps(load16(q, lowMask), _mm512_maskz_loadu_ps(lowMask, x));
    return _mm512_fmadd_ps(load16(q + 16, highMask), _mm512_maskz_loadu_ps(highMask, x + 16), low);
}

// How far ahead of the int8 kernels' reads the weights are asked for. int8 rows are short (2560 bytes in the 2B)
// and each takes little compute, so the hardware prefetchers' ramp-up at every new row shows: asking 4 KiB ahead
// measured +15% decode on the 2B int8 model (AMD Zen 5, 2 threads; 2-8 KiB all helped, bf16 rows gained nothing).
constexpr int64_t kI8PrefetchBytes = 4096;

// Σ_i q[i] · scale[i / 32] · x[i] over one row: each block's dot product times its scale, four blocks per step
// into four accumulators (named, so they stay in registers); a short last block goes through masked loads.
float dotRowI8(const int8_t* q, const float* scales, int64_t in, const float* x) {
    __m512 acc[4];
    for (auto& a : acc) a = _mm512_setzero_ps();
    int64_t i = 0, b = 0;
    for (; i + 4 * kI8BlockSize <= in; i += 4 * kI8BlockSize, b += 4) {
        prefetchLines(q, i + kI8PrefetchBytes, 4 * kI8BlockSize);
        for (int j = 0; j < 4; ++j) {
            const int64_t at = i + j * kI8BlockSize;
            acc[j] = _mm512_fmadd_ps(blockDot(q + at, x + at, kI8BlockSize), _mm512_set1_ps(scales[b + j]), acc[j]);
        }
    }
    for (; i < in; i += kI8BlockSize, ++b) {
        acc[0] = _mm512_fmadd_ps(blockDot(q + i, x + i, in - i), _mm512_set1_ps(scales[b]), acc[0]);
    }
    return horizontalSum(_mm512_add_ps(_mm512_add_ps(acc[0], acc[1]), _mm512_add_ps(acc[2], acc[3])));
}

void matvecI8(const int8_t* w, const float* scales, int64_t in, int64_t rowBegin, int64_t rowEnd, const float* x,
              float* y) {
    const int64_t blocks = i8Blocks(in);
    for (int64_t r = rowBegin; r < rowEnd; ++r) y[r - rowBegin] = dotRowI8(w + r * in, scales + r * blocks, in, x);
}

// dst[r, i] = q[r, i] · scale[r, i / 32], 16 values at a time (a block's scale covers two vectors).
template <typename Store>
void dequantizeRows(const int8_t* q, const float* scales, int64_t in, int64_t rows, Store store) {
    const int64_t blocks = i8Blocks(in);
    for (int64_t r = 0; r < rows; ++r) {
        for (int64_t i = 0; i < in; i += 16) {
            const __mmask16 mask = laneMask(in - i);
            const __m512 value =
                _mm512_mul_ps(load16(q + r * in + i, mask), _mm512_set1_ps(scales[r * blocks + i / kI8BlockSize]));
            store(r * in + i, mask, value);
        }
    }
}

void dequantizeI8(const int8_t* q, const float* scales, int64_t in, int64_t rows, float* dst) {
    dequantizeRows(q, scales, in, rows,
                   [dst](int64_t at, __mmask16 mask, __m512 v) { _mm512_mask_storeu_ps(dst + at, mask, v); });
}

// Rounded to nearest even bf16 (finite values): add 0x7FFF plus the kept part's lowest bit, keep the high half.
void dequantizeI8Bf16(const int8_t* q, const float* scales, int64_t in, int64_t rows, uint16_t* dst) {
    dequantizeRows(q, scales, in, rows, [dst](int64_t at, __mmask16 mask, __m512 v) {
        const __m512i bits = _mm512_castps_si512(v);
        const __m512i odd = _mm512_and_si512(_mm512_maskz_srli_epi32(kAll, bits, 16), _mm512_set1_epi32(1));
        const __m512i rounded = _mm512_add_epi32(bits, _mm512_add_epi32(odd, _mm512_set1_epi32(0x7FFF)));
        _mm256_mask_storeu_epi16(dst + at, mask,
                                 _mm512_maskz_cvtepi32_epi16(kAll, _mm512_maskz_srli_epi32(kAll, rounded, 16)));
    });
}

// e^x within ~2 ulp (Cephes expf: exact range reduction by ln 2 in two parts, degree-6 polynomial, then scalef
// for 2^n); arguments are clamped to [-88, 88], so the result is finite and positive.
inline __m512 exp16(__m512 x) {
    x = _mm512_maskz_min_ps(kAll, _mm512_maskz_max_ps(kAll, x, _mm512_set1_ps(-88.0f)), _mm512_set1_ps(88.0f));
    const __m512 n = _mm512_maskz_roundscale_ps(kAll, _mm512_mul_ps(x, _mm512_set1_ps(1.44269504088896341f)),
                                                _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m512 r = _mm512_fnmadd_ps(n, _mm512_set1_ps(0.693359375f), x);
    r = _mm512_fnmadd_ps(n, _mm512_set1_ps(-2.12194440e-4f), r);
    __m512 p = _mm512_set1_ps(1.9875691500e-4f);
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.3981999507e-3f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(8.3334519073e-3f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(4.1665795894e-2f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.6666665459e-1f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(5.0000001201e-1f));
    const __m512 y = _mm512_add_ps(_mm512_fmadd_ps(_mm512_mul_ps(p, r), r, r), _mm512_set1_ps(1.0f));
    return _mm512_maskz_scalef_ps(kAll, y, n);
}

// gelu_tanh(x) = 0.5 x (1 + tanh(u)) = x / (1 + e^(-2u)), u = sqrt(2/π)(x + 0.044715 x³): the second form has
// no cancellation and needs one exp.
inline __m512 gelu16(__m512 x) {
    const __m512 x3 = _mm512_mul_ps(_mm512_mul_ps(x, x), x);
    const __m512 u =
        _mm512_mul_ps(_mm512_fmadd_ps(x3, _mm512_set1_ps(0.044715f), x), _mm512_set1_ps(0.7978845608028654f));
    const __m512 e = exp16(_mm512_mul_ps(u, _mm512_set1_ps(-2.0f)));
    return _mm512_div_ps(x, _mm512_add_ps(_mm512_set1_ps(1.0f), e));
}

void geluTanh(float* x, const float* mul, int64_t n) {
    for (int64_t i = 0; i < n; i += 16) {
        const __mmask16 mask = laneMask(n - i);
        __m512 g = gelu16(_mm512_maskz_loadu_ps(mask, x + i));
        if (mul != nullptr) g = _mm512_mul_ps(g, _mm512_maskz_loadu_ps(mask, mul + i));
        _mm512_mask_storeu_ps(x + i, mask, g);
    }
}

void sigmoid(float* x, int64_t n) {
    for (int64_t i = 0; i < n; i += 16) {
        const __mmask16 mask = laneMask(n - i);
        const __m512 e = exp16(_mm512_sub_ps(_mm512_setzero_ps(), _mm512_maskz_loadu_ps(mask, x + i)));
        _mm512_mask_storeu_ps(x + i, mask, _mm512_div_ps(_mm512_set1_ps(1.0f), _mm512_add_ps(_mm512_set1_ps(1.0f), e)));
    }
}

float dot(const float* a, const float* b, int64_t n) {
    __m512 acc[2] = {_mm512_setzero_ps(), _mm512_setzero_ps()};
    int64_t i = 0;
    for (; i + 32 <= n; i += 32) {
        acc[0] = _mm512_fmadd_ps(_mm512_loadu_ps(a + i), _mm512_loadu_ps(b + i), acc[0]);
        acc[1] = _mm512_fmadd_ps(_mm512_loadu_ps(a + i + 16), _mm512_loadu_ps(b + i + 16), acc[1]);
    }
    for (; i < n; i += 16) {
        const __mmask16 mask = laneMask(n - i);
        acc[0] = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(mask, a + i), _mm512_maskz_loadu_ps(mask, b + i), acc[0]);
    }
    return horizontalSum(_mm512_add_ps(acc[0], acc[1]));
}

void axpy(float a, const float* x, float* y, int64_t n) {
    const __m512 scale = _mm512_set1_ps(a);
    for (int64_t i = 0; i < n; i += 16) {
        const __mmask16 mask = laneMask(n - i);
        const __m512 sum =
            _mm512_fmadd_ps(scale, _mm512_maskz_loadu_ps(mask, x + i), _mm512_maskz_loadu_ps(mask, y + i));
        _mm512_mask_storeu_ps(y + i, mask, sum);
    }
}

// R tokens × 16·V columns of x @ W from column c: W row i (V masked 16-lane loads) meets each token's x[t, i]
// broadcast, R·V accumulators; W's strip is reused from L1 by every group of tokens.
template <int R, int V, typename T>
void inOutTile(const T* w, int64_t in, int64_t cols, const float* x, int64_t ldx, float* y, int64_t ldy, int64_t c) {
    // Every loop over the accumulators is unrolled: where one is not (the stores at the end, say), GCC 12 keeps the
    // array in memory too and writes every accumulator back to the stack on each iteration, twice as slow.
    __mmask16 mask[V];
#pragma GCC unroll 16
    for (int v = 0; v < V; ++v) mask[v] = laneMask(cols - c - 16 * v);
    __m512 acc[R * V];
#pragma GCC unroll 32
    for (int k = 0; k < R * V; ++k) acc[k] = _mm512_setzero_ps();
    for (int64_t i = 0; i < in; ++i) {
        if constexpr (R == 1) {
            // W's row is used once: no copy of it in registers (16 accumulators and 16 copies would overflow the
            // 32 zmm registers).
            const __m512 xi = _mm512_set1_ps(x[i]);
#pragma GCC unroll 16
            for (int v = 0; v < V; ++v) {
                acc[v] = _mm512_fmadd_ps(xi, load16(w + i * cols + c + 16 * v, mask[v]), acc[v]);
            }
        } else {
            __m512 wi[V];
#pragma GCC unroll 16
            for (int v = 0; v < V; ++v) wi[v] = load16(w + i * cols + c + 16 * v, mask[v]);
#pragma GCC unroll 8
            for (int r = 0; r < R; ++r) {
                const __m512 xi = _mm512_set1_ps(x[r * ldx + i]);
#pragma GCC unroll 16
                for (int v = 0; v < V; ++v) acc[r * V + v] = _mm512_fmadd_ps(xi, wi[v], acc[r * V + v]);
            }
        }
    }
#pragma GCC unroll 8
    for (int r = 0; r < R; ++r) {
#pragma GCC unroll 16
        for (int v = 0; v < V; ++v) _mm512_mask_storeu_ps(y + r * ldy + c + 16 * v, mask[v], acc[r * V + v]);
    }
}

// Groups of 8 tokens × 32 columns; a single token (decode) takes 256 columns at a time (the 2B's whole head): W is
// then read once, row after row, and 16 independent accumulators hide the FMA latency.
template <typename T>
void matmulInOut(const T* w, int64_t in, int64_t cols, const float* x, int64_t ldx, int64_t tokens, float* y,
                 int64_t ldy) {
    constexpr int kTokens = 8;
    const int64_t grouped = tokens / kTokens * kTokens;
    for (int64_t c = 0; c < cols; c += 32) {
        for (int64_t t = 0; t < grouped; t += kTokens) {
            inOutTile<kTokens, 2>(w, in, cols, x + t * ldx, ldx, y + t * ldy, ldy, c);
        }
    }
    for (int64_t t = grouped; t < tokens; ++t) {
        for (int64_t c = 0; c < cols; c += 256) inOutTile<1, 16>(w, in, cols, x + t * ldx, ldx, y + t * ldy, ldy, c);
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

// Packed layout: [panel][k-pair][2][token] of f32: x[t, 2k] for the 32 tokens, then x[t, 2k+1].
constexpr int64_t kF32UnitsPerPair = 2 * kGemmPanelTokens;

void packRowF32(const float* x, int64_t in, int64_t column, uint32_t* panel) {
    auto* dst = reinterpret_cast<float*>(panel) + column;
    for (int64_t i = 0; i < in; ++i) dst[(i / 2) * kF32UnitsPerPair + (i % 2) * kGemmPanelTokens] = x[i];
    if (in % 2 == 1) dst[(in / 2) * kF32UnitsPerPair + kGemmPanelTokens] = 0.0f;
}

void packF32(const float* x, int64_t tokens, int64_t in, int64_t panelBegin, int64_t panelEnd, uint32_t* packed) {
    packPanels(x, tokens, in, kF32UnitsPerPair, panelBegin, panelEnd, packed,
               [in](const float* row, int64_t column, uint32_t* panel) { packRowF32(row, in, column, panel); });
}

// acc[j][v] (lanes = tokens 16v .. 16v+15) += Σ_{pairs [p0, p1)} x[:, 2k] W[rows[j], 2k] + x[:, 2k+1] W[rows[j],
// 2k+1]: one 32-bit broadcast per row and pair gives both weights, widened exactly by a shift and a mask.
// The weight pair of row `row` at pair p as two f32 broadcasts: bf16 bits widened by a shift and a mask from one
// 32-bit broadcast, or two f32 broadcasts.
inline void weightPairF32(const uint16_t* row, int64_t p, bool single, __m512& even, __m512& odd) {
    const __m512i pair = _mm512_set1_epi32(static_cast<int>(weightPair(row, p, single)));
    even = _mm512_castsi512_ps(_mm512_maskz_slli_epi32(kAll, pair, 16));
    odd = _mm512_castsi512_ps(_mm512_and_si512(pair, _mm512_set1_epi32(static_cast<int>(0xFFFF0000u))));
}
inline void weightPairF32(const float* row, int64_t p, bool single, __m512& even, __m512& odd) {
    even = _mm512_set1_ps(row[2 * p]);
    odd = single ? _mm512_setzero_ps() : _mm512_set1_ps(row[2 * p + 1]);
}

struct FmaF32Kernel {
    static constexpr int64_t kUnitsPerPair = kF32UnitsPerPair;
    template <typename T>
    static void run(const uint32_t* panel, const T* const rows[kPanelRows], int64_t p0, int64_t p1, int64_t singlePair,
                    __m512 acc[kPanelRows][2]) {
        for (int64_t p = p0; p < p1; ++p, panel += kUnitsPerPair) {
            const auto* x = reinterpret_cast<const float*>(panel);
            const __m512 even0 = _mm512_loadu_ps(x), even1 = _mm512_loadu_ps(x + 16);
            const __m512 odd0 = _mm512_loadu_ps(x + 32), odd1 = _mm512_loadu_ps(x + 48);
            const bool single = p == singlePair;
#pragma GCC unroll 8
            for (int j = 0; j < kPanelRows; ++j) {
                __m512 wEven, wOdd;
                weightPairF32(rows[j], p, single, wEven, wOdd);
                acc[j][0] = _mm512_fmadd_ps(even0, wEven, acc[j][0]);
                acc[j][1] = _mm512_fmadd_ps(even1, wEven, acc[j][1]);
                acc[j][0] = _mm512_fmadd_ps(odd0, wOdd, acc[j][0]);
                acc[j][1] = _mm512_fmadd_ps(odd1, wOdd, acc[j][1]);
            }
        }
    }
};

void gemmF32(const void* packed, const uint16_t* w, int64_t in, int64_t tokens, int64_t rowBegin, int64_t rowEnd,
             int64_t panelBegin, int64_t panelEnd, float* y, int64_t ldy) {
    panelGemm<FmaF32Kernel>(packed, w, in, tokens, rowBegin, rowEnd, panelBegin, panelEnd, y, ldy);
}

void gemmF32Weights(const void* packed, const float* w, int64_t in, int64_t tokens, int64_t rowBegin, int64_t rowEnd,
                    int64_t panelBegin, int64_t panelEnd, float* y, int64_t ldy) {
    panelGemm<FmaF32Kernel>(packed, w, in, tokens, rowBegin, rowEnd, panelBegin, panelEnd, y, ldy);
}

}  // namespace

const MatmulKernels& avx512Kernels() {
    static const MatmulKernels table{
        .isa = Isa::Avx512,
        .matvecF32 = matvecF32,
        .matvecBf16 = matvecBf16,
        .matvecI8 = matvecI8,
        .dequantizeI8 = dequantizeI8,
        .dequantizeI8Bf16 = dequantizeI8Bf16,
        // Q4K: the AVX2 kernels (AVX-512 CPUs run them). An AVX-512 version could not be run where these kernels
        // were written (Zen 3, no AVX-512), and an untested kernel would break CI on the Zen 4 machines.
        .matvecQ4 = avx2::matvecQ4,
        .dequantizeQ4 = avx2::dequantizeQ4,
        .dequantizeQ4Bf16 = avx2::dequantizeQ4Bf16,
        .matmulInOutF32 = matmulInOutF32,
        .matmulInOutBf16 = matmulInOutBf16,
        .gemmF32Activations = PanelGemm{kF32UnitsPerPair, packF32, gemmF32, gemmF32Weights},
        .geluTanh = geluTanh,
        .sigmoid = sigmoid,
        .dot = dot,
        .axpy = axpy,
    };
    return table;
}

}  // namespace rgemma
