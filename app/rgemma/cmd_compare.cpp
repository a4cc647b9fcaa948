// cmd_compare.cpp — `rgemma compare`: how far a checkpoint's logits are from a reference's (a quantized copy against
// its original) on random prompts or on a text: top-1 agreement, the logits' max and mean absolute error, the
// softmax's KL, and on a text both models' perplexity.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "cli_common.h"
#include "compare_checks.h"
#include "compare_inputs.h"
#include "compare_metrics.h"
#include "rgemma/model.h"
#include "rgemma/runtime.h"

namespace rgemma::cli {

namespace {

constexpr std::string_view kName = "compare";

struct CompareRequest {
    std::filesystem::path model, reference;
    int threads = 0;
    int64_t prompts = 8, promptTokens = 64;
    uint64_t seed = 1234;
    std::optional<std::filesystem::path> text;  // set: windows of this text's tokens instead of random prompts
    TextCut cut;                                // how the text is cut and scored
    std::optional<int64_t> maxWindows;          // only the first windows of the text
    float margin = 0.1f;  // a reference top-1 - top-2 gap below this is a near-tie either side of which is fine
    PrefillPrecision prefill = PrefillPrecision::Exact;  // the model's; the reference always runs exact
    bool json = false;
};

std::string_view prefillName(PrefillPrecision precision) {
    switch (precision) {
        case PrefillPrecision::Exact:
            return "exact";
        case PrefillPrecision::Fast:
            return "fast";
        case PrefillPrecision::Int8:
            return "int8";
        case PrefillPrecision::EmulatedBf16:
            return "bf16-emulated";
    }
    return "exact";
}

std::optional<PrefillPrecision> prefillFromName(std::string_view name) {
    for (PrefillPrecision precision :
         {PrefillPrecision::Exact, PrefillPrecision::Fast, PrefillPrecision::Int8, PrefillPrecision::EmulatedBf16}) {
        if (prefillName(precision) == name) return precision;
    }
    return std::nullopt;
}

// What is fed: --text FILE [--window N] [--max-windows K] [--score S] [--paragraphs], or random prompts (--prompts,
// --prompt-tokens, --seed); the two sets of options exclude each other.
Parsed<void> parseInputs(const CliArgs& args, CompareRequest& request) {
    if (auto text = args.value("text")) {
        for (const char* randomOnly : {"prompts", "prompt-tokens", "seed"}) {
            if (args.has(randomOnly)) {
                return tl::unexpected<std::string>("--" + std::string(randomOnly) +
                                                   " is for random prompts; it cannot go with --text");
            }
        }
        if (text->empty()) return tl::unexpected<std::string>("--text: the file name is empty");
        request.text = *text;
        auto window = optionalInteger(args, "window", 1, 1 << 20);
        if (!window) return tl::unexpected<std::string>(window.error());
        request.cut.window = window->value_or(request.cut.window);
        auto maxWindows = optionalInteger(args, "max-windows", 1, std::numeric_limits<int64_t>::max());
        if (!maxWindows) return tl::unexpected<std::string>(maxWindows.error());
        request.maxWindows = *maxWindows;
        if (auto score = args.value("score")) {
            if (*score != "all" && *score != "replies") {
                return tl::unexpected<std::string>("--score must be all or replies, not '" + *score + "'");
            }
            request.cut.score = *score == "all" ? TextScore::All : TextScore::Replies;
        }
        request.cut.paragraphs = args.has("paragraphs");
        return {};
    }
    for (const char* textOnly : {"window", "max-windows", "score", "paragraphs"}) {
        if (args.has(textOnly)) return tl::unexpected<std::string>("--" + std::string(textOnly) + " needs --text FILE");
    }
    auto prompts = parseInteger(args.value("prompts").value_or("8"), "prompts", 1, 1 << 20);
    if (!prompts) return tl::unexpected<std::string>(prompts.error());
    request.prompts = *prompts;
    // Two at least: the first id is always <bos>.
    auto tokens = parseInteger(args.value("prompt-tokens").value_or("64"), "prompt-tokens", 2, 1 << 20);
    if (!tokens) return tl::unexpected<std::string>(tokens.error());
    request.promptTokens = *tokens;
    if (auto seed = args.value("seed")) {
        auto parsed = parseUnsigned(*seed, "seed");
        if (!parsed) return tl::unexpected<std::string>(parsed.error());
        request.seed = *parsed;
    }
    return {};
}

Parsed<CompareRequest> parseRequest(const CliArgs& args) {
    CompareRequest request;
    auto dir = modelDir(args);
    if (!dir) return tl::unexpected<std::string>(dir.error());
    request.model = *dir;
    auto reference = args.value("reference");
    if (!reference) return tl::unexpected<std::string>("missing required option --reference DIR");
    if (reference->empty()) return tl::unexpected<std::string>("--reference: the folder name is empty");
    request.reference = *reference;
    auto threads = threadCount(args);
    if (!threads) return tl::unexpected<std::string>(threads.error());
    request.threads = *threads;
    if (auto inputs = parseInputs(args, request); !inputs) return tl::unexpected<std::string>(inputs.error());
    auto margin = optionalFloat(args, "margin");
    if (!margin) return tl::unexpected<std::string>(margin.error());
    request.margin = margin->value_or(request.margin);
    if (!std::isfinite(request.margin) || request.margin < 0.0f) {
        return tl::unexpected<std::string>("--margin must be a finite number >= 0");
    }
    if (auto prefill = args.value("prefill")) {
        const auto named = prefillFromName(*prefill);
        if (!named) {
            return tl::unexpected<std::string>("--prefill must be exact, fast, int8 or bf16-emulated, not '" +
                                               *prefill + "'");
        }
        request.prefill = *named;
    }
    request.json = args.has("json");
    return request;
}

Result<std::vector<float>> allPositionLogits(const Model& model, Runtime& runtime, std::span<const TokenId> prompt) {
    State state = model.newState();
    std::vector<float> logits;
    if (auto fed = model.forward(runtime, state, prompt, LogitsMode::AllPositions, logits); !fed) {
        return tl::unexpected(fed.error());
    }
    return logits;
}

// The prompts both models are fed, made one at a time (prompt k of the random ones depends on those before it).
struct PromptSource {
    int64_t count = 0;
    std::mt19937_64 random;
    std::optional<TextWindows> text;

