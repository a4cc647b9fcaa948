// engine/src/io/weight_store.cpp — opens a checkpoint folder (one model.safetensors, or the shards of
// model.safetensors.index.json) and indexes every tensor by name, checking the index against the shards.
#include "io/weight_store.h"

#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <set>
#include <system_error>

namespace rgemma {

namespace {

using nlohmann::json;

constexpr const char* kIndexFile = "model.safetensors.index.json";
constexpr const char* kSingleFile = "model.safetensors";
// An index lists one line per tensor (about 30 KiB for the 2B); the bound keeps a hostile file from being read whole.
constexpr std::uintmax_t kMaxIndexBytes = 64ull << 20;

tl::unexpected<Error> indexError(const std::filesystem::path& index, const std::string& what) {
    return makeError(ErrorCode::InvalidCheckpoint, index.string() + ": " + what);
}

bool isFile(const std::filesystem::path& path) {
    std::error_code ec;
    return std::filesystem::is_regular_file(path, ec);
}

// A shard must be a plain file name in the checkpoint folder: the index must not reach outside it.
bool isPlainFileName(const std::string& name) {
    return !name.empty() && name != "." && name != ".." && name.find('/') == std::string::npos &&
           name.find('\\') == std::string::npos && name.find('\0') == std::string::npos;
}

Result<std::string> readBounded(const std::filesystem::path& path, std::uintmax_t maxBytes) {
    std::error_code ec;
    const auto size = std::filesystem::file_size(path, ec);
    if (ec) return makeError(ErrorCode::Io, "cannot read '" + path.string() + "': " + ec.message());
    if (size > maxBytes) {
        return makeError(ErrorCode::InvalidCheckpoint, path.string() + ": file is " + std::to_string(size) +
                                                           " bytes, more than the limit of " +
                                                           std::to_string(maxBytes));
    }
    std::ifstream in(path, std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad() || !in.is_open()) return makeError(ErrorCode::Io, "cannot read '" + path.string() + "'");
    return text;
}

}  // namespace

Result<std::map<std::string, std::string>> parseWeightMap(std::string_view text, const std::string& source) {
    const std::filesystem::path index(source);
    // nlohmann treats a NUL as the end of the input, which would hide whatever follows it.
    const json root =
        text.find('\0') == std::string_view::npos ? json::parse(text, nullptr, false) : json(json::value_t::discarded);
    if (root.is_discarded()) return indexError(index, "not valid JSON");
    if (!root.is_object()) return indexError(index, "not a JSON object");
    const auto it = root.find("weight_map");
    if (it == root.end() || !it->is_object()) return indexError(index, "missing the 'weight_map' object");
    if (it->empty()) return indexError(index, "'weight_map' is empty");
    std::map<std::string, std::string> weightMap;
    for (const auto& [name, shard] : it->items()) {
        if (!shard.is_string()) return indexError(index, "tensor '" + name + "': shard name must be a string");
        const auto& file = shard.get_ref<const std::string&>();
        if (!isPlainFileName(file)) {
            return indexError(index, "tensor '" + name + "': shard '" + file +
                                         "' is not a plain file name inside the checkpoint folder");
        }
        weightMap.emplace(name, file);
    }
    return weightMap;
}

namespace {

Result<std::map<std::string, std::string>> readWeightMap(const std::filesystem::path& index) {
    auto text = readBounded(index, kMaxIndexBytes);
    if (!text) return tl::unexpected(text.error());
    return parseWeightMap(*text, index.string());
}

}  // namespace

Result<WeightStore> WeightStore::open(const std::filesystem::path& dir) {
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec)) {
        return makeError(ErrorCode::Io, "checkpoint folder '" + dir.string() + "' does not exist or is not a folder");
    }
    WeightStore store;
    const auto index = dir / kIndexFile;
    if (isFile(index)) {
        Result<std::map<std::string, std::string>> weightMap;
        try {
            weightMap = readWeightMap(index);
        } catch (const std::exception& e) {  // allocation failure; nlohmann itself is told not to throw
            return indexError(index, std::string("cannot parse: ") + e.what());
        }
        if (!weightMap) return tl::unexpected(weightMap.error());
        std::set<std::string> shardNames;
        for (const auto& [name, shard] : *weightMap) shardNames.insert(shard);

        for (const auto& shardName : shardNames) {
            auto shard = SafetensorsFile::open(dir / shardName);
            if (!shard) return tl::unexpected(shard.error());
            // Moving the shard keeps its tensor vector's buffer, so the pointers taken here stay valid.
            store.m_shards.push_back(std::move(*shard));
            store.m_files.push_back(dir / shardName);
            for (const auto& tensor : store.m_shards.back().tensors) {
                const auto listed = weightMap->find(tensor.name);
                if (listed == weightMap->end()) {
                    return indexError(index, "shard '" + shardName + "' holds tensor '" + tensor.name +
                                                 "' that the weight_map does not list");
                }
                if (listed->second != shardName) {
                    return indexError(index, "tensor '" + tensor.name + "' is in shard '" + shardName +
                                                 "' but the weight_map puts it in '" + listed->second + "'");
                }
                store.m_byName.emplace(tensor.name, &tensor);
            }
        }
        for (const auto& [name, shard] : *weightMap) {
            if (store.m_byName.find(name) == store.m_byName.end()) {
                return indexError(
                    index, "tensor '" + name + "' is listed in the weight_map but missing from shard '" + shard + "'");
            }
        }
        return store;
    }

    const auto single = dir / kSingleFile;
    if (!isFile(single)) {
        return makeError(ErrorCode::InvalidCheckpoint,
                         "checkpoint folder '" + dir.string() + "' has neither " + kSingleFile + " nor " + kIndexFile);
    }
    auto file = SafetensorsFile::open(single);
    if (!file) return tl::unexpected(file.error());
    store.m_shards.push_back(std::move(*file));
    store.m_files.push_back(single);
    for (const auto& tensor : store.m_shards.back().tensors) store.m_byName.emplace(tensor.name, &tensor);
    return store;
}

const TensorView* WeightStore::find(const std::string& name) const {
    const auto it = m_byName.find(name);
    return it == m_byName.end() ? nullptr : it->second;
}

std::vector<const TensorView*> WeightStore::tensors() const {
    std::vector<const TensorView*> all;
    all.reserve(m_byName.size());
    for (const auto& [name, tensor] : m_byName) all.push_back(tensor);  // std::map iterates in name order
    return all;
}

uint64_t WeightStore::totalBytes() const {
    uint64_t total = 0;
    for (const auto& [name, tensor] : m_byName) total += tensor->byteSize;
    return total;
}

}  // namespace rgemma
