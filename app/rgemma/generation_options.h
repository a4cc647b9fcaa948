// generation_options.h — the sampling and length options `generate` and `chat` share, and the engine settings
// they turn into.
#pragma once

#include <cstdint>
#include <vector>

#include "cli_args.h"
#include "rgemma/sampler.h"

namespace rgemma::cli {

// --max-tokens, --greedy, --temperature, --top-k, --top-p, --min-p, --repeat-penalty, --repeat-window, --seed.
std::vector<OptionSpec> generationOptionSpecs();

// SamplerSettings defaults with the given overrides (seed 0 unless --seed, so runs are reproducible), checked
// with validateSamplerSettings: an out-of-range setting is a usage error.
Parsed<SamplerSettings> samplerSettingsFromArgs(const CliArgs& args);
// --max-tokens N (>= 1); when absent the engine's default reply length, GenerateOptions{}.maxNewTokens.
Parsed<int32_t> maxTokensFromArgs(const CliArgs& args);

}  // namespace rgemma::cli
