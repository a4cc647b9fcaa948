// recurrent_block.cpp — the recurrent temporal block: two branches, one through Conv1D and the RG-LRU.
// ref: torch/modules.py RecurrentBlock
#include "blocks.h"
#include "linear.h"
#include "ops.h"

namespace rgemma {

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

    linearForward(runtime, weights.linearY.weight, weights.linearY.bias, input, tokens, y);
    for (std::size_t i = 0; i < count; ++i) y[i] = geluTanh(y[i]);

    linearForward(runtime, weights.linearX.weight, weights.linearX.bias, input, tokens, u);
    conv1dForward(weights.convWeight, weights.convBias, config.convWidth, lru, u, tokens, state.conv.data(), conv);

    // Gates from the conv output; `u` is free again and takes the input gate.
    float* gateX = u;
    blockDiagonalForward(runtime, weights.inputGateWeight, weights.inputGateBias, conv, tokens, gateX);
    blockDiagonalForward(runtime, weights.recurrentGateWeight, weights.recurrentGateBias, conv, tokens, gateA);
    for (std::size_t i = 0; i < count; ++i) {
        gateX[i] = sigmoid(gateX[i]);
        gateA[i] = sigmoid(gateA[i]);
    }
    rgLruScan(weights.recurrentParam, gateX, gateA, firstPosition, tokens, lru, state.h.data(), conv);

    for (std::size_t i = 0; i < count; ++i) conv[i] *= y[i];
    linearForward(runtime, weights.linearOut.weight, weights.linearOut.bias, conv, tokens, output);
}

}  // namespace rgemma
