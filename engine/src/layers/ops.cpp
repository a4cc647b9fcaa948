// ops.cpp — implementations of the Griffin primitives declared in ops.h.
#include "layers/ops.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstring>
#include <vector>

#include "io/dtype_convert.h"

namespace rgemma {

void softCap(float* values, int64_t count, float cap) {
    if (cap <= 0.0f) return;
    for (int64_t i = 0; i < count; ++i) values[i] = cap * std::tanh(values[i] / cap);
}

void geluTanhRows(const MatmulKernels& kernels, float* x, const float* mul, int64_t n) {
    if (kernels.geluTanh != nullptr) {
        kernels.geluTanh(x, mul, n);
    } else {
        for (int64_t i = 0; i < n; ++i) x[i] = geluTanh(x[i]) * (mul != nullptr ? mul[i] : 1.0f);
    }
}

void sigmoidRows(const MatmulKernels& kernels, float* x, int64_t n) {
    if (kernels.sigmoid != nullptr) {
        kernels.sigmoid(x, n);
    } else {
        for (int64_t i = 0; i < n; ++i) x[i] = sigmoid(x[i]);
    }
}

void rmsNorm(const float* x, std::span<const float> scale, float eps, int64_t rows, float* y) {
    const auto width = static_cast<int64_t>(scale.size());
    for (int64_t r = 0; r < rows; ++r) {
        const float* in = x + r * width;
        float* out = y + r * width;
        double sumSquares = 0.0;
        for (int64_t i = 0; i < width; ++i) sumSquares += static_cast<double>(in[i]) * in[i];
        const float inverse = 1.0f / std::sqrt(static_cast<float>(sumSquares / width) + eps);
        for (int64_t i = 0; i < width; ++i) out[i] = in[i] * inverse * (1.0f + scale[i]);
    }
}

float embedScale(int64_t hiddenSize, bool scaleBySqrtDim) {
    if (!scaleBySqrtDim) return 1.0f;
    // Python float sqrt, stored as a float32 tensor, then .type(torch.bfloat16).
    const auto exact = static_cast<float>(std::sqrt(static_cast<double>(hiddenSize)));
    return bf16ToFloat(floatToBf16(exact));
}

void applyRope(float* x, int64_t heads, int64_t headDim, int64_t rotated, int64_t position, float theta) {
    const int64_t half = rotated / 2;
    for (int64_t j = 0; j < half; ++j) {
        // As torch computes it in f32: exponent 2j/rotated, timescale theta^exponent, angle position / timescale.
        const float exponent = static_cast<float>(2 * j) / static_cast<float>(rotated);
        const float inverseFrequency = 1.0f / std::pow(theta, exponent);
        const float angle = static_cast<float>(position) * inverseFrequency;
        const float sine = std::sin(angle);
        const float cosine = std::cos(angle);
        for (int64_t h = 0; h < heads; ++h) {
            float* v = x + h * headDim;
            const float x1 = v[j];
            const float x2 = v[j + half];
            v[j] = x1 * cosine - x2 * sine;
            v[j + half] = x2 * cosine + x1 * sine;
        }
    }
}

void conv1dForward(std::span<const float> w, std::span<const float> b, int64_t width, int64_t channels, const float* u,
                   int64_t tokens, float* tail, float* out) {
    assert(static_cast<int64_t>(w.size()) == width * channels && static_cast<int64_t>(b.size()) == channels);
    const int64_t history = width - 1;
    // Input row at relative time t (may be negative: then it is in the tail, whose last row is t = -1).
    auto inputRow = [&](int64_t t) -> const float* {
        return t >= 0 ? u + t * channels : tail + (history + t) * channels;
    };
    for (int64_t t = 0; t < tokens; ++t) {
        float* o = out + t * channels;
        std::memcpy(o, b.data(), static_cast<std::size_t>(channels) * sizeof(float));
        for (int64_t s = 0; s < width; ++s) {
            if (t - s < -history) break;
            const float* in = inputRow(t - s);
            const float* tap = w.data() + (width - 1 - s) * channels;
            for (int64_t c = 0; c < channels; ++c) o[c] += tap[c] * in[c];
        }
    }
    // New tail: the last `history` rows of [tail; u].
    if (history == 0) return;
    if (tokens >= history) {
        std::memcpy(tail, u + (tokens - history) * channels,
                    static_cast<std::size_t>(history * channels) * sizeof(float));
    } else {
        const int64_t keep = history - tokens;
        std::memmove(tail, tail + tokens * channels, static_cast<std::size_t>(keep * channels) * sizeof(float));
        std::memcpy(tail + keep * channels, u, static_cast<std::size_t>(tokens * channels) * sizeof(float));
    }
}

void rgLruScan(std::span<const float> aParam, const float* gateX, const float* gateA, int64_t firstPosition,
               int64_t tokens, int64_t lru, float* h, float* u) {
    rgLruScanChannels(aParam, gateX, gateA, firstPosition, tokens, lru, h, u, 0, lru);
}

void rgLruScanChannels(std::span<const float> aParam, const float* gateX, const float* gateA, int64_t firstPosition,
                       int64_t tokens, int64_t lru, float* h, float* u, int64_t channelBegin, int64_t channelEnd) {
    assert(static_cast<int64_t>(aParam.size()) == lru);
    constexpr float kC = 8.0f;  // ref: torch/layers.py RGLRU, c = 8
    // Blocks of channels: softplus(a_param) once per block rather than once per token, and every token's row
    // segment is one contiguous run of the block.
    constexpr int64_t kBlock = 64;
    for (int64_t b0 = channelBegin; b0 < channelEnd; b0 += kBlock) {
        const int64_t width = std::min(kBlock, channelEnd - b0);
        float rate[kBlock];  // -c · softplus(a_param); -c·g·sp == -c·sp·g exactly (×8 is exact)
        for (int64_t i = 0; i < width; ++i) rate[i] = -kC * softplus(aParam[b0 + i]);
        for (int64_t t = 0; t < tokens; ++t) {
            const bool reset = firstPosition + t == 0;
            const float* gx = gateX + t * lru + b0;
            const float* ga = gateA + t * lru + b0;
            float* x = u + t * lru + b0;
            float* state = h + b0;
            for (int64_t i = 0; i < width; ++i) {
                const float logA = ga[i] * rate[i];
                const float a = std::exp(logA);
                const float multiplier = reset ? 1.0f : std::sqrt(1.0f - std::exp(2.0f * logA));
                const float normalized = x[i] * gx[i] * multiplier;
                state[i] = (reset ? 0.0f : a) * state[i] + normalized;
                x[i] = state[i];
            }
        }
    }
}

}  // namespace rgemma
