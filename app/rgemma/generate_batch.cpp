// generate_batch.cpp — a file's lines read and generated as one batch on a Scheduler.
#include "generate_batch.h"

#include <fstream>
#include <map>
#include <sstream>

#include "rgemma/scheduler.h"
#include "rgemma/session.h"

namespace rgemma::cli {

namespace {

// A batch file is a list of prompts: anything larger is not one.
constexpr std::uintmax_t kMaxBatchFileBytes = 16u << 20;

}  // namespace

Result<std::vector<std::string>> readBatchLines(const std::filesystem::path& file) {
    const std::string name = "'" + file.string() + "'";
    std::error_code ec;
    const std::uintmax_t size = std::filesystem::file_size(file, ec);
    if (ec) return makeError(ErrorCode::Io, "cannot read " + name + ": " + ec.message());
    if (size > kMaxBatchFileBytes) {
        return makeError(ErrorCode::InvalidArgument,
                         name + " is larger than " + std::to_string(kMaxBatchFileBytes >> 20) + " MiB");
    }
    std::ifstream in(file, std::ios::binary);
    if (!in) return makeError(ErrorCode::Io, "cannot open " + name);
    std::vector<std::string> lines;
    std::string line;
    while (std::getline(in, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty()) {
            return makeError(ErrorCode::InvalidArgument,
                             name + " line " + std::to_string(lines.size() + 1) + " is empty (one input per line)");
        }
        if (lines.size() == kMaxBatchLines) {
            return makeError(ErrorCode::InvalidArgument,
                             name + " has more than " + std::to_string(kMaxBatchLines) + " lines");
        }
        lines.push_back(std::move(line));
    }
    if (in.bad()) return makeError(ErrorCode::Io, "reading " + name + " failed");
    if (lines.empty()) return makeError(ErrorCode::InvalidArgument, name + " holds no lines");
    return lines;
}

Result<std::vector<std::vector<TokenId>>> generateBatch(const Model& model, Runtime& runtime,
                                                        const std::vector<std::vector<TokenId>>& inputs,
                                                        const SamplerSettings& sampling,
                                                        const GenerateOptions& options) {
    // Every line joins at once and its input is fed before the first decode step (nobody waits on a reply here).
    int64_t inputPieces = 0;
    for (const auto& input : inputs) {
        inputPieces += (static_cast<int64_t>(input.size()) + kSessionFeedChunk - 1) / kSessionFeedChunk;
    }
    Scheduler scheduler(model, runtime,
                        SchedulerOptions{.capacity = static_cast<int>(inputs.size()),
                                         .inputTokensPerStep = inputPieces * kSessionFeedChunk});
    const std::vector<TokenId> stops = options.stopAtEndOfTurn ? options.stopTokens : std::vector<TokenId>{};
    std::map<SessionId, std::size_t> lineOf;
    for (std::size_t i = 0; i < inputs.size(); ++i) {
        Session session(model, sampling, stops);
        if (auto begun = session.beginTurn(inputs[i], options.maxNewTokens); !begun) {
            return tl::unexpected(begun.error());
        }
        auto id = scheduler.join(std::move(session));
        if (!id) return tl::unexpected(id.error());
        lineOf[*id] = i;
    }
    std::vector<std::vector<TokenId>> replies(inputs.size());
    while (scheduler.busy()) {
        auto sampled = scheduler.step();
        if (!sampled) return tl::unexpected(sampled.error());
        for (const ScheduledToken& t : *sampled) {
            const bool stop = t.token.finished && t.token.stop == StopReason::EndOfTurn;
            if (!stop) replies[lineOf[t.id]].push_back(t.token.token);
        }
    }
    return replies;
}

}  // namespace rgemma::cli
