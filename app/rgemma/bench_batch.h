// bench_batch.h — `rgemma bench --batch`: batched decode (Model::forwardBatch) timed per batch size and position,
// as aggregate tok/s and as fractions of the read bound and of the arithmetic peak measured in the same run.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cli_args.h"
#include "rgemma/machine.h"
#include "rgemma/model.h"
#include "rgemma/runtime.h"

namespace rgemma::cli {

struct BatchFigure {
    int64_t size = 0;
    int64_t position = 0;
    double decodeTokS = 0;       // all sequences together
    double perSequenceTokS = 0;  // one sequence's rate: steps per second
    double stepMs = 0;
    double bytesPerStep = 0;  // the weights once plus every sequence's state
    double flopsPerStep = 0;  // 2 per weight and sequence, plus each sequence's attention over its window
    // The dense products' arithmetic: f32 (the decode matvec column by column) up to kMaxDecodeColumns sequences,
    // the app's prompt path (PrefillPrecision::Fast) above.
    PrefillArithmetic path = PrefillArithmetic::Exact;
};

struct BatchPlan {
    std::vector<int64_t> sizes;      // --batch
    std::vector<int64_t> positions;  // --positions (default: 8, a short prompt)
};

// --batch LIST and --positions LIST; nullopt without --batch.
Parsed<std::optional<BatchPlan>> batchPlanFromArgs(const CliArgs& args);

// Times `steps` batched decode steps (after one untimed) for every size and position of `plan`, on the arithmetic
// the app uses by default (PrefillPrecision::Fast where a batch takes the prompt path). The sequences' states are those
// after 8 random tokens, with their position then set to the one asked for: the work of a step depends on the
// positions, not on the values.
Result<std::vector<BatchFigure>> measureBatches(const Model& model, Runtime& runtime, const BatchPlan& plan,
                                                int64_t steps);

// The human table and the JSON array (one object per figure), with the fractions of `readGbS` (GB/s) and of the peak
// of each figure's arithmetic in `peaks` (none at this level: null).
void printBatchHuman(const std::vector<BatchFigure>& figures, double readGbS, const MachinePeaks& peaks);
std::string batchJson(const std::vector<BatchFigure>& figures, double readGbS, const MachinePeaks& peaks);

}  // namespace rgemma::cli
