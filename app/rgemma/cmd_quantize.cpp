// cmd_quantize.cpp — `rgemma quantize`: writes an int8 copy of a checkpoint (a scale per 32 values) or a mixed 4-bit
// one (Q4K) that every rgemma command and the app load like any other.
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
    if (target != "int8" && target != "q4k") return usageError(kName, "--to must be int8 or q4k");
    const QuantizeFormat format = target == "q4k" ? QuantizeFormat::Q4K : QuantizeFormat::Int8;
    std::filesystem::path out = args.value("out").value_or("");
    if (out.empty()) out = dir->lexically_normal().string() + "-" + target;

    const auto start = std::chrono::steady_clock::now();
    auto report = quantizeCheckpoint(*dir, out, format);
    if (!report) return runtimeError(report.error());
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf(
        "wrote %s: %lld matrices as 4-bit (q4k), %lld as int8, %lld tensors copied, %.2f GB -> %.2f GB in "
        "%.1f s\n",
        out.string().c_str(), static_cast<long long>(report->q4Tensors),
        static_cast<long long>(report->quantizedTensors), static_cast<long long>(report->copiedTensors),
        static_cast<double>(report->bytesIn) / 1e9, static_cast<double>(report->bytesOut) / 1e9, seconds);
    return kExitOk;
}

}  // namespace

const Command& quantizeCommand() {
    static const Command command{
        kName,
        "write an int8 or 4-bit copy of a checkpoint",
        "rgemma quantize --model DIR --to int8|q4k [--out DIR]",
        "Writes a checkpoint folder with quantized weights; norms, biases, the conv and the RG-LRU gates are copied\n"
        "as stored, and so are config.json and the tokenizer. --to int8: every dense matrix and the\n"
        "embedding (also the tied output layer) is int8 with an f32 scale per 32 values of a row (max |w| / 127,\n"
        "rounded to nearest). --to q4k (mixed 4-bit, about 0.64 of int8's bytes per token): the dense matrices past\n"
        "the first layer are 4-bit, in super-blocks of 256 values with 6-bit scales and minimums per 32 (Q4K);\n"
        "the embedding and the first layer stay int8. The default output is DIR-int8 or DIR-q4k. Every command\n"
        "loads the result like any checkpoint.",
        {modelOption(),
         {"to", "FORMAT", "the target format: int8 or q4k"},
         {"out", "DIR", "output folder (default: the model folder's path + \"-int8\" or \"-q4k\")"}},
        run,
    };
    return command;
}

}  // namespace rgemma::cli
