// compare_checks.cpp — the config and tokenizer checks of `rgemma compare`, with messages that list what differs.
#include "compare_checks.h"

#include <charconv>
#include <nlohmann/json.hpp>
#include <string_view>
#include <type_traits>
#include <vector>

#include "cli_common.h"

namespace rgemma::cli {

namespace {

// A value as config.json would spell it: floats in their shortest form (1e-06, not 9.99999997e-07), strings quoted
// (invalid UTF-8 in a piece replaced, not thrown on), lists in brackets.
template <class T>
std::string spell(const T& value) {
    if constexpr (std::is_same_v<T, float>) {
        char text[32];
        return std::string(text, std::to_chars(text, text + sizeof text, value).ptr);
    } else {
        return nlohmann::json(value).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    }
}

// Appends "key a vs b" when the values differ.
template <class T>
void noteDifference(std::string& out, std::string_view key, const T& a, const T& b) {
    if (a == b) return;
    out += (out.empty() ? "" : ", ") + std::string(key) + " " + spell(a) + " vs " + spell(b);
}

}  // namespace

std::string configDifferences(const ModelConfig& a, const ModelConfig& b) {
    std::string out;
    noteDifference(out, "vocab_size", a.vocabSize, b.vocabSize);
    noteDifference(out, "hidden_size", a.hiddenSize, b.hiddenSize);
    noteDifference(out, "lru_width", a.lruWidth, b.lruWidth);
    noteDifference(out, "num_attention_heads", a.numHeads, b.numHeads);
    noteDifference(out, "head_dim", a.headDim, b.headDim);
    noteDifference(out, "num_key_value_heads", a.numKvHeads, b.numKvHeads);
    noteDifference(out, "intermediate_size", 2 * a.mlpWidth, 2 * b.mlpWidth);
    noteDifference(out, "num_hidden_layers", a.numLayers, b.numLayers);
    const auto blockNames = [](const ModelConfig& c) {
        std::vector<std::string> names;
        for (BlockType type : c.blocks) names.emplace_back(blockTypeName(type));
        return names;
    };
    noteDifference(out, "block_types", blockNames(a), blockNames(b));
    noteDifference(out, "attention_window_size", a.attentionWindow, b.attentionWindow);
    noteDifference(out, "conv1d_width", a.convWidth, b.convWidth);
    noteDifference(out, "logits_soft_cap", a.logitsSoftCap, b.logitsSoftCap);
    noteDifference(out, "rms_norm_eps", a.rmsNormEps, b.rmsNormEps);
    noteDifference(out, "rope_theta", a.ropeTheta, b.ropeTheta);
    noteDifference(out, "partial_rotary_factor", a.partialRotaryFactor, b.partialRotaryFactor);
    noteDifference(out, "embeddings_scale_by_sqrt_dim", a.embedScaleBySqrtDim, b.embedScaleBySqrtDim);
    noteDifference(out, "bos_token_id", a.bosId, b.bosId);
    noteDifference(out, "eos_token_id", a.eosId, b.eosId);
    noteDifference(out, "pad_token_id", a.padId, b.padId);
    return out;
}

Result<void> checkSameVocabulary(const std::filesystem::path& model, const std::filesystem::path& reference) {
    std::error_code ec;
    if (!std::filesystem::exists(model / "tokenizer.model", ec) ||
        !std::filesystem::exists(reference / "tokenizer.model", ec)) {
        return {};
    }
    auto a = loadTokenizer(model);
    if (!a) return tl::unexpected(a.error());
    auto b = loadTokenizer(reference);
    if (!b) return tl::unexpected(b.error());
    if (a->vocabSize() != b->vocabSize()) {
        return makeError(ErrorCode::InvalidArgument,
                         "the tokenizers differ: " + std::to_string(a->vocabSize()) + " pieces in '" + model.string() +
                             "', " + std::to_string(b->vocabSize()) + " in '" + reference.string() + "'");
    }
    for (TokenId id = 0; id < a->vocabSize(); ++id) {
        if (a->piece(id) != b->piece(id)) {
            return makeError(ErrorCode::InvalidArgument, "the tokenizers differ: id " + std::to_string(id) + " is " +
                                                             spell(a->piece(id)) + " in '" + model.string() + "' but " +
                                                             spell(b->piece(id)) + " in '" + reference.string() + "'");
        }
    }
    return {};
}

std::string spellValue(float value) { return spell(value); }

}  // namespace rgemma::cli
