// tests/fuzz/fuzz_config.cpp — libFuzzer target: parseModelConfig on arbitrary text, i.e. a checkpoint's
// config.json. An accepted config must be one the engine can size buffers from.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "rgemma/config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto config = rgemma::parseModelConfig(text, "fuzz/config.json");
    if (!config) return 0;
    if (config->hiddenSize <= 0 || config->numLayers <= 0 || config->vocabSize <= 0) std::abort();
    if (static_cast<int64_t>(config->blocks.size()) != config->numLayers) std::abort();
    if (config->numRecurrentLayers() + config->numAttentionLayers() != config->numLayers) std::abort();
    return 0;
}
