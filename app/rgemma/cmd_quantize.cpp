// cmd_quantize.cpp — `rgemma quantize`: writes an int8 copy of a checkpoint (a scale per 32 values) that every rgemma
// command and the app load like any other.
#include <chrono>
#include <cstdio>
#include <string>

#include "cli_common.h"
#include "rgemma/checkpoint.h"

namespace rgemma::cli {

namespace {

constexpr std::string_view kName = "quantize";

int run(const CliArgs& args) {
    auto dir = modelDir(args);
    if (!dir) return usageError(kName, dir.error());
    const std::string target = args.value("to").value_or("");
    if (target != "int8") return usageError(kName, "--to must be int8");
    std::filesystem::path out = args.value("out").value_or("");
    if (out.empty()) out = dir->lexically_normal().string() + "-int8";

    const auto start = std::chrono::steady_clock::now();
    auto report = quantizeCheckpointInt8(*dir, out);
    if (!report) return runtimeError(report.error());
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("wrote %s: %lld matrices as int8, %lld tensors copied, %.2f GB -> %.2f GB in %.1f s\n",
                out.string().c_str(), static_cast<long long>(report->quantizedTensors),
                static_cast<long long>(report->copiedTensors), static_cast<double>(report->bytesIn) / 1e9,
                static_cast<double>(report->bytesOut) / 1e9, seconds);
    return kExitOk;
}

}  // namespace

const Command& quantizeCommand() {
    static const Command command{
        kName,
        "write an int8 copy of a checkpoint",
        "rgemma quantize --model DIR --to int8 [--out DIR]",
        "Writes a checkpoint folder in which every dense matrix and the embedding (also the tied output layer) is\n"
        "int8 with an f32 scale per 32 values of a row (max |w| / 127, rounded to nearest); norms, biases, the conv "
        "and\n"
        "the RG-LRU gates are copied as stored, and so are config.json and the tokenizer. The default output is\n"
        "DIR-int8. Every command loads the result like any checkpoint.",
        {modelOption(),
         {"to", "FORMAT", "the target format: int8"},
         {"out", "DIR", "output folder (default: the model folder's path + \"-int8\")"}},
        run,
    };
    return command;
}

}  // namespace rgemma::cli
