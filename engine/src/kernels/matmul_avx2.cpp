// matmul_avx2.cpp — decode matrix-vector kernels for AVX2 + FMA (f32, bf16 and int8 weights read in place), and the
// AVX2 table, with the kernels of the other AVX2 files (kernels_avx2.h: Q4K in q4_avx2.cpp).
// Compiled with -mavx2 -mfma (kernels/CMakeLists.txt). It includes only intrinsics and plain declarations and
// defines everything with internal linkage: an inline function from a shared header compiled here could be the
// copy the linker keeps, and then run on a CPU without AVX2.
#include <immintrin.h>

#include <cstdint>

#include "kernels/avx2_helpers.h"
#include "kernels/kernels_avx2.h"
#include "kernels/matmul_kernels.h"
#include "rgemma/dtype.h"

namespace rgemma {

namespace {

// How far ahead of the reads the weights are asked for, as in matmul_avx512.cpp: rows are short (2560 bytes for
// int8 in the 2B) and the hardware prefetchers ramp up again at every new row. On a shared, loaded Zen 2 (2 threads)
// 2-4 KiB ahead measured int8 decode 0.34 -> 0.50 of the bandwidth bound and bf16 matvecs +35 % (best of 6); the
// noise there was too large to tell 2 KiB from 4 KiB, so this takes the AVX-512 level's value.
constexpr int64_t kPrefetchBytes = 4096;

// Asks for the cache line `offset` bytes past `base`; a prefetch never faults, so it may lie past the data's end
// (the address is computed as an integer, never as a pointer past it).
inline void prefetchLine(const void* base, int64_t offset) {
    const auto at = reinterpret_cast<std::uintptr_t>(base) + static_cast<std::uintptr_t>(offset);
    _mm_prefetch(reinterpret_cast<const char*>(at), _MM_HINT_T0);
}

// Σ_i w[i] · x[i] over one row. One row at a time on purpose: a single sequential stream lets the hardware
// prefetchers reach full bandwidth, where interleaving 4 rows (to reuse x loads) measured 35% slower on Zen 5.
// Four accumulators hide the FMA latency; the last in % 8 columns are scalar.
template <typename T>
float dotRow(const T* w, int64_t in, const float* x) {
    __m256 acc[4];
    for (auto& a : acc) a = _mm256_setzero_ps();
    int64_t i = 0;
    for (; i + 32 <= in; i += 32) {
        // 32 values: one 64-byte line of bf16, two of f32.
        for (int64_t line = 0; line < 32 * int64_t{sizeof(T)}; line += 64) prefetchLine(w + i, kPrefetchBytes + line);
        for (int j = 0; j < 4; ++j)
            acc[j] = _mm256_fmadd_ps(load8(w + i + 8 * j), _mm256_loadu_ps(x + i + 8 * j), acc[j]);
    }
    for (; i + 8 <= in; i += 8) acc[0] = _mm256_fmadd_ps(load8(w + i), _mm256_loadu_ps(x + i), acc[0]);
    float sum = horizontalSum(_mm256_add_ps(_mm256_add_ps(acc[0], acc[1]), _mm256_add_ps(acc[2], acc[3])));
    for (; i < in; ++i) sum += toFloat(w[i]) * x[i];
    return sum;
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

// The dot product of one full 32-value block of q with x, in four 8-lane vectors.
inline __m256 blockDot(const int8_t* q, const float* x) {
    __m256 sum = _mm256_mul_ps(load8(q), _mm256_loadu_ps(x));
    for (int j = 8; j < kI8BlockSize; j += 8) sum = _mm256_fmadd_ps(load8(q + j), _mm256_loadu_ps(x + j), sum);
    return sum;
}

// Σ_i q[i] · scale[i / 32] · x[i] over one row: each block's dot product times its scale, two blocks per step into
// two accumulators (named, so they stay in registers); a short last block finishes in scalar code.
float dotRowI8(const int8_t* q, const float* scales, int64_t in, const float* x) {
    __m256 acc[2] = {_mm256_setzero_ps(), _mm256_setzero_ps()};
    int64_t i = 0, b = 0;
    for (; i + 2 * kI8BlockSize <= in; i += 2 * kI8BlockSize, b += 2) {
        prefetchLine(q + i, kPrefetchBytes);  // the two blocks are one 64-byte line
        acc[0] = _mm256_fmadd_ps(blockDot(q + i, x + i), _mm256_set1_ps(scales[b]), acc[0]);
        acc[1] = _mm256_fmadd_ps(blockDot(q + i + kI8BlockSize, x + i + kI8BlockSize), _mm256_set1_ps(scales[b + 1]),
                                 acc[1]);
    }
    if (i + kI8BlockSize <= in) {
        acc[0] = _mm256_fmadd_ps(blockDot(q + i, x + i), _mm256_set1_ps(scales[b]), acc[0]);
        i += kI8BlockSize;
        ++b;
    }
    float tail = 0.0f;
    for (int64_t k = i; k < in; ++k) tail += static_cast<float>(q[k]) * x[k];
    return horizontalSum(_mm256_add_ps(acc[0], acc[1])) + (i < in ? tail * scales[b] : 0.0f);
}

void matvecI8(const int8_t* w, const float* scales, int64_t in, int64_t rowBegin, int64_t rowEnd, const float* x,
              float* y) {
    const int64_t blocks = i8Blocks(in);
    for (int64_t r = rowBegin; r < rowEnd; ++r) y[r - rowBegin] = dotRowI8(w + r * in, scales + r * blocks, in, x);
}

}  // namespace

const MatmulKernels& avx2Kernels() {
    static const MatmulKernels table{
        .isa = Isa::Avx2,
        .matvecF32 = matvecF32,
        .matvecBf16 = matvecBf16,
        .matvecI8 = matvecI8,
        .quantizeActivationsI8 = avx2::quantizeActivationsI8,
        .dequantizeI8 = avx2::dequantizeI8,
        .dequantizeI8Bf16 = avx2::dequantizeI8Bf16,
        .matvecQ4 = avx2::matvecQ4,
        .dequantizeQ4 = avx2::dequantizeQ4,
        .dequantizeQ4Bf16 = avx2::dequantizeQ4Bf16,
        .matmulInOutF32 = avx2::matmulInOutF32,
        .matmulInOutBf16 = avx2::matmulInOutBf16,
        .gemmF32Activations =
            PanelGemm{
                .unitsPerPair = 2 * kGemmPanelTokens,
                .pack = avx2::packF32Activations,
                .gemm = avx2::gemmBf16Weights,
                .gemmF32Weights = avx2::gemmF32Weights,
                .gemmF16Weights = avx2::gemmF16Weights,
                .gemmI8Weights = avx2::gemmI8Weights,
                .taskRows = 48,
            },
        .gemmInt8Activations = avxVnniSupported() ? avxvnni::int8PanelGemm() : avx2::int8PanelGemm(),
        .geluTanh = avx2::geluTanh,
        .sigmoid = avx2::sigmoid,
        .dot = avx2::dot,
        .axpy = avx2::axpy,
    };
    return table;
}

}  // namespace rgemma
