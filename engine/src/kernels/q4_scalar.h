// q4_scalar.h — the Q4K kernels (q4_format.h) in plain C++: the activations' preparation every level shares, and the
// portable level's matvec and row dequantizers, which are also the reference the SIMD versions are tested against.
// The SIMD versions' contracts are at their MatmulKernels fields (matmul_kernels.h).
#pragma once

#include <cstdint>

#include "kernels/q4_format.h"

namespace rgemma {

// Columns of x one Q4K matvec call takes at most (the batch of issue 15's decode; more are split by the caller).
inline constexpr int64_t kQ4MaxColumns = 8;

// Prepared activations of one column: floats per column, and the layout. x [in] is zero-padded to whole
// super-blocks and each group of 64 values is stored transposed as 8 × 8, so that nibble n of the 32-bit word k of
// a group's 32 bytes (value 8k + n) meets its x at prepared[64g + 8n + k]: a SIMD kernel masks 8 words at once and
// multiplies 8 consecutive floats. Each x is stored times 2^-q4NibbleShift: a kernel may then take nibble n in place
// (word & 15 << 4n converts exactly to q · 2^4n) without shifting it down, and the product is exactly q · x's (powers
// of two scale exactly, short of |x| < 2^-98). The top nibble (n = 7) is shifted down instead (masked in place it
// would set the sign bit). Then, after all groups, the sum of x over each sub-block of 32 (q4SuperBlocks(in) · 8 of
// them), for the mins: Σ_i W[r, i] x_i = Σ_j (scale_j · Σ_{i in j} q_i x_i - min_j · sum_j).
inline int64_t q4PreparedFloats(int64_t in) { return q4SuperBlocks(in) * (kQ4SuperBlock + kQ4SubBlocksPerSuper); }
inline int64_t q4PreparedSumsOffset(int64_t in) { return q4SuperBlocks(in) * kQ4SuperBlock; }
inline int64_t q4PreparedIndex(int64_t i) { return i / 64 * 64 + i % 8 * 8 + i % 64 / 8; }
inline int q4NibbleShift(int64_t i) { return i % 8 < 7 ? static_cast<int>(4 * (i % 8)) : 0; }

// x [columns, in] -> prepared [columns, q4PreparedFloats(in)]. O(columns · in): run once per product, every row
// task reads it.
void prepareQ4Activations(const float* x, int64_t in, int64_t columns, float* prepared);

namespace scalar {

// y[c · ldy + r - rowBegin] = Σ_j scale_j · Σ_{i in j} q[r, i] · x[c, i] - min_j · sum_j[c] for r in [rowBegin,
// rowEnd) and c < columns (<= kQ4MaxColumns), in f32 in that order: per sub-block the q · x products summed in i
// order, times the scale, added block after block, less the mins' sum added the same way. q and headers are the
// whole matrix's (row r's nibbles at q + r · q4RowBytes(in)).
void matvecQ4(const uint8_t* q, const uint8_t* headers, int64_t in, int64_t rowBegin, int64_t rowEnd,
              const float* prepared, int64_t columns, float* y, int64_t ldy);
// `rows` rows (q and headers pointing at the first) dequantized into dst [rows, in]: f32 exactly as
// dequantizeQ4Rows, or those values rounded to nearest-even bf16.
void dequantizeQ4(const uint8_t* q, const uint8_t* headers, int64_t in, int64_t rows, float* dst);
void dequantizeQ4Bf16(const uint8_t* q, const uint8_t* headers, int64_t in, int64_t rows, uint16_t* dst);

}  // namespace scalar
}  // namespace rgemma
