// cli_args.cpp — parsing one command's options and converting their text to numbers and id lists.
#include "cli_args.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <system_error>

namespace rgemma::cli {

namespace {

tl::unexpected<std::string> fail(std::string message) { return tl::unexpected<std::string>(std::move(message)); }

const OptionSpec* findSpec(std::span<const OptionSpec> specs, std::string_view name) {
    auto it = std::find_if(specs.begin(), specs.end(), [&](const OptionSpec& s) { return s.name == name; });
    return it == specs.end() ? nullptr : &*it;
}

std::string inQuotes(std::string_view text) { return "'" + std::string(text) + "'"; }

}  // namespace

std::optional<std::string> CliArgs::value(std::string_view name) const {
    auto it = m_values.find(std::string(name));
    if (it == m_values.end()) return std::nullopt;
    return it->second;
}

Parsed<CliArgs> parseCliArgs(std::span<const std::string> args, std::span<const OptionSpec> specs,
                             std::string_view operandName) {
    CliArgs parsed;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& word = args[i];
        if (word.size() < 3 || word.compare(0, 2, "--") != 0) {
            // "-" alone or any word not starting with "-" can be the operand; "-x" is a mistyped option.
            const bool optionLike = word.size() > 1 && word[0] == '-';
            if (operandName.empty() || optionLike) return fail("unexpected argument " + inQuotes(word));
            if (parsed.operand()) {
                return fail("unexpected argument " + inQuotes(word) + " (" + std::string(operandName) + " is already " +
                            inQuotes(*parsed.operand()) + ")");
            }
            parsed.setOperand(word);
            continue;
        }

        std::string_view body = std::string_view(word).substr(2);
        std::optional<std::string> inlineValue;
        if (auto eq = body.find('='); eq != std::string_view::npos) {
            inlineValue = std::string(body.substr(eq + 1));
            body = body.substr(0, eq);
        }
        const OptionSpec* spec = findSpec(specs, body);
        if (!spec) return fail("unknown option " + inQuotes("--" + std::string(body)));
        if (parsed.has(spec->name)) return fail("option --" + std::string(spec->name) + " given twice");

        if (spec->valueName.empty()) {
            if (inlineValue) return fail("option --" + std::string(spec->name) + " takes no value");
            parsed.set(std::string(spec->name), "");
        } else if (inlineValue) {
            parsed.set(std::string(spec->name), *inlineValue);
        } else {
            if (i + 1 >= args.size()) {
                return fail("option --" + std::string(spec->name) + " needs a value (" + std::string(spec->valueName) +
                            ")");
            }
            parsed.set(std::string(spec->name), args[++i]);
        }
    }
    return parsed;
}

Parsed<int64_t> parseInteger(std::string_view text, std::string_view option, int64_t min, int64_t max) {
    int64_t value = 0;
    const char* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (text.empty() || ec == std::errc::invalid_argument || ptr != end) {
        return fail("--" + std::string(option) + ": " + inQuotes(text) + " is not an integer");
    }
    if (ec == std::errc::result_out_of_range || value < min || value > max) {
        return fail("--" + std::string(option) + ": " + inQuotes(text) + " is out of range [" + std::to_string(min) +
                    ", " + std::to_string(max) + "]");
    }
    return value;
}

Parsed<uint64_t> parseUnsigned(std::string_view text, std::string_view option) {
    uint64_t value = 0;
    const char* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (text.empty() || ec == std::errc::invalid_argument || ptr != end) {
        return fail("--" + std::string(option) + ": " + inQuotes(text) + " is not a non-negative integer");
    }
    if (ec == std::errc::result_out_of_range) {
        return fail("--" + std::string(option) + ": " + inQuotes(text) + " does not fit in 64 bits");
    }
    return value;
}

Parsed<float> parseFloat(std::string_view text, std::string_view option) {
    float value = 0;
    const char* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, value);
    // from_chars accepts "inf" and "nan"; no setting means anything with them.
    if (text.empty() || ec != std::errc() || ptr != end || !std::isfinite(value)) {
        return fail("--" + std::string(option) + ": " + inQuotes(text) + " is not a finite number");
    }
    return value;
}

Parsed<std::vector<TokenId>> parseIdList(std::string_view text, std::string_view option) {
    std::vector<TokenId> ids;
    if (text.empty()) return fail("--" + std::string(option) + ": the id list is empty");
    std::size_t start = 0;
    while (true) {
        const std::size_t comma = text.find(',', start);
        const std::string_view item = text.substr(start, comma == std::string_view::npos ? text.npos : comma - start);
        if (item.empty()) {
            return fail("--" + std::string(option) + ": empty item in id list " + inQuotes(text));
        }
        auto id = parseInteger(item, option, std::numeric_limits<TokenId>::min(), std::numeric_limits<TokenId>::max());
        if (!id) return fail(id.error());
        ids.push_back(static_cast<TokenId>(*id));
        if (comma == std::string_view::npos) break;
        start = comma + 1;
    }
    return ids;
}

Parsed<std::optional<int64_t>> optionalInteger(const CliArgs& args, std::string_view option, int64_t min, int64_t max) {
    auto text = args.value(option);
    if (!text) return std::optional<int64_t>();
    auto value = parseInteger(*text, option, min, max);
    if (!value) return fail(value.error());
    return std::optional<int64_t>(*value);
}

Parsed<std::optional<float>> optionalFloat(const CliArgs& args, std::string_view option) {
    auto text = args.value(option);
    if (!text) return std::optional<float>();
    auto value = parseFloat(*text, option);
    if (!value) return fail(value.error());
    return std::optional<float>(*value);
}

}  // namespace rgemma::cli
