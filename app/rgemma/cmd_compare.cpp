// cmd_compare.cpp — `rgemma compare`: how far a checkpoint's logits are from a reference's (a quantized copy against
// its original) on random prompts: top-1 agreement, the logits' max and mean absolute error, the softmax's KL.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

#include "cli_common.h"
#include "rgemma/model.h"
#include "rgemma/runtime.h"

namespace rgemma::cli {

namespace {

constexpr std::string_view kName = "compare";
// Ids 0..3 are <pad>, <eos>, <bos> and <unk> in Gemma vocabularies: a prompt of them is not text-like.
constexpr TokenId kFirstOrdinaryId = 4;

struct CompareRequest {
    std::filesystem::path model, reference;
    int threads = 0;
    int64_t prompts = 8, promptTokens = 64;
    uint64_t seed = 1234;
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

// The config.json keys on which `a` and `b` differ, each with both values ("hidden_size 96 vs 160"); empty if none.
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

// Equal configs say the ids index the same rows; only the tokenizers say they mean the same text. A folder without
// a tokenizer.model (ids only) is taken at its config's word.
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

// <bos> then `length - 1` ids drawn uniformly from the ordinary ids (from all, in a toy vocabulary of no more than
// the special ones), from one generator so prompt k depends only on the seed.
std::vector<TokenId> randomPrompt(std::mt19937_64& random, int64_t length, const ModelConfig& config) {
    const TokenId first = config.vocabSize > kFirstOrdinaryId ? kFirstOrdinaryId : 0;
    std::uniform_int_distribution<TokenId> pick(first, static_cast<TokenId>(config.vocabSize - 1));
    std::vector<TokenId> ids{config.bosId};
    while (static_cast<int64_t>(ids.size()) < length) ids.push_back(pick(random));
    return ids;
}

struct Tally {
    int64_t positions = 0, matches = 0;
    int64_t confidentPositions = 0, confidentMatches = 0;  // where the reference's top-1 leads by more than margin
    double maxAbsError = 0, sumAbsError = 0;
    int64_t values = 0;
    double sumKl = 0;  // KL(reference || model) of the softmax distributions, in nats, summed over positions

