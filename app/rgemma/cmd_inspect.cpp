// cmd_inspect.cpp — `rgemma inspect`: what a checkpoint folder holds: its config, how it is quantized, every tensor,
// parameter counts and the size of one conversation state.
#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "cli_common.h"
#include "rgemma/checkpoint.h"
#include "rgemma/model.h"

namespace rgemma::cli {

namespace {

constexpr std::string_view kName = "inspect";

std::string humanBytes(uint64_t bytes) {
    const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    double value = static_cast<double>(bytes);
    int unit = 0;
    while (value >= 1024.0 && unit < 4) {
        value /= 1024.0;
        ++unit;
    }
    char text[48];
    std::snprintf(text, sizeof text, "%llu bytes (%.2f %s)", static_cast<unsigned long long>(bytes), value,
                  units[unit]);
    return text;
}

std::string humanCount(int64_t count) {
    char text[48];
    std::snprintf(text, sizeof text, "%lld (%.2f M)", static_cast<long long>(count), static_cast<double>(count) / 1e6);
    return text;
}

std::string shapeText(const std::vector<int64_t>& shape) {
    std::string text = "[";
    for (std::size_t i = 0; i < shape.size(); ++i) text += (i > 0 ? ", " : "") + std::to_string(shape[i]);
    return text + "]";
}

void printField(const char* name, const std::string& value) { std::printf("  %-34s %s\n", name, value.c_str()); }
void printField(const char* name, int64_t value) { printField(name, std::to_string(value)); }
void printField(const char* name, float value) {
    char text[32];
    std::snprintf(text, sizeof text, "%g", static_cast<double>(value));
    printField(name, std::string(text));
}

void printConfig(const ModelConfig& c) {
    std::printf("config\n");
    printField("vocab_size", c.vocabSize);
    printField("hidden_size", c.hiddenSize);
    printField("lru_width", c.lruWidth);
    printField("num_attention_heads", c.numHeads);
    printField("head_dim", c.headDim);
    printField("num_key_value_heads", c.numKvHeads);
    printField("mlp_width (intermediate_size/2)", c.mlpWidth);
    printField("num_hidden_layers", c.numLayers);
    printField("attention_window_size", c.attentionWindow);
    printField("conv1d_width", c.convWidth);
    printField("logits_soft_cap", c.logitsSoftCap);
    printField("rms_norm_eps", c.rmsNormEps);
    printField("rope_theta", c.ropeTheta);
    printField("partial_rotary_factor", c.partialRotaryFactor);
    printField("embeddings_scale_by_sqrt_dim", std::string(c.embedScaleBySqrtDim ? "true" : "false"));
    printField("bos_token_id", int64_t{c.bosId});
    printField("eos_token_id", int64_t{c.eosId});
    printField("pad_token_id", int64_t{c.padId});

    // One letter per layer (R recurrent, A attention) shows the pattern at a glance.
    std::string pattern;
    for (BlockType block : c.blocks) pattern += block == BlockType::Attention ? "A" : "R";
    printField("layer pattern", pattern + " (" + std::to_string(c.numRecurrentLayers()) + " recurrent, " +
                                    std::to_string(c.numAttentionLayers()) + " attention)");
}

void printTensors(const CheckpointFiles& checkpoint, const std::vector<TensorSummary>& tensors) {
    std::size_t nameWidth = 4;
    for (const TensorSummary& t : tensors) nameWidth = std::max(nameWidth, t.name.size());
    const int width = static_cast<int>(nameWidth);
    const std::size_t files = checkpoint.files().size();
    std::printf("\ntensors: %zu, %s in %zu file%s\n", tensors.size(), humanBytes(checkpoint.totalBytes()).c_str(),
                files, files == 1 ? "" : "s");
    std::printf("  %-*s  %-5s  %-20s  %s\n", width, "name", "dtype", "shape", "bytes");
    for (const TensorSummary& t : tensors) {
        std::printf("  %-*s  %-5s  %-20s  %llu\n", width, t.name.c_str(), std::string(dtypeName(t.dtype)).c_str(),
                    shapeText(t.shape).c_str(), static_cast<unsigned long long>(t.bytes));
    }
}

// The checkpoint may carry the output layer although it is tied to the embedding; it is counted once. As the engine
// counts them (Model::load): "<name>_scale" (a quantized matrix's scales or 4-bit headers) holds no parameters, and a
// 4-bit matrix's U8 tensor two per byte.
void printParameters(const std::vector<TensorSummary>& tensors) {
    int64_t total = 0;
    int64_t embedding = 0;
    bool tiedHead = false;
    for (const TensorSummary& t : tensors) {
        if (t.name == kTiedOutputTensor) {
            tiedHead = true;
            continue;
        }
        if (t.name.ends_with("_scale")) continue;
        total += t.dtype == DType::U8 ? 2 * t.elements : t.elements;
        if (t.name == kEmbeddingTensor) embedding = t.elements;
    }
    std::printf("\nparameters%s\n", tiedHead ? " (lm_head.weight is tied to the embedding: counted once)" : "");
    printField("total", humanCount(total));
    printField("embedding", humanCount(embedding));
    printField("non-embedding", humanCount(total - embedding));
}

// The matrices stored quantized, by format (docs/checkpoint-format.md §5, §7): I8 with scales, Q4K as U8 with headers.
void printQuantization(const std::vector<TensorSummary>& tensors) {
    int64_t int8 = 0, q4 = 0;
    for (const TensorSummary& t : tensors) {
        if (t.name.ends_with("_scale")) continue;
        int8 += t.dtype == DType::I8 ? 1 : 0;
        q4 += t.dtype == DType::U8 ? 1 : 0;
    }
    if (q4 > 0) {
        std::printf("  quantized %lld matrices 4-bit (Q4K: U8 nibbles, U8 <name>_scale headers), %lld int8\n",
                    static_cast<long long>(q4), static_cast<long long>(int8));
    } else if (int8 > 0) {
        std::printf("  quantized %lld matrices int8 (F32 <name>_scale per 32 values)\n", static_cast<long long>(int8));
    }
}

int run(const CliArgs& args) {
    auto dir = modelDir(args);
    if (!dir) return usageError(kName, dir.error());

    auto loaded = Model::load(*dir);
    if (!loaded) return runtimeError(loaded.error());
    const Model& model = **loaded;

    std::printf("model %s\n", dir->string().c_str());
    const CheckpointFiles& checkpoint = model.checkpoint();
    for (const auto& file : checkpoint.files()) std::printf("  file %s\n", file.string().c_str());
    const std::vector<TensorSummary> tensors = checkpoint.tensors();
    std::printf("  weights dtype %s\n", std::string(dtypeName(model.info().dtype)).c_str());
    printQuantization(tensors);
    std::printf("\n");
    printConfig(model.config());
    printTensors(checkpoint, tensors);
    printParameters(tensors);

    std::printf("\nstate\n");
    printField("bytes per conversation", humanBytes(model.newState().byteSize()));

    // The tokenizer is not needed to run logits on ids, so a missing one is reported, not fatal.
    std::printf("\ntokenizer\n");
    if (auto tokenizer = loadTokenizer(*dir)) {
        printField("vocab_size", int64_t{tokenizer->vocabSize()});
        printField("bos / eos / pad", std::to_string(tokenizer->bos()) + " / " + std::to_string(tokenizer->eos()) +
                                          " / " + std::to_string(tokenizer->pad()));
        auto idText = [](std::optional<TokenId> id) { return id ? std::to_string(*id) : std::string("absent"); };
        printField("<start_of_turn> / <end_of_turn>",
                   idText(tokenizer->startOfTurn()) + " / " + idText(tokenizer->endOfTurn()));
    } else {
        printField("unavailable", tokenizer.error().message);
    }
    std::fflush(stdout);
    return kExitOk;
}

}  // namespace

const Command& inspectCommand() {
    static const Command command{
        kName,
        "describe a checkpoint: config, tensors, parameter counts, state size",
        "rgemma inspect --model DIR",
        "Loads and validates the checkpoint, then prints every config field and the layer pattern (R recurrent,\n"
        "A attention), each tensor's name, dtype, shape and bytes, the parameter counts (total, embedding,\n"
        "non-embedding), the bytes of one conversation state, and the tokenizer's special ids.",
        {modelOption()},
        run,
    };
    return command;
}

}  // namespace rgemma::cli
