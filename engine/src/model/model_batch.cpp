// model_batch.cpp — Model::forwardBatch: one decode step of many sequences on one pass over the weights.
// ref: torch/griffin.py Griffin.forward, each sequence a row of the batch with its own cache and segment_pos
#include <algorithm>
#include <string>

#include "checkpoint/model_weights.h"
#include "layers/linear.h"
#include "layers/ops.h"
#include "model/blocks.h"
#include "rgemma/model.h"
#include "runtime/runtime_impl.h"

namespace rgemma {

namespace {

Result<void> checkBatch(const ModelConfig& config, std::span<State* const> states, std::span<const TokenId> tokens) {
    if (states.empty() || states.size() != tokens.size()) {
        return makeError(ErrorCode::InvalidArgument, "a batch needs one token per state (" +
                                                         std::to_string(states.size()) + " states, " +
                                                         std::to_string(tokens.size()) + " tokens)");
    }
    std::vector<const State*> sorted(states.begin(), states.end());
    std::sort(sorted.begin(), sorted.end());
    if (std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end() || sorted.front() == nullptr) {
        return makeError(ErrorCode::InvalidArgument, "a batch's states must be distinct");
    }
    for (std::size_t b = 0; b < states.size(); ++b) {
        if (!states[b]->matches(config)) {
            return makeError(ErrorCode::InvalidState,
                             "the state of sequence " + std::to_string(b) + " does not belong to this model's layout");
        }
        if (tokens[b] < 0 || tokens[b] >= config.vocabSize) {
            return makeError(ErrorCode::InvalidArgument, "token id " + std::to_string(tokens[b]) + " of sequence " +
                                                             std::to_string(b) + " is outside the vocabulary [0, " +
                                                             std::to_string(config.vocabSize) + ")");
        }
    }
    return {};
}

}  // namespace

Result<void> Model::forwardBatch(Runtime& runtime, std::span<State* const> states, std::span<const TokenId> tokens,
                                 std::vector<float>& logits) const {
    if (auto valid = checkBatch(m_config, states, tokens); !valid) return valid;
    if (states.size() == 1) return forward(runtime, *states[0], tokens, LogitsMode::Last, logits);

    const auto rows = static_cast<int64_t>(states.size());
    const int64_t width = m_config.hiddenSize, vocab = m_config.vocabSize;
    std::vector<int64_t> positions(states.size());
    for (std::size_t b = 0; b < states.size(); ++b) positions[b] = states[b]->position;
    logits.assign(static_cast<std::size_t>(rows * vocab), 0.0f);

    Runtime::Impl& rt = runtime.impl();
    Workspace& ws = rt.workspace;
    rt.decodeColumns = rows <= kMaxDecodeColumns;
    rt.arena.execute([&] {
        float* x = ensure(ws.x, static_cast<std::size_t>(rows * width));
        float* normed = ensure(ws.normed, static_cast<std::size_t>(rows * width));
        float* out = ensure(ws.out, static_cast<std::size_t>(rows * width));
        embedTokens(*m_weights, tokens.data(), rows, embedScale(width, m_config.embedScaleBySqrtDim), x);
        for (std::size_t i = 0; i < m_weights->layers.size(); ++i) {
            const LayerWeights& layer = m_weights->layers[i];
            const BatchStep step{states, positions, i};
            // ref: torch/modules.py ResidualBlock.forward
            rmsNorm(x, layer.temporalPreNorm, m_config.rmsNormEps, rows, normed);
            if (layer.type == BlockType::Recurrent) {
                recurrentBlockBatch(rt, m_config, layer.recurrent, step, normed, out);
            } else {
                attentionBlockBatch(rt, m_config, layer.attention, step, normed, out);
            }
            for (int64_t j = 0; j < rows * width; ++j) x[j] += out[j];
            rmsNorm(x, layer.channelPreNorm, m_config.rmsNormEps, rows, normed);
            mlpBlockForward(rt, layer.mlp, normed, rows, out);
            for (int64_t j = 0; j < rows * width; ++j) x[j] += out[j];
        }
        rmsNorm(x, m_weights->finalNorm, m_config.rmsNormEps, rows, normed);
        linearForward(rt, m_weights->embedTokens, {}, normed, rows, logits.data(), m_weights->embedTokensScale);
        softCap(logits.data(), rows * vocab, m_config.logitsSoftCap);
    });
    rt.decodeColumns = false;
    for (State* state : states) ++state->position;
    return {};
}

}  // namespace rgemma
