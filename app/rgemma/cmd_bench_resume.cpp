// cmd_bench_resume.cpp — `rgemma bench resume`: what a state file buys. For each conversation length N, the time to
// re-process N tokens against the time to load their state file and take one decode step, the file's size, and
// proof that the resumed state continues bit-identically.
#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "cli_common.h"
#include "rgemma/checkpoint.h"
#include "rgemma/model.h"
#include "rgemma/state_file.h"

namespace rgemma::cli {

namespace {

constexpr std::string_view kName = "bench resume";
using Clock = std::chrono::steady_clock;

double since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

struct Row {
    int64_t n = 0;
    double reprocess = 0, save = 0, load = 0, decode = 0;
    uint64_t fileBytes = 0;
    bool identical = false;
    double resume() const { return load + decode; }
};

// The fingerprint as Model::load pays for it on a cold start: the weight files are first dropped from the page
// cache (posix_fadvise, best effort: only pages no process maps), then hashed twice (cold, then warm).
Result<std::pair<double, double>> fingerprintSeconds(const std::filesystem::path& dir, const ModelConfig& config) {
    auto checkpoint = CheckpointFiles::open(dir);
    if (!checkpoint) return tl::unexpected(checkpoint.error());
    for (const auto& file : checkpoint->files()) {
        const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) continue;
        ::posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
        ::close(fd);
    }
    auto start = Clock::now();
    const std::string cold = checkpoint->fingerprint(config);
    const double coldSeconds = since(start);
    start = Clock::now();
    const std::string warm = checkpoint->fingerprint(config);
    return std::make_pair(coldSeconds, since(start));
}

std::vector<TokenId> randomTokens(int64_t n, int64_t vocab, uint64_t seed) {
    std::vector<TokenId> ids{2};  // BOS
    uint64_t x = seed * 0x9E3779B97F4A7C15ull + 1;
    while (static_cast<int64_t>(ids.size()) < n) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        ids.push_back(static_cast<TokenId>(x % static_cast<uint64_t>(vocab)));
    }
    return ids;
}

Result<Row> measure(const Model& model, Runtime& runtime, int64_t n, const std::filesystem::path& file) {
    Row row;
    row.n = n;
    const std::vector<TokenId> tokens = randomTokens(n, model.config().vocabSize, static_cast<uint64_t>(n));
    const TokenId next[] = {static_cast<TokenId>(n % model.config().vocabSize)};
    std::vector<float> liveLogits, resumedLogits;

    State live = model.newState();
    auto start = Clock::now();
    if (auto fed = model.forward(runtime, live, tokens, LogitsMode::None, liveLogits); !fed)
        return tl::unexpected(fed.error());
    row.reprocess = since(start);

    start = Clock::now();
    if (auto saved = saveStateFile(file, live, model); !saved) return tl::unexpected(saved.error());
    row.save = since(start);
    std::error_code ec;
    row.fileBytes = std::filesystem::file_size(file, ec);

    start = Clock::now();
    auto resumed = loadStateFile(file, model);
    if (!resumed) return tl::unexpected(resumed.error());
    row.load = since(start);
    start = Clock::now();
    if (auto fed = model.forward(runtime, *resumed, next, LogitsMode::Last, resumedLogits); !fed) {
        return tl::unexpected(fed.error());
    }
    row.decode = since(start);
    std::filesystem::remove(file, ec);

    if (auto fed = model.forward(runtime, live, next, LogitsMode::Last, liveLogits); !fed)
        return tl::unexpected(fed.error());
    row.identical = liveLogits.size() == resumedLogits.size() &&
                    std::memcmp(liveLogits.data(), resumedLogits.data(), liveLogits.size() * sizeof(float)) == 0;
    return row;
}

void printRow(const Row& r) {
    std::printf("%7lld %12.3f %8.3f %8.4f %9.3f %9.3f %8.1fx %10.0fx %11llu  %s\n", static_cast<long long>(r.n),
                r.reprocess, r.save, r.load, r.decode, r.resume(), r.reprocess / r.resume(), r.reprocess / r.load,
                static_cast<unsigned long long>(r.fileBytes), r.identical ? "yes" : "NO");
    std::fflush(stdout);
}

std::string jsonRow(const Row& r) {
    char text[512];
    std::snprintf(text, sizeof text,
                  "{\"n\": %lld, \"reprocess_seconds\": %.6f, \"save_seconds\": %.6f, \"load_seconds\": %.6f, "
                  "\"decode_seconds\": %.6f, \"resume_seconds\": %.6f, \"speedup\": %.3f, "
                  "\"speedup_load_only\": %.3f, \"file_bytes\": %llu, \"bit_identical\": %s}",
                  static_cast<long long>(r.n), r.reprocess, r.save, r.load, r.decode, r.resume(),
                  r.reprocess / r.resume(), r.reprocess / r.load, static_cast<unsigned long long>(r.fileBytes),
                  r.identical ? "true" : "false");
    return text;
}

