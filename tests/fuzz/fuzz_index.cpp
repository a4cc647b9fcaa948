// tests/fuzz/fuzz_index.cpp — libFuzzer target: parseWeightMap on arbitrary text, i.e. a sharded checkpoint's
// model.safetensors.index.json. An accepted shard name must never reach outside the checkpoint folder.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "io/weight_store.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto weightMap = rgemma::parseWeightMap(text, "fuzz/model.safetensors.index.json");
    if (!weightMap) return 0;
    for (const auto& [name, shard] : *weightMap) {
        if (shard.empty() || shard == "." || shard == ".." || shard.find('/') != std::string::npos ||
            shard.find('\\') != std::string::npos || shard.find('\0') != std::string::npos) {
            std::abort();
        }
    }
    return 0;
}
