// attention_block.cpp — local multi-query attention with a ring buffer of the last W keys and values.
// ref: torch/modules.py LocalAttentionBlock, _apply_rope, _compute_causal_mask, _compute_cache_mask
#include <oneapi/tbb/parallel_for.h>

#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "layers/linear.h"
#include "layers/ops.h"
#include "model/blocks.h"

namespace rgemma {

namespace {

using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// Query rows per prefill block, in 32-row panels of the packed queries: 128 rows' scores over a full window (1 MiB)
// stay in L2 between the two products, and the block's tokens add few keys that only some of its rows see (4 panels
// ran within noise of 2 and some 5 % faster than 8 on a 256-token chunk, bench_kernels attention).
constexpr int64_t kBlockPanels = 4;
// Keys per call of the scores GEMM: a 256 KiB tile of keys, read from L2 by every panel of the block.
constexpr int64_t kKeyTile = 256;

float dot(const float* a, const float* b, int64_t n) {
    float sum = 0.0f;
    for (int64_t i = 0; i < n; ++i) sum += a[i] * b[i];
    return sum;
}

// Keys and values visible to a decoded token: positions before it live in the ring buffer (slot p % W), its own in
// the freshly projected row.
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

// Decode: one query head at `position`: softmax over keys at positions max(0, position - W) .. position (W + 1
// keys), scores scaled by hd^-1/2, in f32. Each head reads the keys once, which a single token cannot share.
// ref: torch/modules.py LocalAttentionBlock.forward
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

// Rows of the ring buffer for positions [firstPosition - history, firstPosition), in position order.
void unrollRing(const std::vector<float>& ring, int64_t firstPosition, int64_t history, int64_t window, int64_t hd,
                float* dst) {
    for (int64_t i = 0; i < history; ++i) {
        const int64_t slot = (firstPosition - history + i) % window;
        std::memcpy(dst + i * hd, ring.data() + slot * hd, static_cast<std::size_t>(hd) * sizeof(float));
    }
}

// scores [rows, n] = q [rows, hd] · keys [n, hd]ᵀ: the f32 panel GEMM reading the keys in place (the queries packed
// into `packed`, room for the rows' panels), or Eigen. ref: torch/modules.py LocalAttentionBlock.forward (q @ kᵀ)
void queryKeyScores(const MatmulKernels& kernels, const float* q, int64_t rows, const float* keys, int64_t n,
                    int64_t hd, uint32_t* packed, float* scores) {
    const PanelGemm& gemm = kernels.gemmF32Activations;
    if (gemm.gemmF32Weights == nullptr) {
        Eigen::Map<RowMatrix>(scores, rows, n).noalias() =
            Eigen::Map<const RowMatrix>(q, rows, hd) * Eigen::Map<const RowMatrix>(keys, n, hd).transpose();
        return;
    }
    const int64_t panels = (rows + kGemmPanelTokens - 1) / kGemmPanelTokens;
    gemm.pack(q, rows, hd, 0, panels, packed);
    for (int64_t j = 0; j < n; j += kKeyTile) {
        gemm.gemmF32Weights(packed, keys, hd, rows, j, std::min(n, j + kKeyTile), 0, panels, scores, n);
    }
}

// out [rows, hd] = probabilities [rows, n] · values [n, hd]: the x @ W kernel on the values in place, or Eigen.
// ref: torch/modules.py LocalAttentionBlock.forward (probs @ v)
void weightedValues(const MatmulKernels& kernels, const float* probabilities, int64_t rows, const float* values,
                    int64_t n, int64_t hd, float* out) {
    if (kernels.matmulInOutF32 == nullptr) {
        Eigen::Map<RowMatrix>(out, rows, hd).noalias() =
            Eigen::Map<const RowMatrix>(probabilities, rows, n) * Eigen::Map<const RowMatrix>(values, n, hd);
        return;
    }
    kernels.matmulInOutF32(values, n, hd, probabilities, n, rows, out, hd);
}

// One query's scores over n keys become its attention weights: keys [first, last] are those it sees (the causal and
// window masks), scaled by hd^-1/2 and softmaxed in f32 after subtracting their maximum; the others get 0.
// Eigen vectorizes the scaling, maximum, sum and division (exactly, but for the sum's order); the exponentials stay
// the C library's expf, which a vectorized exp would not match bit for bit.
// ref: torch/modules.py LocalAttentionBlock.forward, _compute_causal_mask
void maskedSoftmax(float* row, int64_t n, int64_t first, int64_t last, float scale) {
    Eigen::Map<Eigen::ArrayXf> visible(row + first, last - first + 1);
    visible *= scale;
    const float maxScore = visible.maxCoeff();
    for (float& score : visible) score = std::exp(score - maxScore);
    visible /= visible.sum();
    std::fill(row, row + first, 0.0f);
    std::fill(row + last + 1, row + n, 0.0f);
}

// A prefill chunk's attention as blocked products. Query rows are (token, head) pairs, row t·H + h; a block of rows
// (whole panels) meets, as one matrix, every key any of its tokens sees (multi-query: all heads share them).
struct PrefillAttention {
    const float* queries;  // [T·H, hd] after RoPE
    const float* keys;     // [history + T, hd] after RoPE, positions firstPosition - history ..
    const float* values;   // [history + T, hd]
    float* out;            // [T·H, hd]
    int64_t heads;
    int64_t headDim;
    int64_t window;
    int64_t history;  // positions before the chunk in keys/values: min(firstPosition, W)

