// prefill_arithmetic.h — the arithmetic a prefill product runs in (rgemma/runtime.h) for a kernel table, a precision
// and a weight dtype: the one choice that linear.cpp's prefill dispatch makes and `rgemma bench` reports
// (Runtime::prefillArithmetic: prefill_path, and the peak its fraction is taken against), so the two cannot disagree.
// A new fast path is named here first.
#pragma once

#include "kernels/matmul_kernels.h"
#include "rgemma/dtype.h"
#include "rgemma/runtime.h"

namespace rgemma {

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
