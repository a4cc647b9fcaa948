// rgemma/session.h — one conversation: its State, its sampler and the bookkeeping of its turns, so that every front
// end (the CLI's chat, the app's runner, a batch of requests) feeds the same tokens the same way.
// A reply's last sampled token is not fed when the reply ends (generate() does the same): a token cut by the length
// limit is fed first by the next turn (or by commit()), a stop token is dropped, since nextTurnTokens closes the
// model's turn with "<end_of_turn>\n" itself.
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "rgemma/error.h"
#include "rgemma/generate.h"
#include "rgemma/model.h"
#include "rgemma/sampler.h"
#include "rgemma/state.h"

namespace rgemma {

// Tokens per cancellable piece of a turn's input: a cancel waits for one piece at most, while the matrix products
// stay efficient (the prefill GEMM's panels hold 32 tokens).
inline constexpr int64_t kSessionFeedChunk = 32;

// What one step of a reply gave.
struct SessionToken {
    TokenId token = 0;
    bool finished = false;                    // the reply ended with this token
    StopReason stop = StopReason::MaxTokens;  // why, when finished
};

class Session {
  public:
    // A fresh conversation (position 0). `stopTokens`: defaultStopTokens(tokenizer), or empty to never stop early.
    Session(const Model& model, const SamplerSettings& sampling, std::vector<TokenId> stopTokens);
    // A conversation continued from `state` (a saved one, or a fork), whose replies are all complete.
    Session(const Model& model, State state, const SamplerSettings& sampling, std::vector<TokenId> stopTokens);

    Session(Session&&) noexcept = default;
    Session& operator=(Session&&) noexcept = default;

    // A deep copy of everything (state, sampler history and generator, the reply in progress): for regenerate and
    // branches. The model is shared.
    Session fork() const;

    // Whether the conversation holds any tokens (fed or queued): the next user turn then takes nextTurnTokens,
    // else firstTurnTokens.
    bool started() const;

    // Starts a turn: `input` (non-empty; the first turn's begins with BOS) is queued after the token the previous
    // reply left unfed, if that was not a stop token; then up to `maxNewTokens` (>= 1) tokens are sampled. A reply
    // still in progress is ended first (its last token handled as above). The sampler's generator is not reset.
    Result<void> beginTurn(std::span<const TokenId> input, int32_t maxNewTokens);

    // Feeds up to `budget` tokens of the queued input in pieces of kSessionFeedChunk, checking `cancel` before each;
    // returns whether the whole input is fed (the logits for the first sample are then ready). Cancelled: an error
    // (ErrorCode::Cancelled) with the state consistent after the pieces fed so far.
    Result<bool> feedInput(Runtime& runtime, int64_t budget, const std::atomic<bool>* cancel = nullptr);

    // One token of the reply: the queued input is fed first (all of it), else the previous reply token; then one
    // token is sampled and returned (not fed). `cancel` is checked before every piece fed. Only while generating().
    Result<SessionToken> step(Runtime& runtime, const std::atomic<bool>* cancel = nullptr);

    // For a batch (Scheduler): whether a decode step must feed a token before the next sample (the reply's previous
    // token), and which; then sampleNext() with the logits that feeding it gave.
    bool needsDecode() const;
    TokenId decodeInput() const;
    // Marks decodeInput() as fed (the batch fed it into state()) and samples the next token from `logits`.
    SessionToken sampleNext(std::span<const float> logits);
    // Whether the queued input is fed, so that the next sample needs no forward pass.
    bool readyToSample() const { return generating() && pendingInput() == 0 && m_hasLogits; }
    // Samples from the logits the input's last piece left (readyToSample()).
    SessionToken sampleFirst();

    // Whether a reply is in progress (between beginTurn and its last token).
    bool generating() const { return m_generating; }
    // Tokens of the queued input not fed yet.
    int64_t pendingInput() const { return static_cast<int64_t>(m_input.size() - m_inputFed); }
    // Ends the reply in progress (a Stop): its last sampled token stays unfed, as at the length limit; queued input
    // not fed yet is dropped (the state holds the pieces fed before the stop).
    void stop();

    // Feeds the token the last reply left unfed, if it is not a stop token, so that state() holds the whole
    // conversation (to be saved); the next turn then starts with its own input alone.
    Result<void> commit(Runtime& runtime);

    const State& state() const { return m_state; }
    // Hands the state over (to keep or save it without a copy); the session then starts afresh at position 0.
    State takeState();
    // For a batched forward pass that advances this session's state (Scheduler).
    State& stateForBatch() { return m_state; }
    const std::vector<TokenId>& replyTokens() const { return m_reply; }

  private:
    bool isStop(TokenId id) const;
    SessionToken record(TokenId id);
    Result<void> feed(Runtime& runtime, std::span<const TokenId> tokens, LogitsMode mode);

    const Model* m_model;
    State m_state;
    Sampler m_sampler;
    std::vector<TokenId> m_stopTokens;
    std::vector<TokenId> m_input;  // queued; [m_inputFed, size) not fed yet
    std::size_t m_inputFed = 0;
    std::optional<TokenId> m_unfed;  // the last sampled token, not fed
    std::vector<float> m_logits;     // after the last fed token, when m_hasLogits
    bool m_hasLogits = false;
    bool m_generating = false;
    int32_t m_maxNewTokens = 0;
    std::vector<TokenId> m_reply;  // this reply's tokens so far
};

}  // namespace rgemma
