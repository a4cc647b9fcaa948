// net/server/disk_state_store.cpp — entries as "<hash>-<length>.state" + "<hash>-<length>.ids"; the ids file holds a
// magic, the count, the ids and their hash, and is written after the state file so that an entry counts only once
// both are whole.
#include "disk_state_store.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <regex>
#include <system_error>

#include "rgemma/state_file.h"
#include "token_prefix_hash.h"

namespace rcserver {

namespace fs = std::filesystem;

namespace {

constexpr char kIdsMagic[8] = {'R', 'C', 'I', 'D', 'S', '0', '0', '1'};

// The ids file's bytes: magic, uint64 count, int32 ids, uint64 idsHash (all little-endian, as x86 stores them).
std::string idsFileBytes(std::span<const rgemma::TokenId> ids) {
    const uint64_t count = ids.size();
    const uint64_t hash = idsHash(ids);
    std::string bytes(kIdsMagic, sizeof kIdsMagic);
    bytes.append(reinterpret_cast<const char*>(&count), sizeof count);
    bytes.append(reinterpret_cast<const char*>(ids.data()), ids.size_bytes());
    bytes.append(reinterpret_cast<const char*>(&hash), sizeof hash);
    return bytes;
}

// True if `path` holds exactly idsFileBytes(ids).
bool idsFileMatches(const fs::path& path, std::span<const rgemma::TokenId> ids) {
    const std::string expected = idsFileBytes(ids);
    std::ifstream in(path, std::ios::binary);
    std::string actual(expected.size() + 1, '\0');
    in.read(actual.data(), static_cast<std::streamsize>(actual.size()));
    return in.gcount() == static_cast<std::streamsize>(expected.size()) &&
           std::memcmp(actual.data(), expected.data(), expected.size()) == 0;
}

bool writeFileReplacing(const fs::path& path, const std::string& bytes) {
    const fs::path temporary = path.string() + ".tmp";
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        out.flush();
        if (!out) {
            std::error_code ignored;
            fs::remove(temporary, ignored);
            return false;
        }
    }
    std::error_code error;
    fs::rename(temporary, path, error);
    return !error;
}

uint64_t fileSize(const fs::path& path) {
    std::error_code error;
    const auto size = fs::file_size(path, error);
    return error ? 0 : size;
}

std::string entryName(uint64_t hash, int64_t length) {
    char name[48];
    std::snprintf(name, sizeof name, "%016" PRIx64 "-%" PRId64, hash, length);
    return name;
}

}  // namespace

DiskStateStore::DiskStateStore(const rgemma::Model& model, fs::path folder, uint64_t maxBytes)
    : m_model(model), m_folder(std::move(folder)), m_maxBytes(maxBytes) {
    if (m_maxBytes == 0) return;
    std::error_code error;
    fs::create_directories(m_folder, error);
    if (error || !fs::is_directory(m_folder)) {
        m_folderProblem = "cannot create the state folder " + m_folder.string() + ": " + error.message();
        return;
    }
    scan();
    trimTo(m_maxBytes);
}

fs::path DiskStateStore::statePath(uint64_t hash, int64_t length) const {
    return m_folder / (entryName(hash, length) + ".state");
}

fs::path DiskStateStore::idsPath(uint64_t hash, int64_t length) const {
    return m_folder / (entryName(hash, length) + ".ids");
}

void DiskStateStore::scan() {
    static const std::regex kOurs(R"(([0-9a-f]{16})-([0-9]{1,12})\.(ids|state)(\.tmp.*)?)");
    struct Found {
        Entry entry;
        fs::file_time_type modified;
    };
    std::vector<Found> found;
    std::vector<fs::path> strays;
    std::error_code error;
    for (const auto& item : fs::directory_iterator(m_folder, error)) {
        const std::string name = item.path().filename().string();
        std::smatch match;
        if (!std::regex_match(name, match, kOurs)) continue;  // not ours: never touched
        const uint64_t hash = std::stoull(match[1].str(), nullptr, 16);
        const int64_t length = std::stoll(match[2].str());
        const bool isIds = match[3].str() == "ids" && !match[4].matched;
        if (match[4].matched) {
            strays.push_back(item.path());  // a write interrupted by a crash
        } else if (isIds) {
            if (!fs::exists(statePath(hash, length))) {
                strays.push_back(item.path());
                continue;
            }
            const uint64_t bytes = fileSize(item.path()) + fileSize(statePath(hash, length));
            found.push_back({Entry{hash, length, bytes, 0}, fs::last_write_time(item.path(), error)});
        } else if (!fs::exists(idsPath(hash, length))) {
            strays.push_back(item.path());  // a state file whose ids file was never written
        }
    }
    for (const fs::path& stray : strays) fs::remove(stray, error);
    std::sort(found.begin(), found.end(), [](const Found& a, const Found& b) { return a.modified < b.modified; });
    for (Found& item : found) {
        item.entry.lastUse = ++m_clock;
        m_bytes += item.entry.bytes;
        m_entries.push_back(item.entry);
    }
}

