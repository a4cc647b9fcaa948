// gemm_int8_avx2.h — the int8 prefill GEMM's driver and micro-kernel (matmul_kernels.h Int8PanelGemm), shared by the
// AVX2 file (vpmaddubsw + vpmaddwd) and the AVX-VNNI file (vpdpbusd on 256-bit registers): only the 4-value dot
// step differs, a template parameter.
// Include only from gemm_int8_avx2.cpp and gemm_int8_avxvnni.cpp: everything here has internal linkage (see the
// comment atop matmul_avx2.cpp for why).
//
// Numerics: per (token, row, block of 32) the int8 products are summed exactly in int32 (|q| <= 127 on both sides,
// so the 16-bit pair sums of vpmaddubsw stay <= 2 · 127² = 32258 and never saturate), then y += dot · (xScale ·
// wScale) in f32, block after block — the reference the tests follow.
//
// Signs: vpmaddubsw and vpdpbusd multiply unsigned by signed bytes. The activation goes in as |a| (vpabsb, once per
// loaded vector, reused by every row) and its sign moves onto the weight (vpsignb(w, a) = w · sign(a), 0 where a = 0,
// so zero padding needs no masking). A zero point (a + 128 as u8) would save vpsignb but overflows vpmaddubsw's
// 16-bit pair sums (255 · 127 · 2 > 32767) on AVX2, and needs a Σw correction per row and block; one layout and one
// micro-kernel for both instruction sets was worth more here.
//
// Micro-tile: 4 weight rows × 8 tokens (one ymm of tokens). Registers: 4 int32 block accumulators, 4 f32 sums, the
// activation vector and its |a|, the broadcast weight quad, a temporary and vpmaddwd's ones: 13 of 16 ymm.
// Per 32 MACs (one k-quad of 8 tokens × 1 row) AVX2 issues vpsignb, vpmaddubsw, vpmaddwd, vpaddd: 4 instructions for
// 64 OP, the same 16 OP per instruction as a vfmadd231ps ymm; on Zen 2 vpmaddubsw and vpmaddwd both run only on FP0,
// so int8 peaks at 32 OP/cycle, exactly the 2 FMA pipes' 32 FLOP/cycle (plus the per-block scaling, 3 instructions
// per 4 × 8 × 32 MACs). AVX-VNNI does the same 32 MACs in vpsignb + vpdpbusd.
#pragma once

#include <immintrin.h>

#include <cstdint>

#include "kernels/matmul_kernels.h"
#include "rgemma/dtype.h"

