// chat_session.cpp — the chat format of `rgemma chat`'s turns over an engine Session.
#include "chat_session.h"

#include <algorithm>
#include <vector>

#include "rgemma/chat_format.h"

namespace rgemma::cli {

ChatSession::ChatSession(const Model& model, const Tokenizer& tokenizer, Runtime& runtime,
                         const SamplerSettings& sampling, int32_t maxTokens)
    : m_model(&model),
      m_tokenizer(&tokenizer),
      m_runtime(&runtime),
      m_sampling(sampling),
      m_maxTokens(maxTokens),
      m_session(model, sampling, defaultStopTokens(tokenizer)) {}

Result<StopReason> ChatSession::reply(std::string_view message, const TokenCallback& onToken) {
    const std::vector<TokenId> input =
        m_session.started() ? nextTurnTokens(*m_tokenizer, message) : firstTurnTokens(*m_tokenizer, message);
    auto result = [&]() -> Result<StopReason> {
        if (auto begun = m_session.beginTurn(input, m_maxTokens); !begun) return tl::unexpected(begun.error());
        while (true) {
            auto step = m_session.step(*m_runtime);
            if (!step) return tl::unexpected(step.error());
            const bool keepGoing = !onToken || onToken(step->token);
            if (step->finished) return step->stop;
            if (!keepGoing) {
                m_session.stop();
                return StopReason::CallbackStopped;
            }
        }
    }();
    // The state may hold part of the input now; the next message starts a new conversation.
    if (!result) reset();
    return result;
}

bool ChatSession::isStopToken(TokenId id) const { return isEndOfTurn(*m_tokenizer, id); }

void ChatSession::restore(State state) {
    m_session = Session(*m_model, std::move(state), m_sampling, defaultStopTokens(*m_tokenizer));
}

void ChatSession::reset() { m_session = Session(*m_model, m_sampling, defaultStopTokens(*m_tokenizer)); }

}  // namespace rgemma::cli
