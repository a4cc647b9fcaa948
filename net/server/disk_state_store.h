// net/server/disk_state_store.h — the server's kept states on disk: one state file (engine/STATE_FORMAT.md) and one
// ids file per entry, in a folder of the server's own, within a byte bound (least recently used removed first).
// Only files named like its entries are ever removed, so a folder given by mistake loses nothing else.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "rgemma/model.h"
#include "rgemma/state.h"
#include "rgemma/tokenizer.h"

namespace rcserver {

class DiskStateStore {
  public:
    struct Entry {
        uint64_t hash = 0;  // idsHash of the ids the state consumed
        int64_t length = 0;
        uint64_t bytes = 0;  // both files
        uint64_t lastUse = 0;
    };

    // Scans `folder` (created if missing) and removes half-written entries. maxBytes 0 disables the store.
    DiskStateStore(const rgemma::Model& model, std::filesystem::path folder, uint64_t maxBytes);

    bool enabled() const { return m_maxBytes > 0 && m_folderProblem.empty(); }
    // Why the folder cannot be used ("" if it can).
    const std::string& folderProblem() const { return m_folderProblem; }
    // What last went wrong with an entry (a full disk, a damaged file), for the log; "" if nothing did.
    const std::string& lastProblem() const { return m_lastProblem; }
    const std::vector<Entry>& entries() const { return m_entries; }
    uint64_t bytes() const { return m_bytes; }

    // The state kept for exactly `ids`, checked against the ids file, the model's fingerprint and its position;
    // an entry that fails a check is removed.
    std::optional<rgemma::State> load(std::span<const rgemma::TokenId> ids);
    // Writes the entry (state file first, then the ids file that makes it count), then trims to the bound.
    void save(std::span<const rgemma::TokenId> ids, const rgemma::State& state);

  private:
    std::filesystem::path statePath(uint64_t hash, int64_t length) const;
    std::filesystem::path idsPath(uint64_t hash, int64_t length) const;
    void scan();
    void remove(std::size_t index);
    void trimTo(uint64_t maxBytes);

    const rgemma::Model& m_model;
    std::filesystem::path m_folder;
    uint64_t m_maxBytes = 0;
    uint64_t m_bytes = 0;
    uint64_t m_clock = 0;  // lastUse of the newest use
    std::vector<Entry> m_entries;
    std::string m_folderProblem;
    std::string m_lastProblem;
};

}  // namespace rcserver
