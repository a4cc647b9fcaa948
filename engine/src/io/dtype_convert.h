// dtype_convert.h — scalar and row conversions between the stored dtypes (bf16, f16, f32) and f32.
#pragma once

#include <cstdint>
#include <cstring>

#include "rgemma/dtype.h"

namespace rgemma {

// bf16 -> f32 is exact: the bf16 bits are the high half of the f32 bits.
inline float bf16ToFloat(uint16_t bits) {
    const uint32_t u = static_cast<uint32_t>(bits) << 16;
    float f;
    std::memcpy(&f, &u, sizeof f);
    return f;
}

// f32 -> bf16 with round-to-nearest-even (as torch's .to(bfloat16)); NaN stays NaN.
uint16_t floatToBf16(float value);

// IEEE 754 half -> f32, exact for every value (subnormals, infinities and NaN included).
float f16ToFloat(uint16_t bits);
// f32 -> IEEE half with round-to-nearest-even.
uint16_t floatToF16(float value);

// Converts `count` elements of `dtype` starting at `src` into f32 `dst` (I8: the integers, unscaled).
void convertToFloat(DType dtype, const void* src, float* dst, int64_t count);
// `rows` rows of `in` elements of `dtype` at `src` into f32 `dst`: converted, or dequantized with their block scales
// [rows, i8Blocks(in)] where the dtype has them (hasBlockScales; `scales` may be null otherwise).
void convertRowsToFloat(DType dtype, const void* src, const float* scales, int64_t in, int64_t rows, float* dst);

// `rows` rows of an I8 matrix dequantized: dst[r, i] = q[r, i] · scales[r, i / 32] (scales row-major
// [rows, i8Blocks(in)]).
void dequantizeI8(const int8_t* q, const float* scales, int64_t in, int64_t rows, float* dst);

// The activations of a product with I8 weights, quantized per block of 32 like the weights: for each of `tokens`
// rows of x [tokens, in], scale = max|x| / 127, q = round-to-nearest-even(x · (127 / max|x|)) (all 0 where max|x| is
// 0), values = q · scale. q rows have `qStride` >= in entries, the ones past `in` zero; scales [tokens, i8Blocks(in)].
// The reference for the SIMD versions (matmul_kernels.h quantizeActivationsI8), which give the same bits.
void quantizeActivationsI8(const float* x, int64_t in, int64_t tokens, int64_t qStride, int8_t* q, float* scales,
                           float* values);

}  // namespace rgemma
