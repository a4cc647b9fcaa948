// state_cache.cpp — a tiny least-recently-used map of States; linear scans, since it holds a handful.
#include "state_cache.h"

#include <algorithm>

StateCache::StateCache(std::size_t capacity) : m_capacity(std::max<std::size_t>(capacity, 1)) {}

std::optional<rgemma::State> StateCache::fork(const QString& key) {
    if (key.isEmpty()) return std::nullopt;
    for (Entry& entry : m_entries) {
        if (entry.key == key) {
            entry.lastUse = ++m_clock;
            return entry.state.fork();
        }
    }
    return std::nullopt;
}

void StateCache::put(const QString& key, rgemma::State state) {
    if (key.isEmpty()) return;
    std::erase_if(m_entries, [&](const Entry& entry) { return entry.key == key; });
    if (m_entries.size() >= m_capacity) {
        const auto oldest = std::min_element(m_entries.begin(), m_entries.end(),
                                             [](const Entry& a, const Entry& b) { return a.lastUse < b.lastUse; });
        m_entries.erase(oldest);
    }
    m_entries.push_back(Entry{key, ++m_clock, std::move(state)});
}

void StateCache::clear() { m_entries.clear(); }
