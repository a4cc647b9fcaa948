// attention_block.cpp — local multi-query attention with a ring buffer of the last W keys and values.
// ref: torch/modules.py LocalAttentionBlock, _apply_rope, _compute_causal_mask, _compute_cache_mask
#include <oneapi/tbb/blocked_range2d.h>
#include <oneapi/tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "blocks.h"
#include "linear.h"
#include "ops.h"

namespace rgemma {

namespace {

float dot(const float* a, const float* b, int64_t n) {
    float sum = 0.0f;
    for (int64_t i = 0; i < n; ++i) sum += a[i] * b[i];
    return sum;
}

// Keys and values visible to a chunk: positions before the chunk live in the ring buffer (slot p % W), positions
// in the chunk in the freshly projected rows.
struct KeyValueSource {
    const AttentionLayerState& cache;
    const float* chunkKeys;    // [T, hd]
    const float* chunkValues;  // [T, hd]
    int64_t firstPosition;
    int64_t window;
    int64_t headDim;

    const float* key(int64_t position) const { return row(cache.keys.data(), chunkKeys, position); }
    const float* value(int64_t position) const { return row(cache.values.data(), chunkValues, position); }

  private:
    const float* row(const float* ring, const float* chunk, int64_t position) const {
        if (position >= firstPosition) return chunk + (position - firstPosition) * headDim;
        return ring + (position % window) * headDim;
    }
};

// y += a·x, or the table's vectorized version.
void axpy(const MatmulKernels& kernels, float a, const float* x, float* y, int64_t n) {
    if (kernels.axpy != nullptr) {
        kernels.axpy(a, x, y, n);
    } else {
        for (int64_t d = 0; d < n; ++d) y[d] += a * x[d];
    }
}

// One query head at `position`: softmax over keys at positions max(0, position - W) .. position (W + 1 keys),
// scores scaled by hd^-1/2, in f32. ref: torch/modules.py LocalAttentionBlock.forward
void attendOne(const MatmulKernels& kernels, const KeyValueSource& kv, const float* query, int64_t position,
               float* scores, float* out) {
    const auto dotProduct = kernels.dot != nullptr ? kernels.dot : dot;
    const int64_t first = std::max<int64_t>(0, position - kv.window);
    const int64_t count = position - first + 1;
    const float scale = 1.0f / std::sqrt(static_cast<float>(kv.headDim));
    float maxScore = -std::numeric_limits<float>::infinity();
    for (int64_t i = 0; i < count; ++i) {
        scores[i] = dotProduct(query, kv.key(first + i), kv.headDim) * scale;
        maxScore = std::max(maxScore, scores[i]);
    }
    float sum = 0.0f;
    for (int64_t i = 0; i < count; ++i) {
        scores[i] = std::exp(scores[i] - maxScore);
        sum += scores[i];
    }
    std::fill(out, out + kv.headDim, 0.0f);
    for (int64_t i = 0; i < count; ++i) {
        axpy(kernels, scores[i] / sum, kv.value(first + i), out, kv.headDim);
    }
}

}  // namespace

void attentionBlockForward(Runtime::Impl& runtime, const ModelConfig& config, const AttentionWeights& weights,
                           AttentionLayerState& state, int64_t firstPosition, const float* input, int64_t tokens,
                           float* output) {
    Workspace& ws = runtime.workspace;
    const int64_t heads = config.numHeads;
    const int64_t hd = config.headDim;
    const int64_t window = config.attentionWindow;
    const auto rotated = static_cast<int64_t>(std::lround(static_cast<double>(hd) * config.partialRotaryFactor));
    float* q = ensure(ws.a, static_cast<std::size_t>(tokens * heads * hd));  // [T, H*hd]
    float* o = ensure(ws.b, static_cast<std::size_t>(tokens * heads * hd));  // [T, H*hd]
    float* k = ensure(ws.c, static_cast<std::size_t>(tokens * hd));          // [T, hd]
    float* v = ensure(ws.d, static_cast<std::size_t>(tokens * hd));          // [T, hd]

    linearForward(runtime, {{weights.q, q}, {weights.k, k}, {weights.v, v}}, input, tokens);
    tbb::parallel_for(int64_t{0}, tokens, [&](int64_t t) {
        applyRope(q + t * heads * hd, heads, hd, rotated, firstPosition + t, config.ropeTheta);
        applyRope(k + t * hd, 1, hd, rotated, firstPosition + t, config.ropeTheta);
    });

    const KeyValueSource kv{state, k, v, firstPosition, window, hd};
    tbb::parallel_for(tbb::blocked_range2d<int64_t>(0, tokens, 0, heads), [&](const auto& range) {
        std::vector<float>& scores = ws.threadScores[runtime.threadSlot()];
        ensure(scores, static_cast<std::size_t>(window + 1));
        for (int64_t t = range.rows().begin(); t != range.rows().end(); ++t) {
            for (int64_t n = range.cols().begin(); n != range.cols().end(); ++n) {
                const int64_t offset = (t * heads + n) * hd;
                attendOne(*runtime.kernels, kv, q + offset, firstPosition + t, scores.data(), o + offset);
            }
        }
    });

    // Only now overwrite the ring buffer: the queries above still read the positions being evicted.
    for (int64_t t = std::max<int64_t>(0, tokens - window); t < tokens; ++t) {
        const int64_t slot = (firstPosition + t) % window;
        std::memcpy(state.keys.data() + slot * hd, k + t * hd, static_cast<std::size_t>(hd) * sizeof(float));
        std::memcpy(state.values.data() + slot * hd, v + t * hd, static_cast<std::size_t>(hd) * sizeof(float));
    }

    linearForward(runtime, weights.o, o, tokens, output);
}

}  // namespace rgemma
