// machine_probe.h — measurements of the machine a benchmark runs on, taken with the runtime's own threads so that
// throughput can be reported as a fraction of what the hardware allows in the same run.
#pragma once

#include <cstddef>
#include <optional>

#include "kernels/peak_loops.h"
#include "runtime/runtime_impl.h"

namespace rgemma {

// Streaming read of a `bytes` buffer (larger than the caches), split over the arena's threads: best of `passes`,
// in GB/s (10^9 bytes per second).
double measureReadBandwidth(Runtime::Impl& runtime, std::size_t bytes, int passes = 3);

// The rate of `loop` (peak_loops.h) with every thread of the arena running it at once, in 10^9 operations per
// second: a warm-up on every thread that also sizes a pass to about 50 ms (the wide units and the clock settle),
// then the best of `passes`.
double measurePeak(Runtime::Impl& runtime, const PeakLoop& loop, int passes = 3);

// The arithmetic peaks of the instruction set in force (runtime.kernels->isa, so RGEMMA_ISA lowers them too).
struct MachinePeaks {
    double fp32Gflops = 0;             // f32 multiply-adds: FMA where the level has it, else mulps + addps
    std::optional<double> int8Gops;    // int8 dot products; none at the portable level
    std::optional<double> bf16Gflops;  // bf16 dot products; none below AVX512_BF16
    const PeakLoops* loops = nullptr;  // what was run (instruction names for reports)
};
MachinePeaks measurePeaks(Runtime::Impl& runtime);

// Eigen's f32 GEMM rate on [m, k] · [k, n], the m rows split over the arena's threads, in GFLOP/s.
double measureEigenGemm(Runtime::Impl& runtime, int m, int k, int n);

}  // namespace rgemma
