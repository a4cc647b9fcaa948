// rgemma/config.h — the hyper-parameters of a RecurrentGemma checkpoint, read from its Hugging Face config.json.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "rgemma/error.h"

namespace rgemma {

enum class BlockType { Recurrent, Attention };

struct ModelConfig {
    int64_t vocabSize = 0;             // vocab_size
    int64_t hiddenSize = 0;            // hidden_size, the residual width D
    int64_t lruWidth = 0;              // lru_width (absent or null: hidden_size)
    int64_t numHeads = 0;              // num_attention_heads; also the number of RG-LRU gate blocks
    int64_t headDim = 0;               // head_dim (absent: hidden_size / num_attention_heads)
    int64_t numKvHeads = 1;            // num_key_value_heads; must be 1 (multi-query attention)
    int64_t mlpWidth = 0;              // MLP branch width F = intermediate_size / 2 (HF convention)
    int64_t numLayers = 0;             // num_hidden_layers
    std::vector<BlockType> blocks;     // one per layer: block_types (or _block_types) cycled
    int64_t attentionWindow = 0;       // attention_window_size W; a query sees itself and W previous keys
    int64_t convWidth = 4;             // conv1d_width, temporal taps of the depthwise causal conv
    float logitsSoftCap = 30.0f;       // logits_soft_cap; 0 disables the cap
    float rmsNormEps = 1e-6f;          // rms_norm_eps
    float ropeTheta = 10000.0f;        // rope_theta
    float partialRotaryFactor = 0.5f;  // partial_rotary_factor: fraction of head_dim rotated by RoPE
    bool embedScaleBySqrtDim = true;   // embeddings_scale_by_sqrt_dim (absent: true)
    int32_t bosId = 2;                 // bos_token_id
    int32_t eosId = 1;                 // eos_token_id
    int32_t padId = 0;                 // pad_token_id

    int64_t numRecurrentLayers() const;
    int64_t numAttentionLayers() const;
};

// Parses the text of a config.json. `source` names the file in error messages.
Result<ModelConfig> parseModelConfig(std::string_view jsonText, std::string_view source);
// Reads and parses `path`.
Result<ModelConfig> loadModelConfig(const std::filesystem::path& path);

std::string_view blockTypeName(BlockType type);

}  // namespace rgemma
