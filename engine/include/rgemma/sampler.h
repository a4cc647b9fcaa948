// rgemma/sampler.h — choosing the next token from logits: greedy, or temperature with top-k, top-p and min-p
// filters and a repetition penalty, from a seeded generator so that a seed reproduces a reply exactly.
#pragma once

#include <cstdint>
#include <deque>
#include <span>
#include <vector>

#include "rgemma/error.h"
#include "rgemma/tokenizer.h"

namespace rgemma {

// One numeric sampling setting: its range and default, written once, here. SamplerSettings starts from the
// defaults, validateSamplerSettings accepts exactly the ranges, and front ends offer them (the app's preferences
// clamp to them and its dialog reads them; the CLI's help prints the defaults).
struct SettingRange {
    const char* name;  // as error messages and the app's settings file name it
    double min;
    double max;
    bool minIncluded;  // false: only values above min (a temperature or top-p of 0 means nothing)
    bool maxIncluded;  // false: only values below max
    double defaultValue;
};

inline constexpr SettingRange kTemperatureRange{"temperature", 0.0, 5.0, false, true, 1.0};  // logits / temperature
inline constexpr SettingRange kTopKRange{"topK", 0, 100000, true, true, 40};                 // 0 = all
inline constexpr SettingRange kTopPRange{"topP", 0.0, 1.0, false, true, 0.95};               // 1 = all
inline constexpr SettingRange kMinPRange{"minP", 0.0, 1.0, true, false, 0.05};               // 0 = none
// Below 1 the "penalty" would favour repeating, which invites loops; nobody needs that from a chat.
inline constexpr SettingRange kRepeatPenaltyRange{"repeatPenalty", 1.0, 3.0, true, true, 1.0};  // 1 = off
inline constexpr SettingRange kRepeatWindowRange{"repeatWindow", 0, 4096, true, true, 64};

// Every range above, for front ends that look one up by name.
std::span<const SettingRange> samplerSettingRanges();
// Whether `value` lies in `range` (NaN never does).
bool inRange(const SettingRange& range, double value);
// The value of `range` nearest to `value`: at an open end the nearest float inside it; the default for NaN.
double clampToRange(const SettingRange& range, double value);

struct SamplerSettings {
    bool greedy = false;  // argmax, ignoring everything below but the repetition penalty
    float temperature = static_cast<float>(kTemperatureRange.defaultValue);
    int32_t topK = static_cast<int32_t>(kTopKRange.defaultValue);  // keep the k most likely tokens
    float topP = static_cast<float>(kTopPRange.defaultValue);      // keep the smallest set whose probability reaches p
    float minP = static_cast<float>(kMinPRange.defaultValue);      // drop tokens below min_p x the top probability
    // Logits of recently seen tokens: positive ones divided by it, negative ones multiplied.
    float repeatPenalty = static_cast<float>(kRepeatPenaltyRange.defaultValue);
    int32_t repeatWindow = static_cast<int32_t>(kRepeatWindowRange.defaultValue);  // recent tokens the penalty sees
    uint64_t seed = 0;
};

// Checks every setting against its range (the temperature only when not greedy); the message names the bad one.
Result<void> validateSamplerSettings(const SamplerSettings& settings);

class Sampler {
  public:
    explicit Sampler(const SamplerSettings& settings);

    // Picks a token. `logits` has one entry per vocabulary id. NaN logits count as -inf and +inf ones as the
    // largest float; if no logit is a number above -inf (or `logits` is empty) the answer is id 0.
    // Draws one number from the generator per call unless greedy.
    TokenId sample(std::span<const float> logits);
    // Records a token fed to the model (prompt or generated), for the repetition penalty.
    void accept(TokenId id);
    // Forgets the history and restarts the generator from the seed.
    void reset();

    const SamplerSettings& settings() const { return m_settings; }

  private:
    SamplerSettings m_settings;
    uint64_t m_rngState;
    std::deque<TokenId> m_recent;
    std::vector<float> m_scratch;      // [vocab] the logits after the penalty and the temperature
    std::vector<int32_t> m_order;      // candidate ids, best first once sorted
    std::vector<TokenId> m_penalized;  // the distinct ids of m_recent
};

}  // namespace rgemma
