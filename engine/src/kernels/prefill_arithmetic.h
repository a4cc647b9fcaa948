// prefill_arithmetic.h — the arithmetic a prefill product runs in for a kernel table, a precision and a weight
// dtype: the one choice that linear.cpp's prefill dispatch makes and `rgemma bench` reports (prefill_path, and the
// peak its fraction is taken against), so the two cannot disagree. A new fast path is named here first.
#pragma once

#include <string_view>

#include "kernels/matmul_kernels.h"
#include "rgemma/dtype.h"
#include "rgemma/runtime.h"

namespace rgemma {

enum class PrefillArithmetic {
    Exact,  // f32 activations × exactly widened weights: f32 multiply-adds (the panel GEMM's FMA, or Eigen)
    Bf16,   // activations rounded to bf16: bf16 dot products (vdpbf16ps)
    Int8,   // activations quantized to int8: int8 dot products
};

inline std::string_view prefillArithmeticName(PrefillArithmetic arithmetic) {
    switch (arithmetic) {
        case PrefillArithmetic::Exact:
            return "exact";
        case PrefillArithmetic::Bf16:
            return "bf16";
        case PrefillArithmetic::Int8:
            return "int8";
    }
    return "exact";
}

// Fast precision rounds activations to bf16 where the table has the bf16 GEMM, for bf16 weights and for I8 ones
// (dequantized to bf16 tiles); f32 and f16 checkpoints, and Exact precision, stay exact.
// Int8 precision (opt-in) takes int8 products on a table that has them but no bf16 ones (AVX2, AVX-VNNI), for bf16
// and I8 weights.
inline PrefillArithmetic prefillArithmetic(const MatmulKernels& kernels, PrefillPrecision precision, DType weights) {
    if (precision == PrefillPrecision::Int8) {
        const bool int8 = !kernels.gemmBf16Activations && kernels.gemmInt8Activations &&
                          (weights == DType::BF16 || weights == DType::I8);
        return int8 ? PrefillArithmetic::Int8 : PrefillArithmetic::Exact;
    }
    if (precision != PrefillPrecision::Fast) return PrefillArithmetic::Exact;
    switch (weights) {
        case DType::BF16:
            return kernels.gemmBf16Activations ? PrefillArithmetic::Bf16 : PrefillArithmetic::Exact;
        case DType::I8:
            return kernels.gemmBf16Activations && kernels.dequantizeI8Bf16 != nullptr ? PrefillArithmetic::Bf16
                                                                                      : PrefillArithmetic::Exact;
        case DType::F32:
        case DType::F16:
            return PrefillArithmetic::Exact;
    }
    return PrefillArithmetic::Exact;
}

}  // namespace rgemma
