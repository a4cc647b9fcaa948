// cli_common.cpp — error reporting, help text and the options every rgemma command shares.
#include "cli_common.h"

#include <algorithm>
#include <limits>
#include <string>

#include "demo_model.h"

namespace rgemma::cli {

namespace {

// Engine messages are one line already; this keeps the "one line on stderr" promise even if one is not.
std::string oneLine(std::string_view text) {
    std::string line(text);
    std::replace(line.begin(), line.end(), '\n', ' ');
    std::replace(line.begin(), line.end(), '\r', ' ');
    return line;
}

}  // namespace

int usageError(std::string_view command, std::string_view message) {
    const std::string help = command.empty() ? "rgemma --help" : "rgemma " + std::string(command) + " --help";
    std::fprintf(stderr, "error: %s (see '%s')\n", oneLine(message).c_str(), help.c_str());
    return kExitUsageError;
}

int runtimeError(const Error& error) {
    std::fprintf(stderr, "error: %s\n", oneLine(error.message).c_str());
    return kExitRuntimeError;
}

void printCommandHelp(const Command& command, std::FILE* out) {
    std::fprintf(out, "usage: %.*s\n\n%.*s\n\noptions:\n", static_cast<int>(command.synopsis.size()),
                 command.synopsis.data(), static_cast<int>(command.description.size()), command.description.data());
    for (const OptionSpec& option : command.options) {
        std::string left = "--" + std::string(option.name);
        if (!option.valueName.empty()) left += " " + std::string(option.valueName);
        std::fprintf(out, "  %-24s %s\n", left.c_str(), option.help.c_str());
    }
    std::fprintf(out, "  %-24s %s\n", "--help", "print this text and exit");
}

OptionSpec modelOption() {
    return {"model", "DIR", "checkpoint folder: config.json, *.safetensors, tokenizer.model (default: the demo model)"};
}

OptionSpec threadsOption() { return {"threads", "N", "worker threads; 0 (default) uses every hardware thread"}; }

Parsed<std::filesystem::path> modelDir(const CliArgs& args) {
    auto dir = args.value("model");
    if (!dir) {
        // No model chosen: the built-in demo model, like the app.
        if (auto demo = findDemoModel()) return *demo;
        return tl::unexpected<std::string>("missing --model DIR (and the demo model is not installed)");
    }
    if (dir->empty()) return tl::unexpected<std::string>("--model: the folder name is empty");
    return std::filesystem::path(*dir);
}

Parsed<int> threadCount(const CliArgs& args) {
    auto threads = optionalInteger(args, "threads", 0, std::numeric_limits<int>::max());
    if (!threads) return tl::unexpected<std::string>(threads.error());
    return static_cast<int>(threads->value_or(0));
}

Result<Tokenizer> loadTokenizer(const std::filesystem::path& modelDir) {
    return Tokenizer::load(modelDir / "tokenizer.model");
}

void writeOut(std::string_view text) {
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fflush(stdout);
}

}  // namespace rgemma::cli
