// runtime_impl.h — what a Runtime holds: the oneTBB arena and the scratch buffers kernels and blocks reuse.
#pragma once

#include <oneapi/tbb/task_arena.h>

#include <vector>

#include "kernels/matmul_kernels.h"
#include "rgemma/runtime.h"

namespace rgemma {

// Scratch memory for one forward chunk. Buffers grow to the largest chunk seen and are then reused, so the
// token loop allocates nothing.
struct Workspace {
    std::vector<float> x;          // [T, D] residual stream
    std::vector<float> normed;     // [T, D] RMSNorm output
    std::vector<float> a;          // [T, max(lru, F, H*hd)] block intermediates
    std::vector<float> b;          // [T, max(lru, F, H*hd)]
    std::vector<float> c;          // [T, max(lru, F)], or attention's keys [min(position, W) + T, hd]
    std::vector<float> d;          // [T, lru], or attention's values [min(position, W) + T, hd]
    std::vector<float> out;        // [T, D] block output
    std::vector<uint32_t> packed;  // prefill activations (or attention's queries) packed into panels (PanelGemm)
    // With Int8Activations::Quantized, the activations of an I8 product quantized (matmul_kernels.h): q [T,
    // i8ActivationStride(in)], their block scales [T, in / 32] and the dequantized values [T, in].
    std::vector<int8_t> i8Activations;
    std::vector<float> i8ActivationScales;
    std::vector<float> i8ActivationValues;
    std::vector<float> q4Activations;  // x of a Q4K decode product prepared once (prepareQ4Activations)
    // Per arena thread: a weight tile converted to f32, and attention scores.
    std::vector<std::vector<float>> threadTiles;
    std::vector<std::vector<uint16_t>> threadTilesBf16;  // I8 weight rows widened to bf16 for the prefill GEMM
    std::vector<std::vector<float>> threadScores;
};

// Grows `buffer` to at least `count` elements and returns its data.
template <typename T>
T* ensure(std::vector<T>& buffer, std::size_t count) {
    if (buffer.size() < count) buffer.resize(count);
    return buffer.data();
}

struct Runtime::Impl {
    explicit Impl(int threadCount) : threads(threadCount), arena(threadCount), kernels(&matmulKernels(defaultIsa())) {
        workspace.threadTiles.resize(static_cast<std::size_t>(threadCount));
        workspace.threadTilesBf16.resize(static_cast<std::size_t>(threadCount));
        workspace.threadScores.resize(static_cast<std::size_t>(threadCount));
    }
    int threads;
    tbb::task_arena arena;
    Workspace workspace;
    // The matrix kernels in use: the best this CPU runs, unless a test or benchmark picks another level.
    const MatmulKernels* kernels;
    PrefillPrecision prefillPrecision = PrefillPrecision::Exact;
    Int8Activations int8Activations = Int8Activations::Float;
    // Set by Model::forwardBatch while it runs: the rows of a product are decode columns of separate sequences, which
    // take the plan's matvec column by column on weights read once (linear.cpp) where the plan has one.
    bool decodeColumns = false;

    // The calling arena thread's slot in the per-thread buffers.
    std::size_t threadSlot() const;
};

}  // namespace rgemma
