// scheduler.cpp — Scheduler: join, leave, and the steps that feed joining input and decode every reply together.
#include "rgemma/scheduler.h"

#include <algorithm>
#include <string>

namespace rgemma {

Scheduler::Scheduler(const Model& model, Runtime& runtime, const SchedulerOptions& options)
    : m_model(&model), m_runtime(&runtime), m_options(options) {}

Result<SessionId> Scheduler::join(Session session) {
    if (static_cast<int>(m_entries.size()) >= m_options.capacity) {
        return makeError(ErrorCode::InvalidState,
                         "the batch is full (" + std::to_string(m_options.capacity) + " sessions)");
    }
    if (!session.generating()) return makeError(ErrorCode::InvalidArgument, "a joining session must begin a turn");
    const SessionId id = m_nextId++;
    m_entries.push_back({id, std::move(session)});
    return id;
}

std::optional<Session> Scheduler::leave(SessionId id) {
    const auto it = std::find_if(m_entries.begin(), m_entries.end(), [&](const Entry& e) { return e.id == id; });
    if (it == m_entries.end()) return std::nullopt;
    Session session = std::move(it->session);
    m_entries.erase(it);
    return session;
}

const Session* Scheduler::find(SessionId id) const {
    const auto it = std::find_if(m_entries.begin(), m_entries.end(), [&](const Entry& e) { return e.id == id; });
    return it == m_entries.end() ? nullptr : &it->session;
}

bool Scheduler::busy() const {
    return std::any_of(m_entries.begin(), m_entries.end(), [](const Entry& e) { return e.session.generating(); });
}

Result<void> Scheduler::feedJoining() {
    int64_t budget = std::max(m_options.inputTokensPerStep, kSessionFeedChunk);
    for (Entry& entry : m_entries) {
        // Whole pieces only, so that each input is cut where Session::step cuts it alone (the same numbers).
        const int64_t whole = budget / kSessionFeedChunk * kSessionFeedChunk;
        if (whole == 0) break;
        const int64_t pending = entry.session.pendingInput();
        if (!entry.session.generating() || pending == 0) continue;
        if (auto fed = entry.session.feedInput(*m_runtime, whole); !fed) return tl::unexpected(fed.error());
        budget -= pending - entry.session.pendingInput();
    }
    return {};
}

Result<std::vector<ScheduledToken>> Scheduler::step() {
    if (auto fed = feedJoining(); !fed) return tl::unexpected(fed.error());

    // The sessions that need a forward pass go through it together; their rows of the logits are theirs.
    m_states.clear();
    m_tokens.clear();
    m_rows.assign(m_entries.size(), 0);
    for (std::size_t i = 0; i < m_entries.size(); ++i) {
        Session& session = m_entries[i].session;
        if (!session.needsDecode()) continue;
        m_rows[i] = m_states.size();
        m_states.push_back(&session.stateForBatch());
        m_tokens.push_back(session.decodeInput());
    }
    if (!m_states.empty()) {
        if (auto fed = m_model->forwardBatch(*m_runtime, m_states, m_tokens, m_logits); !fed) {
            return tl::unexpected(fed.error());
        }
    }

    std::vector<ScheduledToken> sampled;
    const auto vocab = static_cast<std::size_t>(m_model->config().vocabSize);
    for (std::size_t i = 0; i < m_entries.size(); ++i) {
        Session& session = m_entries[i].session;
        if (session.needsDecode()) {
            const std::span<const float> row(m_logits.data() + m_rows[i] * vocab, vocab);
            sampled.push_back({m_entries[i].id, session.sampleNext(row)});
        } else if (session.readyToSample()) {
            sampled.push_back({m_entries[i].id, session.sampleFirst()});
        }
    }
    return sampled;
}

}  // namespace rgemma