    // Rows [r0, r1), r0 a multiple of kGemmPanelTokens; `packed` is the block's room for its packed queries.
    void block(const MatmulKernels& kernels, int64_t r0, int64_t r1, uint32_t* packed,
               std::vector<float>& scores) const {
        // Row of token t sees key rows history + t - W .. history + t (the position is firstPosition + t).
        const auto firstKey = [&](int64_t r) { return std::max<int64_t>(0, history + r / heads - window); };
        const auto lastKey = [&](int64_t r) { return history + r / heads; };
        const int64_t k0 = firstKey(r0);
        const int64_t n = lastKey(r1 - 1) + 1 - k0;
        const int64_t rows = r1 - r0;
        float* s = ensure(scores, static_cast<std::size_t>(rows * n));  // [rows, n]
        queryKeyScores(kernels, queries + r0 * headDim, rows, keys + k0 * headDim, n, headDim, packed, s);
        const float scale = 1.0f / std::sqrt(static_cast<float>(headDim));
        for (int64_t r = r0; r < r1; ++r) maskedSoftmax(s + (r - r0) * n, n, firstKey(r) - k0, lastKey(r) - k0, scale);
        weightedValues(kernels, s, rows, values + k0 * headDim, n, headDim, out + r0 * headDim);
    }
};

}  // namespace

void attentionBlockForward(Runtime::Impl& runtime, const ModelConfig& config, const AttentionWeights& weights,
                           AttentionLayerState& state, int64_t firstPosition, const float* input, int64_t tokens,
                           float* output) {
    Workspace& ws = runtime.workspace;
    const MatmulKernels& kernels = *runtime.kernels;
    const int64_t heads = config.numHeads;
    const int64_t hd = config.headDim;
    const int64_t window = config.attentionWindow;
    const auto rotated = static_cast<int64_t>(std::lround(static_cast<double>(hd) * config.partialRotaryFactor));
    // A prefill chunk lays the ring's keys and values out in position order in front of its own, so every query
    // block reads one contiguous range; a decoded token reads the ring in place (copying it would cost more than the
    // attention).
    const int64_t history = tokens > 1 ? std::min(firstPosition, window) : 0;
    float* q = ensure(ws.a, static_cast<std::size_t>(tokens * heads * hd));           // [T, H*hd]
    float* o = ensure(ws.b, static_cast<std::size_t>(tokens * heads * hd));           // [T, H*hd]
    float* keys = ensure(ws.c, static_cast<std::size_t>((history + tokens) * hd));    // [history + T, hd]
    float* values = ensure(ws.d, static_cast<std::size_t>((history + tokens) * hd));  // [history + T, hd]
    float* k = keys + history * hd;                                                   // [T, hd]
    float* v = values + history * hd;                                                 // [T, hd]
    unrollRing(state.keys, firstPosition, history, window, hd, keys);
    unrollRing(state.values, firstPosition, history, window, hd, values);

    linearForward(runtime, {{weights.q, q}, {weights.k, k}, {weights.v, v}}, input, tokens);
    tbb::parallel_for(int64_t{0}, tokens, [&](int64_t t) {
        applyRope(q + t * heads * hd, heads, hd, rotated, firstPosition + t, config.ropeTheta);
        applyRope(k + t * hd, 1, hd, rotated, firstPosition + t, config.ropeTheta);
    });

    if (tokens == 1) {
        const KeyValueSource kv{state, k, v, firstPosition, window, hd};
        tbb::parallel_for(int64_t{0}, heads, [&](int64_t n) {
            std::vector<float>& scores = ws.threadScores[runtime.threadSlot()];
            ensure(scores, static_cast<std::size_t>(window + 1));
            attendOne(kernels, kv, q + n * hd, firstPosition, scores.data(), o + n * hd);
        });
    } else {
        // Blocks of whole panels, at least one per thread when the chunk is short.
        const int64_t rows = tokens * heads;
        const int64_t panels = (rows + kGemmPanelTokens - 1) / kGemmPanelTokens;
        const int64_t blockPanels =
            std::clamp<int64_t>((panels + runtime.threads - 1) / runtime.threads, 1, kBlockPanels);
        const std::size_t panelUnits = kernels.gemmF32Activations.packedUnits(kGemmPanelTokens, hd);
        uint32_t* packed = ensure(ws.packed, panelUnits * static_cast<std::size_t>(panels));
        const PrefillAttention attention{q, keys, values, o, heads, hd, window, history};
        tbb::parallel_for(int64_t{0}, (panels + blockPanels - 1) / blockPanels, [&](int64_t b) {
            const int64_t r0 = b * blockPanels * kGemmPanelTokens;
            attention.block(kernels, r0, std::min(rows, r0 + blockPanels * kGemmPanelTokens),
                            packed + panelUnits * static_cast<std::size_t>(b * blockPanels),
                            ws.threadScores[runtime.threadSlot()]);
        });
    }

    // Only now overwrite the ring buffer: the queries above still read the positions being evicted.
    for (int64_t t = std::max<int64_t>(0, tokens - window); t < tokens; ++t) {
        const int64_t slot = (firstPosition + t) % window;
        std::memcpy(state.keys.data() + slot * hd, k + t * hd, static_cast<std::size_t>(hd) * sizeof(float));
        std::memcpy(state.values.data() + slot * hd, v + t * hd, static_cast<std::size_t>(hd) * sizeof(float));
    }

    linearForward(runtime, weights.o, o, tokens, output);
}

void attentionBlockBatch(Runtime::Impl& runtime, const ModelConfig& config, const AttentionWeights& weights,
                         const BatchStep& batch, const float* input, float* output) {
    Workspace& ws = runtime.workspace;
    const MatmulKernels& kernels = *runtime.kernels;
    const int64_t heads = config.numHeads, hd = config.headDim, window = config.attentionWindow, rows = batch.size();
    const auto rotated = static_cast<int64_t>(std::lround(static_cast<double>(hd) * config.partialRotaryFactor));
    float* q = ensure(ws.a, static_cast<std::size_t>(rows * heads * hd));  // [B, H*hd]
    float* o = ensure(ws.b, static_cast<std::size_t>(rows * heads * hd));  // [B, H*hd]
    float* k = ensure(ws.c, static_cast<std::size_t>(rows * hd));          // [B, hd]
    float* v = ensure(ws.d, static_cast<std::size_t>(rows * hd));          // [B, hd]
    const auto position = [&](int64_t b) { return batch.positions[static_cast<std::size_t>(b)]; };

    linearForward(runtime, {{weights.q, q}, {weights.k, k}, {weights.v, v}}, input, rows);
    tbb::parallel_for(int64_t{0}, rows, [&](int64_t b) {
        applyRope(q + b * heads * hd, heads, hd, rotated, position(b), config.ropeTheta);
        applyRope(k + b * hd, 1, hd, rotated, position(b), config.ropeTheta);
    });
    // Every (sequence, head) over its own ring buffer, as attentionBlockForward decodes one token.
    tbb::parallel_for(int64_t{0}, rows * heads, [&](int64_t task) {
        const int64_t b = task / heads, n = task % heads;
        const KeyValueSource kv{batch.layerState(b).attention, k + b * hd, v + b * hd, position(b), window, hd};
        std::vector<float>& scores = ws.threadScores[runtime.threadSlot()];
        ensure(scores, static_cast<std::size_t>(window + 1));
        attendOne(kernels, kv, q + (b * heads + n) * hd, position(b), scores.data(), o + (b * heads + n) * hd);
    });
    for (int64_t b = 0; b < rows; ++b) {
        AttentionLayerState& state = batch.layerState(b).attention;
        const int64_t slot = position(b) % window;
        std::memcpy(state.keys.data() + slot * hd, k + b * hd, static_cast<std::size_t>(hd) * sizeof(float));
        std::memcpy(state.values.data() + slot * hd, v + b * hd, static_cast<std::size_t>(hd) * sizeof(float));
    }
    linearForward(runtime, weights.o, o, rows, output);
}

}  // namespace rgemma
