// cmd_logits.cpp — `rgemma logits`: feeds an exact id list and prints the soft-capped logits as JSON, the form
// reference checks compare against.
#include <cmath>
#include <cstdio>
#include <span>
#include <string>
#include <vector>

#include "cli_common.h"
#include "rgemma/model.h"
#include "rgemma/runtime.h"

namespace rgemma::cli {

namespace {

constexpr std::string_view kName = "logits";

// One JSON array; 9 significant digits round-trip a float exactly. JSON has no NaN or infinity: those are null.
void appendRow(std::string& out, std::span<const float> row) {
    char number[32];
    out += '[';
    for (std::size_t i = 0; i < row.size(); ++i) {
        if (i > 0) out += ',';
        if (std::isfinite(row[i])) {
            const int length = std::snprintf(number, sizeof number, "%.9g", static_cast<double>(row[i]));
            out.append(number, static_cast<std::size_t>(length));
        } else {
            out += "null";
        }
    }
    out += ']';
}

std::string toJson(const std::vector<float>& logits, std::size_t rows, std::size_t vocab, bool allPositions) {
    std::string out;
    out.reserve(logits.size() * 16 + 16);
    if (!allPositions) {
        appendRow(out, std::span<const float>(logits).first(vocab));
    } else {
        out += '[';
        for (std::size_t r = 0; r < rows; ++r) {
            out += r == 0 ? "\n" : ",\n";
            appendRow(out, std::span<const float>(logits).subspan(r * vocab, vocab));
        }
        out += "\n]";
    }
    out += '\n';
    return out;
}

int run(const CliArgs& args) {
    auto dir = modelDir(args);
    if (!dir) return usageError(kName, dir.error());
    auto threads = threadCount(args);
    if (!threads) return usageError(kName, threads.error());
    auto idsText = args.value("ids");
    if (!idsText) return usageError(kName, "missing required option --ids LIST");
    auto ids = parseIdList(*idsText, "ids");
    if (!ids) return usageError(kName, ids.error());
    const bool allPositions = args.has("all-positions");

    auto model = Model::load(*dir);
    if (!model) return runtimeError(model.error());
    Runtime runtime(*threads);
    State state = (*model)->newState();
    std::vector<float> logits;
    const LogitsMode mode = allPositions ? LogitsMode::AllPositions : LogitsMode::Last;
    if (auto fed = (*model)->forward(runtime, state, *ids, mode, logits); !fed) return runtimeError(fed.error());

    const auto vocab = static_cast<std::size_t>((*model)->config().vocabSize);
    const std::size_t rows = allPositions ? ids->size() : 1;
    if (logits.size() != rows * vocab) {
        return runtimeError({ErrorCode::InvalidArgument, "the engine returned " + std::to_string(logits.size()) +
                                                             " logits, expected " + std::to_string(rows * vocab)});
    }
    writeOut(toJson(logits, rows, vocab, allPositions));
    return kExitOk;
}

}  // namespace

const Command& logitsCommand() {
    static const Command command{
        kName,
        "print the logits for an id list as JSON",
        "rgemma logits --model DIR --ids LIST [--all-positions] [--threads N]",
        "Feeds exactly the ids given (no BOS is added) to a fresh state and prints the soft-capped logits of the\n"
        "last position as one JSON array of vocab_size numbers (9 significant digits). With --all-positions it\n"
        "prints a JSON array holding one such array per fed position.",
        {modelOption(),
         {"ids", "LIST", "token ids separated by commas, e.g. 2,17,33"},
         {"all-positions", "", "print the logits of every position, not only the last"},
         threadsOption()},
        run,
    };
    return command;
}

}  // namespace rgemma::cli
