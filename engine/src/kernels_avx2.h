// kernels_avx2.h — the AVX2 + FMA kernels that files other than matmul_avx2.cpp define for its table
// (avx2Kernels()); each is documented at its field of MatmulKernels (matmul_kernels.h). Plain declarations only:
// the definitions are compiled with AVX2 flags and must be called only where the CPU has AVX2 and FMA.
#pragma once

#include <cstdint>

namespace rgemma::avx2 {

// elementwise_avx2.cpp
void geluTanh(float* x, const float* mul, int64_t n);
void sigmoid(float* x, int64_t n);
float dot(const float* a, const float* b, int64_t n);
void axpy(float a, const float* x, float* y, int64_t n);
void matmulInOutF32(const float* w, int64_t in, int64_t cols, const float* x, int64_t ldx, int64_t tokens, float* y,
                    int64_t ldy);
void matmulInOutBf16(const uint16_t* w, int64_t in, int64_t cols, const float* x, int64_t ldx, int64_t tokens, float* y,
                     int64_t ldy);
void dequantizeI8(const int8_t* q, const float* scales, int64_t in, int64_t rows, float* dst);
void dequantizeI8Bf16(const int8_t* q, const float* scales, int64_t in, int64_t rows, uint16_t* dst);
void quantizeActivationsI8(const float* x, int64_t in, int64_t tokens, int8_t* q, float* scales, float* values);

}  // namespace rgemma::avx2
