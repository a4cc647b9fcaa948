// machine_probe.h — measurements of the machine a benchmark runs on, taken with the runtime's own threads so that
// throughput can be reported as a fraction of what the hardware allows in the same run.
#pragma once

#include <cstddef>

#include "runtime_impl.h"

namespace rgemma {

// Streaming read of a `bytes` buffer (larger than the caches), split over the arena's threads: best of `passes`,
// in GB/s (10^9 bytes per second).
double measureReadBandwidth(Runtime::Impl& runtime, std::size_t bytes, int passes = 3);

// The bf16 dot-product peak (vdpbf16ps on registers, every thread of the arena), in GFLOP/s; 0 when the CPU has
// no AVX512_BF16.
double measureBf16DotPeak(Runtime::Impl& runtime);

// Eigen's f32 GEMM rate on [m, k] · [k, n], the m rows split over the arena's threads, in GFLOP/s.
double measureEigenGemm(Runtime::Impl& runtime, int m, int k, int n);

}  // namespace rgemma
