// bench_batch.cpp — batched decode timings for `rgemma bench --batch`.
#include "bench_batch.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <limits>
#include <random>

namespace rgemma::cli {

namespace {

using Clock = std::chrono::steady_clock;

// The most sequences a batch may hold here: each needs its own state (the 2B's is a few MB).
constexpr int64_t kMaxBatch = 256;
constexpr int64_t kHistoryTokens = 8;

Parsed<std::vector<int64_t>> parseList(std::string_view text, std::string_view option, int64_t min, int64_t max) {
    std::vector<int64_t> values;
    std::size_t start = 0;
    while (true) {
        const std::size_t comma = text.find(',', start);
        const auto item = text.substr(start, comma == std::string_view::npos ? text.npos : comma - start);
        auto value = parseInteger(item, option, min, max);
        if (!value) return tl::unexpected<std::string>(value.error());
        values.push_back(*value);
        if (comma == std::string_view::npos) break;
        start = comma + 1;
    }
    return values;
}

// FLOPs of one decoded token at `position`: 2 per non-embedding weight, the output layer, and the attention scores
// and weighted sum over the keys it sees.
double decodeFlops(const Model& model, int64_t position) {
    const ModelConfig& c = model.config();
    const double embedding = static_cast<double>(c.vocabSize) * static_cast<double>(c.hiddenSize);
    const double keys = static_cast<double>(std::min(position, c.attentionWindow) + 1);
    const double attention =
        4.0 * static_cast<double>(c.numHeads * c.headDim) * keys * static_cast<double>(c.numAttentionLayers());
    return 2.0 * (static_cast<double>(model.info().parameterCount) - embedding) + 2.0 * embedding + attention;
}

TokenId argmax(const float* logits, int64_t vocab) {
    return static_cast<TokenId>(std::max_element(logits, logits + vocab) - logits);
}

Result<BatchFigure> timeBatch(const Model& model, Runtime& runtime, const State& start, int64_t size, int64_t position,
                              int64_t steps) {
    std::vector<State> states;
    std::vector<State*> pointers;
    const int64_t first = std::max(position, start.position);
    for (int64_t b = 0; b < size; ++b) {
        states.push_back(start.fork());
        states.back().position = first;
    }
    for (State& state : states) pointers.push_back(&state);
    std::vector<TokenId> tokens(static_cast<std::size_t>(size));
    for (int64_t b = 0; b < size; ++b) tokens[static_cast<std::size_t>(b)] = static_cast<TokenId>(3 + b);
    std::vector<float> logits;
    const int64_t vocab = model.config().vocabSize;
    const auto advance = [&]() -> Result<void> {
        if (auto fed = model.forwardBatch(runtime, pointers, tokens, logits); !fed) return fed;
        for (int64_t b = 0; b < size; ++b)
            tokens[static_cast<std::size_t>(b)] = argmax(logits.data() + b * vocab, vocab);
        return {};
    };
    if (auto warm = advance(); !warm) return tl::unexpected(warm.error());  // grows the scratch buffers
    const auto begin = Clock::now();
    for (int64_t i = 0; i < steps; ++i) {
        if (auto fed = advance(); !fed) return tl::unexpected(fed.error());
    }
    const double seconds = std::chrono::duration<double>(Clock::now() - begin).count();
    BatchFigure figure;
    figure.size = size;
    figure.position = first;
    figure.perSequenceTokS = static_cast<double>(steps) / seconds;
    figure.decodeTokS = figure.perSequenceTokS * static_cast<double>(size);
    figure.stepMs = seconds * 1e3 / static_cast<double>(steps);
    figure.bytesPerStep = static_cast<double>(model.info().weightBytes + size * model.info().stateBytes);
    figure.flopsPerStep = static_cast<double>(size) * decodeFlops(model, figure.position);
    figure.path = size <= kMaxDecodeColumns ? PrefillArithmetic::Exact
                                            : runtime.prefillArithmetic(runtime.prefillPrecision(), model.info().dtype);
    return figure;
}

std::string formatted(const char* format, double value) {
    char text[64];
    std::snprintf(text, sizeof text, format, value);
    return text;
}

std::optional<double> peakOf(const MachinePeaks& peaks, PrefillArithmetic path) {
    switch (path) {
        case PrefillArithmetic::Exact:
            return peaks.fp32Gflops;
        case PrefillArithmetic::Bf16:
            return peaks.bf16Gflops;
        case PrefillArithmetic::Int8:
            return peaks.int8Gops;
    }
    return std::nullopt;
}

// The figure's fraction of its arithmetic's peak, printed with `format`, or `none`.
std::string peakFraction(const BatchFigure& f, const MachinePeaks& peaks, const char* format, const char* none) {
    const auto peak = peakOf(peaks, f.path);
    if (!peak || *peak <= 0) return none;
    return formatted(format, f.flopsPerStep / (f.stepMs / 1e3) / (*peak * 1e9));
}

}  // namespace

Parsed<std::optional<BatchPlan>> batchPlanFromArgs(const CliArgs& args) {
    const auto sizes = args.value("batch");
    if (!sizes) {
        if (args.has("positions")) return tl::unexpected<std::string>("--positions needs --batch LIST");
        return std::optional<BatchPlan>();
    }
    BatchPlan plan;
    auto parsed = parseList(*sizes, "batch", 1, kMaxBatch);
    if (!parsed) return tl::unexpected<std::string>(parsed.error());
    plan.sizes = std::move(*parsed);
    auto positions = parseList(args.value("positions").value_or(std::to_string(kHistoryTokens)), "positions",
                               kHistoryTokens, std::numeric_limits<int32_t>::max());
    if (!positions) return tl::unexpected<std::string>(positions.error());
    plan.positions = std::move(*positions);
    return std::optional<BatchPlan>(std::move(plan));
}

Result<std::vector<BatchFigure>> measureBatches(const Model& model, Runtime& runtime, const BatchPlan& plan,
                                                int64_t steps) {
    State start = model.newState();
    std::mt19937 random(99);
    std::uniform_int_distribution<TokenId> pick(3, static_cast<TokenId>(model.config().vocabSize - 1));
    std::vector<TokenId> history(kHistoryTokens);
    for (TokenId& id : history) id = pick(random);
    std::vector<float> logits;
    if (auto fed = model.forward(runtime, start, history, LogitsMode::None, logits); !fed) {
        return tl::unexpected(fed.error());
    }
    const PrefillPrecision before = runtime.prefillPrecision();
    runtime.setPrefillPrecision(PrefillPrecision::Fast);
    std::vector<BatchFigure> figures;
    for (int64_t position : plan.positions) {
        for (int64_t size : plan.sizes) {
            auto figure = timeBatch(model, runtime, start, size, position, steps);
            if (!figure) {
                runtime.setPrefillPrecision(before);
                return tl::unexpected(figure.error());
            }
            figures.push_back(*figure);
        }
    }
    runtime.setPrefillPrecision(before);
    return figures;
}

void printBatchHuman(const std::vector<BatchFigure>& figures, double readGbS, const MachinePeaks& peaks) {
    std::printf("batched decode:\n");
    std::printf("  batch  position     tok/s  per seq tok/s   step ms  of read bound  of peak  path\n");
    for (const BatchFigure& f : figures) {
        const double bw = f.bytesPerStep / (f.stepMs / 1e3) / (readGbS * 1e9);
        std::printf("  %5lld  %8lld  %8.2f  %13.2f  %8.1f  %13.2f  %7s  %s\n", static_cast<long long>(f.size),
                    static_cast<long long>(f.position), f.decodeTokS, f.perSequenceTokS, f.stepMs, bw,
                    peakFraction(f, peaks, "%.2f", "-").c_str(), prefillArithmeticName(f.path).data());
    }
}

std::string batchJson(const std::vector<BatchFigure>& figures, double readGbS, const MachinePeaks& peaks) {
    std::string json = "[";
    for (std::size_t i = 0; i < figures.size(); ++i) {
        const BatchFigure& f = figures[i];
        char text[512];
        std::snprintf(text, sizeof text,
                      "%s{\"size\": %lld, \"position\": %lld, \"decode_tok_s\": %.3f, \"per_sequence_tok_s\": %.3f, "
                      "\"step_ms\": %.3f, \"bytes_per_step\": %.0f, \"flops_per_step\": %.6g, \"bw_fraction\": %.4f, "
                      "\"path\": \"%s\", \"peak_fraction\": %s}",
                      i == 0 ? "" : ", ", static_cast<long long>(f.size), static_cast<long long>(f.position),
                      f.decodeTokS, f.perSequenceTokS, f.stepMs, f.bytesPerStep, f.flopsPerStep,
                      f.bytesPerStep / (f.stepMs / 1e3) / (readGbS * 1e9), prefillArithmeticName(f.path).data(),
                      peakFraction(f, peaks, "%.4f", "null").c_str());
        json += text;
    }
    return json + "]";
}

}  // namespace rgemma::cli
