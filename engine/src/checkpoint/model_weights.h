// model_weights.h — the checkpoint's tensors bound to the roles the forward pass uses, checked against the config.
// Matrices stay in the mapping in their stored dtype; small vectors (norm scales, biases, conv taps, a_param) are
// converted to f32 once at load.
#pragma once

#include <vector>

#include "io/tensor_view.h"
#include "io/weight_store.h"
#include "rgemma/config.h"
#include "rgemma/error.h"

namespace rgemma {

// y = x W^T + b, W stored [out, in] (nn.Linear layout).
struct LinearWeights {
    TensorView weight;           // [out, in]; Q4K: a view [out, in] of the stored U8 nibbles [out, ceil(in / 2)]
    std::vector<float> bias;     // [out], empty when the layer has no bias
    std::vector<float> scale{};  // [out, in / 32] when weight is I8 (dtype.h), else empty
    const uint8_t* q4Headers = nullptr;  // [out, q4SuperBlocks(in), 16] in the mapping when weight is Q4K, else null
    int64_t outFeatures() const { return weight.shape[0]; }
    int64_t inFeatures() const { return weight.shape[1]; }
};

// ref: torch/modules.py RecurrentBlock, torch/layers.py Conv1D and RGLRU
struct RecurrentWeights {
    LinearWeights linearY;                 // linear_y:   [lru, D] + bias [lru]
    LinearWeights linearX;                 // linear_x:   [lru, D] + bias [lru]
    LinearWeights linearOut;               // linear_out: [D, lru] + bias [D]
    std::vector<float> convWeight;         // conv_1d.weight [lru, 1, width] re-laid out as [width][lru]: w[k][c]
    std::vector<float> convBias;           // conv_1d.bias [lru]
    std::vector<float> recurrentParam;     // rg_lru.recurrent_param [lru] (a_param, raw)
    TensorView inputGateWeight;            // rg_lru.input_gate_weight [H, bw, bw], used as x_block @ W[h]
    std::vector<float> inputGateBias;      // rg_lru.input_gate_bias [H, bw] flattened
    TensorView recurrentGateWeight;        // rg_lru.recurrent_gate_weight [H, bw, bw]
    std::vector<float> recurrentGateBias;  // rg_lru.recurrent_gate_bias [H, bw] flattened
};

// ref: torch/modules.py LocalAttentionBlock
struct AttentionWeights {
    LinearWeights q;  // q_proj: [H*hd, D], no bias
    LinearWeights k;  // k_proj: [hd, D], no bias
    LinearWeights v;  // v_proj: [hd, D], no bias
    LinearWeights o;  // o_proj: [D, H*hd] + bias [D]
};

// ref: torch/modules.py MLPBlock (HF gate_proj = ffw_up branch 0, up_proj = branch 1)
struct MlpWeights {
    LinearWeights gate;  // gate_proj: [F, D] + bias [F]
    LinearWeights up;    // up_proj:   [F, D] + bias [F]
    LinearWeights down;  // down_proj: [D, F] + bias [D]
};

struct LayerWeights {
    BlockType type = BlockType::Recurrent;
    std::vector<float> temporalPreNorm;  // temporal_pre_norm.weight [D] (stored scale; multiplier is 1 + scale)
    std::vector<float> channelPreNorm;   // channel_pre_norm.weight [D]
    RecurrentWeights recurrent;          // filled when type == Recurrent
    AttentionWeights attention;          // filled when type == Attention
    MlpWeights mlp;
};

struct ModelWeights {
    TensorView embedTokens;               // model.embed_tokens.weight [V, D], also the tied output layer
    std::vector<float> embedTokensScale;  // [V, D / 32] when embedTokens is I8, else empty
    std::vector<float> finalNorm;         // model.final_norm.weight [D]
    std::vector<LayerWeights> layers;
};

// Binds every tensor of the checkpoint table (checkpoint_schema.h) by its Hugging Face name, checking each one's
// presence, shape against `config` and dtype; an error names the tensor, the expected and the actual shape. An
// optional lm_head.weight must equal the embedding's shape (it is tied); a layer past num_hidden_layers is an error.
// A dense layer's U8 weight is bound as a Q4K view with its headers (docs/checkpoint-format.md §7).
Result<ModelWeights> bindModelWeights(const ModelConfig& config, const WeightStore& store);

}  // namespace rgemma
