// q4_scalar.cpp — the Q4K activation preparation and the portable matvec and dequantizers (q4_scalar.h). Compiled
// for baseline x86-64.
#include "kernels/q4_scalar.h"

#include <algorithm>
#include <vector>

#include "io/dtype_convert.h"

namespace rgemma {

void prepareQ4Activations(const float* x, int64_t in, int64_t columns, float* prepared) {
    const int64_t stride = q4PreparedFloats(in), sums = q4PreparedSumsOffset(in);
    // 2^-q4NibbleShift of position n in a word (multiplying by a power of two rounds as ldexp does).
    constexpr float kScale[8] = {1.0f, 0x1p-4f, 0x1p-8f, 0x1p-12f, 0x1p-16f, 0x1p-20f, 0x1p-24f, 1.0f};
    for (int64_t c = 0; c < columns; ++c) {
        const float* row = x + c * in;
        float* out = prepared + c * stride;
        for (int64_t g = 0; g < sums / 64; ++g) {
            for (int64_t k = 0; k < 8; ++k) {
                for (int64_t n = 0; n < 8; ++n) {
                    const int64_t i = 64 * g + 8 * k + n;
                    out[64 * g + 8 * n + k] = i < in ? row[i] * kScale[n] : 0.0f;
                }
            }
        }
        for (int64_t j = 0; j < q4SuperBlocks(in) * kQ4SubBlocksPerSuper; ++j) {
            float sum = 0;
            for (int64_t i = j * kQ4SubBlock; i < std::min(in, (j + 1) * kQ4SubBlock); ++i) sum += row[i];
            out[sums + j] = sum;
        }
    }
}

namespace scalar {

void matvecQ4(const uint8_t* q, const uint8_t* headers, int64_t in, int64_t rowBegin, int64_t rowEnd,
              const float* prepared, int64_t columns, float* y, int64_t ldy) {
    const int64_t stride = q4PreparedFloats(in), sums = q4PreparedSumsOffset(in), supers = q4SuperBlocks(in);
    for (int64_t r = rowBegin; r < rowEnd; ++r) {
        const uint8_t* row = q + r * q4RowBytes(in);
        for (int64_t c = 0; c < columns; ++c) {
            const float* x = prepared + c * stride;
            float dots = 0, mins = 0;
            for (int64_t s = 0; s < supers; ++s) {
                const Q4SubScales scales = decodeQ4Header(headers + (r * supers + s) * kQ4HeaderBytes);
                for (int64_t k = 0; k < kQ4SubBlocksPerSuper; ++k) {
                    const int64_t begin = (s * kQ4SubBlocksPerSuper + k) * kQ4SubBlock;
                    if (begin >= in) break;
                    float dot = 0;
                    for (int64_t i = begin; i < std::min(in, begin + kQ4SubBlock); ++i) {
                        const int level = i % 2 == 0 ? row[i / 2] & 15 : row[i / 2] >> 4;
                        dot += static_cast<float>(level << q4NibbleShift(i)) * x[q4PreparedIndex(i)];
                    }
                    dots += scales.scale[k] * dot;
                    mins += scales.min[k] * x[sums + begin / kQ4SubBlock];
                }
            }
            y[c * ldy + r - rowBegin] = dots - mins;
        }
    }
}

void dequantizeQ4(const uint8_t* q, const uint8_t* headers, int64_t in, int64_t rows, float* dst) {
    dequantizeQ4Rows(q, headers, in, rows, dst);
}

// Only the tests run it: bf16 tiles feed the bf16 prefill GEMM, which only SIMD levels have.
void dequantizeQ4Bf16(const uint8_t* q, const uint8_t* headers, int64_t in, int64_t rows, uint16_t* dst) {
    std::vector<float> row(static_cast<std::size_t>(in));
    for (int64_t r = 0; r < rows; ++r) {
        dequantizeQ4Rows(q + r * q4RowBytes(in), headers + r * q4SuperBlocks(in) * kQ4HeaderBytes, in, 1, row.data());
        for (int64_t i = 0; i < in; ++i) dst[r * in + i] = floatToBf16(row[static_cast<std::size_t>(i)]);
    }
}

}  // namespace scalar
}  // namespace rgemma
