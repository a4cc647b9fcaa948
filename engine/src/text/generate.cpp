// generate.cpp — the sampling loop over Model::forward: prefill the input, then sample, report and feed tokens.
#include "rgemma/generate.h"

#include <algorithm>
#include <chrono>

namespace rgemma {

namespace {
using Clock = std::chrono::steady_clock;
double secondsSince(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }
bool isCancelled(const std::atomic<bool>* cancel) { return cancel != nullptr && cancel->load(); }
bool isStopToken(const GenerateOptions& options, TokenId id) {
    return std::find(options.stopTokens.begin(), options.stopTokens.end(), id) != options.stopTokens.end();
}
}  // namespace

std::vector<TokenId> defaultStopTokens(const Tokenizer& tokenizer) {
    std::vector<TokenId> stops{tokenizer.eos()};
    if (auto endOfTurn = tokenizer.endOfTurn()) stops.push_back(*endOfTurn);
    return stops;
}

Result<GenerateResult> generate(const Model& model, Runtime& runtime, State& state, std::span<const TokenId> input,
                                Sampler& sampler, const GenerateOptions& options, const TokenCallback& onToken,
                                const std::atomic<bool>* cancel) {
    if (input.empty()) return makeError(ErrorCode::InvalidArgument, "generate needs at least one input token");
    if (options.maxNewTokens < 0) return makeError(ErrorCode::InvalidArgument, "maxNewTokens is negative");
    if (options.stopAtEndOfTurn && options.stopTokens.empty()) {
        // Would silently never stop: the caller forgot defaultStopTokens(tokenizer).
        return makeError(ErrorCode::InvalidArgument, "stopAtEndOfTurn is set but stopTokens is empty");
    }
    GenerateResult result;
    std::vector<float> logits;

    const auto prefillStart = Clock::now();
    if (auto fed = model.forward(runtime, state, input, LogitsMode::Last, logits, cancel); !fed) {
        if (fed.error().code == ErrorCode::Cancelled) {
            result.stop = StopReason::Cancelled;
            return result;
        }
        return tl::unexpected(fed.error());
    }
    for (TokenId id : input) sampler.accept(id);
    result.prefillTokens = static_cast<int64_t>(input.size());
    result.prefillSeconds = secondsSince(prefillStart);

    const auto decodeStart = Clock::now();
    result.stop = StopReason::MaxTokens;
    for (int32_t step = 0; step < options.maxNewTokens; ++step) {
        if (isCancelled(cancel)) {
            result.stop = StopReason::Cancelled;
            break;
        }
        const TokenId next = sampler.sample(logits);
        result.tokens.push_back(next);
        const bool keepGoing = !onToken || onToken(next);
        if (options.stopAtEndOfTurn && isStopToken(options, next)) {
            result.stop = StopReason::EndOfTurn;
            break;
        }
        if (!keepGoing) {
            result.stop = StopReason::CallbackStopped;
            break;
        }
        if (step + 1 == options.maxNewTokens) break;  // the last token is returned, not fed
        const TokenId one[] = {next};
        if (auto fed = model.forward(runtime, state, one, LogitsMode::Last, logits); !fed) {
            return tl::unexpected(fed.error());
        }
        sampler.accept(next);
    }
    result.decodeSeconds = secondsSince(decodeStart);
    return result;
}

}  // namespace rgemma
