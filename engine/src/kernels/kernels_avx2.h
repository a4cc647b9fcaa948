// kernels_avx2.h — the AVX2-level kernels defined outside matmul_avx2.cpp, each file compiled with its own flags
// (kernels/CMakeLists.txt); matmul_avx2.cpp puts them into the AVX2 table (avx2Kernels()), and each is documented at
// its field of MatmulKernels (matmul_kernels.h). Plain declarations only: anything inline here could be the copy the
// linker keeps for a baseline file (see matmul_avx2.cpp).
#pragma once

#include <cstdint>

#include "kernels/matmul_kernels.h"

namespace rgemma {
namespace avx2 {

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

// gemm_avx2.cpp: the prefill panel GEMM on f32 activations (PanelGemm), one entry per weight dtype.
void packF32Activations(const float* x, int64_t tokens, int64_t in, int64_t panelBegin, int64_t panelEnd,
                        uint32_t* packed);
void gemmBf16Weights(const void* packed, const uint16_t* w, int64_t in, int64_t tokens, int64_t rowBegin,
                     int64_t rowEnd, int64_t panelBegin, int64_t panelEnd, float* y, int64_t ldy);
void gemmF32Weights(const void* packed, const float* w, int64_t in, int64_t tokens, int64_t rowBegin, int64_t rowEnd,
                    int64_t panelBegin, int64_t panelEnd, float* y, int64_t ldy);
void gemmF16Weights(const void* packed, const uint16_t* w, int64_t in, int64_t tokens, int64_t rowBegin, int64_t rowEnd,
                    int64_t panelBegin, int64_t panelEnd, float* y, int64_t ldy);
void gemmI8Weights(const void* packed, const int8_t* w, const float* scales, int64_t in, int64_t tokens,
                   int64_t rowBegin, int64_t rowEnd, int64_t panelBegin, int64_t panelEnd, float* y, int64_t ldy);

// q4_avx2.cpp: Q4K weights (q4_format.h), decode and dequantization into prefill tiles.
void matvecQ4(const uint8_t* q, const uint8_t* headers, int64_t in, int64_t rowBegin, int64_t rowEnd,
              const float* prepared, int64_t columns, float* y, int64_t ldy);
void dequantizeQ4(const uint8_t* q, const uint8_t* headers, int64_t in, int64_t rows, float* dst);
void dequantizeQ4Bf16(const uint8_t* q, const uint8_t* headers, int64_t in, int64_t rows, uint16_t* dst);

// gemm_int8_avx2.cpp: int8 prefill with vpmaddubsw/vpmaddwd (AVX2).
Int8PanelGemm int8PanelGemm();

}  // namespace avx2
namespace avxvnni {
// gemm_int8_avxvnni.cpp: the same with vpdpbusd on 256-bit registers (AVX-VNNI); only where avxVnniSupported().
Int8PanelGemm int8PanelGemm();
}  // namespace avxvnni
}  // namespace rgemma
