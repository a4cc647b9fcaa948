// rgemma/generate.h — the generation loop: feed new tokens, then sample, stream and feed one token at a time.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "rgemma/error.h"
#include "rgemma/model.h"
#include "rgemma/sampler.h"

namespace rgemma {

struct GenerateOptions {
    int32_t maxNewTokens = 512;
    bool stopAtEndOfTurn = true;      // stop at a stop token (which is returned, not fed)
    std::vector<TokenId> stopTokens;  // <eos> and <end_of_turn>: fill with defaultStopTokens(tokenizer)
};

// The ids that end a reply: the tokenizer's <eos> and, if it has one, <end_of_turn>.
std::vector<TokenId> defaultStopTokens(const Tokenizer& tokenizer);

enum class StopReason { EndOfTurn, MaxTokens, Cancelled, CallbackStopped };

struct GenerateResult {
    std::vector<TokenId> tokens;  // generated, including a final stop token
    StopReason stop = StopReason::MaxTokens;
    int64_t prefillTokens = 0;  // tokens fed before the first sample (the prompt)
    double prefillSeconds = 0;
    double decodeSeconds = 0;
};

// Called with each sampled token (before it is fed); return false to stop after it.
using TokenCallback = std::function<bool(TokenId)>;

// Feeds `input` (non-empty) on top of `state`, then samples up to maxNewTokens tokens. Every generated token but
// the last is fed, so `state` ends holding everything before the last generated token: a continuation feeds that
// token first (for a stop token, the chat format does so with "<end_of_turn>\n"). Cancellation is checked once
// per token and between prefill chunks; a cancelled call returns the tokens so far with StopReason::Cancelled.
Result<GenerateResult> generate(const Model& model, Runtime& runtime, State& state, std::span<const TokenId> input,
                                Sampler& sampler, const GenerateOptions& options, const TokenCallback& onToken = {},
                                const std::atomic<bool>* cancel = nullptr);

}  // namespace rgemma
