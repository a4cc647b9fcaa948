// blocks.h — the three blocks of a Griffin residual layer, each over a chunk of `tokens` consecutive positions
// starting at `firstPosition`, reading `input` [tokens, D] (already RMS-normed) and writing `output` [tokens, D].
// Must be called inside runtime.arena.
#pragma once

#include <cstdint>
#include <span>

#include "checkpoint/model_weights.h"
#include "rgemma/config.h"
#include "rgemma/state.h"
#include "rgemma/tokenizer.h"
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

// A decode step of a batch: B sequences, one token each, row b of every [B, ...] buffer being sequence b at its own
// position with its own state. The dense products take the B rows at once (each weight read once for the batch);
// the recurrence and the attention run per sequence.
struct BatchStep {
    std::span<State* const> states;
    std::span<const int64_t> positions;  // states[b]->position before the step
    std::size_t layer = 0;               // the residual layer being run

    int64_t size() const { return static_cast<int64_t>(states.size()); }
    LayerState& layerState(int64_t b) const { return states[static_cast<std::size_t>(b)]->layers[layer]; }
};

// recurrentBlockForward for one token of each sequence of `batch`: input and output [B, D].
void recurrentBlockBatch(Runtime::Impl& runtime, const ModelConfig& config, const RecurrentWeights& weights,
                         const BatchStep& batch, const float* input, float* output);

// attentionBlockForward for one token of each sequence of `batch`: input and output [B, D].
void attentionBlockBatch(Runtime::Impl& runtime, const ModelConfig& config, const AttentionWeights& weights,
                         const BatchStep& batch, const float* input, float* output);

// x[t] = E[tokens[t]] · scale for `count` tokens (an I8 row dequantized with its block scales).
// ref: torch/modules.py Embedder.encode
void embedTokens(const ModelWeights& weights, const TokenId* tokens, int64_t count, float scale, float* x);

}  // namespace rgemma
