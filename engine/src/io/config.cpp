// engine/src/io/config.cpp — parses and validates a Hugging Face RecurrentGemma config.json
// (docs/checkpoint-format.md §2). Sizes are bounded here so that everything allocated from them later is bounded too.
#include "rgemma/config.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iterator>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <system_error>

namespace rgemma {

namespace {

using nlohmann::json;

constexpr int64_t kMaxDim = int64_t{1} << 20;    // widths, heads, window: the 9B uses 4096
constexpr int64_t kMaxLayers = 1000;             // the 9B has 38
constexpr int64_t kMaxVocab = int64_t{1} << 22;  // Gemma's is 256000
constexpr int64_t kMaxConvWidth = 1024;          // the conv state holds (width - 1) x lru floats per layer
// The attention window is tied to no tensor, so it alone could make a state of any size: the real models use
// 2048, and 65536 keeps one attention layer's ring buffer under 2 x 65536 x head_dim floats.
constexpr int64_t kMaxWindow = int64_t{1} << 16;
constexpr double kMaxFloat = std::numeric_limits<float>::max();  // the fields are f32
constexpr double kMinPositiveFloat = std::numeric_limits<float>::min();
constexpr std::uintmax_t kMaxConfigBytes = 1u << 20;  // real files are about 1 KiB

// Reads keys of the config object. The first problem is kept and later reads become no-ops returning defaults,
// so parsing reads as a flat list of keys; the caller checks failed() before relying on the values.
class ConfigReader {
  public:
    ConfigReader(const json& root, std::string_view source) : m_root(root), m_source(source) {}

    bool failed() const { return m_error.has_value(); }
    Error error() const { return *m_error; }

    void fail(const std::string& key, const std::string& what) {
        if (!m_error) m_error = Error{ErrorCode::InvalidConfig, m_source + ": '" + key + "' " + what};
    }

    // nullptr when the key is absent (or null, where `nullIsAbsent`).
    const json* find(const std::string& key, bool nullIsAbsent = true) const {
        const auto it = m_root.find(key);
        if (it == m_root.end() || (nullIsAbsent && it->is_null())) return nullptr;
        return &*it;
    }

    int64_t integer(const std::string& key, std::optional<int64_t> fallback, int64_t min, int64_t max) {
        const json* value = find(key);
        if (value == nullptr) {
            if (!fallback) fail(key, "is missing");
            return fallback.value_or(0);
        }
        if (!value->is_number_integer()) {
            fail(key, "must be an integer, found " + text(*value));
            return fallback.value_or(0);
        }
        const bool negative = !value->is_number_unsigned();
        if ((negative && value->get<int64_t>() < min) ||
            (!negative && (value->get<uint64_t>() > static_cast<uint64_t>(max) || value->get<int64_t>() < min))) {
            fail(key,
                 "must be between " + std::to_string(min) + " and " + std::to_string(max) + ", found " + text(*value));
            return fallback.value_or(0);
        }
        return value->get<int64_t>();
    }

    int64_t positive(const std::string& key, int64_t max) { return integer(key, std::nullopt, 1, max); }

    // A float in [min, max]; `requirement` says so in words for the message.
    float number(const std::string& key, double fallback, double min, double max, const char* requirement) {
        const json* value = find(key);
        if (value == nullptr) return static_cast<float>(fallback);
        const double v = value->is_number() ? value->get<double>() : std::nan("");
        if (!value->is_number() || !(v >= min && v <= max)) {
            fail(key, std::string("must be ") + requirement + ", found " + text(*value));
            return static_cast<float>(fallback);
        }
        return static_cast<float>(v);
    }

    bool boolean(const std::string& key, bool fallback) {
        const json* value = find(key);
        if (value == nullptr) return fallback;
        if (!value->is_boolean()) {
            fail(key, "must be true or false, found " + text(*value));
            return fallback;
        }
        return value->get<bool>();
    }

    // A key that, when present, must hold one of `allowed` (the strings this engine implements).
    void oneOf(const std::string& key, std::initializer_list<std::string_view> allowed) {
        const json* value = find(key);
        if (value == nullptr) return;
        if (!value->is_string() ||
            std::find(allowed.begin(), allowed.end(), value->get_ref<const std::string&>()) == allowed.end()) {
            std::string list;
            for (const auto a : allowed) list += (list.empty() ? "\"" : ", \"") + std::string(a) + "\"";
            fail(key, "must be " + list + ", found " + text(*value));
        }
    }

