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

struct SamplerSettings {
    bool greedy = false;         // argmax, ignoring everything below but the repetition penalty
    float temperature = 1.0f;    // > 0; logits are divided by it
    int32_t topK = 40;           // keep the k most likely tokens; 0 = all
    float topP = 0.95f;          // keep the smallest set whose probability reaches p; 1 = all
    float minP = 0.05f;          // drop tokens below min_p x the top probability; 0 = none
    float repeatPenalty = 1.0f;  // >= 1: logits of recently seen tokens: positive / r, negative * r; 1 = off
    int32_t repeatWindow = 64;   // how many recent tokens the penalty looks at
    uint64_t seed = 0;
};

// Checks ranges; the message names the bad setting.
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
