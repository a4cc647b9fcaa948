// net/server/tiered_state_cache.h — the server's own PrefixStateCache: kept states in memory within a byte budget
// (least recently used dropped first), every kept state also written to a DiskStateStore within its own bound, and
// a state found only on disk brought back into memory. Budgets of 0 turn a tier off (both 0: no reuse).
#pragma once

#include <cstdint>
#include <filesystem>
#include <list>
#include <vector>

#include "disk_state_store.h"
#include "prefix_state_cache.h"
#include "rgemma/model.h"

namespace rcserver {

struct StateCacheLimits {
    uint64_t memoryBytes = 0;
    uint64_t diskBytes = 0;
    std::filesystem::path diskFolder;  // the model's own folder (the caller appends the model fingerprint)
};

class TieredStateCache final : public PrefixStateCache {
  public:
    TieredStateCache(const rgemma::Model& model, const StateCacheLimits& limits);

    std::optional<ResumePoint> longestPrefix(std::span<const rgemma::TokenId> ids, std::size_t maxLength) override;
    void keep(std::span<const rgemma::TokenId> ids, rgemma::State state) override;

    struct Usage {
        std::size_t memoryEntries = 0;
        uint64_t memoryBytes = 0;
        std::size_t diskEntries = 0;
        uint64_t diskBytes = 0;
    };
    Usage usage() const;
    const DiskStateStore& disk() const { return m_disk; }

  private:
    struct MemoryEntry {
        std::vector<rgemma::TokenId> ids;
        uint64_t hash = 0;
        rgemma::State state;
        uint64_t bytes = 0;
    };
    void keepInMemory(std::vector<rgemma::TokenId> ids, uint64_t hash, rgemma::State state);

    uint64_t m_memoryBudget = 0;
    uint64_t m_memoryBytes = 0;
    std::list<MemoryEntry> m_memory;  // most recently used first
    DiskStateStore m_disk;
};

}  // namespace rcserver
