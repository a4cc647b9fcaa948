// compare_checks.h — whether two checkpoints can be compared by `rgemma compare`: the same config, and tokenizers
// that give the ids the same meaning.
#pragma once

#include <filesystem>
#include <string>

#include "rgemma/config.h"
#include "rgemma/error.h"

namespace rgemma::cli {

// The config.json keys on which `a` and `b` differ, each with both values ("hidden_size 96 vs 160"); empty if none.
std::string configDifferences(const ModelConfig& a, const ModelConfig& b);

// Equal configs say the ids index the same rows; only the tokenizers say they mean the same text. A folder without
// a tokenizer.model (ids only) is taken at its config's word.
Result<void> checkSameVocabulary(const std::filesystem::path& model, const std::filesystem::path& reference);

// A float as config.json would spell it: its shortest form (1e-06, not 9.99999997e-07).
std::string spellValue(float value);

}  // namespace rgemma::cli
