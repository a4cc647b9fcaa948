// net/server/prefix_state_cache.h — the state-cache lookups the engine side of the server makes: states kept by the
// exact token ids they consumed, found again for the longest cached prefix of a new prompt. An interface so that
// the app can give the server its own pool (one memory budget for the window's replies and the server's).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "rgemma/state.h"
#include "rgemma/tokenizer.h"

namespace rcserver {

struct ResumePoint {
    rgemma::State state;  // has consumed exactly the first `length` ids of the prompt looked up
    int64_t length = 0;
};

// Called on the engine thread only; implementations need not be thread-safe.
class PrefixStateCache {
  public:
    virtual ~PrefixStateCache() = default;
    // A copy of the state kept for the longest prefix of `ids` at most `maxLength` long; nullopt when none is.
    // A hit's ids are compared with the prompt's, not only their hash: a wrong state is never returned.
    virtual std::optional<ResumePoint> longestPrefix(std::span<const rgemma::TokenId> ids, std::size_t maxLength) = 0;
    // Keeps `state`, which has consumed exactly `ids` (state.position == ids.size()).
    virtual void keep(std::span<const rgemma::TokenId> ids, rgemma::State state) = 0;
};

}  // namespace rcserver
