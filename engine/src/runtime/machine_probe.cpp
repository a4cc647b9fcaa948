// machine_probe.cpp — rgemma/machine.h's measurements: read bandwidth, arithmetic peaks (the peak loops of
// kernels/peak_loops.h) and Eigen's GEMM rate, taken on the runtime's own threads.

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/parallel_reduce.h>

#include <Eigen/Core>
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <vector>

#include "kernels/peak_loops.h"
#include "rgemma/machine.h"
#include "runtime/runtime_impl.h"

namespace rgemma {

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

// Runs `work(thread)` once on each of the arena's threads at the same time and returns the wall time.
template <typename Work>
double onEveryThread(Runtime::Impl& runtime, Work work) {
    double seconds = 0;
    runtime.arena.execute([&] {
        const auto start = Clock::now();
        // One task per thread, static partitioner: each thread gets exactly one.
        tbb::parallel_for(
            0, runtime.threads, [&](int thread) { work(thread); }, tbb::static_partitioner());
        seconds = secondsSince(start);
    });
    return seconds;
}

// The rate of `loop` with every thread of the arena running it at once, in 10^9 operations per second: a warm-up on
// every thread that also sizes a pass to about 50 ms (the wide units and the clock settle), then the best of
// `passes`.
double measurePeak(Runtime::Impl& runtime, const PeakLoop& loop, int passes = 3) {
    constexpr double kPassSeconds = 0.05;
    volatile double sink = 0;
    const auto runEverywhere = [&](int64_t iterations) {
        return onEveryThread(runtime, [&](int) { sink = sink + loop.run(iterations); });
    };
    // Warm-up: double the length until a pass is long enough to time, then size the passes from it.
    int64_t iterations = 1 << 14;
    double seconds = runEverywhere(iterations);
    while (seconds < kPassSeconds / 4) {
        iterations *= 2;
        seconds = runEverywhere(iterations);
    }
    iterations = static_cast<int64_t>(static_cast<double>(iterations) * kPassSeconds / seconds) + 1;
    double best = 0;
    for (int pass = 0; pass < passes; ++pass) {
        seconds = runEverywhere(iterations);
        best = std::max(best, static_cast<double>(iterations) * static_cast<double>(loop.opsPerIteration) *
                                  runtime.threads / seconds / 1e9);
    }
    return best;
}

}  // namespace

double measureReadBandwidth(Runtime& publicRuntime, std::size_t bytes, int passes) {
    Runtime::Impl& runtime = publicRuntime.impl();
    const std::size_t words = bytes / sizeof(uint64_t);
    std::vector<uint64_t> buffer(words);
    for (std::size_t i = 0; i < words; ++i) buffer[i] = i;  // touch every page before timing
    double best = 0;
    for (int pass = 0; pass < passes; ++pass) {
        std::vector<uint64_t> sums(static_cast<std::size_t>(runtime.threads));
        const double seconds = onEveryThread(runtime, [&](int thread) {
            const std::size_t begin = words * static_cast<std::size_t>(thread) / runtime.threads;
            const std::size_t end = words * static_cast<std::size_t>(thread + 1) / runtime.threads;
            // Eight independent lanes so the loop is bound by loads, not by one addition chain; unrolled, so they
            // stay in registers (rolled, GCC 12 at -O2 kept them on the stack and the probe read 20 % low).
            uint64_t lanes[8] = {};
            std::size_t i = begin;
            for (; i + 8 <= end; i += 8) {
#pragma GCC unroll 8
                for (int j = 0; j < 8; ++j) lanes[j] += buffer[i + j];
            }
            uint64_t sum = 0;
            for (uint64_t lane : lanes) sum += lane;
            sums[static_cast<std::size_t>(thread)] = sum;
        });
        volatile uint64_t sink = 0;
        for (uint64_t s : sums) sink = sink + s;
        best = std::max(best, static_cast<double>(words * sizeof(uint64_t)) / seconds / 1e9);
    }
    return best;
}

MachinePeaks measurePeaks(Runtime& publicRuntime) {
    Runtime::Impl& runtime = publicRuntime.impl();
    const PeakLoops& loops = peakLoops(runtime.kernels->isa);
    MachinePeaks peaks;
    peaks.fp32Gflops = measurePeak(runtime, loops.fp32);
    peaks.fp32Instructions = loops.fp32.instructions;
    if (loops.int8) {
        peaks.int8Gops = measurePeak(runtime, loops.int8);
        peaks.int8Instructions = loops.int8.instructions;
    }
    if (loops.bf16) {
        peaks.bf16Gflops = measurePeak(runtime, loops.bf16);
        peaks.bf16Instructions = loops.bf16.instructions;
    }
    return peaks;
}

double measureEigenGemm(Runtime& publicRuntime, int m, int k, int n) {
    Runtime::Impl& runtime = publicRuntime.impl();
    using Matrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
    const Matrix a = Matrix::Random(m, k);
    const Matrix b = Matrix::Random(k, n);
    Matrix c(m, n);
    double best = 0;
    for (int pass = 0; pass < 3; ++pass) {
        const double seconds = onEveryThread(runtime, [&](int thread) {
            const int begin = m * thread / runtime.threads;
            const int end = m * (thread + 1) / runtime.threads;
            c.middleRows(begin, end - begin).noalias() = a.middleRows(begin, end - begin) * b;
        });
        best = std::max(best, 2.0 * m * k * n / seconds / 1e9);
    }
    return best;
}

}  // namespace rgemma
