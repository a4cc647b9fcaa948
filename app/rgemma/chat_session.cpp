// chat_session.cpp — the token bookkeeping of a multi-turn conversation.
#include "chat_session.h"

#include <algorithm>
#include <vector>

#include "rgemma/chat_format.h"

namespace rgemma::cli {

ChatSession::ChatSession(const Model& model, const Tokenizer& tokenizer, Runtime& runtime,
                         const SamplerSettings& sampling, int32_t maxTokens)
    : m_model(&model), m_tokenizer(&tokenizer), m_runtime(&runtime), m_state(model.newState()), m_sampler(sampling) {
    m_options.maxNewTokens = maxTokens;
    m_options.stopAtEndOfTurn = true;
    m_options.stopTokens = defaultStopTokens(tokenizer);
}

Result<GenerateResult> ChatSession::reply(std::string_view message, const TokenCallback& onToken) {
    std::vector<TokenId> input;
    if (!m_started) {
        input = firstTurnTokens(*m_tokenizer, message);
    } else {
        if (m_pending) input.push_back(*m_pending);
        const std::vector<TokenId> turn = nextTurnTokens(*m_tokenizer, message);
        input.insert(input.end(), turn.begin(), turn.end());
    }

    auto result = generate(*m_model, *m_runtime, m_state, input, m_sampler, m_options, onToken);
    if (!result) {
        // The state may hold part of the input now; the next message starts a new conversation.
        reset();
        return result;
    }
    m_started = true;
    m_pending.reset();
    if (result->stop != StopReason::EndOfTurn && !result->tokens.empty()) m_pending = result->tokens.back();
    return result;
}

bool ChatSession::isStopToken(TokenId id) const {
    return std::find(m_options.stopTokens.begin(), m_options.stopTokens.end(), id) != m_options.stopTokens.end();
}

void ChatSession::restore(State state) {
    reset();
    m_state = std::move(state);
    m_started = m_state.position > 0;
}

Result<void> ChatSession::commitPending() {
    if (!m_pending) return {};
    const TokenId one[] = {*m_pending};
    std::vector<float> logits;
    if (auto fed = m_model->forward(*m_runtime, m_state, one, LogitsMode::None, logits); !fed) return fed;
    m_sampler.accept(*m_pending);
    m_pending.reset();
    return {};
}

void ChatSession::reset() {
    m_state.reset();
    m_sampler.reset();
    m_started = false;
    m_pending.reset();
}

}  // namespace rgemma::cli
