// engine/src/io/dtype.cpp — dtype names and sizes, the scalar bf16/f16 <-> f32 conversions, and TensorView helpers.
#include "rgemma/dtype.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstring>

#include "io/dtype_convert.h"
#include "io/tensor_view.h"

namespace rgemma {

namespace {

uint32_t floatBits(float value) {
    uint32_t bits;
    std::memcpy(&bits, &value, sizeof bits);
    return bits;
}

float bitsToFloat(uint32_t bits) {
    float value;
    std::memcpy(&value, &bits, sizeof value);
    return value;
}

// Checkpoint data may sit at any byte offset in the mapping, so elements are loaded with memcpy, never by a cast.
template <class T>
T loadUnaligned(const unsigned char* p) {
    T value;
    std::memcpy(&value, p, sizeof value);
    return value;
}

}  // namespace

std::size_t dtypeSize(DType dtype) {
    switch (dtype) {
        case DType::F32:
            return 4;
        case DType::BF16:
        case DType::F16:
            return 2;
        case DType::I8:
        case DType::U8:
            return 1;
        case DType::Q4K:
            return 0;
    }
    return 0;
}

std::string_view dtypeName(DType dtype) {
    switch (dtype) {
        case DType::F32:
            return "F32";
        case DType::BF16:
            return "BF16";
        case DType::F16:
            return "F16";
        case DType::I8:
            return "I8";
        case DType::U8:
            return "U8";
        case DType::Q4K:
            return "Q4K";
    }
    return "?";
}

bool hasBlockScales(DType dtype) { return dtype == DType::I8; }

std::optional<DType> dtypeFromName(std::string_view name) {
    if (name == "F32") return DType::F32;
    if (name == "BF16") return DType::BF16;
    if (name == "F16") return DType::F16;
    if (name == "I8") return DType::I8;
    if (name == "U8") return DType::U8;
    return std::nullopt;
}

uint16_t floatToBf16(float value) {
    const uint32_t bits = floatBits(value);
    if ((bits & 0x7FFFFFFFu) > 0x7F800000u) {
        // NaN: rounding could carry a low-payload NaN into infinity, so keep the top bits and force the quiet bit.
        return static_cast<uint16_t>((bits >> 16) | 0x0040u);
    }
    // Round to nearest, ties to even: add just under half an ulp, plus one if the kept lowest bit is odd.
    const uint32_t rounded = bits + 0x7FFFu + ((bits >> 16) & 1u);
    return static_cast<uint16_t>(rounded >> 16);
}

float f16ToFloat(uint16_t bits) {
    const uint32_t sign = static_cast<uint32_t>(bits & 0x8000u) << 16;
    const uint32_t exponent = (bits >> 10) & 0x1Fu;
    uint32_t mantissa = bits & 0x3FFu;
    if (exponent == 0x1F) {  // infinity or NaN: payload kept in the top mantissa bits
        return bitsToFloat(sign | 0x7F800000u | (mantissa << 13));
    }
    if (exponent != 0) {  // normal: rebias 15 -> 127
        return bitsToFloat(sign | ((exponent + 112u) << 23) | (mantissa << 13));
    }
    if (mantissa == 0) return bitsToFloat(sign);
    // Subnormal half (mantissa x 2^-24) is a normal float: shift the leading one into the implicit bit.
    uint32_t floatExponent = 113;  // the exponent of 2^-14 (the half subnormal scale) in f32 bias
    while ((mantissa & 0x400u) == 0) {
        mantissa <<= 1;
        --floatExponent;
    }
    return bitsToFloat(sign | (floatExponent << 23) | ((mantissa & 0x3FFu) << 13));
}

uint16_t floatToF16(float value) {
    const uint32_t bits = floatBits(value);
    const uint16_t sign = static_cast<uint16_t>((bits >> 16) & 0x8000u);
    const uint32_t magnitude = bits & 0x7FFFFFFFu;
    if (magnitude > 0x7F800000u) {  // NaN: keep the top payload bits, force quiet so it cannot become infinity
        return static_cast<uint16_t>(sign | 0x7E00u | ((magnitude >> 13) & 0x3FFu));
    }
    if (magnitude >= 0x477FF000u) {  // >= 65520 (half-way past the largest half, 65504) rounds to infinity
        return static_cast<uint16_t>(sign | 0x7C00u);
    }
    if (magnitude >= 0x38800000u) {  // >= 2^-14: a normal half. Rebias 127 -> 15, then round away 13 bits.
        const uint32_t rebiased = magnitude - 0x38000000u;
        const uint32_t rounded = rebiased + 0xFFFu + ((rebiased >> 13) & 1u);
        return static_cast<uint16_t>(sign | (rounded >> 13));
    }
    if (magnitude <= 0x33000000u) {  // <= 2^-25: half-way to the smallest subnormal or less rounds to (even) zero
        return sign;
    }
    // Subnormal half: the value is significand x 2^(e-150); in units of 2^-24 that is significand >> (126 - e).
    const uint32_t exponent = magnitude >> 23;
    const uint32_t significand = (magnitude & 0x7FFFFFu) | 0x800000u;
    const uint32_t shift = 126u - exponent;  // 14..24 here
    uint32_t quotient = significand >> shift;
    const uint32_t remainder = significand & ((1u << shift) - 1u);
    const uint32_t half = 1u << (shift - 1u);
    if (remainder > half || (remainder == half && (quotient & 1u))) ++quotient;  // may carry into the smallest normal
    return static_cast<uint16_t>(sign | quotient);
}

void convertToFloat(DType dtype, const void* src, float* dst, int64_t count) {
    if (count <= 0) return;
    const auto* bytes = static_cast<const unsigned char*>(src);
    const auto n = static_cast<std::size_t>(count);
    switch (dtype) {
        case DType::F32:
            std::memcpy(dst, src, n * sizeof(float));
            return;
        case DType::BF16:
            for (std::size_t i = 0; i < n; ++i) dst[i] = bf16ToFloat(loadUnaligned<uint16_t>(bytes + 2 * i));
            return;
        case DType::F16:
            for (std::size_t i = 0; i < n; ++i) dst[i] = f16ToFloat(loadUnaligned<uint16_t>(bytes + 2 * i));
            return;
        case DType::I8:  // the integers only: the row scales are applied by whoever knows them
            for (std::size_t i = 0; i < n; ++i) dst[i] = static_cast<float>(static_cast<int8_t>(bytes[i]));
            return;
        case DType::U8:
            for (std::size_t i = 0; i < n; ++i) dst[i] = static_cast<float>(bytes[i]);
            return;
        case DType::Q4K:  // rows with headers: convertRowsToFloat's job
            assert(false && "Q4K converts by rows (dequantizeQ4Rows)");
            return;
    }
}

void convertRowsToFloat(DType dtype, const void* src, const float* scales, int64_t in, int64_t rows, float* dst) {
    if (dtype == DType::I8) {
        assert(scales != nullptr);
        dequantizeI8(static_cast<const int8_t*>(src), scales, in, rows, dst);
    } else {
        convertToFloat(dtype, src, dst, in * rows);
    }
}

void dequantizeI8(const int8_t* q, const float* scales, int64_t in, int64_t rows, float* dst) {
    const int64_t blocks = i8Blocks(in);
    for (int64_t r = 0; r < rows; ++r) {
        for (int64_t i = 0; i < in; ++i) {
            dst[r * in + i] = static_cast<float>(q[r * in + i]) * scales[r * blocks + i / kI8BlockSize];
        }
    }
}

void quantizeActivationsI8(const float* x, int64_t in, int64_t tokens, int64_t qStride, int8_t* q, float* scales,
                           float* values) {
    const int64_t blocks = i8Blocks(in);
    for (int64_t t = 0; t < tokens; ++t) {
        const float* row = x + t * in;
        int8_t* qRow = q + t * qStride;
        for (int64_t b = 0; b < blocks; ++b) {
            const int64_t begin = b * kI8BlockSize, end = std::min(in, begin + kI8BlockSize);
            float absMax = 0.0f;
            for (int64_t i = begin; i < end; ++i) absMax = std::max(absMax, std::fabs(row[i]));
            const float inverse = absMax > 0.0f ? 127.0f / absMax : 0.0f;
            const float scale = absMax / 127.0f;
            for (int64_t i = begin; i < end; ++i) {
                const float level = std::clamp(std::nearbyint(row[i] * inverse), -127.0f, 127.0f);
                qRow[i] = static_cast<int8_t>(level);
                values[t * in + i] = level * scale;
            }
            scales[t * blocks + b] = scale;
        }
        std::fill(qRow + in, qRow + qStride, int8_t{0});
    }
}

int64_t TensorView::numel() const {
    int64_t count = 1;
    for (const int64_t d : shape) count *= d;  // the safetensors parser has already ruled out overflow
    return count;
}

const void* TensorView::rowPtr(int64_t r, int64_t rowLength) const {
    assert(r >= 0 && rowLength >= 0);
    assert(static_cast<uint64_t>((r + 1) * rowLength) * dtypeSize(dtype) <= byteSize);
    return static_cast<const std::byte*>(data) + static_cast<std::size_t>(r * rowLength) * dtypeSize(dtype);
}

}  // namespace rgemma
