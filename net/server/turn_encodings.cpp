// net/server/turn_encodings.cpp — a bounded least-recently-used map from a user turn to its ids.
#include "turn_encodings.h"

#include "rgemma/chat_format.h"

namespace rcserver {

const std::vector<rgemma::TokenId>& TurnEncodings::userTurn(const rgemma::Tokenizer& tokenizer,
                                                            const std::string& message, bool first) {
    std::string key = (first ? "1" : "0") + message;
    if (const auto found = m_index.find(key); found != m_index.end()) {
        m_entries.splice(m_entries.begin(), m_entries, found->second);
        return found->second->ids;
    }
    std::vector<rgemma::TokenId> ids =
        first ? rgemma::firstTurnTokens(tokenizer, message) : rgemma::nextTurnTokens(tokenizer, message);
    const std::size_t bytes = key.size() + ids.size() * sizeof(rgemma::TokenId);
    m_entries.push_front(Entry{std::move(key), std::move(ids)});
    m_index.emplace(m_entries.front().key, m_entries.begin());
    m_bytes += bytes;
    while (m_bytes > m_maxBytes && m_entries.size() > 1) {
        const Entry& oldest = m_entries.back();
        m_bytes -= oldest.key.size() + oldest.ids.size() * sizeof(rgemma::TokenId);
        m_index.erase(oldest.key);
        m_entries.pop_back();
    }
    return m_entries.front().ids;
}

}  // namespace rcserver
