// cli_args.h — the command line of one rgemma command: which options it takes, parsing `--key value` and
// `--flag` against them, and turning option text into numbers and id lists. Every failure is a usage error
// message (the caller prints it and exits 2); nothing here prints or exits.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <tl/expected.hpp>
#include <vector>

#include "rgemma/tokenizer.h"

namespace rgemma::cli {

// A usage error: what was wrong with the command line, in one line.
template <class T>
using Parsed = tl::expected<T, std::string>;

// One option a command accepts. An empty valueName makes it a flag.
struct OptionSpec {
    std::string_view name;       // without the leading "--"
    std::string_view valueName;  // shown in the help ("DIR", "N"); empty for a flag
    std::string help;            // one line
};

// The options given on one command line, already checked against the command's specs.
class CliArgs {
  public:
    bool has(std::string_view name) const { return m_values.find(std::string(name)) != m_values.end(); }
    // The option's text; nullopt when absent (always "" for a flag that is present).
    std::optional<std::string> value(std::string_view name) const;
    // The command's one positional argument (`state inspect FILE`), if it takes one and it was given.
    const std::optional<std::string>& operand() const { return m_operand; }

    void set(std::string name, std::string value) { m_values[std::move(name)] = std::move(value); }
    void setOperand(std::string value) { m_operand = std::move(value); }

  private:
    std::map<std::string, std::string> m_values;
    std::optional<std::string> m_operand;
};

// Parses `args` (the words after the command name). Accepts "--key value", "--key=value" and "--flag"; rejects
// unknown options, a value option without its value, a value given to a flag, an option given twice and any
// positional word but one when `operandName` is set (the command's FILE). A value may start with '-'
// ("--temperature -1" reaches the range check, not the parser).
Parsed<CliArgs> parseCliArgs(std::span<const std::string> args, std::span<const OptionSpec> specs,
                             std::string_view operandName = {});

// Whole-string conversions; `option` names the option in the message.
Parsed<int64_t> parseInteger(std::string_view text, std::string_view option, int64_t min, int64_t max);
Parsed<uint64_t> parseUnsigned(std::string_view text, std::string_view option);
Parsed<float> parseFloat(std::string_view text, std::string_view option);
// "2,17,33": a non-empty list of decimal int32 values separated by single commas (no empty items, no spaces).
// Range against the vocabulary is the engine's check, not the parser's.
Parsed<std::vector<TokenId>> parseIdList(std::string_view text, std::string_view option);

// Typed lookups of an optional option: nullopt when absent, an error when present but malformed.
Parsed<std::optional<int64_t>> optionalInteger(const CliArgs& args, std::string_view option, int64_t min, int64_t max);
Parsed<std::optional<float>> optionalFloat(const CliArgs& args, std::string_view option);

}  // namespace rgemma::cli
