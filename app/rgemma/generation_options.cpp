// generation_options.cpp — parsing the sampling and length options into engine settings.
#include "generation_options.h"

#include <cstdio>
#include <limits>
#include <string>

#include "rgemma/generate.h"

namespace rgemma::cli {

namespace {

constexpr int64_t kInt32Min = std::numeric_limits<int32_t>::min();
constexpr int64_t kInt32Max = std::numeric_limits<int32_t>::max();

// Applies --name as a float to `field` when given.
Parsed<void> overrideFloat(const CliArgs& args, std::string_view name, float& field) {
    auto value = optionalFloat(args, name);
    if (!value) return tl::unexpected<std::string>(value.error());
    if (*value) field = **value;
    return {};
}

// Applies --name as an int32 to `field` when given; the range is validateSamplerSettings' job.
Parsed<void> overrideInt(const CliArgs& args, std::string_view name, int32_t& field) {
    auto value = optionalInteger(args, name, kInt32Min, kInt32Max);
    if (!value) return tl::unexpected<std::string>(value.error());
    if (*value) field = static_cast<int32_t>(**value);
    return {};
}

std::string number(float value) {
    char text[32];
    std::snprintf(text, sizeof text, "%g", static_cast<double>(value));
    return text;
}

}  // namespace

std::vector<OptionSpec> generationOptionSpecs() {
    // The defaults shown are read from the engine's settings, so the help cannot drift from it.
    const SamplerSettings d;
    return {
        {"max-tokens", "N",
         "stop after N generated tokens (default " + std::to_string(GenerateOptions{}.maxNewTokens) + ")"},
        {"greedy", "", "always take the most likely token (of the settings below only --repeat-penalty applies)"},
        {"temperature", "T", "divide the logits by T > 0 (default " + number(d.temperature) + ")"},
        {"top-k", "K", "keep the K most likely tokens; 0 keeps all (default " + std::to_string(d.topK) + ")"},
        {"top-p", "P", "keep the smallest set reaching probability P; 1 keeps all (default " + number(d.topP) + ")"},
        {"min-p", "M", "drop tokens below M x the top probability; 0 keeps all (default " + number(d.minP) + ")"},
        {"repeat-penalty", "R",
         "penalize recently seen tokens by R >= 1; 1 is off (default " + number(d.repeatPenalty) + ")"},
        {"repeat-window", "N",
         "how many recent tokens the penalty looks at (default " + std::to_string(d.repeatWindow) + ")"},
        {"seed", "S", "random seed; the same seed reproduces a reply (default " + std::to_string(d.seed) + ")"},
    };
}

Parsed<SamplerSettings> samplerSettingsFromArgs(const CliArgs& args) {
    SamplerSettings settings;
    settings.greedy = args.has("greedy");
    for (auto result :
         {overrideFloat(args, "temperature", settings.temperature), overrideInt(args, "top-k", settings.topK),
          overrideFloat(args, "top-p", settings.topP), overrideFloat(args, "min-p", settings.minP),
          overrideFloat(args, "repeat-penalty", settings.repeatPenalty),
          overrideInt(args, "repeat-window", settings.repeatWindow)}) {
        if (!result) return tl::unexpected<std::string>(result.error());
    }
    if (auto seedText = args.value("seed")) {
        auto seed = parseUnsigned(*seedText, "seed");
        if (!seed) return tl::unexpected<std::string>(seed.error());
        settings.seed = *seed;
    }
    if (auto valid = validateSamplerSettings(settings); !valid) {
        return tl::unexpected<std::string>(valid.error().message);
    }
    return settings;
}

Parsed<int32_t> maxTokensFromArgs(const CliArgs& args) {
    auto value = optionalInteger(args, "max-tokens", 1, kInt32Max);
    if (!value) return tl::unexpected<std::string>(value.error());
    return static_cast<int32_t>(value->value_or(GenerateOptions{}.maxNewTokens));
}

}  // namespace rgemma::cli