    ComparePrompt prompt(int64_t k, const CompareRequest& request, const ModelConfig& config) {
        return text ? text->prompt(k, config.bosId) : randomPrompt(random, request.promptTokens, config);
    }
};

Result<PromptSource> promptSource(const CompareRequest& request, const ModelConfig& config) {
    PromptSource source{request.prompts, std::mt19937_64(request.seed), std::nullopt};
    if (!request.text) return source;
    // The tokenizers are the same (checkSameVocabulary); the reference's encodes the text.
    auto tokenizer = loadTokenizer(request.reference);
    if (!tokenizer) {
        return makeError(ErrorCode::InvalidArgument,
                         "--text needs the reference's tokenizer: " + tokenizer.error().message);
    }
    auto windows = readTextWindows(*request.text, *tokenizer, request.cut, config.vocabSize);
    if (!windows) return tl::unexpected(windows.error());
    source.count = std::min(windows->count(), request.maxWindows.value_or(windows->count()));
    source.text = std::move(*windows);
    return source;
}

// Prompt by prompt, so only one prompt's logits (tokens × vocab floats per model) are held at a time.
Result<Tally> compareModels(const Model& model, const Model& reference, const CompareRequest& request,
                            PromptSource& source) {
    Runtime runtime(request.threads), referenceRuntime(request.threads);
    runtime.setPrefillPrecision(request.prefill);
    const auto vocab = static_cast<std::size_t>(reference.config().vocabSize);
    const char* unit = source.text ? "window " : "prompt ";
    Tally tally;
    for (int64_t p = 0; p < source.count; ++p) {
        const ComparePrompt prompt = source.prompt(p, request, reference.config());
        auto ours = allPositionLogits(model, runtime, prompt.ids);
        if (!ours) return tl::unexpected(ours.error());
        auto theirs = allPositionLogits(reference, referenceRuntime, prompt.ids);
        if (!theirs) return tl::unexpected(theirs.error());
        for (std::size_t t = 0; t < prompt.ids.size(); ++t) {
            if (!prompt.scored.empty() && !prompt.scored[t]) continue;
            const std::string where = unit + std::to_string(p) + " position " + std::to_string(t);
            const std::optional<TokenId> next = prompt.next.empty() ? std::nullopt : std::optional(prompt.next[t]);
            auto added =
                tallyPosition(tally, std::span<const float>(*ours).subspan(t * vocab, vocab),
                              std::span<const float>(*theirs).subspan(t * vocab, vocab), next, request.margin, where);
            if (!added) return tl::unexpected(added.error());
        }
    }
    if (tally.positions == 0) {
        return makeError(ErrorCode::InvalidArgument, "the windows compared hold no position to score (--max-windows)");
    }
    return tally;
}

// The decimal the float was written as ("0.1"), not its exact binary value (0.100000001490116).
double asWritten(float value) { return std::strtod(spellValue(value).c_str(), nullptr); }

// The perplexities' ratio as a signed percentage: how much worse (+) the model predicts the text.
double perplexityChange(const Tally& tally) { return 100.0 * (tally.perplexity() / tally.referencePerplexity() - 1.0); }

void printJson(const Tally& tally, const CompareRequest& request, const PromptSource& source) {
    nlohmann::ordered_json report{{"model", request.model.string()}, {"reference", request.reference.string()}};
    if (source.text) {
        report["text"] = request.text->string();
        report["text_tokens"] = source.text->tokens.size();
        report["window"] = request.cut.window;
        report["paragraphs"] = request.cut.paragraphs;
        report["windows"] = source.count;
        report["score"] = request.cut.score == TextScore::All ? "all" : "replies";
    } else {
        report["prompts"] = request.prompts;
        report["prompt_tokens"] = request.promptTokens;
        report["seed"] = request.seed;
    }
    report["prefill"] = std::string(prefillName(request.prefill));
    report["positions"] = tally.positions;
    report["top1_matches"] = tally.matches;
    report["top1_agreement"] = tally.agreement();
    report["max_abs_error"] = tally.maxAbsError;
    report["mean_abs_error"] = tally.meanAbsError();
    report["mean_kl_divergence"] = tally.meanKl();
    report["margin"] = asWritten(request.margin);
    report["confident_positions"] = tally.confidentPositions;
    report["confident_top1_agreement"] =
        tally.confidentPositions > 0 ? nlohmann::json(tally.confidentAgreement()) : nlohmann::json();
    if (source.text) {
        report["perplexity"] = tally.perplexity();
        report["reference_perplexity"] = tally.referencePerplexity();
    }
    writeOut(report.dump() + "\n");
}

void printReport(const Tally& tally, const CompareRequest& request, const PromptSource& source) {
    if (request.json) return printJson(tally, request, source);
    if (source.text) {
        std::printf("%lld windows of %lld tokens of %s (%zu tokens): %lld positions\n",
                    static_cast<long long>(source.count), static_cast<long long>(request.cut.window),
                    request.text->string().c_str(), source.text->tokens.size(),
                    static_cast<long long>(tally.positions));
    } else {
        std::printf("%lld prompts of %lld tokens (seed %llu): %lld positions\n",
                    static_cast<long long>(request.prompts), static_cast<long long>(request.promptTokens),
                    static_cast<unsigned long long>(request.seed), static_cast<long long>(tally.positions));
    }
    std::printf("top-1 agreement     %.4f (%lld of %lld)\n", tally.agreement(), static_cast<long long>(tally.matches),
                static_cast<long long>(tally.positions));
    if (tally.confidentPositions > 0) {
        std::printf("  margin > %-9g %.4f (%lld of %lld)\n", static_cast<double>(request.margin),
                    tally.confidentAgreement(), static_cast<long long>(tally.confidentMatches),
                    static_cast<long long>(tally.confidentPositions));
    } else {
        std::printf("  margin > %-9g no position\n", static_cast<double>(request.margin));
    }
    std::printf("max |logit diff|    %.6g\n", tally.maxAbsError);
    std::printf("mean |logit diff|   %.6g\n", tally.meanAbsError());
    std::printf("mean KL(ref||model) %.6g nats\n", tally.meanKl());
    if (source.text) {
        std::printf("perplexity          %.4f (reference %.4f, %+.2f%%)\n", tally.perplexity(),
                    tally.referencePerplexity(), perplexityChange(tally));
    }
}

int run(const CliArgs& args) {
    auto request = parseRequest(args);
    if (!request) return usageError(kName, request.error());

    auto model = Model::load(request->model);
    if (!model) return runtimeError(model.error());
    auto reference = Model::load(request->reference);
    if (!reference) return runtimeError(reference.error());
    if (const std::string differences = configDifferences((*model)->config(), (*reference)->config());
        !differences.empty()) {
        return runtimeError({ErrorCode::InvalidArgument, "'" + request->model.string() + "' and '" +
                                                             request->reference.string() +
                                                             "' have different configs: " + differences});
    }
    if (auto same = checkSameVocabulary(request->model, request->reference); !same) return runtimeError(same.error());

    auto source = promptSource(*request, (*reference)->config());
    if (!source) return runtimeError(source.error());
    auto tally = compareModels(**model, **reference, *request, *source);
    if (!tally) return runtimeError(tally.error());
    printReport(*tally, *request, *source);
    return kExitOk;
}

}  // namespace

const Command& compareCommand() {
    static const Command command{
        kName,
        "measure a checkpoint's logits against a reference's (top-1 agreement, error)",
        "rgemma compare --model DIR --reference DIR [--prompts N] [--prompt-tokens P] [--seed S] [--margin M]\n"
        "                      [--prefill P] [--threads N] [--json]\n"
        "       rgemma compare --model DIR --reference DIR --text FILE [--window N] [--max-windows K]\n"
        "                      [--paragraphs] [--score all|replies] [--margin M] [--prefill P] [--threads N] [--json]",
        "Loads both checkpoints (same config and tokenizer required; the dtypes may differ, e.g. an int8 copy\n"
        "against its bf16 original), draws N random prompts (default 8) of P ids (default 64): <bos>, then ids\n"
        "drawn uniformly from 4..vocab_size-1 with seed S (default 1234); or, with --text, encodes FILE with the\n"
        "reference's tokenizer (the whole text, or with --paragraphs each paragraph between blank lines on its own:\n"
        "a file of separate conversations) and cuts its tokens into windows of N (default 128; a text's or\n"
        "paragraph's last one holds what is left; --max-windows K keeps the first K), each fed as <bos> and its tokens "
        "but the last, so that its positions\n"
        "predict its tokens; --score replies compares only the positions that predict a token of a model turn\n"
        "(after \"<start_of_turn>model\", up to its <end_of_turn>: what a chat model learns to write; the rest is\n"
        "context). Each prompt is fed to both models from a\n"
        "fresh state, with the exact prefill precision that rgemma logits uses (--prefill fast: the model with the\n"
        "app's fast prompt path, bf16 activations where the CPU has them; int8: int8 activations and weights on\n"
        "AVX2; bf16-emulated: the bf16 path's numbers on any CPU, slowly; the reference stays exact, so --reference\n"
        "may be the same folder), and every\n"
        "position is compared:\n"
        "top-1 agreement (the fraction of positions whose argmax is the reference's), the largest and the mean\n"
        "|difference| of the soft-capped logits, the mean KL divergence of the model's softmax from the reference's\n"
        "(nats), and the top-1 agreement over the positions where the reference's top-1 leads its top-2 by more\n"
        "than M (default 0.1), where a near-tie cannot flip it; on a text also each model's perplexity, exp of the\n"
        "mean -log p(next token). --json prints one JSON object: positions,\n"
        "top1_matches, top1_agreement, max_abs_error, mean_abs_error, mean_kl_divergence, margin,\n"
        "confident_positions, confident_top1_agreement (null when no position qualifies); with --text also\n"
        "text_tokens, window, paragraphs, windows, score, perplexity and reference_perplexity.",
        {modelOption(),
         {"reference", "DIR", "the checkpoint to compare against (e.g. the bf16 original)"},
         {"prompts", "N", "number of random prompts (default 8)"},
         {"prompt-tokens", "P", "ids per prompt, <bos> included (default 64)"},
         {"seed", "S", "seed of the random prompts (default 1234)"},
         {"text", "FILE", "compare on this text's tokens instead of random prompts, with perplexity"},
         {"window", "N", "text tokens per window (default 128)"},
         {"max-windows", "K", "compare only the text's first K windows (default: all)"},
         {"paragraphs", "", "feed each paragraph of the text (between blank lines) from a fresh state"},
         {"score", "S", "the text's positions compared: all (default) or replies (those in model turns)"},
         {"margin", "M", "reference top-1 lead for the confident agreement (default 0.1)"},
         {"prefill", "P", "the model's prefill: exact (default), fast, int8 or bf16-emulated; the reference's: exact"},
         threadsOption(),
         {"json", "", "print one JSON object"}},
        run,
    };
    return command;
}

}  // namespace rgemma::cli