int run(const CliArgs& args) {
    auto dir = modelDir(args);
    if (!dir) return usageError(kName, dir.error());
    auto threads = threadCount(args);
    if (!threads) return usageError(kName, threads.error());
    std::vector<TokenId> lengths{100, 1000, 2000, 10000};
    if (auto text = args.value("n")) {
        auto parsed = parseIdList(*text, "n");
        if (!parsed) return usageError(kName, parsed.error());
        for (TokenId n : *parsed) {
            if (n < 1 || n > 1'000'000) return usageError(kName, "--n: each length must be in [1, 1000000]");
        }
        lengths = *parsed;
    }
    const bool json = args.has("json");

    auto config = loadModelConfig(*dir / "config.json");
    if (!config) return runtimeError(config.error());
    auto fingerprint = fingerprintSeconds(*dir, *config);
    if (!fingerprint) return runtimeError(fingerprint.error());
    auto start = Clock::now();
    auto model = Model::load(*dir);
    if (!model) return runtimeError(model.error());
    const double loadSeconds = since(start);
    Runtime runtime(*threads);
    // Fault every weight page in first, so that the first N does not pay for reading the checkpoint.
    start = Clock::now();
    std::vector<float> logits;
    State warm = (*model)->newState();
    if (auto fed = (*model)->forward(runtime, warm, randomTokens(8, (*model)->config().vocabSize, 1), LogitsMode::Last,
                                     logits);
        !fed) {
        return runtimeError(fed.error());
    }
    const double warmSeconds = since(start);

    char folderTemplate[] = "/tmp/rgemma-bench-XXXXXX";
    if (::mkdtemp(folderTemplate) == nullptr) return runtimeError({ErrorCode::Io, "cannot create a temporary folder"});
    const std::filesystem::path folder(folderTemplate);
    if (!json) {
        std::printf("model %s (%s), %d threads: load %.3f s, fingerprint %.1f ms cold / %.2f ms warm, warm-up %.2f s\n",
                    (*model)->info().name.c_str(), std::string(dtypeName((*model)->info().dtype)).c_str(),
                    runtime.threads(), loadSeconds, fingerprint->first * 1e3, fingerprint->second * 1e3, warmSeconds);
        std::printf("%7s %12s %8s %8s %9s %9s %9s %11s %11s  %s\n", "N", "re-process s", "save s", "load s", "decode s",
                    "resume s", "speed-up", "load-only", "file bytes", "bit-identical");
    }
    std::vector<Row> rows;
    bool allIdentical = true;
    for (TokenId n : lengths) {
        auto row = measure(**model, runtime, n, folder / ("bench-" + std::to_string(n) + ".rgstate"));
        if (!row) {
            std::filesystem::remove_all(folder);
            return runtimeError(row.error());
        }
        allIdentical = allIdentical && row->identical;
        if (!json) printRow(*row);
        rows.push_back(*row);
    }
    std::filesystem::remove_all(folder);
    if (json) {
        std::printf(
            "{\"model\": \"%s\", \"threads\": %d, \"load_seconds\": %.6f, \"fingerprint_cold_ms\": %.3f, "
            "\"fingerprint_warm_ms\": %.3f, \"results\": [",
            (*model)->info().name.c_str(), runtime.threads(), loadSeconds, fingerprint->first * 1e3,
            fingerprint->second * 1e3);
        for (std::size_t i = 0; i < rows.size(); ++i) std::printf("%s\n  %s", i ? "," : "", jsonRow(rows[i]).c_str());
        std::printf("\n]}\n");
    }
    if (!allIdentical) return runtimeError({ErrorCode::InvalidState, "a resumed state gave different logits"});
    return kExitOk;
}

}  // namespace

const Command& benchResumeCommand() {
    static const Command command{
        kName,
        "time resuming from a state file against re-processing",
        "rgemma bench resume --model DIR [--n 100,1000,2000,10000] [--json] [--threads N]",
        "For each length N: feeds N random tokens to a fresh state (the re-processing cost), saves the state\n"
        "file (atomically, with fsync), then loads it and takes one decode step (the resume cost), and checks\n"
        "that the next logits of the resumed state are bit-identical to the live state's. Prints per N the\n"
        "seconds of each phase, the speed-up (re-process / resume) and the speed-up of the load alone, and the\n"
        "file's size; before that, the model's load time and the fingerprint's cost with the weight files\n"
        "dropped from the page cache (cold) and cached (warm). Files go to a temporary folder under /tmp.\n"
        "Use a checkpoint from `rgemma make-random --shape 2b` for the real 2B's figures.",
        {
            modelOption(),
            {"n", "LIST", "conversation lengths, comma-separated (default 100,1000,2000,10000)"},
            {"json", "", "print the figures as one JSON object"},
            threadsOption(),
        },
        run,
    };
    return command;
}

}  // namespace rgemma::cli
