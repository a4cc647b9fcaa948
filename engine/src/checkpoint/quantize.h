// quantize.h — deriving an int8 checkpoint from a float one (`rgemma quantize`): symmetric scales per 32 values, loaded
// by the engine like any checkpoint (dtype I8 + "<name>_scale", see rgemma/dtype.h).
#pragma once

#include <cstdint>
#include <filesystem>

#include "rgemma/error.h"

namespace rgemma {

struct QuantizeReport {
    int64_t quantizedTensors = 0;  // matrices written as I8
    int64_t copiedTensors = 0;     // tensors written as stored (norms, biases, conv, RG-LRU gates)
    uint64_t bytesIn = 0;          // tensor bytes read
    uint64_t bytesOut = 0;         // tensor bytes written
};

// Writes into `outDir` (created, or an empty folder; must not be `dir`) one model.safetensors in which every 2-D
// "*.weight" (the dense layers and the embedding, which is also the tied output layer) is I8 with an F32 "<name>_scale"
// [rows, in / 32]: per block of 32 values of a row, scale = max|w| / 127 and q = round(w / scale). The other tensors
// are copied as stored, a tied lm_head.weight is dropped, and every other file of `dir` (config.json, the tokenizer) is
// copied.
Result<QuantizeReport> quantizeCheckpointInt8(const std::filesystem::path& dir, const std::filesystem::path& outDir);

}  // namespace rgemma
