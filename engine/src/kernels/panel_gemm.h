// panel_gemm.h — the blocked GEMM driver shared by the AVX-512 prefill kernels: k-blocks × token panels × groups
// of 8 weight rows, with a micro-kernel that keeps 8 rows × 32 tokens of y in 16 zmm registers (lanes = tokens, so
// weights are read in place, one broadcast per row and k-pair, and only the activations are packed).
// Include only from the AVX-512 kernel files: everything here has internal linkage (see matmul_avx2.cpp for why).
#pragma once

#include <immintrin.h>

#include <cstdint>

#include "kernels/matmul_kernels.h"

namespace rgemma {
namespace {

constexpr int kPanelRows = 8;              // weight rows per micro-tile
constexpr int64_t kPanelBlockPairs = 512;  // k-pairs per cache block: the panel block and 64 rows' weights fit L2

// The weight pair (W[r, 2k], W[r, 2k+1]) as one 32-bit word; `single`: only W[r, 2k] exists (odd `in`), and the
// partner reads as +0 rather than past the row.
inline uint32_t weightPair(const uint16_t* row, int64_t pair, bool single) {
    if (single) return row[2 * pair];
    uint32_t word;
    __builtin_memcpy(&word, row + 2 * pair, sizeof word);
    return word;
}

// The transposed store of one micro-tile: accumulator lanes are tokens, y rows are tokens. The first k-block
// writes, later ones add.
inline void storePanelTile(const __m512 acc[kPanelRows][2], int64_t rows, int64_t tokens, bool accumulate, float* y,
                           int64_t ldy) {
    alignas(64) float tile[kPanelRows][kGemmPanelTokens];
#pragma GCC unroll 8
    for (int j = 0; j < kPanelRows; ++j) {
        _mm512_store_ps(tile[j], acc[j][0]);
        _mm512_store_ps(tile[j] + 16, acc[j][1]);
    }
    for (int64_t t = 0; t < tokens; ++t) {
        float* out = y + t * ldy;
        for (int64_t j = 0; j < rows; ++j) out[j] = accumulate ? out[j] + tile[j][t] : tile[j][t];
    }
}

// y[t, r] = Σ_i x[t, i] · W[r, i] over rows [rowBegin, rowEnd) and panels [panelBegin, panelEnd), W of element
// type T (bf16 bits or f32). `Kernel` knows the packed layout: kUnitsPerPair 32-bit units per k-pair and panel, and
//   run(const uint32_t* panelAtP0, const T* const rows[8], p0, p1, singlePair, __m512 acc[8][2]).
template <typename Kernel, typename T>
void panelGemm(const void* packed, const T* w, int64_t in, int64_t tokens, int64_t rowBegin, int64_t rowEnd,
               int64_t panelBegin, int64_t panelEnd, float* y, int64_t ldy) {
    const int64_t pairs = (in + 1) / 2;
    const int64_t singlePair = in % 2 == 1 ? pairs - 1 : -1;
    const int64_t panelUnits = pairs * Kernel::kUnitsPerPair;
    for (int64_t k0 = 0; k0 < pairs; k0 += kPanelBlockPairs) {
        const int64_t k1 = k0 + kPanelBlockPairs < pairs ? k0 + kPanelBlockPairs : pairs;
        for (int64_t p = panelBegin; p < panelEnd; ++p) {
            const auto* panel = static_cast<const uint32_t*>(packed) + p * panelUnits + k0 * Kernel::kUnitsPerPair;
            const int64_t t0 = p * kGemmPanelTokens;
            const int64_t validTokens = tokens - t0 < kGemmPanelTokens ? tokens - t0 : kGemmPanelTokens;
            for (int64_t r = rowBegin; r < rowEnd; r += kPanelRows) {
                const int64_t validRows = rowEnd - r < kPanelRows ? rowEnd - r : kPanelRows;
                // Rows past the end repeat the first one; their results are dropped.
                const T* rows[kPanelRows];
                for (int j = 0; j < kPanelRows; ++j) rows[j] = w + (j < validRows ? r + j : r) * in;
                // Every loop over `acc` is unrolled (here, in the kernels and in the store): where one is not, GCC 12
                // keeps the array on the stack and loads and stores each accumulator at every k-pair.
                __m512 acc[kPanelRows][2];
#pragma GCC unroll 8
                for (int j = 0; j < kPanelRows; ++j) acc[j][0] = acc[j][1] = _mm512_setzero_ps();
                Kernel::run(panel, rows, k0, k1, singlePair, acc);
                storePanelTile(acc, validRows, validTokens, k0 > 0, y + t0 * ldy + r, ldy);
            }
        }
    }
}

// Transposes the activations of panels [panelBegin, panelEnd) into their packed slots: `packRow(row, column,
// panel)` writes one token; tokens past the end stay zero.
template <typename PackRow>
void packPanels(const float* x, int64_t tokens, int64_t in, int64_t unitsPerPair, int64_t panelBegin, int64_t panelEnd,
                uint32_t* packed, PackRow packRow) {
    const int64_t panelUnits = (in + 1) / 2 * unitsPerPair;
    for (int64_t p = panelBegin; p < panelEnd; ++p) {
        uint32_t* panel = packed + p * panelUnits;
        const int64_t left = tokens - p * kGemmPanelTokens;
        const int64_t valid = left < kGemmPanelTokens ? left : kGemmPanelTokens;
        if (valid < kGemmPanelTokens) __builtin_memset(panel, 0, static_cast<std::size_t>(panelUnits) * 4);
        for (int64_t t = 0; t < valid; ++t) packRow(x + (p * kGemmPanelTokens + t) * in, t, panel);
    }
}

}  // namespace
}  // namespace rgemma
