// cmd_bench.cpp — `rgemma bench`: prefill and decode throughput of a checkpoint, reported beside the
// machine's limits measured in the same run (read bandwidth, the f32, int8 and bf16 arithmetic peaks of the
// instruction set in force, Eigen's f32 GEMM), so the ratios hold on a noisy shared machine.
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "bench_batch.h"
#include "cli_common.h"
#include "rgemma/machine.h"
#include "rgemma/model.h"
#include "rgemma/runtime.h"

namespace rgemma::cli {

namespace {

constexpr std::string_view kName = "bench";
constexpr std::size_t kBandwidthBytes = std::size_t{1} << 30;  // 1 GiB: far past the caches

using Clock = std::chrono::steady_clock;
double secondsSince(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

struct Report {
    int threads = 0;
    std::string isa;
    const char* isaRequested = nullptr;  // RGEMMA_ISA, when set
    int64_t promptTokens = 0, genTokens = 0;
    double loadSeconds = 0, decodeTokS = 0;
    // The app's prompt path (its Preferences' default, Fast precision, on this checkpoint and kernel table: bf16
    // dot products where the table has them, else exact) and the exact one (f32 activations, what rgemma logits
    // and generate use); equal where the app's path is the exact one.
    double prefillTokS = 0, prefillExactTokS = 0;
    PrefillArithmetic prefillPath = PrefillArithmetic::Exact;
    // PrefillPrecision::Int8 (opt-in), where the table has the int8 GEMM and the app's path is exact; else 0.
    double prefillInt8TokS = 0;
    double decodeW8a8TokS = 0;  // int8 checkpoints: decode with int8 activations (Int8Activations::Quantized)
    double bytesPerToken = 0, readGbS = 0, eigenGemmGflops = 0, prefillFlopsPerToken = 0;
    MachinePeaks peaks;
    double peakRssMb = 0;
    // --batch: batched decode per size and position.
    std::optional<std::vector<BatchFigure>> batch;

    double decodeBwFraction() const { return bwFraction(decodeTokS); }
    double bwFraction(double tokS) const { return tokS * bytesPerToken / (readGbS * 1e9); }
    // The peak of a path's arithmetic: f32 multiply-adds for exact, bf16 or int8 dot products for the fast paths.
    std::optional<double> peakOf(PrefillArithmetic path) const {
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
    std::optional<double> peakFraction(double tokS, PrefillArithmetic path) const {
        const auto peak = peakOf(path);
        if (!peak || *peak <= 0) return std::nullopt;
        return tokS * prefillFlopsPerToken / (*peak * 1e9);
    }
};

// A JSON number with printf's `format`, or null.
std::string jsonNumber(std::optional<double> value, const char* format = "%.2f") {
    if (!value) return "null";
    char text[64];
    std::snprintf(text, sizeof text, format, *value);
    return text;
}

std::string jsonString(const char* value) { return value ? "\"" + std::string(value) + "\"" : "null"; }

// FLOPs per prompt token of a prefill of `prompt` tokens: 2 per non-embedding weight, plus the attention scores
// and the weighted sum over each query's window (averaged over the prompt), plus the output layer once.
double prefillFlopsPerToken(const Model& model, int64_t prompt) {
    const ModelConfig& c = model.config();
    const double embedding = static_cast<double>(c.vocabSize) * static_cast<double>(c.hiddenSize);
    double keys = 0;
    for (int64_t t = 0; t < prompt; ++t) keys += static_cast<double>(std::min(t, c.attentionWindow) + 1);
    const double attention =
        4.0 * static_cast<double>(c.numHeads * c.headDim) * keys * static_cast<double>(c.numAttentionLayers());
    const double dense = 2.0 * (static_cast<double>(model.info().parameterCount) - embedding) * prompt;
    return (dense + attention + 2.0 * embedding) / static_cast<double>(prompt);
}

std::vector<TokenId> randomTokens(int64_t count, int64_t vocab) {
    std::mt19937 random(1234);
    std::uniform_int_distribution<TokenId> pick(3, static_cast<TokenId>(vocab - 1));
    std::vector<TokenId> ids(static_cast<std::size_t>(count));
    for (TokenId& id : ids) id = pick(random);
    return ids;
}

// Tokens per second of one prefill of `prompt` on a fresh state.
Result<double> timePrefill(const Model& model, Runtime& runtime, std::span<const TokenId> prompt) {
    State state = model.newState();
    std::vector<float> logits;
    const auto start = Clock::now();
    if (auto fed = model.forward(runtime, state, prompt, LogitsMode::Last, logits); !fed) {
        return tl::unexpected(fed.error());
    }
    return static_cast<double>(prompt.size()) / secondsSince(start);
}

// Tokens per second of `count` greedy decode steps (the output layer included) after a short prompt.
Result<double> timeDecode(const Model& model, Runtime& runtime, std::span<const TokenId> prompt, int64_t count) {
    State state = model.newState();
    std::vector<float> logits;
    if (auto fed = model.forward(runtime, state, prompt, LogitsMode::Last, logits); !fed) {
        return tl::unexpected(fed.error());
    }
    const auto start = Clock::now();
    for (int64_t i = 0; i < count; ++i) {
        const TokenId next[] = {static_cast<TokenId>(std::max_element(logits.begin(), logits.end()) - logits.begin())};
        if (auto fed = model.forward(runtime, state, next, LogitsMode::Last, logits); !fed) {
            return tl::unexpected(fed.error());
        }
    }
    return static_cast<double>(count) / secondsSince(start);
}

// "%8.1f UNIT (instructions)" for a peak, or why there is none.
void printPeak(const char* label, std::optional<double> value, const char* unit, const char* instructions,
               const std::string& isa) {
    if (value) {
        std::printf("%-19s%8.1f %s  (%s)\n", label, *value, unit, instructions);
    } else {
        std::printf("%-19s    none at %s\n", label, isa.c_str());
    }
}

void printHuman(const Report& r) {
    std::printf("threads %d, kernels %s%s%s%s, prompt %lld tokens, %lld generated\n", r.threads, r.isa.c_str(),
                r.isaRequested ? " (RGEMMA_ISA=" : "", r.isaRequested ? r.isaRequested : "", r.isaRequested ? ")" : "",
                static_cast<long long>(r.promptTokens), static_cast<long long>(r.genTokens));
    std::printf("load               %8.2f s\n", r.loadSeconds);
    std::printf("read bandwidth     %8.1f GB/s\n", r.readGbS);
    printPeak("f32 peak", r.peaks.fp32Gflops, "GFLOP/s", r.peaks.fp32Instructions, r.isa);
    printPeak("int8 dot peak", r.peaks.int8Gops, "GOP/s  ", r.peaks.int8Instructions, r.isa);
    printPeak("bf16 dot peak", r.peaks.bf16Gflops, "GFLOP/s", r.peaks.bf16Instructions, r.isa);
    std::printf("Eigen f32 GEMM     %8.1f GFLOP/s\n", r.eigenGemmGflops);
    const auto prefillLine = [&](const std::string& label, double tokS, PrefillArithmetic path) {
        const auto fraction = r.peakFraction(tokS, path);
        std::printf("%-19s%8.2f tok/s  %6.1f GFLOP/s  %s of the %s peak\n", label.c_str(), tokS,
                    tokS * r.prefillFlopsPerToken / 1e9, jsonNumber(fraction, "%.2f").c_str(),
                    path == PrefillArithmetic::Exact ? "f32" : prefillArithmeticName(path).data());
    };
    prefillLine("prefill (app, " + std::string(prefillArithmeticName(r.prefillPath)) + ")", r.prefillTokS,
                r.prefillPath);
    prefillLine("prefill (exact)", r.prefillExactTokS, PrefillArithmetic::Exact);
    std::printf("decode             %8.2f tok/s  %.2f GB/token  %.2f of the bandwidth bound\n", r.decodeTokS,
                r.bytesPerToken / 1e9, r.decodeBwFraction());
    if (r.prefillInt8TokS > 0) {
        prefillLine("prefill (int8)", r.prefillInt8TokS, PrefillArithmetic::Int8);
    }
    if (r.decodeW8a8TokS > 0) {
        std::printf("decode (w8a8)      %8.2f tok/s  %.2f of the bandwidth bound\n", r.decodeW8a8TokS,
                    r.bwFraction(r.decodeW8a8TokS));
    }
    std::printf("peak RSS           %8.0f MB\n", r.peakRssMb);
    if (r.batch) printBatchHuman(*r.batch, r.readGbS, r.peaks);
}

void printJson(const Report& r) {
    std::printf(
        "{\"threads\": %d, \"isa\": \"%s\", \"isa_requested\": %s, \"prompt_tokens\": %lld, \"gen_tokens\": %lld, "
        "\"load_s\": %.3f, \"read_gb_s\": %.2f, \"fp32_fma_gflops\": %s, \"int8_dot_gops\": %s, "
        "\"bf16_dot_gflops\": %s, \"peak_instructions\": {\"fp32\": %s, \"int8\": %s, \"bf16\": %s}, "
        "\"eigen_gemm_gflops\": %.1f, \"prefill_path\": \"%s\", \"prefill_tok_s\": %.3f, "
        "\"prefill_exact_tok_s\": %.3f, \"prefill_flops_per_token\": %.6g, \"prefill_peak_fraction\": %s, "
        "\"prefill_exact_peak_fraction\": %s, \"decode_tok_s\": %.3f, \"bytes_per_token\": %.0f, "
        "\"decode_bw_fraction\": %.3f, \"decode_w8a8_tok_s\": %.3f, \"decode_w8a8_bw_fraction\": %.3f, "
        "\"prefill_int8_tok_s\": %.3f, \"prefill_int8_peak_fraction\": %s, "
        "\"peak_rss_mb\": %.0f%s}\n",
        r.threads, r.isa.c_str(), jsonString(r.isaRequested).c_str(), static_cast<long long>(r.promptTokens),
        static_cast<long long>(r.genTokens), r.loadSeconds, r.readGbS, jsonNumber(r.peaks.fp32Gflops).c_str(),
        jsonNumber(r.peaks.int8Gops).c_str(), jsonNumber(r.peaks.bf16Gflops).c_str(),
        jsonString(r.peaks.fp32Instructions).c_str(), jsonString(r.peaks.int8Instructions).c_str(),
        jsonString(r.peaks.bf16Instructions).c_str(), r.eigenGemmGflops, prefillArithmeticName(r.prefillPath).data(),
        r.prefillTokS, r.prefillExactTokS, r.prefillFlopsPerToken,
        jsonNumber(r.peakFraction(r.prefillTokS, r.prefillPath), "%.4f").c_str(),
        jsonNumber(r.peakFraction(r.prefillExactTokS, PrefillArithmetic::Exact), "%.4f").c_str(), r.decodeTokS,
        r.bytesPerToken, r.decodeBwFraction(), r.decodeW8a8TokS, r.bwFraction(r.decodeW8a8TokS), r.prefillInt8TokS,
        jsonNumber(r.peakFraction(r.prefillInt8TokS, PrefillArithmetic::Int8), "%.4f").c_str(), r.peakRssMb,
        r.batch ? (", \"batch\": " + batchJson(*r.batch, r.readGbS, r.peaks)).c_str() : "");
}

// Prefill at both precisions (the app's Fast one only where it is not the exact path), after a warm-up that
// faults the mapped weights in and grows the scratch buffers.
Result<void> timePrefills(const Model& model, Runtime& runtime, std::span<const TokenId> prompt, Report& r) {
    if (auto warm = timeDecode(model, runtime, prompt.first(2), 1); !warm) return tl::unexpected(warm.error());
    auto exact = timePrefill(model, runtime, prompt);
    if (!exact) return tl::unexpected(exact.error());
    r.prefillExactTokS = r.prefillTokS = *exact;
    r.prefillPath = runtime.prefillArithmetic(PrefillPrecision::Fast, model.info().dtype);
    if (r.prefillPath != PrefillArithmetic::Exact) {
        runtime.setPrefillPrecision(PrefillPrecision::Fast);
        auto fast = timePrefill(model, runtime, prompt);
        runtime.setPrefillPrecision(PrefillPrecision::Exact);
        if (!fast) return tl::unexpected(fast.error());
        r.prefillTokS = *fast;
    } else if (runtime.prefillArithmetic(PrefillPrecision::Int8, DType::BF16) == PrefillArithmetic::Int8) {
        // The kernels have the int8 GEMM (timed whatever the checkpoint's dtype, as the figure's name says).
        runtime.setPrefillPrecision(PrefillPrecision::Int8);
        auto int8 = timePrefill(model, runtime, prompt);
        runtime.setPrefillPrecision(PrefillPrecision::Exact);
        if (!int8) return tl::unexpected(int8.error());
        r.prefillInt8TokS = *int8;
    }
    return {};
}

Result<Report> measure(const std::filesystem::path& dir, int threads, int64_t promptTokens, int64_t genTokens,
                       const std::optional<BatchPlan>& batchPlan) {
    Report r;
    r.promptTokens = promptTokens;
    r.genTokens = genTokens;
    const auto loadStart = Clock::now();
    auto loaded = Model::load(dir);
    if (!loaded) return tl::unexpected(loaded.error());
    r.loadSeconds = secondsSince(loadStart);
    const Model& model = **loaded;
    Runtime runtime(threads);
    r.threads = runtime.threads();
    r.isa = std::string(runtime.isa());
    r.isaRequested = requestedIsa();

    r.prefillFlopsPerToken = prefillFlopsPerToken(model, promptTokens);
    r.bytesPerToken = static_cast<double>(model.info().weightBytes);

    // Each limit is measured next to the phase it is compared with (on a shared machine the load drifts): the
    // peaks right before prefill, the bandwidth right after decode, once the peak RSS of the model is recorded
    // (the probe's 1 GiB buffer is not the model's memory).
    r.eigenGemmGflops = measureEigenGemm(runtime, 512, 2560, 2560);
    r.peaks = measurePeaks(runtime);
    const auto prompt = randomTokens(promptTokens, model.config().vocabSize);
    if (auto timed = timePrefills(model, runtime, prompt, r); !timed) return tl::unexpected(timed.error());
    auto decode = timeDecode(model, runtime, std::span<const TokenId>(prompt).first(8), genTokens);
    if (!decode) return tl::unexpected(decode.error());
    r.decodeTokS = *decode;
    if (model.info().dtype == DType::I8) {
        runtime.setInt8Activations(Int8Activations::Quantized);
        auto w8a8 = timeDecode(model, runtime, std::span<const TokenId>(prompt).first(8), genTokens);
        runtime.setInt8Activations(Int8Activations::Float);
        if (!w8a8) return tl::unexpected(w8a8.error());
        r.decodeW8a8TokS = *w8a8;
    }
    if (batchPlan) {
        auto batch = measureBatches(model, runtime, *batchPlan, genTokens);
        if (!batch) return tl::unexpected(batch.error());
        r.batch = std::move(*batch);
    }

    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    r.peakRssMb = static_cast<double>(usage.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
    r.readGbS = measureReadBandwidth(runtime, kBandwidthBytes);
    return r;
}

int run(const CliArgs& args) {
    auto dir = modelDir(args);
    if (!dir) return usageError(kName, dir.error());
    auto threads = threadCount(args);
    if (!threads) return usageError(kName, threads.error());
    auto prompt = parseInteger(args.value("prompt-tokens").value_or("512"), "prompt-tokens", 8, 1 << 20);
    if (!prompt) return usageError(kName, prompt.error());
    auto gen = parseInteger(args.value("gen-tokens").value_or("32"), "gen-tokens", 1, 1 << 20);
    if (!gen) return usageError(kName, gen.error());

    auto batchPlan = batchPlanFromArgs(args);
    if (!batchPlan) return usageError(kName, batchPlan.error());

    auto report = measure(*dir, *threads, *prompt, *gen, *batchPlan);
    if (!report) return runtimeError(report.error());
    if (args.has("json")) {
        printJson(*report);
    } else {
        printHuman(*report);
    }
    return kExitOk;
}

}  // namespace

const Command& benchCommand() {
    static const Command command{
        kName,
        "measure prefill, decode and batched decode speed against the machine's limits",
        "rgemma bench --model DIR [--threads N] [--prompt-tokens P] [--gen-tokens G] [--batch LIST [--positions "
        "LIST]] [--json]",
        "Loads the checkpoint, measures in the same run the read bandwidth (1 GiB streamed), Eigen's f32 GEMM rate\n"
        "and the arithmetic peaks of the kernel level in force (isa: the best this CPU runs, or the lower one\n"
        "RGEMMA_ISA names), every thread running independent register-only chains: fp32_fma_gflops (vfmadd231ps\n"
        "on ymm at avx2, zmm at the avx512 levels; SSE2 mulps + addps at portable), int8_dot_gops (vpdpbusd with\n"
        "AVX-512 VNNI, else vpmaddubsw + vpmaddwd + vpaddd; one int8 multiply-add counts 2; null at portable) and\n"
        "bf16_dot_gflops (vdpbf16ps; null below avx512bf16). It then times a prefill of P random tokens (default\n"
        "512) and G greedy decode steps (default 32), on int8 checkpoints also with int8 activations (w8a8).\n"
        "Prefill is timed twice: prefill_tok_s is the app's path, its Preferences' default (prefill_path: bf16 where\n"
        "the kernels have bf16 dot products and the weights are bf16 or int8, else exact), prefill_exact_tok_s the\n"
        "exact one that rgemma logits and generate use (f32 activations). Prefill is reported as a fraction of the\n"
        "peak of its path's arithmetic (bf16 or int8 dot products, f32 FMA for exact), decode as a fraction of the\n"
        "bandwidth bound (tok/s × weight bytes ÷ bandwidth). --json prints one JSON object; a figure that does not\n"
        "exist at this level is null.\n"
        "--batch 1,2,4,8 also times G batched decode steps per batch size (one pass over the weights advances\n"
        "every sequence by a token), at each position of --positions (default 8), and reports in a batch array,\n"
        "per size and position: decode_tok_s (all sequences together), per_sequence_tok_s, step_ms,\n"
        "bytes_per_step (the weights once plus every state), bw_fraction (of the read bound), path (the products'\n"
        "arithmetic: exact f32 up to 8 sequences, the decode matvec column by column; above 8 the app's prompt\n"
        "path, bf16 dot products where the kernels have them) and peak_fraction (of that path's peak). The\n"
        "states are those after 8 random tokens with their position then set to P: a step's work depends on the\n"
        "positions (the attention window fills at P >= its width), not on the values, so late positions need no\n"
        "long prefill.",
        {modelOption(),
         threadsOption(),
         {"prompt-tokens", "P", "prompt length for the prefill timing (default 512)"},
         {"gen-tokens", "G", "decode steps to time (default 32)"},
         {"batch", "LIST", "batch sizes for batched decode, comma-separated (e.g. 1,2,4,8)"},
         {"positions", "LIST", "positions of the batched sequences, comma-separated (default 8; needs --batch)"},
         {"json", "", "print one JSON object"}},
        run,
    };
    return command;
}

}  // namespace rgemma::cli
