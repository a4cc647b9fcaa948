// bench_libraries.cpp — our prefill product beside the libraries made for this, in one run, with one thread count,
// on the 2B's prefill shapes: y[T, out] = x[T, in] · Wᵀ for T in {64, 256} and (in, out) in {(2560, 7680) (gate and
// up), (7680, 2560) (down), (2560, 2560)}.
//
// Rows, each in GFLOP/s (GOP/s for int8; one multiply-add is 2 operations) and as a ratio to ours:
// - ours: linearForward (engine/src/layers/linear.h) on bf16 and on f32 weights read in place, f32 activations (the
// exact
//   path), with the kernels of the instruction set in force (RGEMMA_ISA lowers it), inside the Runtime's arena;
// - Eigen: the f32 GEMM of the Eigen the engine is built with (this file's flags: baseline x86-64), its output
//   columns split over a oneTBB arena of the same threads (Eigen threads only with OpenMP, which must not reach the
//   engine's Eigen instantiations);
// - OpenBLAS cblas_sgemm (pkg-config openblas), openblas_set_num_threads(threads);
// - oneDNN matmul (libdnnl), f32, u8·s8→s32 and bf16·bf16→f32, weights reordered once into the layout it asks for
//   (as an engine would at load time) and the reorder not timed. Debian's libdnnl is built with OpenMP (libgomp), so
//   its threads are set with omp_set_num_threads. A product for which oneDNN has only its reference code (bf16 on a
//   CPU without AVX-512) is skipped, saying so.
// Why: to know, per machine class, where a library beats our kernels and by how much (issue 13), measured the same
// way as ours. Each library is optional at build time; an absent one's rows are skipped with the reason.
// Thread pools: OpenBLAS's pthreads, libgomp's and oneTBB's workers spin for a while after their work; each library
// is timed alone, after a pause that lets the previous one's workers go to sleep, with a warm-up call first, then
// the best of 3 repeats of at least 0.2 s each.
// Usage: bench_libraries [--threads N] [--json]
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>

#include <Eigen/Core>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <functional>
#include <iostream>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "io/dtype_convert.h"
#include "kernels/matmul_kernels.h"
#include "layers/linear.h"
#include "rgemma/runtime.h"
#include "runtime/runtime_impl.h"

#ifdef RGEMMA_BENCH_OPENBLAS
#include <cblas.h>
#endif
#ifdef RGEMMA_BENCH_DNNL
#include <omp.h>

#include <dnnl.hpp>
#endif

