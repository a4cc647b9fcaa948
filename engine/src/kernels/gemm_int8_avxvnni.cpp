// gemm_int8_avxvnni.cpp — the int8 prefill GEMM of gemm_int8_avx2.h with AVX-VNNI's vpdpbusd on 256-bit registers
// (Alder Lake and later, Zen 5 client): one instruction for the 4-value step where AVX2 needs vpmaddubsw + vpmaddwd +
// vpaddd. Packing and the weight quantizer are the AVX2 file's. Compiled with -mavx2 -mfma -mavxvnni
// (kernels/CMakeLists.txt) and called only where avxVnniSupported(); internal linkage except avxvnni::int8PanelGemm.
#include <immintrin.h>

#include <cstdint>

#include "kernels/gemm_int8_avx2.h"
#include "kernels/kernels_avx2.h"

namespace rgemma {

namespace {

// acc += Σ of 4 products per lane (u8 |a| × s8 signed weight), exact in int32 (no saturation in this form).
struct DpbusdDot {
    static __m256i step(__m256i acc, __m256i magnitude, __m256i signedWeight, __m256i /*ones*/) {
        return _mm256_dpbusd_avx_epi32(acc, magnitude, signedWeight);
    }
};

void gemm(const uint32_t* packed, const int8_t* w, const float* wScales, int64_t in, int64_t tokens, int64_t rowBegin,
          int64_t rowEnd, int64_t panelBegin, int64_t panelEnd, float* y, int64_t ldy) {
    int8PanelGemm<DpbusdDot>(packed, w, wScales, in, tokens, rowBegin, rowEnd, panelBegin, panelEnd, y, ldy);
}

}  // namespace

Int8PanelGemm avxvnni::int8PanelGemm() {
    Int8PanelGemm kernel = avx2::int8PanelGemm();
    kernel.gemm = gemm;
    return kernel;
}

}  // namespace rgemma
