// rgemma/state.h — the fixed-size state of one conversation: what the model carries from token to token.
// Its size depends on the model only (the attention window bounds it), never on the conversation's length.
#pragma once

#include <cstdint>
#include <vector>

#include "rgemma/config.h"

namespace rgemma {

// ref: torch/modules.py RecurrentBlock cache (Conv1D state + RG-LRU state)
struct RecurrentLayerState {
    std::vector<float> conv;  // [conv_width - 1, lru]: the last linear_x outputs, oldest first, zeros initially
    std::vector<float> h;     // [lru]: the RG-LRU hidden state, f32 as in the reference
};

// ref: torch/modules.py LocalAttentionBlock cache. Slot of position p is p % W; keys are stored after RoPE.
struct AttentionLayerState {
    std::vector<float> keys;    // [W, head_dim]
    std::vector<float> values;  // [W, head_dim]
};

struct LayerState {
    BlockType type = BlockType::Recurrent;
    RecurrentLayerState recurrent;  // used when type == Recurrent
    AttentionLayerState attention;  // used when type == Attention
};

class State {
  public:
    // A fresh state for `config`: position 0, everything zero.
    explicit State(const ModelConfig& config);

    State(State&&) noexcept = default;
    State& operator=(State&&) noexcept = default;
    // Copies are explicit (fork) so their cost is visible.
    State(const State&) = delete;
    State& operator=(const State&) = delete;

    // A deep copy: for regenerate, edit and branching, with no recomputation.
    State fork() const;
    // Back to position 0 and zeros, keeping the allocations.
    void reset();

    // The next position to be fed: the number of tokens this state has consumed.
    int64_t position = 0;
    std::vector<LayerState> layers;

    // True if the layer layout and sizes match `config`.
    bool matches(const ModelConfig& config) const;
    // Bytes of the state's tensors in memory.
    uint64_t byteSize() const;

  private:
    State() = default;
};

// The byteSize() a State for `config` has, without allocating one: what a list of models not loaded shows (a
// hostile config.json may ask for terabytes).
uint64_t stateByteSize(const ModelConfig& config);

}  // namespace rgemma
