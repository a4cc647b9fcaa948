// main.cpp — rgemma's entry point: picks the command, handles --help and --version, and turns anything thrown
// into an error line so the tool never dies without saying why.
#include <algorithm>
#include <csignal>
#include <cstdio>
#include <exception>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "cli_common.h"
#include "commands.h"
#include "matmul_kernels.h"

namespace rgemma::cli {
namespace {

const std::vector<const Command*>& commands() {
    static const std::vector<const Command*> all{
        &chatCommand(),  &generateCommand(),    &logitsCommand(),     &inspectCommand(),  &stateInspectCommand(),
        &benchCommand(), &benchResumeCommand(), &makeRandomCommand(), &quantizeCommand(), &compareCommand(),
        &serveCommand(),
    };
    return all;
}

const Command* findCommand(std::string_view name) {
    for (const Command* command : commands()) {
        if (command->name == name) return command;
    }
    return nullptr;
}

// A command named by the first one or two words ("generate", "state inspect"), and how many words it took.
std::pair<const Command*, std::size_t> lookUp(std::span<const std::string> words) {
    // Two words first: "bench resume" is its own command, "bench --model DIR" is "bench".
    if (words.empty()) return {nullptr, 0};
    if (words.size() > 1) {
        if (const Command* command = findCommand(words[0] + " " + words[1])) return {command, 2};
    }
    if (const Command* command = findCommand(words[0])) return {command, 1};
    return {nullptr, 0};
}

// "state" alone: the two-word commands that start with it, for the error message.
std::string subcommandsOf(std::string_view group) {
    std::string names;
    for (const Command* command : commands()) {
        const std::string_view name = command->name;
        if (name.size() > group.size() && name.substr(0, group.size()) == group && name[group.size()] == ' ') {
            names += (names.empty() ? "'" : ", '") + std::string(name) + "'";
        }
    }
    return names;
}

void printMainHelp() {
    std::printf(
        "usage: rgemma COMMAND [options]\n"
        "       rgemma COMMAND --help\n"
        "       rgemma --version\n\n"
        "The command-line face of the Recurrent Chat engine (RecurrentGemma on the CPU).\n\n"
        "commands:\n");
    for (const Command* command : commands()) {
        std::printf("  %-14.*s %.*s\n", static_cast<int>(command->name.size()), command->name.data(),
                    static_cast<int>(command->summary.size()), command->summary.data());
    }
    std::printf("\nexit status: 0 success, 1 runtime error (bad checkpoint, id out of range, I/O), 2 usage error.\n");
}

bool isHelpWord(std::string_view word) { return word == "--help" || word == "-h"; }

int runCommand(const Command& command, std::span<const std::string> words) {
    std::vector<OptionSpec> specs = command.options;
    specs.push_back({"help", "", ""});
    auto args = parseCliArgs(words, specs, command.operand);
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
    // A kernel level forced by RGEMMA_ISA that cannot be honoured is said, not silently replaced.
    if (const std::string problem = isaRequestProblem(); !problem.empty()) {
        std::fprintf(stderr, "warning: %s\n", problem.c_str());
    }
    if (words.empty()) return usageError("", "no command given");
    const std::string& first = words.front();
    if (isHelpWord(first) || first == "help") {
        const Command* command = lookUp(std::span<const std::string>(words).subspan(1)).first;
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
    const auto [command, nameWords] = lookUp(words);
    if (!command) {
        const std::string group = subcommandsOf(first);
        if (!group.empty()) return usageError("", "'" + first + "' needs a subcommand: " + group);
        return usageError("", "unknown command '" + first + "'");
    }
    return runCommand(*command, std::span<const std::string>(words).subspan(nameWords));
}

}  // namespace
}  // namespace rgemma::cli

int main(int argc, char** argv) {
    std::signal(SIGXFSZ, SIG_IGN);  // a file size limit fails the write (reported), it does not kill the process
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
