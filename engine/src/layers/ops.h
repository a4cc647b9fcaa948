// ops.h — the element-wise and per-row primitives of Griffin, each following the reference named beside it.
// Plain loops over row-major [tokens, width] arrays; the heavy products are in linear.h.
#pragma once

#include <cmath>
#include <cstdint>
#include <span>

#include "kernels/matmul_kernels.h"

namespace rgemma {

// ref: torch/modules.py gelu (nn.functional.gelu approximate="tanh")
inline float geluTanh(float x) {
    constexpr float kSqrt2OverPi = 0.7978845608028654f;
    return 0.5f * x * (1.0f + std::tanh(kSqrt2OverPi * (x + 0.044715f * x * x * x)));
}

inline float sigmoid(float x) { return 1.0f / (1.0f + std::exp(-x)); }

// ref: torch.nn.functional.softplus, beta 1, threshold 20 (returns x above it)
inline float softplus(float x) { return x > 20.0f ? x : std::log1p(std::exp(x)); }

// Vectorized where `kernels` has the op, else the scalar functions above; both over n contiguous floats.
// x[i] = geluTanh(x[i]) · mul[i] (mul may be null).
void geluTanhRows(const MatmulKernels& kernels, float* x, const float* mul, int64_t n);
void sigmoidRows(const MatmulKernels& kernels, float* x, int64_t n);

// ref: torch/griffin.py: logits = cap * tanh(logits / cap); a cap of 0 disables it
void softCap(float* values, int64_t count, float cap);

// ref: torch/layers.py RMSNorm: y = x · rsqrt(mean(x²) + eps) · (1 + scale), per row of width `scale.size()`.
void rmsNorm(const float* x, std::span<const float> scale, float eps, int64_t rows, float* y);

// The embedding multiplier: bf16(sqrt(D)) as the reference computes it (ref: torch/modules.py Embedder.encode,
// "cast to bfloat16 to match training"), or 1 when the config disables scaling.
float embedScale(int64_t hiddenSize, bool scaleBySqrtDim);

// ref: torch/modules.py _apply_rope. Rotates the first `rotated` dims of each of `heads` vectors of `headDim` at
// `position`: pairs (j, j + rotated/2), frequencies 1 / theta^(2j / rotated), angle position·freq in f32; the
// remaining dims pass through.
void applyRope(float* x, int64_t heads, int64_t headDim, int64_t rotated, int64_t position, float theta);

// ref: torch/layers.py Conv1D. Depthwise causal conv of width K over `tokens` rows of `channels`:
// out[t] = b + Σ_{s=0..K-1} w[K-1-s] ⊙ u[t-s], with u[t-s] for t-s < 0 taken from `tail` ([K-1, channels], the
// previous inputs, oldest first). `tail` is then replaced by the last K-1 inputs. w is [K][channels].
void conv1dForward(std::span<const float> w, std::span<const float> b, int64_t width, int64_t channels, const float* u,
                   int64_t tokens, float* tail, float* out);

// ref: torch/layers.py RGLRU + rnn_scan. Given the gate pre-activations already passed through the sigmoid
// (gateX, gateA: [tokens, lru]), the input u and the f32 state h, runs the linear recurrence
//   log_a = -8·gateA·softplus(a_param);  a = exp(log_a);  mult = reset ? 1 : sqrt(1 - exp(2·log_a))
//   h = (reset ? 0 : a)·h + u·gateX·mult;  y = h
// where reset is position == 0. Writes y into `u` in place.
void rgLruScan(std::span<const float> aParam, const float* gateX, const float* gateA, int64_t firstPosition,
               int64_t tokens, int64_t lru, float* h, float* u);
// The same over channels [channelBegin, channelEnd) only: channels are independent, so slices can run in parallel.
void rgLruScanChannels(std::span<const float> aParam, const float* gateX, const float* gateA, int64_t firstPosition,
                       int64_t tokens, int64_t lru, float* h, float* u, int64_t channelBegin, int64_t channelEnd);

}  // namespace rgemma
