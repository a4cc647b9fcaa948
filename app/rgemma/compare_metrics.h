// compare_metrics.h — the figures of `rgemma compare`, position by position: top-1 agreement, |logit error|, the
// softmax KL divergence of the model from the reference, and each model's log-likelihood of the next text token
// (its perplexity).
#pragma once

#include <cmath>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "rgemma/error.h"
#include "rgemma/tokenizer.h"

namespace rgemma::cli {

struct Tally {
    int64_t positions = 0, matches = 0;
    int64_t confidentPositions = 0, confidentMatches = 0;  // where the reference's top-1 leads by more than margin
    double maxAbsError = 0, sumAbsError = 0;
    int64_t values = 0;
    double sumKl = 0;  // KL(reference || model) of the softmax distributions, in nats, summed over positions
    // Over the positions whose next id is known (a text's tokens): -log p(next id), summed, for each model.
    int64_t predictions = 0;
    double sumNll = 0, referenceSumNll = 0;

    double agreement() const { return static_cast<double>(matches) / static_cast<double>(positions); }
    double meanAbsError() const { return sumAbsError / static_cast<double>(values); }
    double meanKl() const { return sumKl / static_cast<double>(positions); }
    double confidentAgreement() const {
        return static_cast<double>(confidentMatches) / static_cast<double>(confidentPositions);
    }
    // exp(mean negative log-likelihood): the model's next-token perplexity on the text.
    double perplexity() const { return std::exp(sumNll / static_cast<double>(predictions)); }
    double referencePerplexity() const { return std::exp(referenceSumNll / static_cast<double>(predictions)); }
};

// Adds one position: the two models' logits [vocab] there and, when known, the id that follows (scored for the
// perplexities). A NaN or infinity would poison every figure, so it fails, naming `where`.
Result<void> tallyPosition(Tally& tally, std::span<const float> model, std::span<const float> reference,
                           std::optional<TokenId> next, float margin, const std::string& where);

}  // namespace rgemma::cli
