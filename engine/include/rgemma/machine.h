// rgemma/machine.h — the CPU as the engine sees it: what RGEMMA_ISA asked for, and the machine's limits measured on a
// Runtime's threads, so that a benchmark can report its throughput as a fraction of them (`rgemma bench`).
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "rgemma/runtime.h"

namespace rgemma {

// RGEMMA_ISA as set (null when unset or empty), and why the kernel level in force (Runtime::isa) is not the one it
// names: not a level's name, or a level this CPU cannot run (empty when it was followed). The engine prints
// nothing: its callers say it (rgemma warns on stderr for every command, and `rgemma bench` reports both).
const char* requestedIsa();
std::string isaRequestProblem();

// The arithmetic peaks of the kernel level `runtime` runs (so RGEMMA_ISA lowers them too), every thread of its arena
// running independent register-only chains, in 10^9 operations per second (a multiply-add counts 2).
struct MachinePeaks {
    double fp32Gflops = 0;                   // f32 multiply-adds: FMA where the level has it, else mulps + addps
    std::optional<double> int8Gops;          // int8 dot products; none at the portable level
    std::optional<double> bf16Gflops;        // bf16 dot products; none below AVX512_BF16
    const char* fp32Instructions = "";       // what ran, for reports: "vfmadd231ps ymm ×12"
    const char* int8Instructions = nullptr;  // null where there is no such peak
    const char* bf16Instructions = nullptr;
};
MachinePeaks measurePeaks(Runtime& runtime);

// Streaming read of a `bytes` buffer (larger than the caches), split over the arena's threads: best of `passes`,
// in GB/s (10^9 bytes per second).
double measureReadBandwidth(Runtime& runtime, std::size_t bytes, int passes = 3);

// Eigen's f32 GEMM rate on [m, k] · [k, n], the m rows split over the arena's threads, in GFLOP/s.
double measureEigenGemm(Runtime& runtime, int m, int k, int n);

}  // namespace rgemma