    double agreement() const { return static_cast<double>(matches) / static_cast<double>(positions); }
    double meanAbsError() const { return sumAbsError / static_cast<double>(values); }
    double meanKl() const { return sumKl / static_cast<double>(positions); }
    double confidentAgreement() const {
        return static_cast<double>(confidentMatches) / static_cast<double>(confidentPositions);
    }
};

double logSumExp(std::span<const float> row) {
    const double top = *std::max_element(row.begin(), row.end());
    double sum = 0;
    for (float value : row) sum += std::exp(static_cast<double>(value) - top);
    return top + std::log(sum);
}

// KL(p || q) of the softmax distributions: top-1 only sees the argmax, this sees every probability the sampler
// draws from (llama.cpp rates its quantizations by the same measure).
double klDivergence(std::span<const float> p, std::span<const float> q) {
    const double lseP = logSumExp(p), lseQ = logSumExp(q);
    double kl = 0;
    for (std::size_t i = 0; i < p.size(); ++i) {
        const double logP = static_cast<double>(p[i]) - lseP, logQ = static_cast<double>(q[i]) - lseQ;
        kl += std::exp(logP) * (logP - logQ);
    }
    return std::max(kl, 0.0);  // rounding can leave -1e-17 where the rows are equal
}

// The index of the largest value (the first on ties, as greedy sampling picks) and its lead over the runner-up.
std::pair<std::size_t, float> top1(std::span<const float> row) {
    const std::size_t best = static_cast<std::size_t>(std::max_element(row.begin(), row.end()) - row.begin());
    float second = -std::numeric_limits<float>::infinity();
    for (std::size_t i = 0; i < row.size(); ++i) {
        if (i != best) second = std::max(second, row[i]);
    }
    return {best, row[best] - second};
}

// Adds one position. A NaN or infinity would poison every figure, so it fails, naming where it came from.
Result<void> tallyPosition(Tally& tally, std::span<const float> model, std::span<const float> reference, float margin,
                           const std::string& where) {
    double rowMax = 0, rowSum = 0;
    for (std::size_t i = 0; i < model.size(); ++i) {
        if (!std::isfinite(model[i]) || !std::isfinite(reference[i])) {
            return makeError(ErrorCode::InvalidArgument,
                             "a logit is not finite at " + where + ", vocabulary id " + std::to_string(i) + " (" +
                                 (std::isfinite(model[i]) ? "--reference" : "--model") + ")");
        }
        const double diff = std::fabs(static_cast<double>(model[i]) - static_cast<double>(reference[i]));
        rowMax = std::max(rowMax, diff);
        rowSum += diff;
    }
    const auto [referenceTop, lead] = top1(reference);
    const bool match = top1(model).first == referenceTop;
    tally.positions += 1;
    tally.matches += match;
    if (lead > margin) {
        tally.confidentPositions += 1;
        tally.confidentMatches += match;
    }
    tally.maxAbsError = std::max(tally.maxAbsError, rowMax);
    tally.sumAbsError += rowSum;
    tally.values += static_cast<int64_t>(model.size());
    tally.sumKl += klDivergence(reference, model);
    return {};
}

Result<std::vector<float>> allPositionLogits(const Model& model, Runtime& runtime, std::span<const TokenId> prompt) {
    State state = model.newState();
    std::vector<float> logits;
    if (auto fed = model.forward(runtime, state, prompt, LogitsMode::AllPositions, logits); !fed) {
        return tl::unexpected(fed.error());
    }
    return logits;
}

// Prompt by prompt, so only one prompt's logits (tokens × vocab floats per model) are held at a time.
Result<Tally> compareModels(const Model& model, const Model& reference, const CompareRequest& request) {
    Runtime runtime(request.threads), referenceRuntime(request.threads);
    runtime.setPrefillPrecision(request.prefill);
    std::mt19937_64 random(request.seed);
    const auto vocab = static_cast<std::size_t>(reference.config().vocabSize);
    Tally tally;
    for (int64_t p = 0; p < request.prompts; ++p) {
        const std::vector<TokenId> prompt = randomPrompt(random, request.promptTokens, reference.config());
        auto ours = allPositionLogits(model, runtime, prompt);
        if (!ours) return tl::unexpected(ours.error());
        auto theirs = allPositionLogits(reference, referenceRuntime, prompt);
        if (!theirs) return tl::unexpected(theirs.error());
        for (std::size_t t = 0; t < prompt.size(); ++t) {
            const std::string where = "prompt " + std::to_string(p) + " position " + std::to_string(t);
            auto added =
                tallyPosition(tally, std::span<const float>(*ours).subspan(t * vocab, vocab),
                              std::span<const float>(*theirs).subspan(t * vocab, vocab), request.margin, where);
            if (!added) return tl::unexpected(added.error());
        }
    }
    return tally;
}

// The decimal the float was written as ("0.1"), not its exact binary value (0.100000001490116).
double asWritten(float value) { return std::strtod(spell(value).c_str(), nullptr); }

void printReport(const Tally& tally, const CompareRequest& request) {
    const bool anyConfident = tally.confidentPositions > 0;
    if (request.json) {
        nlohmann::ordered_json report{
            {"model", request.model.string()},
            {"reference", request.reference.string()},
            {"prompts", request.prompts},
            {"prompt_tokens", request.promptTokens},
            {"seed", request.seed},
            {"prefill", std::string(prefillName(request.prefill))},
            {"positions", tally.positions},
            {"top1_matches", tally.matches},
            {"top1_agreement", tally.agreement()},
            {"max_abs_error", tally.maxAbsError},
            {"mean_abs_error", tally.meanAbsError()},
            {"mean_kl_divergence", tally.meanKl()},
            {"margin", asWritten(request.margin)},
            {"confident_positions", tally.confidentPositions},
            {"confident_top1_agreement", anyConfident ? nlohmann::json(tally.confidentAgreement()) : nlohmann::json()},
        };
        writeOut(report.dump() + "\n");
        return;
    }
    std::printf("%lld prompts of %lld tokens (seed %llu): %lld positions\n", static_cast<long long>(request.prompts),
                static_cast<long long>(request.promptTokens), static_cast<unsigned long long>(request.seed),
                static_cast<long long>(tally.positions));
    std::printf("top-1 agreement     %.4f (%lld of %lld)\n", tally.agreement(), static_cast<long long>(tally.matches),
                static_cast<long long>(tally.positions));
    if (anyConfident) {
        std::printf("  margin > %-9g %.4f (%lld of %lld)\n", static_cast<double>(request.margin),
                    tally.confidentAgreement(), static_cast<long long>(tally.confidentMatches),
                    static_cast<long long>(tally.confidentPositions));
    } else {
        std::printf("  margin > %-9g no position\n", static_cast<double>(request.margin));
    }
    std::printf("max |logit diff|    %.6g\n", tally.maxAbsError);
    std::printf("mean |logit diff|   %.6g\n", tally.meanAbsError());
    std::printf("mean KL(ref||model) %.6g nats\n", tally.meanKl());
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

    auto tally = compareModels(**model, **reference, *request);
    if (!tally) return runtimeError(tally.error());
    printReport(*tally, *request);
    return kExitOk;
}

}  // namespace

const Command& compareCommand() {
    static const Command command{
        kName,
        "measure a checkpoint's logits against a reference's (top-1 agreement, error)",
        "rgemma compare --model DIR --reference DIR [--prompts N] [--prompt-tokens P] [--seed S] [--margin M]\n"
        "                      [--prefill P] [--threads N] [--json]",
        "Loads both checkpoints (same config and tokenizer required; the dtypes may differ, e.g. an int8 copy\n"
        "against its bf16 original), draws N random prompts (default 8) of P ids (default 64): <bos>, then ids\n"
        "drawn uniformly from 4..vocab_size-1 with seed S (default 1234). Each prompt is fed to both models from a\n"
        "fresh state, with the exact prefill precision that rgemma logits uses (--prefill fast: the model with the\n"
        "app's fast prompt path, bf16 activations where the CPU has them; int8: int8 activations and weights on\n"
        "AVX2; bf16-emulated: the bf16 path's numbers on any CPU, slowly; the reference stays exact, so --reference\n"
        "may be the same folder), and every\n"
        "position is compared:\n"
        "top-1 agreement (the fraction of positions whose argmax is the reference's), the largest and the mean\n"
        "|difference| of the soft-capped logits, the mean KL divergence of the model's softmax from the reference's\n"
        "(nats), and the top-1 agreement over the positions where the reference's top-1 leads its top-2 by more\n"
        "than M (default 0.1), where a near-tie cannot flip it. --json prints one JSON object: positions,\n"
        "top1_matches, top1_agreement, max_abs_error, mean_abs_error, mean_kl_divergence, margin,\n"
        "confident_positions, confident_top1_agreement (null when no position qualifies).",
        {modelOption(),
         {"reference", "DIR", "the checkpoint to compare against (e.g. the bf16 original)"},
         {"prompts", "N", "number of random prompts (default 8)"},
         {"prompt-tokens", "P", "ids per prompt, <bos> included (default 64)"},
         {"seed", "S", "seed of the random prompts (default 1234)"},
         {"margin", "M", "reference top-1 lead for the confident agreement (default 0.1)"},
         {"prefill", "P", "the model's prefill: exact (default), fast, int8 or bf16-emulated; the reference's: exact"},
         threadsOption(),
         {"json", "", "print one JSON object"}},
        run,
    };
    return command;
}

}  // namespace rgemma::cli
