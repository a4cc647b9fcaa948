// cmd_make_random.cpp — `rgemma make-random`: a complete checkpoint folder of random weights in a real shape
// (config.json, sharded safetensors, a 256k-piece tokenizer), for benchmarks that need the 2B's or 9B's size.
#include <chrono>
#include <cstdio>
#include <system_error>

#include "cli_common.h"
#include "random_config.h"
#include "random_tokenizer.h"
#include "rgemma/checkpoint.h"
#include "rgemma/model.h"

namespace rgemma::cli {

namespace {

constexpr std::string_view kName = "make-random";

Result<void> writeText(const std::filesystem::path& path, const std::string& text) {
    std::FILE* out = std::fopen(path.c_str(), "wb");
    const bool ok = out != nullptr && std::fwrite(text.data(), 1, text.size(), out) == text.size();
    const bool closed = out != nullptr && std::fclose(out) == 0;
    if (!ok || !closed) return makeError(ErrorCode::Io, "cannot write '" + path.string() + "'");
    return {};
}

// The folder must be new or empty: a random checkpoint never mixes with, or overwrites, real files.
Result<void> prepareFolder(const std::filesystem::path& dir) {
    std::error_code ec;
    if (std::filesystem::exists(dir, ec)) {
        if (!std::filesystem::is_directory(dir, ec)) {
            return makeError(ErrorCode::Io, "'" + dir.string() + "' exists and is not a folder");
        }
        if (!std::filesystem::is_empty(dir, ec)) {
            return makeError(ErrorCode::Io, "'" + dir.string() + "' is not empty; choose a new or empty folder");
        }
        return {};
    }
    if (!std::filesystem::create_directories(dir, ec)) {
        return makeError(ErrorCode::Io, "cannot create '" + dir.string() + "': " + ec.message());
    }
    return {};
}

int run(const CliArgs& args) {
    const std::string shape = args.value("shape").value_or("");
    if (shape != "2b" && shape != "9b" && shape != "tiny") {
        return usageError(kName, "--shape must be one of 2b, 9b, tiny");
    }
    const std::string dtypeText = args.value("dtype").value_or("bf16");
    if (dtypeText != "f32" && dtypeText != "bf16") return usageError(kName, "--dtype must be f32 or bf16");
    const DType dtype = dtypeText == "f32" ? DType::F32 : DType::BF16;
    const auto out = args.value("out");
    if (!out || out->empty()) return usageError(kName, "missing required option --out DIR");
    uint64_t seed = 0;
    if (auto text = args.value("seed")) {
        auto parsed = parseUnsigned(*text, "seed");
        if (!parsed) return usageError(kName, parsed.error());
        seed = *parsed;
    }

    const auto start = std::chrono::steady_clock::now();
    const std::filesystem::path dir(*out);
    if (auto ok = prepareFolder(dir); !ok) return runtimeError(ok.error());
    const std::string configText = randomConfigJson(shape, dtype);
    auto config = parseModelConfig(configText, "config.json");
    if (!config) return runtimeError(config.error());
    if (auto ok = writeText(dir / "config.json", configText); !ok) return runtimeError(ok.error());
    if (auto ok = writeText(dir / "tokenizer.model", buildTokenizerModel(config->vocabSize)); !ok) {
        return runtimeError(ok.error());
    }
    auto written = writeRandomWeights(*config, dtype, seed, dir, [](const std::string& file, uint64_t bytes) {
        std::printf("wrote %s (%llu bytes)\n", file.c_str(), static_cast<unsigned long long>(bytes));
        std::fflush(stdout);
    });
    if (!written) return runtimeError(written.error());

    // Proof that the folder is a checkpoint the engine accepts.
    auto model = Model::load(dir);
    if (!model) return runtimeError(model.error());
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("%s: %s %s, %lld parameters, %llu bytes of weights, fingerprint %s (%.1f s)\n", dir.string().c_str(),
                shape.c_str(), dtypeText.c_str(), static_cast<long long>((*model)->info().parameterCount),
                static_cast<unsigned long long>((*model)->info().weightBytes), (*model)->info().fingerprint.c_str(),
                seconds);
    return kExitOk;
}

}  // namespace

const Command& makeRandomCommand() {
    static const Command command{
        kName,
        "write a checkpoint of random weights in a real shape",
        "rgemma make-random --shape 2b|9b|tiny --out DIR [--dtype f32|bf16] [--seed S]",
        "Writes a complete Hugging Face checkpoint folder into DIR (new or empty): config.json in the published\n"
        "shape, safetensors shards of at most 2 GB with model.safetensors.index.json (one model.safetensors\n"
        "when it fits), and a Gemma-layout BPE tokenizer.model with the config's vocabulary size (256000 for\n"
        "2b and 9b). The weights are random (seeded: the same seed gives the same files) and written as a\n"
        "stream, never held in memory: the 2B in bf16 is 5.4 GB, the 9B in bf16 17 GB. The text such a model\n"
        "writes is noise; it is for benchmarks and tests. The folder is loaded once at the end to check it.",
        {
            {"shape", "NAME", "2b, 9b, or tiny (the test models' 5-layer shape)"},
            {"out", "DIR", "the folder to create"},
            {"dtype", "TYPE", "f32 or bf16 (default bf16)"},
            {"seed", "S", "random seed (default 0)"},
        },
        run,
    };
    return command;
}

}  // namespace rgemma::cli
