// net/server/reply_memory.h — for each reply the server produced, the text it returned and the ids behind it, by the
// ids that came before it. A client resends the text; re-encoding it could give other ids than were generated, and
// then no kept state would match: rendering the resent text back to its own ids is what lets a conversation resume.
// Bounded: the oldest replies are forgotten first (their conversations then resume from an earlier state).
#pragma once

#include <cstddef>
#include <cstdint>
#include <list>
#include <string>
#include <unordered_map>
#include <vector>

#include "rgemma/tokenizer.h"

namespace rcserver {

class ReplyMemory {
  public:
    explicit ReplyMemory(std::size_t maxEntries = 4096) : m_maxEntries(maxEntries) {}

    // After the ids whose idsHash is `contextHash`, the reply `text` stands for `ids`.
    void remember(uint64_t contextHash, const std::string& text, std::vector<rgemma::TokenId> ids);
    // The ids remembered for `text` after that context, or null.
    const std::vector<rgemma::TokenId>* find(uint64_t contextHash, const std::string& text) const;
    std::size_t size() const { return m_entries.size(); }

  private:
    struct Entry {
        uint64_t contextHash;
        std::string text;
        std::vector<rgemma::TokenId> ids;
    };
    static uint64_t key(uint64_t contextHash, const std::string& text);

    std::size_t m_maxEntries;
    std::list<Entry> m_entries;  // newest first
    std::unordered_multimap<uint64_t, std::list<Entry>::iterator> m_index;
};

}  // namespace rcserver
