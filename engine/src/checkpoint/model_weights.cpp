// engine/src/checkpoint/model_weights.cpp — binds the Hugging Face tensor names of docs/checkpoint-format.md §3 to the
// roles of the forward pass, checking every shape against config.json; converts the small vectors to f32 once.
#include "checkpoint/model_weights.h"

#include <charconv>

#include "io/dtype_convert.h"

namespace rgemma {

namespace {

using Shape = std::vector<int64_t>;

std::string shapeText(const Shape& shape) {
    std::string text = "[";
    for (std::size_t i = 0; i < shape.size(); ++i) text += (i > 0 ? ", " : "") + std::to_string(shape[i]);
    return text + "]";
}

// Looks tensors up and checks their shapes. A missing tensor is a broken checkpoint; a tensor of another shape
// means config.json describes a different model than the weights.
class Binder {
  public:
    explicit Binder(const WeightStore& store) : m_store(store) {
        if (!store.files().empty()) m_folder = " in '" + store.files().front().parent_path().string() + "'";
    }

    // `quantizable`: the role accepts I8 (the dense matrices and the embedding); elsewhere I8 is an error.
    Result<TensorView> matrix(const std::string& name, const Shape& expected, bool quantizable = false) const {
        const TensorView* tensor = m_store.find(name);
        if (tensor == nullptr) {
            return makeError(ErrorCode::InvalidCheckpoint, "checkpoint" + m_folder + " has no tensor '" + name + "'");
        }
        if (tensor->shape != expected) {
            return makeError(ErrorCode::InvalidConfig, "config.json disagrees with tensor '" + name + "': expected " +
                                                           shapeText(expected) + ", found " + shapeText(tensor->shape));
        }
        if (tensor->dtype == DType::I8 && !quantizable) {
            return makeError(ErrorCode::InvalidCheckpoint,
                             "tensor '" + name + "' is I8, but only dense matrices and the embedding may be quantized");
        }
        return *tensor;
    }

    // The block scales of an I8 matrix [out, in]: the tensor "<name>_scale" [out, in / 32]; empty for a float one.
    Result<std::vector<float>> blockScales(const TensorView& matrix) const {
        if (matrix.dtype != DType::I8) return std::vector<float>{};
        return vector(matrix.name + "_scale", {matrix.shape[0], i8Blocks(matrix.shape[1])});
    }

    Result<std::vector<float>> vector(const std::string& name, const Shape& expected) const {
        auto tensor = matrix(name, expected);
        if (!tensor) return tl::unexpected(tensor.error());
        std::vector<float> values(static_cast<std::size_t>(tensor->numel()));
        convertToFloat(tensor->dtype, tensor->data, values.data(), tensor->numel());
        return values;
    }

    Result<LinearWeights> linear(const std::string& prefix, int64_t out, int64_t in, bool hasBias) const {
        LinearWeights linear;
        auto weight = matrix(prefix + ".weight", {out, in}, true);
        if (!weight) return tl::unexpected(weight.error());
        linear.weight = std::move(*weight);
        auto scale = blockScales(linear.weight);
        if (!scale) return tl::unexpected(scale.error());
        linear.scale = std::move(*scale);
        if (hasBias) {
            auto bias = vector(prefix + ".bias", {out});
            if (!bias) return tl::unexpected(bias.error());
            linear.bias = std::move(*bias);
        }
        return linear;
    }

