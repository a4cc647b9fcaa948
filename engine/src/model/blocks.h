// blocks.h — the three blocks of a Griffin residual layer, each over a chunk of `tokens` consecutive positions
// starting at `firstPosition`, reading `input` [tokens, D] (already RMS-normed) and writing `output` [tokens, D].
// Must be called inside runtime.arena.
#pragma once

#include <cstdint>

#include "checkpoint/model_weights.h"
#include "rgemma/config.h"
#include "rgemma/state.h"
#include "runtime/runtime_impl.h"

namespace rgemma {

// ref: torch/modules.py RecurrentBlock.forward: out = linear_out(RG_LRU(Conv1D(linear_x(x))) ⊙ gelu(linear_y(x)))
void recurrentBlockForward(Runtime::Impl& runtime, const ModelConfig& config, const RecurrentWeights& weights,
                           RecurrentLayerState& state, int64_t firstPosition, const float* input, int64_t tokens,
                           float* output);

// ref: torch/modules.py LocalAttentionBlock.forward: multi-query attention over a window of W previous keys
// plus the current one, keys cached after RoPE in a ring buffer (slot = position % W).
void attentionBlockForward(Runtime::Impl& runtime, const ModelConfig& config, const AttentionWeights& weights,
                           AttentionLayerState& state, int64_t firstPosition, const float* input, int64_t tokens,
                           float* output);

// ref: torch/modules.py MLPBlock.forward: down(gelu(gate(x)) ⊙ up(x))
void mlpBlockForward(Runtime::Impl& runtime, const MlpWeights& weights, const float* input, int64_t tokens,
                     float* output);

}  // namespace rgemma
