// checkpoint_schema.h — the one table of the tensors a config implies (docs/checkpoint-format.md §3): each tensor's
// name, shape and role, and the field of ModelWeights it binds to (as gemma.cpp's ForEachTensor). Binding and
// validation (model_weights.cpp), quantization (quantize.cpp) and random checkpoints (random_weights.cpp) all read it;
// nothing else spells a tensor's name or shape.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "checkpoint/model_weights.h"
#include "rgemma/config.h"

namespace rgemma {

enum class TensorRole {
    Embedding,       // the token embedding [V, D], also the output layer
    Linear,          // a dense layer's weight [out, in] (nn.Linear layout)
    Bias,            // a dense layer's bias [out]
    Norm,            // an RMSNorm's scale [D]; the multiplier is 1 + scale
    ConvWeight,      // the depthwise conv's taps [L, 1, K]
    ConvBias,        // [L]
    RecurrentParam,  // the RG-LRU's a-param [L]
    GateWeight,      // an RG-LRU gate's block-diagonal matrix [H, B, B], used as x_h · W[h]
    GateBias,        // [H, B]
};

struct TensorSpec {
    std::string name;
    std::vector<int64_t> shape;
    TensorRole role;
};

// Whether a role may be stored quantized (I8 with block scales, §5): the dense matrices and the embedding. Their
// tensors are used in place from the mapping, as are the gate matrices; every other role is a vector converted to
// f32 once at load.
bool isQuantizable(TensorRole role);
// Whether a role may be stored in 4 bits (Q4K, §7): the dense matrices only (the embedding stays I8 or float: the
// mixed scheme keeps it at 8 bits, and its row lookup reads one dtype per element).
bool isQ4Quantizable(TensorRole role);

// Where a tensor goes when bound: a matrix used in place (with its block scales, where its role is quantizable), or
// a vector converted to f32.
struct MatrixField {
    TensorView* view;
    std::vector<float>* scales;           // null where the role is not quantizable
    const uint8_t** q4Headers = nullptr;  // null where the role may not be Q4K
};
using TensorField = std::variant<MatrixField, std::vector<float>*>;

// Calls `visit(spec, field)` for every tensor of `config`, in the order save_pretrained writes them: the embedding,
// then layer by layer the temporal pre-norm, the temporal block's tensors, the channel pre-norm and the MLP's, then
// the final norm; `weights` gets one LayerWeights per layer, with its type, and `field` points into it.
// `config` must be consistent (as parseModelConfig returns it: a block type per layer, heads dividing lru_width).
void forEachTensor(const ModelConfig& config, ModelWeights& weights,
                   const std::function<void(const TensorSpec& spec, TensorField field)>& visit);

// The table alone: every tensor of `config`, in the same order.
std::vector<TensorSpec> checkpointTensors(const ModelConfig& config);

// The tensor holding a quantized matrix's block scales: "<name>_scale", F32 [rows, ceil(in / 32)] (§5).
std::string blockScaleName(std::string_view matrix);
std::vector<int64_t> blockScaleShape(const std::vector<int64_t>& matrixShape);
// A Q4K matrix [rows, in] as stored (§7): "<name>" U8 [rows, ceil(in / 2)], "<name>_scale" U8 [rows,
// ceil(in / 256), 16].
std::vector<int64_t> q4NibbleShape(const std::vector<int64_t>& matrixShape);
std::vector<int64_t> q4HeaderShape(const std::vector<int64_t>& matrixShape);

}  // namespace rgemma