  private:
    const WeightStore& m_store;
    std::string m_folder;  // " in '<dir>'" for messages, empty for a store without files
};

// Assigns a bound value or returns its error from the enclosing function.
#define RG_BIND(target, expression)                         \
    do {                                                    \
        auto bound_ = (expression);                         \
        if (!bound_) return tl::unexpected(bound_.error()); \
        (target) = std::move(*bound_);                      \
    } while (false)

// ref: torch/modules.py RecurrentBlock; the conv taps are re-laid out [lru, 1, width] -> [width][lru] so that the
// step kernel reads one contiguous row per tap.
Result<RecurrentWeights> bindRecurrent(const Binder& b, const ModelConfig& c, const std::string& p) {
    const int64_t lru = c.lruWidth, d = c.hiddenSize, heads = c.numHeads, block = c.lruWidth / c.numHeads;
    RecurrentWeights w;
    RG_BIND(w.linearY, b.linear(p + "linear_y", lru, d, true));
    RG_BIND(w.linearX, b.linear(p + "linear_x", lru, d, true));
    RG_BIND(w.linearOut, b.linear(p + "linear_out", d, lru, true));
    std::vector<float> conv;  // [lru][width] as stored
    RG_BIND(conv, b.vector(p + "conv_1d.weight", {lru, 1, c.convWidth}));
    w.convWeight.resize(conv.size());
    for (int64_t ch = 0; ch < lru; ++ch) {
        for (int64_t k = 0; k < c.convWidth; ++k) w.convWeight[k * lru + ch] = conv[ch * c.convWidth + k];
    }
    RG_BIND(w.convBias, b.vector(p + "conv_1d.bias", {lru}));
    RG_BIND(w.recurrentParam, b.vector(p + "rg_lru.recurrent_param", {lru}));
    RG_BIND(w.inputGateWeight, b.matrix(p + "rg_lru.input_gate_weight", {heads, block, block}));
    RG_BIND(w.inputGateBias, b.vector(p + "rg_lru.input_gate_bias", {heads, block}));
    RG_BIND(w.recurrentGateWeight, b.matrix(p + "rg_lru.recurrent_gate_weight", {heads, block, block}));
    RG_BIND(w.recurrentGateBias, b.vector(p + "rg_lru.recurrent_gate_bias", {heads, block}));
    return w;
}

// ref: torch/modules.py LocalAttentionBlock (multi-query: one key/value head)
Result<AttentionWeights> bindAttention(const Binder& b, const ModelConfig& c, const std::string& p) {
    const int64_t d = c.hiddenSize, qWidth = c.numHeads * c.headDim, kvWidth = c.numKvHeads * c.headDim;
    AttentionWeights w;
    RG_BIND(w.q, b.linear(p + "q_proj", qWidth, d, false));
    RG_BIND(w.k, b.linear(p + "k_proj", kvWidth, d, false));
    RG_BIND(w.v, b.linear(p + "v_proj", kvWidth, d, false));
    RG_BIND(w.o, b.linear(p + "o_proj", d, qWidth, true));
    return w;
}

// ref: torch/modules.py MLPBlock
Result<MlpWeights> bindMlp(const Binder& b, const ModelConfig& c, const std::string& p) {
    MlpWeights w;
    RG_BIND(w.gate, b.linear(p + "gate_proj", c.mlpWidth, c.hiddenSize, true));
    RG_BIND(w.up, b.linear(p + "up_proj", c.mlpWidth, c.hiddenSize, true));
    RG_BIND(w.down, b.linear(p + "down_proj", c.hiddenSize, c.mlpWidth, true));
    return w;
}

Result<LayerWeights> bindLayer(const Binder& b, const ModelConfig& c, int64_t index) {
    const std::string p = "model.layers." + std::to_string(index) + ".";
    LayerWeights layer;
    layer.type = c.blocks[static_cast<std::size_t>(index)];
    RG_BIND(layer.temporalPreNorm, b.vector(p + "temporal_pre_norm.weight", {c.hiddenSize}));
    RG_BIND(layer.channelPreNorm, b.vector(p + "channel_pre_norm.weight", {c.hiddenSize}));
    if (layer.type == BlockType::Recurrent) {
        RG_BIND(layer.recurrent, bindRecurrent(b, c, p + "temporal_block."));
    } else {
        RG_BIND(layer.attention, bindAttention(b, c, p + "temporal_block."));
    }
    RG_BIND(layer.mlp, bindMlp(b, c, p + "mlp_block."));
    return layer;
}

#undef RG_BIND

// A tensor of a layer the config does not have means num_hidden_layers is too small: the extra layers would be
// silently skipped and the output garbage, so it is an error rather than an ignored extra.
Result<void> checkNoExtraLayers(const ModelConfig& config, const WeightStore& store) {
    const std::string_view prefix = "model.layers.";
    for (const TensorView* tensor : store.tensors()) {
        const std::string_view name = tensor->name;
        if (name.substr(0, prefix.size()) != prefix) continue;
        int64_t index = 0;
        const char* first = name.data() + prefix.size();
        const auto [end, ec] = std::from_chars(first, name.data() + name.size(), index);
        if (ec == std::errc() && end != first && *end == '.' && index >= config.numLayers) {
            return makeError(ErrorCode::InvalidConfig, "config.json disagrees with tensor '" + tensor->name +
                                                           "': num_hidden_layers is " +
                                                           std::to_string(config.numLayers) +
                                                           " but the checkpoint has layer " + std::to_string(index));
        }
    }
    return {};
}

}  // namespace

Result<ModelWeights> bindModelWeights(const ModelConfig& config, const WeightStore& store) {
    if (static_cast<int64_t>(config.blocks.size()) != config.numLayers || config.numHeads <= 0 ||
        config.lruWidth % config.numHeads != 0) {
        return makeError(ErrorCode::InvalidConfig, "model config is inconsistent (was it parsed from config.json?)");
    }
    const Binder binder(store);
    ModelWeights weights;
    const Shape embedShape{config.vocabSize, config.hiddenSize};
    auto embed = binder.matrix("model.embed_tokens.weight", embedShape, true);
    if (!embed) return tl::unexpected(embed.error());
    weights.embedTokens = std::move(*embed);
    auto embedScales = binder.blockScales(weights.embedTokens);
    if (!embedScales) return tl::unexpected(embedScales.error());
    weights.embedTokensScale = std::move(*embedScales);
    // save_pretrained drops the tied copy; if one is present it must at least be the embedding's shape.
    if (store.find("lm_head.weight") != nullptr) {
        if (auto head = binder.matrix("lm_head.weight", embedShape, true); !head) {
            return tl::unexpected(head.error());
        }
    }
    auto finalNorm = binder.vector("model.final_norm.weight", {config.hiddenSize});
    if (!finalNorm) return tl::unexpected(finalNorm.error());
    weights.finalNorm = std::move(*finalNorm);

    weights.layers.reserve(static_cast<std::size_t>(config.numLayers));
    for (int64_t i = 0; i < config.numLayers; ++i) {
        auto layer = bindLayer(binder, config, i);
        if (!layer) return tl::unexpected(layer.error());
        weights.layers.push_back(std::move(*layer));
    }
    if (auto ok = checkNoExtraLayers(config, store); !ok) return tl::unexpected(ok.error());
    return weights;
}

}  // namespace rgemma