namespace rgemma {
namespace {

struct Shape {
    int64_t tokens, in, out;
    const char* role;
};

struct Row {
    std::string library, dtype, impl;
    double gops = 0;       // 0: skipped, `impl` says why
    std::vector<float> y;  // f32 products' output, checked against ours on f32 weights
};

Row skipped(std::string library, std::string dtype, std::string reason) {
    Row row;
    row.library = std::move(library);
    row.dtype = std::move(dtype);
    row.impl = std::move(reason);
    return row;
}

// Seconds per call of `product`: one warm-up call, then the best of 3 repeats of at least 0.2 s each.
double bestSeconds(const std::function<void()>& product) {
    using Clock = std::chrono::steady_clock;
    product();
    double best = 1e30;
    for (int repeat = 0; repeat < 3; ++repeat) {
        const auto start = Clock::now();
        int calls = 0;
        double elapsed = 0;
        do {
            product();
            ++calls;
            elapsed = std::chrono::duration<double>(Clock::now() - start).count();
        } while (elapsed < 0.2);
        best = std::min(best, elapsed / calls);
    }
    return best;
}

// Lets the previous library's spinning workers (OpenBLAS, libgomp, oneTBB) go to sleep before the next is timed.
void letWorkersSleep() { std::this_thread::sleep_for(std::chrono::milliseconds(300)); }

// The inputs of one shape: random f32 (weights in ±2^-6, like trained ones), and bf16 / int8 copies.
struct Inputs {
    std::vector<float> x, w;  // [T, in], [out, in]
    std::vector<uint16_t> wBf16;
    std::vector<uint8_t> xU8;
    std::vector<int8_t> wS8;
    explicit Inputs(const Shape& s) {
        std::mt19937 random(42);
        std::uniform_real_distribution<float> uniform(-1.0f, 1.0f);
        x.resize(static_cast<std::size_t>(s.tokens * s.in));
        w.resize(static_cast<std::size_t>(s.out * s.in));
        for (auto& v : x) v = uniform(random);
        for (auto& v : w) v = uniform(random) / 64;
        for (float v : w) wBf16.push_back(floatToBf16(v));
        for (float v : x) xU8.push_back(static_cast<uint8_t>((v + 1) * 127));
        for (float v : w) wS8.push_back(static_cast<int8_t>(v * 64 * 127));
    }
};

double gops(const Shape& s, double seconds) { return 2.0 * s.tokens * s.in * s.out / seconds * 1e-9; }

Row ours(const Shape& s, const Inputs& in, DType dtype, Runtime& runtime) {
    const void* data = dtype == DType::BF16 ? static_cast<const void*>(in.wBf16.data()) : in.w.data();
    const TensorView w{"w", dtype, {s.out, s.in}, data, static_cast<uint64_t>(s.out * s.in) * dtypeSize(dtype)};
    std::vector<float> y(static_cast<std::size_t>(s.tokens * s.out));
    const double seconds = bestSeconds([&] {
        runtime.impl().arena.execute([&] { linearForward(runtime.impl(), w, {}, in.x.data(), s.tokens, y.data()); });
    });
    return {"ours", dtype == DType::BF16 ? "bf16" : "f32", std::string(isaName(runtime.impl().kernels->isa)),
            gops(s, seconds), dtype == DType::F32 ? std::move(y) : std::vector<float>{}};
}

Row eigen(const Shape& s, const Inputs& in, int threads) {
    using RowMajor = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
    const Eigen::Map<const RowMajor> x(in.x.data(), s.tokens, s.in), w(in.w.data(), s.out, s.in);
    std::vector<float> yData(static_cast<std::size_t>(s.tokens * s.out));
    Eigen::Map<RowMajor> y(yData.data(), s.tokens, s.out);
    tbb::task_arena arena(threads);
    const double seconds = bestSeconds([&] {
        arena.execute([&] {
            tbb::parallel_for(
                0, threads,
                [&](int part) {
                    const int64_t r0 = s.out * part / threads, r1 = s.out * (part + 1) / threads;
                    y.middleCols(r0, r1 - r0).noalias() = x * w.middleRows(r0, r1 - r0).transpose();
                },
                tbb::static_partitioner());
        });
    });
    return {"eigen", "f32", "Eigen " + std::to_string(EIGEN_WORLD_VERSION) + "." + std::to_string(EIGEN_MAJOR_VERSION),
            gops(s, seconds), std::move(yData)};
}

Row openblas(const Shape& s, const Inputs& in, [[maybe_unused]] int threads) {
#ifdef RGEMMA_BENCH_OPENBLAS
    openblas_set_num_threads(threads);
    std::vector<float> y(static_cast<std::size_t>(s.tokens * s.out));
    const double seconds = bestSeconds([&] {
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, static_cast<int>(s.tokens), static_cast<int>(s.out),
                    static_cast<int>(s.in), 1.0f, in.x.data(), static_cast<int>(s.in), in.w.data(),
                    static_cast<int>(s.in), 0.0f, y.data(), static_cast<int>(s.out));
    });
    return {"openblas", "f32", openblas_get_corename(), gops(s, seconds), std::move(y)};
#else
    (void)s, (void)in;
    return skipped("openblas", "f32", "not built: OpenBLAS not found (Debian: libopenblas-pthread-dev)");
#endif
}

#ifdef RGEMMA_BENCH_DNNL
// One oneDNN matmul: src [T, in] of `srcType`, the user's weights [out, in] (in oneDNN's terms [in, out] in layout
// "ba") of `weightType` reordered into the layout the primitive asks for, dst [T, out] of `dstType`.
Row dnnlMatmul(const Shape& s, const void* x, const void* weights, dnnl::memory::data_type srcType,
               dnnl::memory::data_type weightType, dnnl::memory::data_type dstType, const char* dtype) {
    using dnnl::memory;
    using Tag = memory::format_tag;
    dnnl::engine engine(dnnl::engine::kind::cpu, 0);
    dnnl::stream stream(engine);
    const memory::desc srcDesc({s.tokens, s.in}, srcType, Tag::ab), dstDesc({s.tokens, s.out}, dstType, Tag::ab);
    const memory::desc userWeightsDesc({s.in, s.out}, weightType, Tag::ba);
    const memory::desc anyWeightsDesc({s.in, s.out}, weightType, Tag::any);
    dnnl::matmul::primitive_desc pd;
    try {
        pd = dnnl::matmul::primitive_desc(dnnl::matmul::desc(srcDesc, anyWeightsDesc, dstDesc), engine);
    } catch (const dnnl::error& e) {
        return skipped("onednn", dtype, std::string("no implementation on this CPU (") + e.what() + ")");
    }
    const std::string impl = pd.impl_info_str();
    if (impl.rfind("ref", 0) == 0)
        return skipped("onednn", dtype, "only the reference code (" + impl + ") on this CPU");
    memory src(srcDesc, engine, const_cast<void*>(x)), dst(dstDesc, engine);
    memory userWeights(userWeightsDesc, engine, const_cast<void*>(weights)), packed(pd.weights_desc(), engine);
    dnnl::reorder(userWeights, packed).execute(stream, userWeights, packed);
    stream.wait();
    const dnnl::matmul matmul(pd);
    const double seconds = bestSeconds([&] {
        matmul.execute(stream, {{DNNL_ARG_SRC, src}, {DNNL_ARG_WEIGHTS, packed}, {DNNL_ARG_DST, dst}});
        stream.wait();
    });
    std::vector<float> y;
    if (dstType == memory::data_type::f32 && srcType == memory::data_type::f32) {
        const auto* values = static_cast<const float*>(dst.get_data_handle());
        y.assign(values, values + s.tokens * s.out);
    }
    return {"onednn", dtype, impl, gops(s, seconds), std::move(y)};
}
#endif

std::vector<Row> onednn(const Shape& s, const Inputs& in) {
#ifdef RGEMMA_BENCH_DNNL
    using Type = dnnl::memory::data_type;
    std::vector<uint16_t> xBf16;
    for (float v : in.x) xBf16.push_back(floatToBf16(v));
    std::vector<Row> rows;
    rows.push_back(dnnlMatmul(s, in.x.data(), in.w.data(), Type::f32, Type::f32, Type::f32, "f32"));
    letWorkersSleep();
    rows.push_back(dnnlMatmul(s, in.xU8.data(), in.wS8.data(), Type::u8, Type::s8, Type::s32, "u8s8s32"));
    letWorkersSleep();
    rows.push_back(dnnlMatmul(s, xBf16.data(), in.wBf16.data(), Type::bf16, Type::bf16, Type::f32, "bf16"));
    return rows;
#else
    (void)s, (void)in;
    return {skipped("onednn", "*", "not built: oneDNN not found (Debian: libdnnl-dev)")};
#endif
}

// What was linked, for the report: versions and the build options that matter here (threading, CPU dispatch).
nlohmann::json libraryVersions() {
    nlohmann::json versions = {
        {"eigen", std::to_string(EIGEN_WORLD_VERSION) + "." + std::to_string(EIGEN_MAJOR_VERSION) + "." +
                      std::to_string(EIGEN_MINOR_VERSION) + " (this file's flags, threads split by oneTBB)"}};
#ifdef RGEMMA_BENCH_OPENBLAS
    versions["openblas"] = std::string(openblas_get_config()) + ", core " + openblas_get_corename() + ", " +
                           (openblas_get_parallel() == 2 ? "OpenMP" : "pthreads");
#endif
#ifdef RGEMMA_BENCH_DNNL
    const dnnl_version_t* v = dnnl::version();
    versions["onednn"] = std::to_string(v->major) + "." + std::to_string(v->minor) + "." + std::to_string(v->patch) +
                         (v->cpu_runtime == DNNL_RUNTIME_OMP ? ", OpenMP" : ", not OpenMP: threads not set");
#endif
    return versions;
}

// max |y - reference| / max |reference|: a library called with the wrong layout would time another product.
double relativeError(const std::vector<float>& y, const std::vector<float>& reference) {
    double error = 0, scale = 0;
    for (std::size_t i = 0; i < y.size(); ++i) {
        error = std::max(error, static_cast<double>(std::abs(y[i] - reference[i])));
        scale = std::max(scale, static_cast<double>(std::abs(reference[i])));
    }
    return error / scale;
}

int run(int threads, bool json) {
#ifdef RGEMMA_BENCH_DNNL
    omp_set_num_threads(threads);
#endif
    Runtime runtime(threads);
    const Shape shapes[] = {{64, 2560, 7680, "gate/up"},  {64, 7680, 2560, "down"},  {64, 2560, 2560, "square"},
                            {256, 2560, 7680, "gate/up"}, {256, 7680, 2560, "down"}, {256, 2560, 2560, "square"}};
    nlohmann::json report = {{"threads", threads},
                             {"isa", isaName(runtime.impl().kernels->isa)},
                             {"libraries", libraryVersions()},
                             {"rows", {}}};
    if (!json) {
        for (const auto& [library, version] : report["libraries"].items())
            std::printf("%s: %s\n", library.c_str(), version.get<std::string>().c_str());
    }
    for (const Shape& s : shapes) {
        const Inputs in(s);
        std::vector<Row> rows;
        rows.push_back(ours(s, in, DType::BF16, runtime));
        letWorkersSleep();
        rows.push_back(ours(s, in, DType::F32, runtime));
        letWorkersSleep();
        rows.push_back(eigen(s, in, threads));
        letWorkersSleep();
        rows.push_back(openblas(s, in, threads));
        letWorkersSleep();
        for (Row& row : onednn(s, in)) rows.push_back(std::move(row));
        letWorkersSleep();
        const double oursBf16 = rows[0].gops, oursF32 = rows[1].gops;
        if (!json) {
            std::printf("T=%lld in=%lld out=%lld (%s), %d threads\n", static_cast<long long>(s.tokens),
                        static_cast<long long>(s.in), static_cast<long long>(s.out), s.role, threads);
            std::printf("  %-9s %-8s %9s %10s %10s  %s\n", "library", "dtype", "G(FL)OP/s", "/ours-bf16", "/ours-f32",
                        "implementation");
        }
        for (const Row& row : rows) {
            nlohmann::json entry = {{"tokens", s.tokens},     {"in", s.in},         {"out", s.out},
                                    {"library", row.library}, {"dtype", row.dtype}, {"impl", row.impl}};
            if (!row.y.empty() && relativeError(row.y, rows[1].y) > 1e-4) {
                std::fprintf(stderr, "%s f32 disagrees with ours on f32 weights: wrong call\n", row.library.c_str());
                return 1;
            }
            if (row.gops > 0) {
                entry["gops"] = row.gops;
                entry["vs_ours_bf16"] = row.gops / oursBf16;
                entry["vs_ours_f32"] = row.gops / oursF32;
                if (!json)
                    std::printf("  %-9s %-8s %9.1f %10.2f %10.2f  %s\n", row.library.c_str(), row.dtype.c_str(),
                                row.gops, row.gops / oursBf16, row.gops / oursF32, row.impl.c_str());
            } else {
                entry["skipped"] = true;
                if (!json)
                    std::printf("  %-9s %-8s %9s %10s %10s  skipped: %s\n", row.library.c_str(), row.dtype.c_str(), "-",
                                "-", "-", row.impl.c_str());
            }
            report["rows"].push_back(entry);
        }
        std::fflush(stdout);
    }
    if (json) std::cout << report.dump(2) << '\n';
    return 0;
}

}  // namespace
}  // namespace rgemma

int main(int argc, char** argv) {
    int threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    bool json = false;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--threads") == 0 && i + 1 < argc) {
            threads = std::max(1, std::atoi(argv[++i]));
        } else if (std::strcmp(argv[i], "--json") == 0) {
            json = true;
        } else {
            std::fprintf(stderr, "usage: %s [--threads N] [--json]\n", argv[0]);
            return 2;
        }
    }
    return rgemma::run(threads, json);
}
