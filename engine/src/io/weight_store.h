// weight_store.h — all tensors of a checkpoint folder: model.safetensors, or shards listed by
// model.safetensors.index.json. Looks tensors up by name.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "io/safetensors.h"
#include "rgemma/error.h"

namespace rgemma {

// Parses the text of a model.safetensors.index.json: its weight_map (tensor name -> shard file name), each shard
// name checked to be a plain file name inside the checkpoint folder. `source` names the file in errors. May throw
// std::bad_alloc only (nlohmann is told not to throw on bad input).
Result<std::map<std::string, std::string>> parseWeightMap(std::string_view text, const std::string& source);

class WeightStore {
  public:
    // Opens `dir`: if model.safetensors.index.json exists, every shard its weight_map names (each tensor must be
    // in the shard the index says); otherwise model.safetensors. A tensor name present twice is an error.
    static Result<WeightStore> open(const std::filesystem::path& dir);

    // nullptr if absent.
    const TensorView* find(const std::string& name) const;
    // All tensors, sorted by name.
    std::vector<const TensorView*> tensors() const;
    // Sum of the tensors' byte sizes.
    uint64_t totalBytes() const;
    const std::vector<std::filesystem::path>& files() const { return m_files; }

  private:
    std::vector<SafetensorsFile> m_shards;
    std::map<std::string, const TensorView*> m_byName;
    std::vector<std::filesystem::path> m_files;
};

}  // namespace rgemma