void DiskStateStore::remove(std::size_t index) {
    const Entry entry = m_entries[index];
    std::error_code error;
    fs::remove(idsPath(entry.hash, entry.length), error);  // first: without it the entry no longer counts
    fs::remove(statePath(entry.hash, entry.length), error);
    m_bytes -= std::min(m_bytes, entry.bytes);
    m_entries.erase(m_entries.begin() + static_cast<std::ptrdiff_t>(index));
}

void DiskStateStore::trimTo(uint64_t maxBytes) {
    while (m_bytes > maxBytes && !m_entries.empty()) {
        const auto oldest = std::min_element(m_entries.begin(), m_entries.end(),
                                             [](const Entry& a, const Entry& b) { return a.lastUse < b.lastUse; });
        remove(static_cast<std::size_t>(oldest - m_entries.begin()));
    }
}

std::optional<rgemma::State> DiskStateStore::load(std::span<const rgemma::TokenId> ids) {
    if (!enabled()) return std::nullopt;
    const uint64_t hash = idsHash(ids);
    const auto length = static_cast<int64_t>(ids.size());
    const auto it = std::find_if(m_entries.begin(), m_entries.end(),
                                 [&](const Entry& e) { return e.hash == hash && e.length == length; });
    if (it == m_entries.end()) return std::nullopt;
    const auto index = static_cast<std::size_t>(it - m_entries.begin());
    // Same hash, other ids: a collision, or a file changed behind our back. Either way not this prompt's state.
    if (!idsFileMatches(idsPath(hash, length), ids)) {
        m_lastProblem = "kept state " + entryName(hash, length) + " does not hold the ids it is named for: removed";
        remove(index);
        return std::nullopt;
    }
    auto state = rgemma::loadStateFile(statePath(hash, length), m_model);
    if (!state || state->position != length) {
        m_lastProblem = state ? "kept state " + entryName(hash, length) + " is at another position: removed"
                              : state.error().message + ": removed";
        remove(index);
        return std::nullopt;
    }
    it->lastUse = ++m_clock;
    std::error_code ignored;
    fs::last_write_time(idsPath(hash, length), fs::file_time_type::clock::now(), ignored);
    return std::move(*state);
}

void DiskStateStore::save(std::span<const rgemma::TokenId> ids, const rgemma::State& state) {
    if (!enabled() || ids.empty()) return;
    const uint64_t hash = idsHash(ids);
    const auto length = static_cast<int64_t>(ids.size());
    const auto same = std::find_if(m_entries.begin(), m_entries.end(),
                                   [&](const Entry& e) { return e.hash == hash && e.length == length; });
    if (same != m_entries.end()) remove(static_cast<std::size_t>(same - m_entries.begin()));
    if (auto saved = rgemma::saveStateFile(statePath(hash, length), state, m_model); !saved) {
        m_lastProblem = saved.error().message;
        return;
    }
    if (!writeFileReplacing(idsPath(hash, length), idsFileBytes(ids))) {
        m_lastProblem = "cannot write " + idsPath(hash, length).string();
        std::error_code ignored;
        fs::remove(statePath(hash, length), ignored);
        return;
    }
    const Entry entry{hash, length, fileSize(idsPath(hash, length)) + fileSize(statePath(hash, length)), ++m_clock};
    m_entries.push_back(entry);
    m_bytes += entry.bytes;
    trimTo(m_maxBytes);
}

}  // namespace rcserver
