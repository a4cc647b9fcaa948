// peak_loops.h — register-only loops that run one instruction set's arithmetic at its peak rate, for the
// machine's peaks (rgemma/machine.h, runtime/machine_probe.cpp): f32 multiply-adds, int8 dot products and bf16 dot
// products. Each loop keeps enough independent accumulator chains to cover the instruction's latency at the core's
// issue rate, all in registers (no memory traffic), and lives in a file compiled with its level's flags
// (kernels/CMakeLists.txt): peak_loops.cpp (baseline x86-64, and the dispatch), peak_avx2.cpp, peak_avx512.cpp,
// peak_avx512vnni.cpp; the bf16 loop is the AVX-512 BF16 kernel table's (matmul_kernels.h).
#pragma once

#include <cstdint>

#include "kernels/matmul_kernels.h"

namespace rgemma {

struct PeakLoop {
    // Runs `iterations` × opsPerIteration operations (an FMA or an int8 multiply-add counts 2) and returns a value
    // that depends on every chain, so that nothing is optimized away; tests check it against a closed form.
    double (*run)(int64_t iterations) = nullptr;
    int64_t opsPerIteration = 0;
    const char* instructions = "";  // what it runs, for reports: "vfmadd231ps ymm ×12"

    explicit operator bool() const { return run != nullptr; }
};

// The peak loops of one level; a loop is empty where the level has no such arithmetic (int8 dot products need
// SSSE3's pmaddubsw, absent from baseline x86-64; bf16 dot products need AVX512_BF16).
struct PeakLoops {
    PeakLoop fp32;
    PeakLoop int8;
    PeakLoop bf16;
};

// The loops of `isa`, which must be supported.
const PeakLoops& peakLoops(Isa isa);

// The loops themselves, one file per level (external names only for the dispatch above). The chains start at
// distinct values, none a fixed point (GCC folds a chain it can prove constant, and merges identical ones):
// - each fp32 loop runs acc = acc · 0.5 + 0.5 from acc = j + 2 in chain j, so after n iterations a lane is
//   1 + (j + 1) · 2^-n (no denormals, no overflow, however long it runs); it returns lane 0 of the chains' sum;
// - each int8 loop runs acc += Σ_4 u8(acc's bytes) × s8(1) on every i32 lane from acc = j + 1: the multiplied bytes
//   are the accumulator's own, so no product is loop-invariant (a compiler would hoist one); it returns lane 0 of
//   the chains' sum (wrapping).
namespace portable {
inline constexpr int kFp32Chains = 12;
double fp32MulAddPeakLoop(int64_t iterations);  // SSE2 mulps + addps
}  // namespace portable
namespace avx2 {
inline constexpr int kFp32Chains = 12;
inline constexpr int kInt8Chains = 12;
double fp32FmaPeakLoop(int64_t iterations);  // vfmadd231ps ymm
double int8DotPeakLoop(int64_t iterations);  // vpmaddubsw + vpmaddwd + vpaddd ymm
}  // namespace avx2
namespace avx512 {
inline constexpr int kFp32Chains = 16;
inline constexpr int kInt8Chains = 16;
double fp32FmaPeakLoop(int64_t iterations);  // vfmadd231ps zmm
double int8DotPeakLoop(int64_t iterations);  // vpmaddubsw + vpmaddwd + vpaddd zmm
}  // namespace avx512
namespace avx512vnni {
inline constexpr int kInt8Chains = 16;
double int8DotPeakLoop(int64_t iterations);  // vpdpbusd zmm
}  // namespace avx512vnni

}  // namespace rgemma
