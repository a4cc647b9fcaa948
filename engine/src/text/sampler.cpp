// engine/src/sampler.cpp — next-token choice in llama.cpp's order: repetition penalty, then greedy argmax or
// temperature -> top-k -> softmax -> top-p -> min-p -> a draw from what is left, from a seeded splitmix64 generator.
#include "rgemma/sampler.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>
#include <string_view>
#include <utility>

namespace rgemma {

namespace {

constexpr float kNegativeInfinity = -std::numeric_limits<float>::infinity();
// Growth of the sorted prefix while looking for the top-p cut without a top-k: most of the mass usually sits in
// the first few dozen tokens, so sorting all 256000 would be wasted.
constexpr std::size_t kTopPFirstSort = 64;
constexpr std::size_t kTopPSortGrowth = 8;

// splitmix64 (Steele, Lea and Flood, 2014). Fully specified, unlike std::*_distribution, so that a seed gives the
// same draws with every compiler and standard library.
uint64_t nextRandom(uint64_t& state) {
    state += 0x9E3779B97F4A7C15ull;
    uint64_t z = state;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

// Uniform in [0, 1) from the top 53 bits: every double it returns is exact.
double nextUniform(uint64_t& state) { return static_cast<double>(nextRandom(state) >> 11) * 0x1.0p-53; }

// A strict total order on candidates: larger weight first, smaller id first among equals. Every filter keeps a
// prefix of this order, and sorting by it gives the same result with any standard library.
struct Ranking {
    const float* weights;
    bool operator()(int32_t a, int32_t b) const {
        return weights[a] > weights[b] || (weights[a] == weights[b] && a < b);
    }
};

// NaN carries no preference (it becomes -inf); +inf becomes the largest float so that the arithmetic below stays
// finite and several +inf logits share the probability.
float sanitizedLogit(float logit) {
    if (std::isnan(logit)) return kNegativeInfinity;
    return std::min(logit, std::numeric_limits<float>::max());
}

// Each distinct recent id once: positive logits are divided by the penalty, negative ones multiplied (llama.cpp).
void applyRepeatPenalty(std::span<float> logits, const std::deque<TokenId>& recent, std::vector<TokenId>& distinct,
                        float penalty) {
    if (!(penalty > 1.0f) || !std::isfinite(penalty) || recent.empty()) return;
    distinct.assign(recent.begin(), recent.end());
    std::sort(distinct.begin(), distinct.end());
    distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
    for (TokenId id : distinct) {
        if (id < 0 || static_cast<std::size_t>(id) >= logits.size()) continue;
        float& logit = logits[static_cast<std::size_t>(id)];
        logit = logit > 0.0f ? logit / penalty : logit * penalty;
    }
}

// The lowest id among the largest values: id 0 if none is above -inf.
TokenId argmax(std::span<const float> values) {
    std::size_t best = 0;
    for (std::size_t i = 1; i < values.size(); ++i) {
        if (values[i] > values[best]) best = i;
    }
    return static_cast<TokenId>(best);
}

// Turns logits into unnormalized probabilities exp((logit - max) / temperature) in place (the best gets exactly 1)
// and lists the ids with a non-zero one, in id order.
void computeWeights(std::span<float> values, float temperature, std::vector<int32_t>& candidates) {
    const float top = *std::max_element(values.begin(), values.end());
    // A huge temperature flattens everything; clamping keeps (-inf) / temperature from becoming NaN.
    const float divisor = std::min(temperature, std::numeric_limits<float>::max());
    candidates.clear();
    for (std::size_t id = 0; id < values.size(); ++id) {
        const float weight = values[id] == kNegativeInfinity ? 0.0f : std::exp((values[id] - top) / divisor);
        values[id] = weight;
        if (weight > 0.0f) candidates.push_back(static_cast<int32_t>(id));
    }
}

double totalWeight(const float* weights, std::span<const int32_t> ids) {
    double total = 0.0;
    for (int32_t id : ids) total += weights[id];
    return total;
}

// The number of best-ranked candidates whose probability first reaches `topP`; sorts that prefix as a side effect.
// Sorts a growing prefix rather than all of them.
std::size_t topPCount(std::span<int32_t> candidates, bool alreadySorted, const float* weights, double topP) {
    const double target = topP * totalWeight(weights, candidates);
    const Ranking ranking{weights};
    std::size_t sorted = alreadySorted ? candidates.size() : std::min(candidates.size(), kTopPFirstSort);
    for (;;) {
        if (!alreadySorted) {
            std::partial_sort(candidates.begin(), candidates.begin() + sorted, candidates.end(), ranking);
        }
        double cumulative = 0.0;
        for (std::size_t i = 0; i < sorted; ++i) {
            cumulative += weights[candidates[i]];
            if (cumulative >= target) return i + 1;
        }
        if (sorted == candidates.size()) return sorted;  // rounding left the sum a hair short of the target
        sorted = std::min(candidates.size(), sorted * kTopPSortGrowth);
    }
}

// Drops candidates whose probability is below minP times the best one's (whose weight is 1), keeping their order.
std::size_t minPCount(std::span<int32_t> candidates, const float* weights, float minP) {
    const float threshold = std::min(minP, 1.0f);  // the best candidate always stays
    const auto end =
        std::remove_if(candidates.begin(), candidates.end(), [&](int32_t id) { return weights[id] < threshold; });
    return static_cast<std::size_t>(end - candidates.begin());
}

// Inverse CDF over the candidates in their (deterministic) order.
TokenId draw(std::span<const int32_t> candidates, const float* weights, double uniform) {
    const double target = uniform * totalWeight(weights, candidates);
    double cumulative = 0.0;
    for (int32_t id : candidates) {
        cumulative += weights[id];
        if (cumulative > target) return id;
    }
    return candidates.back();
}

std::string formatted(double value) {
    char text[32];
    std::snprintf(text, sizeof text, "%g", value);
    return text;
}

// "in (0, 5]": the range as a reader of an error message wants it.
std::string described(const SettingRange& range) {
    return std::string("in ") + (range.minIncluded ? "[" : "(") + formatted(range.min) + ", " + formatted(range.max) +
           (range.maxIncluded ? "]" : ")");
}

Result<void> check(const SettingRange& range, double value) {
    if (inRange(range, value)) return {};
    return makeError(ErrorCode::InvalidArgument,
                     std::string(range.name) + " must be " + described(range) + " (it is " + formatted(value) + ")");
}

constexpr SettingRange kRanges[] = {kTemperatureRange, kTopKRange,          kTopPRange,
                                    kMinPRange,        kRepeatPenaltyRange, kRepeatWindowRange};

}  // namespace

std::span<const SettingRange> samplerSettingRanges() { return kRanges; }

// Written so that NaN fails every check.
bool inRange(const SettingRange& range, double value) {
    const bool aboveMin = range.minIncluded ? value >= range.min : value > range.min;
    const bool belowMax = range.maxIncluded ? value <= range.max : value < range.max;
    return aboveMin && belowMax;
}

double clampToRange(const SettingRange& range, double value) {
    if (std::isnan(value)) return range.defaultValue;
    // The settings are floats: the nearest value inside an open end is the nearest float.
    if (value <= range.min && !inRange(range, value)) {
        return range.minIncluded ? range.min : std::nextafter(static_cast<float>(range.min), HUGE_VALF);
    }
    if (value >= range.max && !inRange(range, value)) {
        return range.maxIncluded ? range.max : std::nextafter(static_cast<float>(range.max), -HUGE_VALF);
    }
    return value;
}

Result<void> validateSamplerSettings(const SamplerSettings& settings) {
    // Greedy decoding never divides by the temperature, so any value will do there.
    for (const auto& [range, value] : {std::pair{kTemperatureRange, double(settings.temperature)},
                                       {kTopKRange, double(settings.topK)},
                                       {kTopPRange, double(settings.topP)},
                                       {kMinPRange, double(settings.minP)},
                                       {kRepeatPenaltyRange, double(settings.repeatPenalty)},
                                       {kRepeatWindowRange, double(settings.repeatWindow)}}) {
        if (settings.greedy && std::string_view(range.name) == kTemperatureRange.name) continue;
        if (auto checked = check(range, value); !checked) return checked;
    }
    return {};
}

Sampler::Sampler(const SamplerSettings& settings) : m_settings(settings), m_rngState(settings.seed) {}

void Sampler::accept(TokenId id) {
    if (m_settings.repeatWindow <= 0) return;
    m_recent.push_back(id);
    while (m_recent.size() > static_cast<std::size_t>(m_settings.repeatWindow)) m_recent.pop_front();
}

void Sampler::reset() {
    m_recent.clear();
    m_rngState = m_settings.seed;
}

// The buffers are sized on the first call and reused: no allocation per token after that.
TokenId Sampler::sample(std::span<const float> logits) {
    if (logits.empty()) return 0;
    m_scratch.resize(logits.size());
    std::transform(logits.begin(), logits.end(), m_scratch.begin(), sanitizedLogit);
    applyRepeatPenalty(m_scratch, m_recent, m_penalized, m_settings.repeatPenalty);
    // A temperature that is not positive (settings that skipped validation) can only mean "no randomness".
    if (m_settings.greedy || !(m_settings.temperature > 0.0f)) return argmax(m_scratch);

    const double uniform = nextUniform(m_rngState);  // drawn first: one draw per call, whatever happens below
    const float* weights = m_scratch.data();
    computeWeights(m_scratch, m_settings.temperature, m_order);
    if (m_order.empty()) return 0;  // every logit was NaN or -inf

    std::span<int32_t> candidates(m_order);
    bool sorted = false;
    if (m_settings.topK > 0 && static_cast<std::size_t>(m_settings.topK) < candidates.size()) {
        const auto k = static_cast<std::size_t>(m_settings.topK);
        std::partial_sort(candidates.begin(), candidates.begin() + k, candidates.end(), Ranking{weights});
        candidates = candidates.first(k);
        sorted = true;
    }
    if (m_settings.topP < 1.0f && candidates.size() > 1) {
        candidates = candidates.first(topPCount(candidates, sorted, weights, m_settings.topP));
    }
    if (m_settings.minP > 0.0f) candidates = candidates.first(minPCount(candidates, weights, m_settings.minP));
    return draw(candidates, weights, uniform);
}

}  // namespace rgemma
