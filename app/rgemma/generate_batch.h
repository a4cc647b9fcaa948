// generate_batch.h — `rgemma generate --prompts-file/--ids-file`: every line of a file generated as one batch
// (rgemma::Scheduler), the outputs in the lines' order.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "rgemma/error.h"
#include "rgemma/generate.h"
#include "rgemma/model.h"
#include "rgemma/runtime.h"
#include "rgemma/sampler.h"

namespace rgemma::cli {

// The most lines a batch file may hold: each line is a sequence with its own state.
inline constexpr std::size_t kMaxBatchLines = 256;

// The lines of `file` (a final newline ends the last line; "\r\n" counts as one), each non-empty; at most
// kMaxBatchLines. Errors name the file and the line.
Result<std::vector<std::string>> readBatchLines(const std::filesystem::path& file);

// Replies to every input (each non-empty) together, one token per sequence per batched step, each with its own
// sampler of `sampling` (a line's reply is the one it gets alone: same seed, same tokens). Each reply's tokens
// leave out a final stop token.
Result<std::vector<std::vector<TokenId>>> generateBatch(const Model& model, Runtime& runtime,
                                                        const std::vector<std::vector<TokenId>>& inputs,
                                                        const SamplerSettings& sampling,
                                                        const GenerateOptions& options);

}  // namespace rgemma::cli
