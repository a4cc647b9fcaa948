// weight_plan.h — how the dense products run on weights of one stored dtype at the kernel level in force: the decode
// matvec, the arithmetic and GEMM of a prefill, and the tiles a kernel that cannot read the dtype in place gets.
// linear.cpp drives every product through the plan of its weights' dtype and names no dtype itself: a new weight
// dtype is one more plan (weight_plans.cpp) beside its kernels (matmul_kernels.h).
#pragma once

#include <cstdint>
#include <span>

#include "io/tensor_view.h"
#include "kernels/matmul_kernels.h"
#include "rgemma/dtype.h"
#include "rgemma/runtime.h"
#include "runtime/runtime_impl.h"

namespace rgemma {

// A dense layer's stored parts, and where its output y [T, out] goes.
struct DenseLayer {
    const TensorView* weight = nullptr;  // W [out, in]
    std::span<const float> scales;       // its block scales where its dtype has them (hasBlockScales), else empty
    std::span<const float> bias;         // [out], or empty
    float* y = nullptr;
    const uint8_t* q4Headers = nullptr;  // Q4K: the headers [out, q4SuperBlocks(in), 16] (kernels/q4_format.h)

    int64_t out() const { return weight->shape[0]; }
    int64_t in() const { return weight->shape[1]; }
};

// Activations quantized per block of 32 (W8A8, matmul_kernels.h): q [T, i8ActivationStride(in)] and scales
// [T, i8Blocks(in)] for the int8 kernels, the dequantized values [T, in] for every other one, so that decode and
// prefill, at every level, multiply the same numbers.
struct QuantizedActivations {
    const int8_t* q;
    const float* scales;
    const float* values;
};

// The activations of a prefill packed once for a GEMM (PanelGemm or Int8PanelGemm), shared by every layer of a call.
struct PackedActivations {
    const uint32_t* data;
    int64_t tokens;
    int64_t panels;
};

struct WeightPlan {
    // Decode: whether the table has a matvec for `weight` read in place; then y[r - r0] = Σ_i W[r, i] · x[i] for rows
    // [r0, r1), on `quantized` activations where they are given and the table has the int8 kernel, and on x as
    // `prepare` left it where the plan has one.
    bool (*hasMatvec)(const MatmulKernels& kernels, const TensorView& weight);
    // Null, or the activations [in] of a decode product rearranged once for the matvec (Q4K: prepareQ4Activations
    // into the workspace), before the rows are split.
    const float* (*prepare)(Runtime::Impl& runtime, const float* x, int64_t in) = nullptr;
    void (*matvec)(const MatmulKernels& kernels, const DenseLayer& layer, int64_t r0, int64_t r1, const float* x,
                   const QuantizedActivations* quantized, float* y);

    // Prefill: the arithmetic at `precision` on this table (see prefillArithmetic below).
    PrefillArithmetic (*arithmetic)(const MatmulKernels& kernels, PrefillPrecision precision);
    // The panel GEMM of Exact or Bf16 arithmetic for `weight`, or null (then Eigen on f32 tiles).
    const PanelGemm* (*panelGemm)(const MatmulKernels& kernels, PrefillArithmetic arithmetic, const TensorView& weight);
    // y[t, r] for rows [r0, r1) of the layer and every packed token, with `gemm` on W in place or on a converted tile.
    void (*panelRows)(Runtime::Impl& runtime, const PanelGemm& gemm, const PackedActivations& packed,
                      const DenseLayer& layer, int64_t r0, int64_t r1);
    // The same with the int8 GEMM (Int8 arithmetic); null where the arithmetic is never Int8.
    void (*int8Rows)(Runtime::Impl& runtime, const PackedActivations& packed, const DenseLayer& layer, int64_t r0,
                     int64_t r1);

    // Whether Int8Activations::Quantized quantizes the activations of products on this dtype (W8A8), and whether
    // PrefillPrecision::EmulatedBf16 rounds them to bf16 (the bf16 path's numbers on any CPU).
    bool quantizesActivations = false;
    bool emulatesBf16 = false;
};

const WeightPlan& weightPlan(DType dtype);

// The arithmetic a prefill product on `weights` runs in for a kernel table and a precision: the one choice that
// linear.cpp's prefill makes and `rgemma bench` reports (Runtime::prefillArithmetic: prefill_path, and the peak its
// fraction is taken against), so the two cannot disagree.
inline PrefillArithmetic prefillArithmetic(const MatmulKernels& kernels, PrefillPrecision precision, DType weights) {
    return weightPlan(weights).arithmetic(kernels, precision);
}

}  // namespace rgemma
