// random_checkpoint.h — writing a complete Hugging Face checkpoint folder of random weights in the real
// RecurrentGemma shapes: for benchmarks and tests that need the size of the 2B or 9B without the weights.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

#include "rgemma/config.h"
#include "rgemma/dtype.h"
#include "rgemma/error.h"

namespace rgemma::cli {

// config.json for "2b", "9b" (docs/checkpoint-format.md §2) or "tiny" (the golden tiny-f32 shape), with
// torch_dtype for `dtype`; nullopt-like error text for an unknown shape is the caller's job.
std::string randomConfigJson(std::string_view shape, DType dtype);

// Writes the weights of `config` into `dir` as safetensors: one model.safetensors, or shards of at most
// kMaxShardBytes (a single larger tensor gets a shard of its own) with model.safetensors.index.json.
// Values come from a xorshift generator seeded by `seed` and each tensor's name: linear weights and biases
// ~N(0, 0.02), norm scales ~N(0, 0.1), conv taps ~N(0, 0.1), rg_lru.recurrent_param ~U(-6, 1). Streams in
// small chunks, never holding a tensor in memory. `progress` is told each file written.
inline constexpr uint64_t kMaxShardBytes = 2'000'000'000;
Result<void> writeRandomWeights(const ModelConfig& config, DType dtype, uint64_t seed, const std::filesystem::path& dir,
                                const std::function<void(const std::string& file, uint64_t bytes)>& progress);

}  // namespace rgemma::cli