    // A special token id: an integer (or, as some configs write eos, a list whose first entry is used).
    int32_t tokenId(const std::string& key, int32_t fallback, int64_t vocabSize) {
        const json* value = find(key);
        if (value != nullptr && value->is_array() && !value->empty()) value = &(*value)[0];
        if (value == nullptr) return fallback;
        if (!value->is_number_integer() || value->get<int64_t>() < 0 || value->get<int64_t>() >= vocabSize) {
            fail(key, "must be a token id below vocab_size " + std::to_string(vocabSize) + ", found " + text(*value));
            return fallback;
        }
        return static_cast<int32_t>(value->get<int64_t>());
    }

    static std::string text(const json& value) {
        std::string dumped = value.dump(-1, ' ', false, json::error_handler_t::replace);
        if (dumped.size() > 80) dumped = dumped.substr(0, 80) + "...";
        return dumped;
    }

  private:
    const json& m_root;
    std::string m_source;
    std::optional<Error> m_error;
};

// block_types (new HF) or _block_types (the published 2B), cycled over the layers.
void readBlocks(ConfigReader& reader, ModelConfig& config) {
    std::string key = "block_types";
    const json* pattern = reader.find(key);
    if (pattern == nullptr) {
        key = "_block_types";
        pattern = reader.find(key);
    }
    if (pattern == nullptr) return reader.fail("block_types", "is missing (nor is there '_block_types')");
    if (!pattern->is_array() || pattern->empty()) {
        return reader.fail(key, "must be a non-empty list, found " + ConfigReader::text(*pattern));
    }
    std::vector<BlockType> types;
    for (const json& entry : *pattern) {
        if (entry == "recurrent") {
            types.push_back(BlockType::Recurrent);
        } else if (entry == "attention") {
            types.push_back(BlockType::Attention);
        } else {
            return reader.fail(key,
                               "entries must be \"recurrent\" or \"attention\", found " + ConfigReader::text(entry));
        }
    }
    config.blocks.resize(static_cast<std::size_t>(config.numLayers));
    for (std::size_t i = 0; i < config.blocks.size(); ++i) config.blocks[i] = types[i % types.size()];
}

// Checks between keys, once every key has been read successfully.
void checkDerived(ConfigReader& reader, ModelConfig& config, bool headDimGiven, int64_t intermediateSize) {
    if (intermediateSize % 2 != 0) {
        reader.fail("intermediate_size",
                    "must be even (it is 2 x the MLP branch width), found " + std::to_string(intermediateSize));
    }
    config.mlpWidth = intermediateSize / 2;
    if (!headDimGiven) {
        if (config.hiddenSize % config.numHeads != 0) {
            reader.fail("head_dim", "is absent and hidden_size " + std::to_string(config.hiddenSize) +
                                        " is not divisible by num_attention_heads " + std::to_string(config.numHeads));
        }
        config.headDim = config.hiddenSize / config.numHeads;
    }
    if (config.lruWidth % config.numHeads != 0) {
        reader.fail("lru_width", std::to_string(config.lruWidth) + " must be divisible by num_attention_heads " +
                                     std::to_string(config.numHeads) + " (the RG-LRU gates are block-diagonal)");
    }
    if (config.numKvHeads != 1) {
        reader.fail("num_key_value_heads",
                    "must be 1 (multi-query attention), found " + std::to_string(config.numKvHeads));
    }
    // RoPE rotates pairs of features, so the rotated count must be a whole even number.
    const double rotated = static_cast<double>(config.headDim) * config.partialRotaryFactor;
    const double rounded = std::round(rotated);
    if (std::abs(rotated - rounded) > 1e-6 || static_cast<int64_t>(rounded) % 2 != 0) {
        reader.fail("partial_rotary_factor", "times head_dim " + std::to_string(config.headDim) +
                                                 " must be an even whole number, found " + ConfigReader::text(rotated));
    }
}

}  // namespace

int64_t ModelConfig::numRecurrentLayers() const {
    return std::count(blocks.begin(), blocks.end(), BlockType::Recurrent);
}

int64_t ModelConfig::numAttentionLayers() const {
    return std::count(blocks.begin(), blocks.end(), BlockType::Attention);
}

std::string_view blockTypeName(BlockType type) { return type == BlockType::Recurrent ? "recurrent" : "attention"; }

Result<ModelConfig> parseModelConfig(std::string_view jsonText, std::string_view source) {
    // nlohmann treats a NUL as the end of the input, which would hide whatever follows it.
    if (jsonText.find('\0') != std::string_view::npos) {
        return makeError(ErrorCode::InvalidConfig, std::string(source) + ": not valid JSON (contains a NUL byte)");
    }
    json root;
    try {
        root = json::parse(jsonText.begin(), jsonText.end(), nullptr, false);
    } catch (const std::exception& e) {  // allocation failure; nlohmann itself is told not to throw
        return makeError(ErrorCode::InvalidConfig, std::string(source) + ": cannot parse: " + e.what());
    }
    if (root.is_discarded()) return makeError(ErrorCode::InvalidConfig, std::string(source) + ": not valid JSON");
    if (!root.is_object()) return makeError(ErrorCode::InvalidConfig, std::string(source) + ": not a JSON object");

    ConfigReader reader(root, source);
    ModelConfig config;
    reader.oneOf("model_type", {"recurrent_gemma"});
    reader.oneOf("hidden_activation", {"gelu_pytorch_tanh", "gelu"});
    if (reader.boolean("attention_bias", false)) reader.fail("attention_bias", "must be false (q/k/v have no bias)");
    if (!reader.boolean("tie_word_embeddings", true)) {
        reader.fail("tie_word_embeddings", "must be true (the output layer is the embedding)");
    }

    config.numLayers = reader.positive("num_hidden_layers", kMaxLayers);
    config.hiddenSize = reader.positive("hidden_size", kMaxDim);
    config.vocabSize = reader.positive("vocab_size", kMaxVocab);
    config.numHeads = reader.positive("num_attention_heads", kMaxDim);
    config.attentionWindow = reader.positive("attention_window_size", kMaxWindow);
    const int64_t intermediateSize = reader.positive("intermediate_size", 2 * kMaxDim);
    const bool headDimGiven = reader.find("head_dim") != nullptr;
    config.headDim = reader.integer("head_dim", 0, 1, kMaxDim);
    config.lruWidth = reader.integer("lru_width", config.hiddenSize, 1, kMaxDim);
    config.numKvHeads = reader.integer("num_key_value_heads", 1, 1, kMaxDim);
    config.convWidth = reader.integer("conv1d_width", 4, 1, kMaxConvWidth);
    const json* softCap = reader.find("logits_soft_cap", false);
    config.logitsSoftCap = (softCap != nullptr && softCap->is_null())
                               ? 0.0f
                               : reader.number("logits_soft_cap", 30.0, 0.0, kMaxFloat, "a number >= 0 (or null)");
    config.rmsNormEps = reader.number("rms_norm_eps", 1e-6, 0.0, 1.0, "a number in [0, 1]");
    config.ropeTheta = reader.number("rope_theta", 10000.0, kMinPositiveFloat, kMaxFloat, "a number > 0");
    config.partialRotaryFactor = reader.number("partial_rotary_factor", 0.5, 0.0, 1.0, "a number in [0, 1]");
    config.embedScaleBySqrtDim = reader.boolean("embeddings_scale_by_sqrt_dim", true);
    config.bosId = reader.tokenId("bos_token_id", 2, config.vocabSize);
    config.eosId = reader.tokenId("eos_token_id", 1, config.vocabSize);
    config.padId = reader.tokenId("pad_token_id", 0, config.vocabSize);
    if (reader.failed()) return tl::unexpected(reader.error());

    readBlocks(reader, config);
    if (!reader.failed()) checkDerived(reader, config, headDimGiven, intermediateSize);
    if (reader.failed()) return tl::unexpected(reader.error());
    return config;
}

Result<ModelConfig> loadModelConfig(const std::filesystem::path& path) {
    std::error_code ec;
    const auto size = std::filesystem::file_size(path, ec);
    if (ec) return makeError(ErrorCode::Io, "cannot read '" + path.string() + "': " + ec.message());
    if (size > kMaxConfigBytes) {
        return makeError(ErrorCode::InvalidConfig, path.string() + ": file is " + std::to_string(size) +
                                                       " bytes, more than the limit of " +
                                                       std::to_string(kMaxConfigBytes));
    }
    std::ifstream in(path, std::ios::binary);
    if (!in.is_open()) return makeError(ErrorCode::Io, "cannot open '" + path.string() + "'");
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad()) return makeError(ErrorCode::Io, "cannot read '" + path.string() + "'");
    return parseModelConfig(text, path.string());
}

}  // namespace rgemma
