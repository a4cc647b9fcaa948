// commands.h — the table of rgemma's commands: what each is called (one word, or two for a group such as
// "state inspect"), its help text, its options and its entry point.
#pragma once

#include <string_view>
#include <vector>

#include "cli_args.h"

namespace rgemma::cli {

// Exit statuses: scripts rely on these.
inline constexpr int kExitOk = 0;
inline constexpr int kExitRuntimeError = 1;  // the engine failed (bad checkpoint, id out of range, I/O)
inline constexpr int kExitUsageError = 2;    // the command line was wrong

struct Command {
    std::string_view name;
    std::string_view summary;      // one line for `rgemma --help`
    std::string_view synopsis;     // the usage line(s) after "usage: "
    std::string_view description;  // what it prints and how; may span lines
    std::vector<OptionSpec> options;
    // Runs with options already checked against `options` (--help is handled before). Returns the exit status.
    int (*run)(const CliArgs& args);
    std::string_view operand = {};  // the name of its one positional argument ("FILE"); empty: takes none
};

// Each defined in its cmd_*.cpp.
const Command& inspectCommand();
const Command& logitsCommand();
const Command& generateCommand();
const Command& chatCommand();
const Command& stateInspectCommand();
const Command& makeRandomCommand();
const Command& benchResumeCommand();
const Command& benchCommand();
const Command& quantizeCommand();
const Command& compareCommand();
const Command& downloadCommand();
const Command& serveCommand();

// Every command, in the order `rgemma --help` lists them. A new command is its cmd_*.cpp, a line above and one here.
inline const std::vector<const Command*>& allCommands() {
    static const std::vector<const Command*> all{
        &chatCommand(),         &generateCommand(), &logitsCommand(),      &inspectCommand(),
        &stateInspectCommand(), &benchCommand(),    &benchResumeCommand(), &makeRandomCommand(),
        &quantizeCommand(),     &compareCommand(),  &downloadCommand(),    &serveCommand(),
    };
    return all;
}

}  // namespace rgemma::cli
