// random_config.cpp — the config.json of the shapes `rgemma make-random` writes (docs/checkpoint-format.md §2).
#include "random_config.h"

#include <nlohmann/json.hpp>

namespace rgemma::cli {

std::string randomConfigJson(std::string_view shape, DType dtype) {
    struct Shape {
        std::string_view name;
        int64_t hidden, intermediate, heads, headDim, lru, layers, window, vocab;
        const char* patternKey;  // the published 2B spells it "_block_types"
    };
    static constexpr Shape kShapes[] = {
        {"2b", 2560, 15360, 10, 256, 2560, 26, 2048, 256000, "_block_types"},
        {"9b", 4096, 24576, 16, 256, 4096, 38, 2048, 256000, "block_types"},
        {"tiny", 96, 576, 3, 32, 96, 5, 8, 1000, "block_types"},
    };
    const Shape* s = nullptr;
    for (const Shape& candidate : kShapes) {
        if (candidate.name == shape) s = &candidate;
    }
    if (s == nullptr) return {};
    nlohmann::ordered_json c;
    c["architectures"] = {"RecurrentGemmaForCausalLM"};
    c["model_type"] = "recurrent_gemma";
    c[s->patternKey] = {"recurrent", "recurrent", "attention"};
    c["attention_bias"] = false;
    c["attention_dropout"] = 0.0;
    c["attention_window_size"] = s->window;
    c["bos_token_id"] = 2;
    c["conv1d_width"] = 4;
    c["embeddings_scale_by_sqrt_dim"] = true;
    c["eos_token_id"] = 1;
    c["head_dim"] = s->headDim;
    c["hidden_activation"] = "gelu_pytorch_tanh";
    c["hidden_size"] = s->hidden;
    c["intermediate_size"] = s->intermediate;
    c["logits_soft_cap"] = 30.0;
    c["lru_width"] = s->lru;
    c["num_attention_heads"] = s->heads;
    c["num_hidden_layers"] = s->layers;
    c["num_key_value_heads"] = 1;
    c["pad_token_id"] = 0;
    c["partial_rotary_factor"] = 0.5;
    c["rms_norm_eps"] = 1e-06;
    c["rope_theta"] = 10000.0;
    c["tie_word_embeddings"] = true;
    c["torch_dtype"] = dtype == DType::BF16 ? "bfloat16" : "float32";
    c["use_cache"] = true;
    c["vocab_size"] = s->vocab;
    return c.dump(2) + "\n";
}

}  // namespace rgemma::cli
