// checkpoint_schema.cpp — the tensors of a RecurrentGemma checkpoint, per layer kind, with the fields they bind to.
// ref: torch/modules.py (RecurrentBlock, LocalAttentionBlock, MLPBlock, ResidualBlock), torch/griffin.py, and the
// Hugging Face names of docs/checkpoint-format.md §3.
#include "checkpoint/checkpoint_schema.h"

#include "kernels/q4_format.h"
#include "rgemma/checkpoint.h"

namespace rgemma {

namespace {

using Visit = std::function<void(const TensorSpec&, TensorField)>;

// A dense layer: "<prefix>.weight" [out, in] and, where it has one, "<prefix>.bias" [out].
void visitLinear(const Visit& visit, const std::string& prefix, int64_t out, int64_t in, bool hasBias,
                 LinearWeights& w) {
    visit({prefix + ".weight", {out, in}, TensorRole::Linear}, MatrixField{&w.weight, &w.scale, &w.q4Headers});
    if (hasBias) visit({prefix + ".bias", {out}, TensorRole::Bias}, &w.bias);
}

// ref: torch/modules.py RecurrentBlock, torch/layers.py Conv1D and RGLRU
void visitRecurrent(const Visit& visit, const ModelConfig& c, const std::string& t, RecurrentWeights& w) {
    const int64_t d = c.hiddenSize, lru = c.lruWidth, heads = c.numHeads, block = c.lruWidth / c.numHeads;
    visitLinear(visit, t + "linear_y", lru, d, true, w.linearY);
    visitLinear(visit, t + "linear_x", lru, d, true, w.linearX);
    visitLinear(visit, t + "linear_out", d, lru, true, w.linearOut);
    visit({t + "conv_1d.weight", {lru, 1, c.convWidth}, TensorRole::ConvWeight}, &w.convWeight);
    visit({t + "conv_1d.bias", {lru}, TensorRole::ConvBias}, &w.convBias);
    visit({t + "rg_lru.recurrent_param", {lru}, TensorRole::RecurrentParam}, &w.recurrentParam);
    visit({t + "rg_lru.input_gate_weight", {heads, block, block}, TensorRole::GateWeight},
          MatrixField{&w.inputGateWeight, nullptr, nullptr});
    visit({t + "rg_lru.input_gate_bias", {heads, block}, TensorRole::GateBias}, &w.inputGateBias);
    visit({t + "rg_lru.recurrent_gate_weight", {heads, block, block}, TensorRole::GateWeight},
          MatrixField{&w.recurrentGateWeight, nullptr, nullptr});
    visit({t + "rg_lru.recurrent_gate_bias", {heads, block}, TensorRole::GateBias}, &w.recurrentGateBias);
}

// ref: torch/modules.py LocalAttentionBlock (multi-query: one key/value head)
void visitAttention(const Visit& visit, const ModelConfig& c, const std::string& t, AttentionWeights& w) {
    const int64_t d = c.hiddenSize, qWidth = c.numHeads * c.headDim, kvWidth = c.numKvHeads * c.headDim;
    visitLinear(visit, t + "q_proj", qWidth, d, false, w.q);
    visitLinear(visit, t + "k_proj", kvWidth, d, false, w.k);
    visitLinear(visit, t + "v_proj", kvWidth, d, false, w.v);
    visitLinear(visit, t + "o_proj", d, qWidth, true, w.o);
}

// ref: torch/modules.py MLPBlock (HF gate_proj = ffw_up branch 0, up_proj = branch 1)
void visitMlp(const Visit& visit, const ModelConfig& c, const std::string& p, MlpWeights& w) {
    visitLinear(visit, p + "gate_proj", c.mlpWidth, c.hiddenSize, true, w.gate);
    visitLinear(visit, p + "up_proj", c.mlpWidth, c.hiddenSize, true, w.up);
    visitLinear(visit, p + "down_proj", c.hiddenSize, c.mlpWidth, true, w.down);
}

// ref: torch/modules.py ResidualBlock: temporal pre-norm, temporal block, channel pre-norm, MLP.
void visitLayer(const Visit& visit, const ModelConfig& c, int64_t index, LayerWeights& layer) {
    const std::string p = "model.layers." + std::to_string(index) + ".";
    layer.type = c.blocks[static_cast<std::size_t>(index)];
    visit({p + "temporal_pre_norm.weight", {c.hiddenSize}, TensorRole::Norm}, &layer.temporalPreNorm);
    if (layer.type == BlockType::Recurrent) {
        visitRecurrent(visit, c, p + "temporal_block.", layer.recurrent);
    } else {
        visitAttention(visit, c, p + "temporal_block.", layer.attention);
    }
    visit({p + "channel_pre_norm.weight", {c.hiddenSize}, TensorRole::Norm}, &layer.channelPreNorm);
    visitMlp(visit, c, p + "mlp_block.", layer.mlp);
}

}  // namespace

bool isQuantizable(TensorRole role) { return role == TensorRole::Embedding || role == TensorRole::Linear; }
bool isQ4Quantizable(TensorRole role) { return role == TensorRole::Linear; }

void forEachTensor(const ModelConfig& config, ModelWeights& weights, const Visit& visit) {
    visit({std::string(kEmbeddingTensor), {config.vocabSize, config.hiddenSize}, TensorRole::Embedding},
          MatrixField{&weights.embedTokens, &weights.embedTokensScale, nullptr});
    weights.layers.resize(static_cast<std::size_t>(config.numLayers));
    for (int64_t i = 0; i < config.numLayers; ++i)
        visitLayer(visit, config, i, weights.layers[static_cast<std::size_t>(i)]);
    visit({"model.final_norm.weight", {config.hiddenSize}, TensorRole::Norm}, &weights.finalNorm);
}

std::vector<TensorSpec> checkpointTensors(const ModelConfig& config) {
    ModelWeights unused;  // only the specs are kept
    std::vector<TensorSpec> specs;
    forEachTensor(config, unused, [&](const TensorSpec& spec, TensorField) { specs.push_back(spec); });
    return specs;
}

std::string blockScaleName(std::string_view matrix) { return std::string(matrix) + "_scale"; }

std::vector<int64_t> blockScaleShape(const std::vector<int64_t>& matrixShape) {
    return {matrixShape.at(0), i8Blocks(matrixShape.at(1))};
}

std::vector<int64_t> q4NibbleShape(const std::vector<int64_t>& matrixShape) {
    return {matrixShape.at(0), q4RowBytes(matrixShape.at(1))};
}

std::vector<int64_t> q4HeaderShape(const std::vector<int64_t>& matrixShape) {
    return {matrixShape.at(0), q4SuperBlocks(matrixShape.at(1)), kQ4HeaderBytes};
}

}  // namespace rgemma
