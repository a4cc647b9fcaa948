// model.cpp — Model: loading a checkpoint folder, and the forward pass over a chunk of tokens.
// ref: torch/griffin.py Griffin.forward
#include "rgemma/model.h"

#include <algorithm>
#include <cstring>
#include <string>

#include "checkpoint/model_weights.h"
#include "io/dtype_convert.h"
#include "io/weight_store.h"
#include "layers/linear.h"
#include "layers/ops.h"
#include "model/blocks.h"
#include "runtime/runtime_impl.h"

namespace rgemma {

namespace {

// Tokens per prefill chunk: bounds the scratch memory ([chunk, F] floats) whatever the prompt's length.
constexpr int64_t kMaxChunk = 256;

int64_t countParameters(const WeightStore& store) {
    int64_t total = 0;
    for (const TensorView* tensor : store.tensors()) {
        // lm_head is tied to the embedding; "<name>_scale" holds an I8 matrix's scales or a Q4K matrix's headers, not
        // parameters; a Q4K matrix's U8 tensor holds two per byte.
        const bool scales = tensor->name.ends_with("_scale");
        const int64_t perElement = tensor->dtype == DType::U8 ? 2 : 1;
        if (tensor->name != kTiedOutputTensor && !scales) total += perElement * tensor->numel();
    }
    return total;
}

}  // namespace

void embedTokens(const ModelWeights& weights, const TokenId* tokens, int64_t count, float scale, float* x) {
    const TensorView& table = weights.embedTokens;
    const std::span<const float> blockScales = weights.embedTokensScale;
    const int64_t width = table.shape[1];
    const std::size_t rowBytes = static_cast<std::size_t>(width) * dtypeSize(table.dtype);
    for (int64_t t = 0; t < count; ++t) {
        const auto* row = static_cast<const std::byte*>(table.data) + static_cast<std::size_t>(tokens[t]) * rowBytes;
        float* out = x + t * width;
        const float* scales = blockScales.empty() ? nullptr : blockScales.data() + tokens[t] * i8Blocks(width);
        convertRowsToFloat(table.dtype, row, scales, width, 1, out);
        for (int64_t i = 0; i < width; ++i) out[i] *= scale;
    }
}

Model::~Model() = default;

Result<std::unique_ptr<Model>> Model::load(const std::filesystem::path& dir) {
    auto config = loadModelConfig(dir / "config.json");
    if (!config) return tl::unexpected(config.error());
    auto checkpoint = CheckpointFiles::open(dir);
    if (!checkpoint) return tl::unexpected(checkpoint.error());
    auto model = std::unique_ptr<Model>(new Model());
    model->m_config = std::move(*config);
    model->m_checkpoint = std::make_unique<CheckpointFiles>(std::move(*checkpoint));
    auto weights = bindModelWeights(model->m_config, model->store());
    if (!weights) return tl::unexpected(weights.error());
    model->m_weights = std::make_unique<ModelWeights>(std::move(*weights));

    ModelInfo& info = model->m_info;
    info.directory = dir;
    info.name = std::filesystem::absolute(dir).lexically_normal().filename().string();
    if (info.name.empty()) info.name = std::filesystem::absolute(dir).lexically_normal().parent_path().filename();
    info.dtype = model->m_weights->embedTokens.dtype;
    info.parameterCount = countParameters(model->store());
    info.weightBytes = model->m_checkpoint->totalBytes();
    info.stateBytes = model->newState().byteSize();
    info.fingerprint = model->m_checkpoint->fingerprint(model->m_config);
    return model;
}

Result<void> Model::forward(Runtime& runtime, State& state, std::span<const TokenId> tokens, LogitsMode mode,
                            std::vector<float>& logits, const std::atomic<bool>* cancel) const {
    if (!state.matches(m_config)) {
        return makeError(ErrorCode::InvalidState, "the state does not belong to this model's layout");
    }
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        if (tokens[i] < 0 || tokens[i] >= m_config.vocabSize) {
            return makeError(ErrorCode::InvalidArgument, "token id " + std::to_string(tokens[i]) + " at index " +
                                                             std::to_string(i) + " is outside the vocabulary [0, " +
                                                             std::to_string(m_config.vocabSize) + ")");
        }
    }
    const auto total = static_cast<int64_t>(tokens.size());
    const int64_t vocab = m_config.vocabSize;
    switch (mode) {
        case LogitsMode::None:
            logits.clear();
            break;
        case LogitsMode::Last:
            logits.assign(total > 0 ? static_cast<std::size_t>(vocab) : 0, 0.0f);
            break;
        case LogitsMode::AllPositions:
            logits.assign(static_cast<std::size_t>(total * vocab), 0.0f);
            break;
    }

    Runtime::Impl& rt = runtime.impl();
    Workspace& ws = rt.workspace;
    const int64_t width = m_config.hiddenSize;
    const float scale = embedScale(width, m_config.embedScaleBySqrtDim);
    bool cancelled = false;
    rt.arena.execute([&] {
        for (int64_t begin = 0; begin < total; begin += kMaxChunk) {
            if (cancel != nullptr && cancel->load(std::memory_order_relaxed)) {
                cancelled = true;
                return;
            }
            const int64_t count = std::min(kMaxChunk, total - begin);
            const int64_t position = state.position;
            float* x = ensure(ws.x, static_cast<std::size_t>(count * width));
            float* normed = ensure(ws.normed, static_cast<std::size_t>(count * width));
            float* out = ensure(ws.out, static_cast<std::size_t>(count * width));
            embedTokens(*m_weights, tokens.data() + begin, count, scale, x);

            for (std::size_t i = 0; i < m_weights->layers.size(); ++i) {
                const LayerWeights& layer = m_weights->layers[i];
                LayerState& layerState = state.layers[i];
                // ref: torch/modules.py ResidualBlock.forward
                rmsNorm(x, layer.temporalPreNorm, m_config.rmsNormEps, count, normed);
                if (layer.type == BlockType::Recurrent) {
                    recurrentBlockForward(rt, m_config, layer.recurrent, layerState.recurrent, position, normed, count,
                                          out);
                } else {
                    attentionBlockForward(rt, m_config, layer.attention, layerState.attention, position, normed, count,
                                          out);
                }
                for (int64_t j = 0; j < count * width; ++j) x[j] += out[j];
                rmsNorm(x, layer.channelPreNorm, m_config.rmsNormEps, count, normed);
                mlpBlockForward(rt, layer.mlp, normed, count, out);
                for (int64_t j = 0; j < count * width; ++j) x[j] += out[j];
            }
            state.position += count;

            // Logits of the requested rows: final norm, tied output layer, soft cap.
            const bool lastChunk = begin + count == total;
            if (mode == LogitsMode::None || (mode == LogitsMode::Last && !lastChunk)) continue;
            const int64_t firstRow = mode == LogitsMode::Last ? count - 1 : 0;
            const int64_t rows = count - firstRow;
            rmsNorm(x + firstRow * width, m_weights->finalNorm, m_config.rmsNormEps, rows, normed);
            float* destination = mode == LogitsMode::Last ? logits.data() : logits.data() + begin * vocab;
            linearForward(rt, m_weights->embedTokens, {}, normed, rows, destination, m_weights->embedTokensScale);
            softCap(destination, rows * vocab, m_config.logitsSoftCap);
        }
    });
    if (cancelled) return makeError(ErrorCode::Cancelled, "cancelled");
    return {};
}

}  // namespace rgemma
