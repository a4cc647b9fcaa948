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

// Converts `count` elements of `dtype` starting at `src` into f32 `dst`.
void convertToFloat(DType dtype, const void* src, float* dst, int64_t count);

}  // namespace rgemma
