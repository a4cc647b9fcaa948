// kernels_avx2.h — the AVX2-level kernels defined outside matmul_avx2.cpp, each file compiled with its own flags
// (engine/CMakeLists.txt); matmul_avx2.cpp puts them into the AVX2 table (avx2Kernels()). Plain declarations only:
// anything inline here could be the copy the linker keeps for a baseline file (see matmul_avx2.cpp).
#pragma once

#include <cstdint>

#include "matmul_kernels.h"

namespace rgemma {
namespace avx2 {

// gemm_avx2.cpp: the prefill panel GEMM on f32 activations (matmul_kernels.h PanelGemm), one entry per weight dtype.
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

// gemm_int8_avx2.cpp: int8 prefill with vpmaddubsw/vpmaddwd (AVX2).
Int8PanelGemm int8PanelGemm();

}  // namespace avx2
namespace avxvnni {
// gemm_int8_avxvnni.cpp: the same with vpdpbusd on 256-bit registers (AVX-VNNI); only where avxVnniSupported().
Int8PanelGemm int8PanelGemm();
}  // namespace avxvnni
}  // namespace rgemma
