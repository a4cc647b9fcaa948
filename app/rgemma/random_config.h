// random_config.h — the config.json of a real RecurrentGemma shape, for `rgemma make-random`: benchmarks and tests
// that need the size of the 2B or 9B without the weights (the engine writes the weights: writeRandomWeights).
#pragma once

#include <string>
#include <string_view>

#include "rgemma/dtype.h"

namespace rgemma::cli {

// config.json for "2b", "9b" (docs/checkpoint-format.md §2) or "tiny" (the golden tiny-f32 shape), with torch_dtype
// for `dtype`; empty for another name.
std::string randomConfigJson(std::string_view shape, DType dtype);

}  // namespace rgemma::cli
