// main.cpp — rgemma's entry point: picks the command, handles --help and --version, and turns anything thrown
// into an error line so the tool never dies without saying why.
#include <algorithm>
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "cli_common.h"
#include "commands.h"

namespace rgemma::cli {
namespace {

const std::vector<const Command*>& commands() {
    static const std::vector<const Command*> all{&chatCommand(), &generateCommand(), &logitsCommand(),
                                                 &inspectCommand()};
    return all;
}

const Command* findCommand(std::string_view name) {
    for (const Command* command : commands()) {
        if (command->name == name) return command;
    }
    return nullptr;
}

void printMainHelp() {
    std::printf(
        "usage: rgemma COMMAND [options]\n"
        "       rgemma COMMAND --help\n"
        "       rgemma --version\n\n"
        "The command-line face of the Recurrent Chat engine (RecurrentGemma on the CPU).\n\n"
        "commands:\n");
    for (const Command* command : commands()) {
        std::printf("  %-10.*s %.*s\n", static_cast<int>(command->name.size()), command->name.data(),
                    static_cast<int>(command->summary.size()), command->summary.data());
    }
    std::printf("\nexit status: 0 success, 1 runtime error (bad checkpoint, id out of range, I/O), 2 usage error.\n");
}

bool isHelpWord(std::string_view word) { return word == "--help" || word == "-h"; }

int runCommand(const Command& command, std::span<const std::string> words) {
    std::vector<OptionSpec> specs = command.options;
    specs.push_back({"help", "", ""});
    auto args = parseCliArgs(words, specs);
    // `--help` wins over a malformed line too: someone asking for help should get it.
    const bool wantsHelp =
        args ? args->has("help") : std::any_of(words.begin(), words.end(), [](const auto& w) { return isHelpWord(w); });
    if (wantsHelp) {
        printCommandHelp(command, stdout);
        return kExitOk;
    }
    if (!args) return usageError(command.name, args.error());
    return command.run(*args);
}

int runMain(const std::vector<std::string>& words) {
    if (words.empty()) return usageError("", "no command given");
    const std::string& first = words.front();
    if (isHelpWord(first) || first == "help") {
        const Command* command = words.size() > 1 ? findCommand(words[1]) : nullptr;
        if (command) {
            printCommandHelp(*command, stdout);
        } else {
            printMainHelp();
        }
        return kExitOk;
    }
    if (first == "--version") {
        std::printf("rgemma %s\n", RGEMMA_VERSION);
        return kExitOk;
    }
    const Command* command = findCommand(first);
    if (!command) return usageError("", "unknown command '" + first + "'");
    return runCommand(*command, std::span<const std::string>(words).subspan(1));
}

}  // namespace
}  // namespace rgemma::cli

int main(int argc, char** argv) {
    const std::vector<std::string> words(argv + 1, argv + argc);
    try {
        return rgemma::cli::runMain(words);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "error: %s\n", e.what());
    } catch (...) {
        std::fprintf(stderr, "error: unexpected failure\n");
    }
    return rgemma::cli::kExitRuntimeError;
}
