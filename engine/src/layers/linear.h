// linear.h — the matrix products of the forward pass on weights used in place, in their stored dtype.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <span>

#include "checkpoint/model_weights.h"
#include "io/tensor_view.h"
#include "runtime/runtime_impl.h"

namespace rgemma {

// y[T, out] = x[T, in] · Wᵀ (+ bias), W stored [out, in] (nn.Linear layout); `bias` may be empty.
// T == 1 is the decode path (matrix-vector), T > 1 the prefill path (matrix-matrix), or, while runtime.decodeColumns
// is set (Model::forwardBatch), the decode path once per row of x on each weight tile; all split the output rows over
// the arena's threads and convert bf16/f16 weights tile by tile, never the whole matrix.
// Must be called inside runtime.arena.
// A weight of a block-scaled dtype (hasBlockScales: I8) needs its block scales [out, i8Blocks(in)]; others pass none.
// A Q4K weight goes through the LinearWeights overloads, which carry its headers.
// The dtype's weight plan (weight_plan.h) picks the kernels.
void linearForward(Runtime::Impl& runtime, const TensorView& weight, std::span<const float> bias, const float* x,
                   int64_t tokens, float* y, std::span<const float> blockScales = {});
// The same for a bound layer: its weight, bias and row scales.
void linearForward(Runtime::Impl& runtime, const LinearWeights& layer, const float* x, int64_t tokens, float* y);

// Up to four layers on the same input x [T, in] (q, k and v; gate and up; linear_y and linear_x), each into its own
// y [T, out]: the activations are packed (or quantized) once and one parallel loop covers all the layers' rows,
// which keeps every thread busy on the small ones (the 2B's k and v have 256 rows) and saves a join per layer.
struct LinearOutput {
    const LinearWeights& layer;
    float* y;
};
void linearForward(Runtime::Impl& runtime, std::initializer_list<LinearOutput> outputs, const float* x, int64_t tokens);

// Rows [r0, r1) of W [*, in] as f32: the mapping itself for aligned f32, else converted (I8: dequantized with its
// block scales; Q4K: with its headers) into the calling thread's tile, valid until its next call on this thread.
const float* weightRowsAsFloat(Runtime::Impl& runtime, const TensorView& weight, std::span<const float> blockScales,
                               int64_t in, int64_t r0, int64_t r1, const uint8_t* q4Headers = nullptr);

// Block-diagonal gate of the RG-LRU: for each head h, y[:, h·bw:(h+1)·bw] = x[:, h·bw:(h+1)·bw] · W[h] + b[h],
// W stored [H, bw, bw] and used as x @ W (NOT transposed). ref: torch/layers.py BlockDiagonalLinear
void blockDiagonalForward(Runtime::Impl& runtime, const TensorView& weight, std::span<const float> bias, const float* x,
                          int64_t tokens, float* y);

}  // namespace rgemma
