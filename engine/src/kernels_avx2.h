// kernels_avx2.h — the AVX2-level kernels defined outside matmul_avx2.cpp, each file compiled with its own flags
// (engine/CMakeLists.txt); matmul_avx2.cpp puts them into the AVX2 table. Plain declarations only.
#pragma once

#include "matmul_kernels.h"

namespace rgemma {
namespace avx2 {
// gemm_int8_avx2.cpp: int8 prefill with vpmaddubsw/vpmaddwd (AVX2).
Int8PanelGemm int8PanelGemm();
}  // namespace avx2
namespace avxvnni {
// gemm_int8_avxvnni.cpp: the same with vpdpbusd on 256-bit registers (AVX-VNNI); only where avxVnniSupported().
Int8PanelGemm int8PanelGemm();
}  // namespace avxvnni
}  // namespace rgemma
