// state_cache.cpp — a tiny least-recently-used map of States; linear scans, since it holds a handful.
#include "state_cache.h"

#include <algorithm>

StateCache::StateCache(std::size_t capacity) : m_capacity(std::max<std::size_t>(capacity, 1)) {}

std::optional<rgemma::State> StateCache::fork(qint64 conversationId, qint64 messageId) {
    for (Entry& entry : m_entries) {
        if (entry.messageId != 0 && entry.conversationId == conversationId && entry.messageId == messageId) {
            entry.lastUse = ++m_clock;
            return entry.state.fork();
        }
    }
    return std::nullopt;
}

void StateCache::insert(Entry entry) {
    // One entry per message: a newer state of the same message replaces the old one.
    if (entry.messageId != 0) {
        std::erase_if(m_entries, [&](const Entry& other) {
            return other.conversationId == entry.conversationId && other.messageId == entry.messageId;
        });
    }
    if (m_entries.size() >= m_capacity) {
        const auto oldest = std::min_element(m_entries.begin(), m_entries.end(),
                                             [](const Entry& a, const Entry& b) { return a.lastUse < b.lastUse; });
        m_entries.erase(oldest);
    }
    entry.lastUse = ++m_clock;
    m_entries.push_back(std::move(entry));
}

void StateCache::put(qint64 conversationId, qint64 messageId, rgemma::State state) {
    insert(Entry{conversationId, messageId, 0, 0, std::move(state)});
}

void StateCache::putPending(qint64 conversationId, qint64 requestId, rgemma::State state) {
    insert(Entry{conversationId, 0, requestId, 0, std::move(state)});
}

void StateCache::bind(qint64 requestId, qint64 messageId) {
    const auto pending = std::find_if(m_entries.begin(), m_entries.end(), [&](const Entry& entry) {
        return entry.messageId == 0 && entry.requestId == requestId;
    });
    if (pending == m_entries.end()) return;
    Entry entry = std::move(*pending);
    m_entries.erase(pending);
    entry.messageId = messageId;
    entry.requestId = 0;
    insert(std::move(entry));
}

void StateCache::dropConversation(qint64 conversationId) {
    std::erase_if(m_entries, [&](const Entry& entry) { return entry.conversationId == conversationId; });
}

void StateCache::clear() { m_entries.clear(); }
