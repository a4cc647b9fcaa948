// net/server/tiered_state_cache.cpp — longest-prefix lookup over both tiers: every prefix's hash from one pass over
// the prompt, candidates by hash, then the ids compared (memory) or the entry's ids file checked (disk).
#include "tiered_state_cache.h"

#include <algorithm>

#include "token_prefix_hash.h"

namespace rcserver {

TieredStateCache::TieredStateCache(const rgemma::Model& model, const StateCacheLimits& limits)
    : m_memoryBudget(limits.memoryBytes), m_disk(model, limits.diskFolder, limits.diskBytes) {}

std::optional<ResumePoint> TieredStateCache::longestPrefix(std::span<const rgemma::TokenId> ids,
                                                           std::size_t maxLength) {
    const auto prompt = ids.first(std::min(maxLength, ids.size()));
    const std::vector<uint64_t> hashes = prefixHashes(prompt);

    auto bestMemory = m_memory.end();
    for (auto it = m_memory.begin(); it != m_memory.end(); ++it) {
        const std::size_t length = it->ids.size();
        if (length > prompt.size() || it->hash != hashes[length]) continue;
        if (bestMemory != m_memory.end() && length <= bestMemory->ids.size()) continue;
        if (std::equal(it->ids.begin(), it->ids.end(), prompt.begin())) bestMemory = it;
    }
    const std::size_t memoryLength = bestMemory == m_memory.end() ? 0 : bestMemory->ids.size();

    // Longer entries on disk only (a state dropped from memory, or kept by an earlier run), longest first.
    std::vector<int64_t> diskLengths;
    for (const DiskStateStore::Entry& entry : m_disk.entries()) {
        const auto length = static_cast<std::size_t>(entry.length);
        if (length > memoryLength && length <= prompt.size() && entry.hash == hashes[length]) {
            diskLengths.push_back(entry.length);
        }
    }
    std::sort(diskLengths.rbegin(), diskLengths.rend());
    for (int64_t length : diskLengths) {
        const auto prefix = prompt.first(static_cast<std::size_t>(length));
        if (auto state = m_disk.load(prefix)) {
            ResumePoint point{state->fork(), length};
            keepInMemory(std::vector<rgemma::TokenId>(prefix.begin(), prefix.end()), hashes[prefix.size()],
                         std::move(*state));
            return point;
        }
    }
    if (bestMemory == m_memory.end()) return std::nullopt;
    m_memory.splice(m_memory.begin(), m_memory, bestMemory);
    return ResumePoint{bestMemory->state.fork(), static_cast<int64_t>(memoryLength)};
}

void TieredStateCache::keep(std::span<const rgemma::TokenId> ids, rgemma::State state) {
    if (ids.empty() || state.position != static_cast<int64_t>(ids.size())) return;
    m_disk.save(ids, state);
    keepInMemory(std::vector<rgemma::TokenId>(ids.begin(), ids.end()), idsHash(ids), std::move(state));
}

void TieredStateCache::keepInMemory(std::vector<rgemma::TokenId> ids, uint64_t hash, rgemma::State state) {
    const uint64_t bytes = state.byteSize() + ids.size() * sizeof(rgemma::TokenId);
    for (auto it = m_memory.begin(); it != m_memory.end(); ++it) {
        if (it->hash == hash && it->ids == ids) {
            m_memoryBytes -= it->bytes;
            m_memory.erase(it);
            break;
        }
    }
    if (bytes > m_memoryBudget) return;
    while (m_memoryBytes + bytes > m_memoryBudget && !m_memory.empty()) {
        m_memoryBytes -= m_memory.back().bytes;
        m_memory.pop_back();
    }
    m_memory.push_front(MemoryEntry{std::move(ids), hash, std::move(state), bytes});
    m_memoryBytes += bytes;
}

TieredStateCache::Usage TieredStateCache::usage() const {
    return Usage{m_memory.size(), m_memoryBytes, m_disk.entries().size(), m_disk.bytes()};
}

}  // namespace rcserver
