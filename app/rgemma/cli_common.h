// cli_common.h — what every rgemma command shares: error reporting with the right exit status, help text,
// the --model and --threads options, and loading the tokenizer next to a model.
#pragma once

#include <cstdio>
#include <filesystem>
#include <string_view>

#include "cli_args.h"
#include "commands.h"
#include "rgemma/error.h"
#include "rgemma/tokenizer.h"

namespace rgemma::cli {

// Prints one line "error: <message> (see 'rgemma <command> --help')" on stderr; returns kExitUsageError.
int usageError(std::string_view command, std::string_view message);
// Prints one line "error: <message>" on stderr; returns kExitRuntimeError.
int runtimeError(const Error& error);

// The full usage text of `command`: synopsis, description and every option.
void printCommandHelp(const Command& command, std::FILE* out);

OptionSpec modelOption();
OptionSpec threadsOption();

// --model DIR, required.
Parsed<std::filesystem::path> modelDir(const CliArgs& args);
// --threads N (0, the default, means every hardware thread).
Parsed<int> threadCount(const CliArgs& args);

// The checkpoint folder's tokenizer.model.
Result<Tokenizer> loadTokenizer(const std::filesystem::path& modelDir);

// Writes to stdout and flushes, so streamed text shows as it comes.
void writeOut(std::string_view text);

}  // namespace rgemma::cli
