// bench_kernels.cpp — Google Benchmark of the matrix kernels at every instruction-set level this CPU runs: decode
// matvecs (bytes of weights per second) and prefill GEMMs (FLOP/s) on the 2B model's shapes, beside the bf16 dot
// peak, the local attention block's own products, and the 4-bit (Q4K) decode kernel beside the int8 and bf16 ones.
// Built, never run by ctest: timings belong here and in `rgemma bench`, not in unit tests.
#include <benchmark/benchmark.h>
#include <oneapi/tbb/parallel_for.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "io/dtype_convert.h"
#include "kernels/matmul_kernels.h"
#include "kernels/q4_scalar.h"
#include "layers/linear.h"
#include "model/blocks.h"
#include "rgemma/machine.h"
#include "rgemma/runtime.h"
#include "runtime/runtime_impl.h"

namespace rgemma {
namespace {

struct Matrix {
    std::vector<uint16_t> bf16;
    std::vector<float> f32;
    std::vector<int8_t> i8;
    std::vector<float> scales;  // I8 block scales
    TensorView view;
};

// Random weights [out, in] stored as `dtype` (values in ±2^-6, like trained weights' scale).
Matrix makeMatrix(int64_t out, int64_t in, DType dtype) {
    Matrix m;
    std::mt19937 random(42);
    std::uniform_real_distribution<float> uniform(-1.0f / 64, 1.0f / 64);
    const auto count = static_cast<std::size_t>(out * in);
    if (dtype == DType::BF16) {
        m.bf16.resize(count);
        for (auto& v : m.bf16) v = floatToBf16(uniform(random));
    } else if (dtype == DType::I8) {
        m.i8.resize(count);
        for (auto& v : m.i8) v = static_cast<int8_t>(uniform(random) * 64 * 127);
        m.scales.assign(static_cast<std::size_t>(out * i8Blocks(in)), 1.0f / (64 * 127));
    } else {
        m.f32.resize(count);
        for (auto& v : m.f32) v = uniform(random);
    }
    m.view = TensorView{std::string("w"), dtype, {out, in}, nullptr, count * dtypeSize(dtype)};
    m.view.data = dtype == DType::BF16 ? static_cast<const void*>(m.bf16.data())
                  : dtype == DType::I8 ? static_cast<const void*>(m.i8.data())
                                       : m.f32.data();
    return m;
}

// Args: level, threads, dtype (0 f32, 1 bf16, 2 int8), out, in, tokens, precision (0 exact, 1 fast, 2 int8
// activations and weights; int8 decode: 1 = int8 activations).
void linear(benchmark::State& state) {
    const auto isa = static_cast<Isa>(state.range(0));
    if (!isaSupported(isa)) {
        state.SkipWithError("level not supported by this CPU");
        return;
    }
    const auto threads = static_cast<int>(state.range(1));
    const DType dtype = state.range(2) == 2 ? DType::I8 : state.range(2) == 1 ? DType::BF16 : DType::F32;
    const int64_t out = state.range(3), in = state.range(4), tokens = state.range(5);
    Runtime runtime(threads);
    runtime.impl().kernels = &matmulKernels(isa);
    runtime.setPrefillPrecision(state.range(6) == 2   ? PrefillPrecision::Int8
                                : state.range(6) == 1 ? PrefillPrecision::Fast
                                                      : PrefillPrecision::Exact);
    // Decode of int8 weights: "fast" selects int8 activations (W8A8).
    if (tokens == 1 && state.range(6) == 1) runtime.setInt8Activations(Int8Activations::Quantized);
    const Matrix w = makeMatrix(out, in, dtype);
    std::vector<float> x(static_cast<std::size_t>(tokens * in), 0.5f);
    std::vector<float> y(static_cast<std::size_t>(tokens * out));
    for (auto _ : state) {
        runtime.impl().arena.execute(
            [&] { linearForward(runtime.impl(), w.view, {}, x.data(), tokens, y.data(), w.scales); });
        benchmark::DoNotOptimize(y.data());
    }
    const char* fast = tokens > 1 ? (state.range(6) == 2 ? " int8" : " fast") : " w8a8";
    state.SetLabel(std::string(isaName(isa)) + " " + std::string(dtypeName(dtype)) +
                   (state.range(6) >= 1 ? fast
                    : tokens > 1        ? " exact"
                                        : ""));
    state.SetBytesProcessed(state.iterations() *
                            static_cast<int64_t>(w.view.byteSize + w.scales.size() * sizeof(float)));
    state.counters["FLOPS"] = benchmark::Counter(static_cast<double>(2 * out * in * tokens) * state.iterations(),
                                                 benchmark::Counter::kIsRate);
}

// The attention block on the 2B's shape (10 query heads of 256 sharing one key/value head, a 2048-key window) in a
// model only 32 wide, so that the projections are negligible and the products over the keys are what is timed.
// Args: level, threads, tokens (1: decode), first position. FLOPS counts q·k and p·v over the keys each query sees.
void attention(benchmark::State& state) {
    const auto isa = static_cast<Isa>(state.range(0));
    if (!isaSupported(isa)) {
        state.SkipWithError("level not supported by this CPU");
        return;
    }
    constexpr int64_t kWidth = 32, kHeads = 10, kHeadDim = 256, kWindow = 2048;
    const int64_t tokens = state.range(2), position = state.range(3);
    ModelConfig config;
    config.hiddenSize = kWidth;
    config.numHeads = kHeads;
    config.headDim = kHeadDim;
    config.attentionWindow = kWindow;
    config.partialRotaryFactor = 0.5f;
    config.ropeTheta = 10000.0f;
    config.blocks = {BlockType::Attention};
    Runtime runtime(static_cast<int>(state.range(1)));
    runtime.impl().kernels = &matmulKernels(isa);
    const Matrix q = makeMatrix(kHeads * kHeadDim, kWidth, DType::F32), k = makeMatrix(kHeadDim, kWidth, DType::F32);
    const Matrix v = makeMatrix(kHeadDim, kWidth, DType::F32), o = makeMatrix(kWidth, kHeads * kHeadDim, DType::F32);
    const AttentionWeights weights{{q.view, {}}, {k.view, {}}, {v.view, {}}, {o.view, {}}};
    const Matrix ring = makeMatrix(kWindow, kHeadDim, DType::F32);
    AttentionLayerState cache{ring.f32, ring.f32};
    std::vector<float> x(static_cast<std::size_t>(tokens * kWidth), 0.5f);
    std::vector<float> y(x.size());
    for (auto _ : state) {
        runtime.impl().arena.execute([&] {
            attentionBlockForward(runtime.impl(), config, weights, cache, position, x.data(), tokens, y.data());
        });
        benchmark::DoNotOptimize(y.data());
    }
    int64_t keys = 0;
    for (int64_t p = position; p < position + tokens; ++p) keys += std::min(p, kWindow) + 1;
    state.SetLabel(std::string(isaName(isa)));
    state.counters["FLOPS"] = benchmark::Counter(static_cast<double>(4 * keys * kHeads * kHeadDim) * state.iterations(),
                                                 benchmark::Counter::kIsRate);
}

void attentionShapes(benchmark::internal::Benchmark* b) {
    b->ArgNames({"isa", "threads", "tokens", "position"});
    for (int threads : {1, 2}) {
        for (int64_t position : {0, 768, 4096}) b->Args({4, threads, 256, position});
        b->Args({4, threads, 1, 4096});    // decode over a full window
        b->Args({0, threads, 256, 4096});  // Eigen at the portable level
    }
    b->UseRealTime();
}

void bf16DotPeak(benchmark::State& state) {
    if (!isaSupported(Isa::Avx512Bf16)) {
        state.SkipWithError("no AVX512_BF16");
        return;
    }
    constexpr int64_t kIterations = 1'000'000;
    for (auto _ : state) benchmark::DoNotOptimize(matmulKernels(Isa::Avx512Bf16).bf16DotPeakLoop(kIterations));
    state.counters["FLOPS"] = benchmark::Counter(
        static_cast<double>(kIterations * kDotPeakFlopsPerIteration) * state.iterations(), benchmark::Counter::kIsRate);
}

// The AVX2 table's int8 prefill micro-kernel alone (Int8PanelGemm::gemm, one thread, int8 weights in place, the
// activations packed once outside the loop): the arithmetic rate without quantization, packing or scheduling.
// Args: out, in, tokens. OPS counts a multiply-add as 2.
void int8PrefillKernel(benchmark::State& state) {
    const Int8PanelGemm& kernel = matmulKernels(Isa::Avx2).gemmInt8Activations;
    if (!isaSupported(Isa::Avx2) || !kernel) {
        state.SkipWithError("no AVX2");
        return;
    }
    const int64_t out = state.range(0), in = state.range(1), tokens = state.range(2);
    const Matrix w = makeMatrix(out, in, DType::I8);
    std::vector<int8_t> q(static_cast<std::size_t>(tokens * i8ActivationStride(in)), 37);
    std::vector<float> scales(static_cast<std::size_t>(tokens * i8Blocks(in)), 1.0f / 127);
    const int64_t panels = (tokens + kInt8PanelTokens - 1) / kInt8PanelTokens;
    std::vector<uint32_t> packed(Int8PanelGemm::packedUnits(tokens, in));
    kernel.pack(q.data(), i8ActivationStride(in), scales.data(), tokens, in, 0, panels, packed.data());
    std::vector<float> y(static_cast<std::size_t>(tokens * out));
    for (auto _ : state) {
        // 64-row tasks, as linear.cpp runs them.
        for (int64_t r = 0; r < out; r += 64) {
            kernel.gemm(packed.data(), w.i8.data(), w.scales.data(), in, tokens, r, std::min(out, r + 64), 0, panels,
                        y.data(), out);
        }
        benchmark::DoNotOptimize(y.data());
    }
    state.SetLabel(avxVnniSupported() ? "avx-vnni" : "avx2");
    state.counters["OPS"] = benchmark::Counter(static_cast<double>(2 * out * in * tokens) * state.iterations(),
                                               benchmark::Counter::kIsRate);
}

// Random Q4K weights [out, in] (any nibbles; headers with f16 units ~2^-12 and random 6-bit integers): the decode
// kernel's speed does not depend on the values.
struct Q4Weights {
    std::vector<uint8_t> q, headers;
};
Q4Weights makeQ4(int64_t out, int64_t in) {
    std::mt19937 random(42);
    Q4Weights w{std::vector<uint8_t>(static_cast<std::size_t>(out * q4RowBytes(in))),
                std::vector<uint8_t>(static_cast<std::size_t>(out * q4SuperBlocks(in) * kQ4HeaderBytes))};
    for (auto& b : w.q) b = static_cast<uint8_t>(random());
    for (std::size_t h = 0; h < w.headers.size(); h += kQ4HeaderBytes) {
        uint8_t sc[kQ4SubBlocksPerSuper], m[kQ4SubBlocksPerSuper];
        for (int k = 0; k < kQ4SubBlocksPerSuper; ++k) {
            sc[k] = static_cast<uint8_t>(random() % 64);
            m[k] = static_cast<uint8_t>(random() % 64);
        }
        encodeQ4Header(floatToF16(1.0f / 4096), floatToF16(1.0f / 8192), sc, m, w.headers.data() + h);
    }
    return w;
}

// The AVX2 table's decode kernels called directly, as linear.cpp's matvecForward calls them (tasks of ~32 KiB of
// weights over the rows, in the runtime's arena): Q4K (its activations prepared once per product, inside the
// timing), int8 (f32 activations) and bf16, on the same shape in the same run, for their GB/s ratios. The batch
// variant (columns > 1) reads the Q4K weights once for all columns. Args: dtype (0 Q4K, 1 int8, 2 bf16), threads,
// out, in, columns. GB/s counts the weight bytes (scales and headers included) per product.
void decodeKernel(benchmark::State& state) {
    if (!isaSupported(Isa::Avx2)) {
        state.SkipWithError("no AVX2");
        return;
    }
    const MatmulKernels& kernels = matmulKernels(Isa::Avx2);
    const int64_t dtype = state.range(0), out = state.range(2), in = state.range(3), columns = state.range(4);
    Runtime runtime(static_cast<int>(state.range(1)));
    const Q4Weights q4 = dtype == 0 ? makeQ4(out, in) : Q4Weights{};
    const Matrix dense = dtype == 0 ? Matrix{} : makeMatrix(out, in, dtype == 1 ? DType::I8 : DType::BF16);
    const int64_t bytes = dtype == 0 ? static_cast<int64_t>(q4.q.size() + q4.headers.size())
                                     : static_cast<int64_t>(dense.view.byteSize + dense.scales.size() * sizeof(float));
    const int64_t grain = std::max<int64_t>(4, 32 * 1024 / (bytes / out) / 4 * 4);
    std::vector<float> x(static_cast<std::size_t>(columns * in), 0.5f);
    std::vector<float> prepared(static_cast<std::size_t>(columns * q4PreparedFloats(in)));
    std::vector<float> y(static_cast<std::size_t>(columns * out));
    for (auto _ : state) {
        runtime.impl().arena.execute([&] {
            if (dtype == 0) prepareQ4Activations(x.data(), in, columns, prepared.data());
            tbb::parallel_for(tbb::blocked_range<int64_t>(0, out, grain), [&](const tbb::blocked_range<int64_t>& r) {
                if (dtype == 0) {
                    kernels.matvecQ4(q4.q.data(), q4.headers.data(), in, r.begin(), r.end(), prepared.data(), columns,
                                     y.data() + r.begin(), out);
                } else if (dtype == 1) {
                    kernels.matvecI8(dense.i8.data(), dense.scales.data(), in, r.begin(), r.end(), x.data(),
                                     y.data() + r.begin());
                } else {
                    kernels.matvecBf16(dense.bf16.data(), in, r.begin(), r.end(), x.data(), y.data() + r.begin());
                }
            });
        });
        benchmark::DoNotOptimize(y.data());
    }
    state.SetLabel(dtype == 0 ? "q4k" : dtype == 1 ? "int8" : "bf16");
    state.SetBytesProcessed(state.iterations() * bytes);
}

void decodeKernelShapes(benchmark::internal::Benchmark* b) {
    b->ArgNames({"dtype", "threads", "out", "in", "columns"});
    for (int threads : {1, 2}) {
        for (int dtype : {0, 1, 2}) {
            b->Args({dtype, threads, 65536, 2560, 1});  // 2560 wide, as most of the 2B's matrices
            b->Args({dtype, threads, 16384, 7680, 1});  // the MLP's down projection's width
        }
        for (int columns : {2, 4, 8}) b->Args({0, threads, 65536, 2560, columns});
    }
    b->UseRealTime();
}

// The AVX2 prefill GEMM on f32 activations (PanelGemm, one thread, the activations packed inside the timing) with
// Q4K weights dequantized into an f32 tile per task (as linear.cpp does for I8 without an in-place kernel), beside
// I8 weights read in place (gemmI8Weights) and I8 dequantized into tiles: what the tile costs. Args: weights (0
// Q4K tiles, 1 I8 in place, 2 I8 tiles), out, in, tokens. FLOPS counts a multiply-add as 2.
void prefillTiles(benchmark::State& state) {
    if (!isaSupported(Isa::Avx2)) {
        state.SkipWithError("no AVX2");
        return;
    }
    const MatmulKernels& kernels = matmulKernels(Isa::Avx2);
    const PanelGemm& kernel = kernels.gemmF32Activations;
    const int64_t weights = state.range(0), out = state.range(1), in = state.range(2), tokens = state.range(3);
    const Q4Weights q4 = weights == 0 ? makeQ4(out, in) : Q4Weights{};
    const Matrix i8 = weights == 0 ? Matrix{} : makeMatrix(out, in, DType::I8);
    std::vector<float> x(static_cast<std::size_t>(tokens * in), 0.5f), y(static_cast<std::size_t>(tokens * out));
    std::vector<uint32_t> packed(kernel.packedUnits(tokens, in));
    std::vector<float> tile(static_cast<std::size_t>(kernel.taskRows * in));
    const int64_t panels = (tokens + kGemmPanelTokens - 1) / kGemmPanelTokens;
    for (auto _ : state) {
        kernel.pack(x.data(), tokens, in, 0, panels, packed.data());
        for (int64_t r0 = 0; r0 < out; r0 += kernel.taskRows) {
            const int64_t r1 = std::min(out, r0 + kernel.taskRows);
            if (weights == 1) {
                kernel.gemmI8Weights(packed.data(), i8.i8.data(), i8.scales.data(), in, tokens, r0, r1, 0, panels,
                                     y.data(), out);
                continue;
            }
            if (weights == 0) {
                kernels.dequantizeQ4(q4.q.data() + r0 * q4RowBytes(in),
                                     q4.headers.data() + r0 * q4SuperBlocks(in) * kQ4HeaderBytes, in, r1 - r0,
                                     tile.data());
            } else {
                kernels.dequantizeI8(i8.i8.data() + r0 * in, i8.scales.data() + r0 * i8Blocks(in), in, r1 - r0,
                                     tile.data());
            }
            kernel.gemmF32Weights(packed.data(), tile.data(), in, tokens, 0, r1 - r0, 0, panels, y.data() + r0, out);
        }
        benchmark::DoNotOptimize(y.data());
    }
    state.SetLabel(weights == 0 ? "q4k tiles" : weights == 1 ? "int8 in place" : "int8 tiles");
    state.counters["FLOPS"] = benchmark::Counter(static_cast<double>(2 * out * in * tokens) * state.iterations(),
                                                 benchmark::Counter::kIsRate);
}

// Decode reads every weight once: matrices of 256+ MB, far past the caches, as the model's 5 GB are.
// The streaming-read bound the decode numbers compare with (rgemma/machine.h), per thread count.
void readBandwidth(benchmark::State& state) {
    Runtime runtime(static_cast<int>(state.range(0)));
    double gbS = 0;
    for (auto _ : state) gbS = measureReadBandwidth(runtime, std::size_t{512} << 20, 1);
    state.counters["GB/s"] = gbS;
}

void decodeShapes(benchmark::internal::Benchmark* b) {
    b->ArgNames({"isa", "threads", "dtype", "out", "in", "tokens", "fast"});
    for (int isa : {0, 1, 2, 3}) {
        for (int threads : {1, 2}) {
            for (int dtype : {0, 1, 2}) b->Args({isa, threads, dtype, 65536, 2560, 1, 0});
            b->Args({isa, threads, 2, 65536, 2560, 1, 1});
        }
    }
    b->Args({2, 2, 1, 16384, 7680, 1, 0});  // the MLP's down projection's width
    b->UseRealTime();
}

void prefillShapes(benchmark::internal::Benchmark* b) {
    b->ArgNames({"isa", "threads", "dtype", "out", "in", "tokens", "fast"});
    for (int threads : {1, 2}) {
        for (int fast : {0, 1}) {
            b->Args({4, threads, 1, 7680, 2560, 256, fast});
            b->Args({4, threads, 1, 2560, 7680, 256, fast});
        }
        b->Args({4, threads, 2, 7680, 2560, 256, 0});  // int8 weights, dequantized tiles
        b->Args({2, threads, 1, 7680, 2560, 256, 0});  // AVX-512 without BF16: the exact kernel
        b->Args({0, threads, 1, 7680, 2560, 256, 0});  // Eigen on converted tiles
        // AVX2: exact, and int8 activations and weights (gemm_int8_avx2.cpp), on bf16 and int8 weights.
        for (int dtype : {1, 2}) {
            for (int precision : {0, 2}) b->Args({1, threads, dtype, 7680, 2560, 256, precision});
        }
    }
    b->UseRealTime();
}

BENCHMARK(linear)->Name("decode")->Apply(decodeShapes);
BENCHMARK(linear)->Name("prefill")->Apply(prefillShapes);
BENCHMARK(attention)->Apply(attentionShapes);
BENCHMARK(bf16DotPeak);
BENCHMARK(int8PrefillKernel)->Args({768, 2560, 256})->Args({256, 7680, 256})->UseRealTime();
BENCHMARK(readBandwidth)->Arg(1)->Arg(2)->UseRealTime();
BENCHMARK(decodeKernel)->Apply(decodeKernelShapes);
BENCHMARK(prefillTiles)
    ->ArgNames({"weights", "out", "in", "tokens"})
    ->Args({0, 768, 2560, 256})
    ->Args({1, 768, 2560, 256})
    ->Args({2, 768, 2560, 256})
    ->UseRealTime();

}  // namespace
}  // namespace rgemma

BENCHMARK_MAIN();
