// net/server/reply_memory.cpp — a bounded map (context, text) -> ids; lookups compare the text, not only its hash.
#include "reply_memory.h"

#include <functional>

namespace rcserver {

uint64_t ReplyMemory::key(uint64_t contextHash, const std::string& text) {
    return contextHash ^ (std::hash<std::string>{}(text)*0x9E3779B97F4A7C15ull);
}

void ReplyMemory::remember(uint64_t contextHash, const std::string& text, std::vector<rgemma::TokenId> ids) {
    if (m_maxEntries == 0) return;
    const uint64_t k = key(contextHash, text);
    for (auto [it, end] = m_index.equal_range(k); it != end; ++it) {
        if (it->second->contextHash == contextHash && it->second->text == text) {
            m_entries.erase(it->second);
            m_index.erase(it);
            break;
        }
    }
    m_entries.push_front(Entry{contextHash, text, std::move(ids)});
    m_index.emplace(k, m_entries.begin());
    while (m_entries.size() > m_maxEntries) {
        const Entry& oldest = m_entries.back();
        for (auto [it, end] = m_index.equal_range(key(oldest.contextHash, oldest.text)); it != end; ++it) {
            if (it->second == std::prev(m_entries.end())) {
                m_index.erase(it);
                break;
            }
        }
        m_entries.pop_back();
    }
}

const std::vector<rgemma::TokenId>* ReplyMemory::find(uint64_t contextHash, const std::string& text) const {
    for (auto [it, end] = m_index.equal_range(key(contextHash, text)); it != end; ++it) {
        if (it->second->contextHash == contextHash && it->second->text == text) return &it->second->ids;
    }
    return nullptr;
}

}  // namespace rcserver
