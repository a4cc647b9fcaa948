// chat_session.h — one multi-turn conversation of `rgemma chat`: the user's messages in the chat format, fed to an
// engine Session, which keeps the token bookkeeping (what each turn feeds so that the state holds the whole
// conversation, fed once).
#pragma once

#include <string_view>

#include "rgemma/generate.h"
#include "rgemma/model.h"
#include "rgemma/runtime.h"
#include "rgemma/sampler.h"
#include "rgemma/session.h"
#include "rgemma/state.h"
#include "rgemma/tokenizer.h"

namespace rgemma::cli {

class ChatSession {
  public:
    ChatSession(const Model& model, const Tokenizer& tokenizer, Runtime& runtime, const SamplerSettings& sampling,
                int32_t maxTokens);

    // Feeds the user's message and generates the model's reply, calling `onToken` with each generated token
    // (the final stop token included; isStopToken tells it apart; returning false stops the reply after it).
    Result<StopReason> reply(std::string_view message, const TokenCallback& onToken);
    // Starts a new conversation: fresh state, sampler history and generator back to the seed.
    void reset();
    // Continues a conversation saved earlier (by `state()` after commitPending()): the next message is a later
    // turn if the state holds any tokens, else the first. The sampler's history starts empty.
    void restore(State state);
    // Feeds the token a reply cut by the token limit left unfed, so that the state holds the whole conversation
    // and can be saved.
    Result<void> commitPending() { return m_session.commit(*m_runtime); }
    const State& state() const { return m_session.state(); }

    bool isStopToken(TokenId id) const;

  private:
    const Model* m_model;
    const Tokenizer* m_tokenizer;
    Runtime* m_runtime;
    SamplerSettings m_sampling;
    int32_t m_maxTokens;
    Session m_session;
};

}  // namespace rgemma::cli
