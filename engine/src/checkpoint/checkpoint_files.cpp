// checkpoint_files.cpp — CheckpointFiles (rgemma/checkpoint.h): the public face of a folder's weight store.
#include <algorithm>

#include "io/weight_store.h"
#include "rgemma/checkpoint.h"
#include "state/model_fingerprint.h"

namespace rgemma {

CheckpointFiles::CheckpointFiles(std::unique_ptr<WeightStore> store) : m_store(std::move(store)) {}
CheckpointFiles::CheckpointFiles(CheckpointFiles&&) noexcept = default;
CheckpointFiles& CheckpointFiles::operator=(CheckpointFiles&&) noexcept = default;
CheckpointFiles::~CheckpointFiles() = default;

Result<CheckpointFiles> CheckpointFiles::open(const std::filesystem::path& dir) {
    auto store = WeightStore::open(dir);
    if (!store) return tl::unexpected(store.error());
    return CheckpointFiles(std::make_unique<WeightStore>(std::move(*store)));
}

const std::vector<std::filesystem::path>& CheckpointFiles::files() const { return m_store->files(); }

std::vector<TensorSummary> CheckpointFiles::tensors() const {
    std::vector<TensorSummary> summaries;
    for (const TensorView* tensor : m_store->tensors()) {
        summaries.push_back({tensor->name, tensor->dtype, tensor->shape, tensor->numel(), tensor->byteSize});
    }
    return summaries;
}

uint64_t CheckpointFiles::totalBytes() const { return m_store->totalBytes(); }

Result<std::vector<std::string>> indexShardFiles(std::string_view indexJson, const std::string& source) {
    auto weightMap = parseWeightMap(indexJson, source);
    if (!weightMap) return tl::unexpected(weightMap.error());
    std::vector<std::string> shards;
    for (const auto& [tensor, shard] : *weightMap) shards.push_back(shard);
    std::sort(shards.begin(), shards.end());
    shards.erase(std::unique(shards.begin(), shards.end()), shards.end());
    return shards;
}

std::string CheckpointFiles::fingerprint(const ModelConfig& config) const {
    return computeModelFingerprint(config, *m_store);
}

}  // namespace rgemma
