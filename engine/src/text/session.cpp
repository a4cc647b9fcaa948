// session.cpp — Session: a conversation's state, sampler and turn bookkeeping over Model::forward.
#include "rgemma/session.h"

#include <algorithm>
#include <limits>

namespace rgemma {

Session::Session(const Model& model, const SamplerSettings& sampling, std::vector<TokenId> stopTokens)
    : Session(model, model.newState(), sampling, std::move(stopTokens)) {}

Session::Session(const Model& model, State state, const SamplerSettings& sampling, std::vector<TokenId> stopTokens)
    : m_model(&model), m_state(std::move(state)), m_sampler(sampling), m_stopTokens(std::move(stopTokens)) {}

Session Session::fork() const {
    Session copy(*m_model, m_state.fork(), m_sampler.settings(), m_stopTokens);
    copy.m_sampler = m_sampler;
    copy.m_input = m_input;
    copy.m_inputFed = m_inputFed;
    copy.m_unfed = m_unfed;
    copy.m_logits = m_logits;
    copy.m_hasLogits = m_hasLogits;
    copy.m_generating = m_generating;
    copy.m_maxNewTokens = m_maxNewTokens;
    copy.m_reply = m_reply;
    return copy;
}

bool Session::started() const { return m_state.position > 0 || pendingInput() > 0 || m_unfed.has_value(); }

bool Session::isStop(TokenId id) const {
    return std::find(m_stopTokens.begin(), m_stopTokens.end(), id) != m_stopTokens.end();
}

Result<void> Session::beginTurn(std::span<const TokenId> input, int32_t maxNewTokens) {
    if (input.empty()) return makeError(ErrorCode::InvalidArgument, "a turn needs at least one input token");
    if (maxNewTokens < 1) return makeError(ErrorCode::InvalidArgument, "a turn needs maxNewTokens >= 1");
    stop();
    m_input.clear();
    m_inputFed = 0;
    if (m_unfed && !isStop(*m_unfed)) m_input.push_back(*m_unfed);
    m_unfed.reset();
    m_input.insert(m_input.end(), input.begin(), input.end());
    m_hasLogits = false;
    m_generating = true;
    m_maxNewTokens = maxNewTokens;
    m_reply.clear();
    return {};
}

Result<void> Session::feed(Runtime& runtime, std::span<const TokenId> tokens, LogitsMode mode) {
    if (auto fed = m_model->forward(runtime, m_state, tokens, mode, m_logits); !fed) return fed;
    for (TokenId id : tokens) m_sampler.accept(id);
    m_hasLogits = mode == LogitsMode::Last;
    return {};
}

Result<bool> Session::feedInput(Runtime& runtime, int64_t budget, const std::atomic<bool>* cancel) {
    while (budget > 0 && pendingInput() > 0) {
        if (cancel != nullptr && cancel->load(std::memory_order_relaxed)) {
            return makeError(ErrorCode::Cancelled, "cancelled");
        }
        const int64_t count = std::min({kSessionFeedChunk, budget, pendingInput()});
        const bool last = count == pendingInput();
        const auto piece = std::span<const TokenId>(m_input).subspan(m_inputFed, static_cast<std::size_t>(count));
        if (auto fed = feed(runtime, piece, last ? LogitsMode::Last : LogitsMode::None); !fed) {
            return tl::unexpected(fed.error());
        }
        m_inputFed += static_cast<std::size_t>(count);
        budget -= count;
    }
    if (pendingInput() == 0) {
        m_input.clear();
        m_inputFed = 0;
    }
    return pendingInput() == 0;
}

Result<SessionToken> Session::step(Runtime& runtime, const std::atomic<bool>* cancel) {
    if (!m_generating) return makeError(ErrorCode::InvalidState, "no reply in progress: begin a turn first");
    if (pendingInput() > 0) {
        if (auto fed = feedInput(runtime, std::numeric_limits<int64_t>::max(), cancel); !fed) {
            return tl::unexpected(fed.error());
        }
        return sampleFirst();
    }
    if (cancel != nullptr && cancel->load(std::memory_order_relaxed)) {
        return makeError(ErrorCode::Cancelled, "cancelled");
    }
    const TokenId one[] = {decodeInput()};
    if (auto fed = feed(runtime, one, LogitsMode::Last); !fed) return tl::unexpected(fed.error());
    m_unfed.reset();
    return sampleFirst();
}

bool Session::needsDecode() const { return m_generating && pendingInput() == 0 && m_unfed.has_value(); }

TokenId Session::decodeInput() const { return *m_unfed; }

SessionToken Session::sampleNext(std::span<const float> logits) {
    m_sampler.accept(*m_unfed);
    m_unfed.reset();
    return record(m_sampler.sample(logits));
}

SessionToken Session::sampleFirst() { return record(m_sampler.sample(m_logits)); }

SessionToken Session::record(TokenId id) {
    m_reply.push_back(id);
    m_unfed = id;
    m_hasLogits = false;
    SessionToken result{id, false, StopReason::MaxTokens};
    if (isStop(id)) {
        result = {id, true, StopReason::EndOfTurn};
    } else if (static_cast<int64_t>(m_reply.size()) >= m_maxNewTokens) {
        result.finished = true;
    }
    if (result.finished) m_generating = false;
    return result;
}

void Session::stop() {
    m_generating = false;
    m_input.clear();
    m_inputFed = 0;
    m_hasLogits = false;
}

State Session::takeState() {
    stop();
    State taken = std::move(m_state);
    m_state = m_model->newState();
    m_unfed.reset();
    m_sampler.reset();
    return taken;
}

Result<void> Session::commit(Runtime& runtime) {
    stop();
    if (!m_unfed || isStop(*m_unfed)) return {};
    const TokenId one[] = {*m_unfed};
    if (auto fed = feed(runtime, one, LogitsMode::None); !fed) return fed;
    m_unfed.reset();
    return {};
}

}  // namespace rgemma
