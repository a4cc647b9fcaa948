// recurrent_block.cpp — the recurrent temporal block: two branches, one through Conv1D and the RG-LRU.
// ref: torch/modules.py RecurrentBlock
#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>

#include <algorithm>

#include "layers/linear.h"
#include "layers/ops.h"
#include "model/blocks.h"

namespace rgemma {

namespace {

// `op(begin, count)` over [0, count) in slices of 4096 floats, spread over the arena.
template <typename Op>
void forSlices(std::size_t count, Op op) {
    constexpr std::size_t kSlice = 4096;
    tbb::parallel_for(std::size_t{0}, (count + kSlice - 1) / kSlice, [&](std::size_t slice) {
        const std::size_t begin = slice * kSlice;
        op(begin, static_cast<int64_t>(std::min(count, begin + kSlice) - begin));
    });
}

// The RG-LRU's input and recurrence gates of `rows` rows of the conv output, through the sigmoid.
// ref: torch/layers.py RGLRU (gate_x, gate_a)
void rgLruGates(Runtime::Impl& runtime, const RecurrentWeights& weights, const float* conv, int64_t rows, float* gateX,
                float* gateA) {
    blockDiagonalForward(runtime, weights.inputGateWeight, weights.inputGateBias, conv, rows, gateX);
    blockDiagonalForward(runtime, weights.recurrentGateWeight, weights.recurrentGateBias, conv, rows, gateA);
    const MatmulKernels& kernels = *runtime.kernels;
    forSlices(static_cast<std::size_t>(rows * weights.recurrentParam.size()), [&](std::size_t begin, int64_t n) {
        sigmoidRows(kernels, gateX + begin, n);
        sigmoidRows(kernels, gateA + begin, n);
    });
}

}  // namespace

void recurrentBlockForward(Runtime::Impl& runtime, const ModelConfig& config, const RecurrentWeights& weights,
                           RecurrentLayerState& state, int64_t firstPosition, const float* input, int64_t tokens,
                           float* output) {
    Workspace& ws = runtime.workspace;
    const int64_t lru = config.lruWidth;
    const auto count = static_cast<std::size_t>(tokens * lru);
    float* y = ensure(ws.a, count);      // [T, lru] gelu(linear_y(x))
    float* u = ensure(ws.b, count);      // [T, lru] linear_x(x), then conv, then RG-LRU output
    float* conv = ensure(ws.c, count);   // [T, lru] conv output
    float* gateA = ensure(ws.d, count);  // [T, lru]

    linearForward(runtime, {{weights.linearY, y}, {weights.linearX, u}}, input, tokens);
    const MatmulKernels& kernels = *runtime.kernels;
    forSlices(count, [&](std::size_t begin, int64_t n) { geluTanhRows(kernels, y + begin, nullptr, n); });

    conv1dForward(weights.convWeight, weights.convBias, config.convWidth, lru, u, tokens, state.conv.data(), conv);

    // Gates from the conv output; `u` is free again and takes the input gate.
    float* gateX = u;
    rgLruGates(runtime, weights, conv, tokens, gateX, gateA);
    tbb::parallel_for(tbb::blocked_range<int64_t>(0, lru, 256), [&](const tbb::blocked_range<int64_t>& channels) {
        rgLruScanChannels(weights.recurrentParam, gateX, gateA, firstPosition, tokens, lru, state.h.data(), conv,
                          channels.begin(), channels.end());
    });

    for (std::size_t i = 0; i < count; ++i) conv[i] *= y[i];
    linearForward(runtime, weights.linearOut, conv, tokens, output);
}

void recurrentBlockBatch(Runtime::Impl& runtime, const ModelConfig& config, const RecurrentWeights& weights,
                         const BatchStep& batch, const float* input, float* output) {
    Workspace& ws = runtime.workspace;
    const int64_t lru = config.lruWidth, rows = batch.size();
    const auto count = static_cast<std::size_t>(rows * lru);
    float* y = ensure(ws.a, count);      // [B, lru] gelu(linear_y(x))
    float* u = ensure(ws.b, count);      // [B, lru] linear_x(x), then the input gate
    float* conv = ensure(ws.c, count);   // [B, lru] conv output, then RG-LRU output
    float* gateA = ensure(ws.d, count);  // [B, lru]

    linearForward(runtime, {{weights.linearY, y}, {weights.linearX, u}}, input, rows);
    const MatmulKernels& kernels = *runtime.kernels;
    forSlices(count, [&](std::size_t begin, int64_t n) { geluTanhRows(kernels, y + begin, nullptr, n); });
    tbb::parallel_for(int64_t{0}, rows, [&](int64_t b) {
        conv1dForward(weights.convWeight, weights.convBias, config.convWidth, lru, u + b * lru, 1,
                      batch.layerState(b).recurrent.conv.data(), conv + b * lru);
    });

    // The gates act on each row alone, so the batch's rows go through them together.
    float* gateX = u;
    rgLruGates(runtime, weights, conv, rows, gateX, gateA);
    // Each sequence's recurrence at its own position (position 0 resets it), channels sliced as in a prefill.
    constexpr int64_t kChannels = 256;
    const int64_t slices = (lru + kChannels - 1) / kChannels;
    tbb::parallel_for(int64_t{0}, rows * slices, [&](int64_t task) {
        const int64_t b = task / slices, c0 = task % slices * kChannels;
        rgLruScanChannels(weights.recurrentParam, gateX + b * lru, gateA + b * lru,
                          batch.positions[static_cast<std::size_t>(b)], 1, lru, batch.layerState(b).recurrent.h.data(),
                          conv + b * lru, c0, std::min(lru, c0 + kChannels));
    });

    for (std::size_t i = 0; i < count; ++i) conv[i] *= y[i];
    linearForward(runtime, weights.linearOut, conv, rows, output);
}

}  // namespace rgemma