namespace rgemma {
namespace {

constexpr int kInt8Rows = 4;                           // weight rows per micro-tile
constexpr int64_t kQuadsPerBlock = kI8BlockSize / 4;   // k-quads per block of 32
constexpr int64_t kPanelQuadUnits = kInt8PanelTokens;  // 32-bit units per k-quad of a panel: one per token
constexpr int64_t kPanelBlockUnits = kQuadsPerBlock * kPanelQuadUnits;

// 4 bytes of a weight row at k, broadcast to every lane; `left` (< 4) bytes only at the row's end, the rest 0 (the
// activations there are 0 too), so no read passes the row.
inline __m256i weightQuad(const int8_t* row, int64_t k) {
    int32_t word;
    __builtin_memcpy(&word, row + k, sizeof word);
    return _mm256_set1_epi32(word);
}
inline __m256i weightQuadTail(const int8_t* row, int64_t k, int64_t in) {
    int32_t word = 0;
    if (k < in) __builtin_memcpy(&word, row + k, static_cast<std::size_t>(in - k < 4 ? in - k : 4));
    return _mm256_set1_epi32(word);
}

// One block of 32 k for 4 rows × 8 tokens: int32 sums in acc[j], from `panelBlock` (8 quads × 8 tokens).
template <typename Dot, bool kTail>
inline void blockDots(const uint32_t* panelBlock, const int8_t* const rows[kInt8Rows], int64_t k0, int64_t in,
                      __m256i acc[kInt8Rows]) {
    const __m256i ones = _mm256_set1_epi16(1);
#pragma GCC unroll 4
    for (int j = 0; j < kInt8Rows; ++j) acc[j] = _mm256_setzero_si256();
#pragma GCC unroll 8
    for (int64_t quad = 0; quad < kQuadsPerBlock; ++quad) {
        const __m256i a = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(panelBlock + quad * kPanelQuadUnits));
        const __m256i magnitude = _mm256_abs_epi8(a);
        const int64_t k = k0 + 4 * quad;
#pragma GCC unroll 4
        for (int j = 0; j < kInt8Rows; ++j) {
            const __m256i w = kTail ? weightQuadTail(rows[j], k, in) : weightQuad(rows[j], k);
            acc[j] = Dot::step(acc[j], magnitude, _mm256_sign_epi8(w, a), ones);
            // Integer sums reassociate freely: without this, GCC 12 computes all 32 products of the unrolled block
            // first, spills them to the stack and adds them in a tree (measured: twice the instructions).
            __asm__("" : "+x"(acc[j]));
        }
    }
}

// y rows [rowBegin, rowEnd) × the tokens of panels [panelBegin, panelEnd), as Int8PanelGemm::gemm.
template <typename Dot>
void int8PanelGemm(const uint32_t* packed, const int8_t* w, const float* wScales, int64_t in, int64_t tokens,
                   int64_t rowBegin, int64_t rowEnd, int64_t panelBegin, int64_t panelEnd, float* y, int64_t ldy) {
    const int64_t blocks = i8Blocks(in), fullBlocks = in / kI8BlockSize;
    const int64_t panelUnits = Int8PanelGemm::panelUnits(in);
    for (int64_t p = panelBegin; p < panelEnd; ++p) {
        const uint32_t* panel = packed + p * panelUnits;
        const auto* xScales = reinterpret_cast<const float*>(panel + blocks * kPanelBlockUnits);
        const int64_t t0 = p * kInt8PanelTokens;
        const int64_t validTokens = tokens - t0 < kInt8PanelTokens ? tokens - t0 : kInt8PanelTokens;
        for (int64_t r = rowBegin; r < rowEnd; r += kInt8Rows) {
            const int64_t validRows = rowEnd - r < kInt8Rows ? rowEnd - r : kInt8Rows;
            // Rows past the end repeat the first one; their results are dropped.
            const int8_t* rows[kInt8Rows];
            const float* rowScales[kInt8Rows];
            for (int j = 0; j < kInt8Rows; ++j) {
                const int64_t row = j < validRows ? r + j : r;
                rows[j] = w + row * in;
                rowScales[j] = wScales + row * blocks;
            }
            __m256 sum[kInt8Rows];
#pragma GCC unroll 4
            for (int j = 0; j < kInt8Rows; ++j) sum[j] = _mm256_setzero_ps();
            for (int64_t b = 0; b < blocks; ++b) {
                __m256i acc[kInt8Rows];
                if (b < fullBlocks) {
                    blockDots<Dot, false>(panel + b * kPanelBlockUnits, rows, b * kI8BlockSize, in, acc);
                } else {
                    blockDots<Dot, true>(panel + b * kPanelBlockUnits, rows, b * kI8BlockSize, in, acc);
                }
                const __m256 xScale = _mm256_loadu_ps(xScales + b * kInt8PanelTokens);
#pragma GCC unroll 4
                for (int j = 0; j < kInt8Rows; ++j) {
                    const __m256 scale = _mm256_mul_ps(xScale, _mm256_set1_ps(rowScales[j][b]));
                    sum[j] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(acc[j]), scale, sum[j]);
                }
            }
            // Lanes are tokens, y rows are tokens: transposed through a small tile.
            alignas(32) float tile[kInt8Rows][kInt8PanelTokens];
#pragma GCC unroll 4
            for (int j = 0; j < kInt8Rows; ++j) _mm256_store_ps(tile[j], sum[j]);
            for (int64_t t = 0; t < validTokens; ++t) {
                float* out = y + (t0 + t) * ldy + r;
                for (int64_t j = 0; j < validRows; ++j) out[j] = tile[j][t];
            }
        }
    }
}

}  // namespace
}  // namespace rgemma
