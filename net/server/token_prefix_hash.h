// net/server/token_prefix_hash.h — a 64-bit hash of a token-id sequence that extends one id at a time (FNV-1a over
// the ids' little-endian bytes), so one pass over a prompt gives the hash of every prefix. A hash only finds
// candidates: whoever uses one compares the ids themselves before trusting a match.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "rgemma/tokenizer.h"

namespace rcserver {

inline constexpr uint64_t kEmptyIdsHash = 0xcbf29ce484222325ull;  // FNV-1a offset basis

inline uint64_t extendIdsHash(uint64_t hash, rgemma::TokenId id) {
    const auto bits = static_cast<uint32_t>(id);
    for (int shift = 0; shift < 32; shift += 8) {
        hash ^= (bits >> shift) & 0xffu;
        hash *= 0x100000001b3ull;  // FNV-1a 64-bit prime
    }
    return hash;
}

inline uint64_t idsHash(std::span<const rgemma::TokenId> ids) {
    uint64_t hash = kEmptyIdsHash;
    for (rgemma::TokenId id : ids) hash = extendIdsHash(hash, id);
    return hash;
}

// [i] = hash of ids[0, i), for i in 0..ids.size().
inline std::vector<uint64_t> prefixHashes(std::span<const rgemma::TokenId> ids) {
    std::vector<uint64_t> hashes(ids.size() + 1);
    hashes[0] = kEmptyIdsHash;
    for (std::size_t i = 0; i < ids.size(); ++i) hashes[i + 1] = extendIdsHash(hashes[i], ids[i]);
    return hashes;
}

}  // namespace rcserver
