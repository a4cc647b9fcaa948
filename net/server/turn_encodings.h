// net/server/turn_encodings.h — the ids of user turns already rendered once. A client resends every earlier message
// with each request; encoding a long history again costs tens of milliseconds (sentencepiece, ~40 ms for 6,000
// words on a loaded AVX2 core), as much as resuming it. Bounded by the text it holds; the oldest go first.
#pragma once

#include <cstddef>
#include <list>
#include <string>
#include <unordered_map>
#include <vector>

#include "rgemma/tokenizer.h"

namespace rcserver {

class TurnEncodings {
  public:
    explicit TurnEncodings(std::size_t maxBytes = std::size_t{64} << 20) : m_maxBytes(maxBytes) {}

    // firstTurnTokens(message) when `first`, else nextTurnTokens(message), from the cache when it has them.
    const std::vector<rgemma::TokenId>& userTurn(const rgemma::Tokenizer& tokenizer, const std::string& message,
                                                 bool first);

  private:
    struct Entry {
        std::string key;  // "1" or "0", then the message
        std::vector<rgemma::TokenId> ids;
    };
    std::size_t m_maxBytes;
    std::size_t m_bytes = 0;
    std::list<Entry> m_entries;                                                // most recently used first
    std::unordered_map<std::string_view, std::list<Entry>::iterator> m_index;  // views into Entry::key
};

}  // namespace rcserver
