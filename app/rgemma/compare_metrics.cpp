// compare_metrics.cpp — one position's contribution to `rgemma compare`'s figures, in double precision.
#include "compare_metrics.h"

#include <algorithm>
#include <limits>
#include <utility>

namespace rgemma::cli {

namespace {

double logSumExp(std::span<const float> row) {
    const double top = *std::max_element(row.begin(), row.end());
    double sum = 0;
    for (float value : row) sum += std::exp(static_cast<double>(value) - top);
    return top + std::log(sum);
}

// KL(p || q) of the softmax distributions: top-1 only sees the argmax, this sees every probability the sampler
// draws from (llama.cpp rates its quantizations by the same measure).
double klDivergence(std::span<const float> p, std::span<const float> q) {
    const double lseP = logSumExp(p), lseQ = logSumExp(q);
    double kl = 0;
    for (std::size_t i = 0; i < p.size(); ++i) {
        const double logP = static_cast<double>(p[i]) - lseP, logQ = static_cast<double>(q[i]) - lseQ;
        kl += std::exp(logP) * (logP - logQ);
    }
    return std::max(kl, 0.0);  // rounding can leave -1e-17 where the rows are equal
}

// -log softmax(row)[id]: the cross-entropy of the true next id, whose mean over a text is log(perplexity).
double negativeLogLikelihood(std::span<const float> row, TokenId id) {
    return logSumExp(row) - static_cast<double>(row[static_cast<std::size_t>(id)]);
}

// The index of the largest value (the first on ties, as greedy sampling picks) and its lead over the runner-up.
std::pair<std::size_t, float> top1(std::span<const float> row) {
    const std::size_t best = static_cast<std::size_t>(std::max_element(row.begin(), row.end()) - row.begin());
    float second = -std::numeric_limits<float>::infinity();
    for (std::size_t i = 0; i < row.size(); ++i) {
        if (i != best) second = std::max(second, row[i]);
    }
    return {best, row[best] - second};
}

}  // namespace

Result<void> tallyPosition(Tally& tally, std::span<const float> model, std::span<const float> reference,
                           std::optional<TokenId> next, float margin, const std::string& where) {
    double rowMax = 0, rowSum = 0;
    for (std::size_t i = 0; i < model.size(); ++i) {
        if (!std::isfinite(model[i]) || !std::isfinite(reference[i])) {
            return makeError(ErrorCode::InvalidArgument,
                             "a logit is not finite at " + where + ", vocabulary id " + std::to_string(i) + " (" +
                                 (std::isfinite(model[i]) ? "--reference" : "--model") + ")");
        }
        const double diff = std::fabs(static_cast<double>(model[i]) - static_cast<double>(reference[i]));
        rowMax = std::max(rowMax, diff);
        rowSum += diff;
    }
    const auto [referenceTop, lead] = top1(reference);
    const bool match = top1(model).first == referenceTop;
    tally.positions += 1;
    tally.matches += match;
    if (lead > margin) {
        tally.confidentPositions += 1;
        tally.confidentMatches += match;
    }
    tally.maxAbsError = std::max(tally.maxAbsError, rowMax);
    tally.sumAbsError += rowSum;
    tally.values += static_cast<int64_t>(model.size());
    tally.sumKl += klDivergence(reference, model);
    if (next) {
        tally.predictions += 1;
        tally.sumNll += negativeLogLikelihood(model, *next);
        tally.referenceSumNll += negativeLogLikelihood(reference, *next);
    }
    return {};
}

}  // namespace rgemma::cli
