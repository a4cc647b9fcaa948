// chat_session.h — one multi-turn conversation over one State: which tokens each turn must feed so that the
// state always holds the whole conversation, fed once.
#pragma once

#include <optional>
#include <string_view>

#include "rgemma/generate.h"
#include "rgemma/model.h"
#include "rgemma/runtime.h"
#include "rgemma/sampler.h"
#include "rgemma/state.h"
#include "rgemma/tokenizer.h"

namespace rgemma::cli {

class ChatSession {
  public:
    ChatSession(const Model& model, const Tokenizer& tokenizer, Runtime& runtime, const SamplerSettings& sampling,
                int32_t maxTokens);

    // Feeds the user's message and generates the model's reply, calling `onToken` with each generated token
    // (the final stop token included; isStopToken tells it apart).
    Result<GenerateResult> reply(std::string_view message, const TokenCallback& onToken);
    // Starts a new conversation: fresh state, sampler history and generator back to the seed.
    void reset();
    // Continues a conversation saved earlier (by `state()` after commitPending()): the next message is a later
    // turn if the state holds any tokens, else the first. The sampler's history starts empty.
    void restore(State state);
    // Feeds the token a reply cut by the token limit left unfed, so that the state holds the whole conversation
    // and can be saved; the next turn then starts with the turn's closing tokens alone.
    Result<void> commitPending();
    const State& state() const { return m_state; }

    bool isStopToken(TokenId id) const;

  private:
    const Model* m_model;
    const Tokenizer* m_tokenizer;
    Runtime* m_runtime;
    State m_state;
    Sampler m_sampler;
    GenerateOptions m_options;
    bool m_started = false;
    // generate() leaves the last generated token unfed. A reply cut by the token limit ends with an ordinary
    // token that belongs to the conversation, so the next turn feeds it first; a stop token is instead replaced
    // by the "<end_of_turn>\n" nextTurnTokens starts with.
    std::optional<TokenId> m_pending;
};

}  // namespace rgemma::cli
