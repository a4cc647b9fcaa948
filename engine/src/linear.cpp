// linear.cpp — dense and block-diagonal products on the mapped weights, rows split by oneTBB: the run-time chosen
// SIMD kernels of matmul_kernels.h for bf16/f32 decode and bf16 prefill, Eigen on converted tiles otherwise.
#include "linear.h"

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>

#include <Eigen/Core>
#include <algorithm>
#include <cassert>

#include "dtype_convert.h"
#include "matmul_kernels.h"

namespace rgemma {

namespace {

using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using ConstRowMap = Eigen::Map<const RowMatrix>;
using RowMap = Eigen::Map<RowMatrix>;

// Rows of W per task: small tiles for decode (the tile stays in L2 while it is read once), larger ones for
// prefill (each converted tile is reused by every token of the chunk).
int64_t tileRows(int64_t tokens, int64_t in) {
    const int64_t targetFloats = tokens == 1 ? 16 * 1024 : 128 * 1024;
    return std::clamp<int64_t>(targetFloats / std::max<int64_t>(in, 1), 4, 256);
}

// W rows [r0, r1) as an f32 matrix: the mapping itself for f32, else converted into the thread's tile buffer.
ConstRowMap weightRows(Runtime::Impl& runtime, const TensorView& weight, int64_t in, int64_t r0, int64_t r1) {
    const int64_t rows = r1 - r0;
    const auto* base = static_cast<const std::byte*>(weight.data);
    const std::size_t elemSize = dtypeSize(weight.dtype);
    const std::byte* src = base + static_cast<std::size_t>(r0 * in) * elemSize;
    if (weight.dtype == DType::F32 && reinterpret_cast<std::uintptr_t>(src) % alignof(float) == 0) {
        return ConstRowMap(reinterpret_cast<const float*>(src), rows, in);
    }
    std::vector<float>& tile = runtime.workspace.threadTiles[runtime.threadSlot()];
    float* dst = ensure(tile, static_cast<std::size_t>(rows * in));
    convertToFloat(weight.dtype, src, dst, rows * in);
    return ConstRowMap(dst, rows, in);
}

// Decode: y = W x with the table's matvec on W in place. Tasks of at least ~32 KiB of weights keep the
// scheduling cost small beside the memory traffic; the auto partitioner merges them further.
void matvecForward(Runtime::Impl& runtime, const TensorView& weight, std::span<const float> bias, const float* x,
                   float* y) {
    const MatmulKernels& kernels = *runtime.kernels;
    const int64_t out = weight.shape[0];
    const int64_t in = weight.shape[1];
    const int64_t rowBytes = in * static_cast<int64_t>(dtypeSize(weight.dtype));
    const int64_t grain = std::max<int64_t>(4, (32 * 1024 / std::max<int64_t>(rowBytes, 1)) / 4 * 4);
    tbb::parallel_for(tbb::blocked_range<int64_t>(0, out, grain), [&](const tbb::blocked_range<int64_t>& range) {
        if (weight.dtype == DType::BF16) {
            kernels.matvecBf16(static_cast<const uint16_t*>(weight.data), in, range.begin(), range.end(), x,
                               y + range.begin());
        } else {
            kernels.matvecF32(static_cast<const float*>(weight.data), in, range.begin(), range.end(), x,
                              y + range.begin());
        }
        if (!bias.empty()) {
            for (int64_t r = range.begin(); r != range.end(); ++r) y[r] += bias[static_cast<std::size_t>(r)];
        }
    });
}

// Prefill on bf16 weights with a panel GEMM: pack the activations once, then tasks of 64 output rows over every
// token (each task reads its weights from memory once; the packed activations stay in cache).
void panelGemmForward(Runtime::Impl& runtime, const PanelGemm& kernel, const TensorView& weight,
                      std::span<const float> bias, const float* x, int64_t tokens, float* y) {
    constexpr int64_t kTaskRows = 64;
    const int64_t out = weight.shape[0];
    const int64_t in = weight.shape[1];
    const int64_t panels = (tokens + kGemmPanelTokens - 1) / kGemmPanelTokens;
    uint32_t* packed = ensure(runtime.workspace.packed, kernel.packedUnits(tokens, in));
    tbb::parallel_for(tbb::blocked_range<int64_t>(0, panels, 1), [&](const tbb::blocked_range<int64_t>& range) {
        kernel.pack(x, tokens, in, range.begin(), range.end(), packed);
    });
    const auto* w = static_cast<const uint16_t*>(weight.data);
    const int64_t blocks = (out + kTaskRows - 1) / kTaskRows;
    tbb::parallel_for(tbb::blocked_range<int64_t>(0, blocks, 1), [&](const tbb::blocked_range<int64_t>& range) {
        const int64_t r0 = range.begin() * kTaskRows;
        const int64_t r1 = std::min(out, range.end() * kTaskRows);
        kernel.gemm(packed, w, in, tokens, r0, r1, 0, panels, y, out);
        if (bias.empty()) return;
        for (int64_t t = 0; t < tokens; ++t) {
            for (int64_t r = r0; r < r1; ++r) y[t * out + r] += bias[static_cast<std::size_t>(r)];
        }
    });
}

// The prefill kernel for bf16 weights at the runtime's precision, or null (then Eigen).
const PanelGemm* prefillKernel(const Runtime::Impl& runtime) {
    const MatmulKernels& kernels = *runtime.kernels;
    if (runtime.prefillPrecision == PrefillPrecision::Fast && kernels.gemmBf16Activations) {
        return &kernels.gemmBf16Activations;
    }
    return kernels.gemmF32Activations ? &kernels.gemmF32Activations : nullptr;
}

// The portable path: Eigen on tiles of W (the mapping itself for f32, converted to f32 otherwise).
void eigenForward(Runtime::Impl& runtime, const TensorView& weight, std::span<const float> bias, const float* x,
                  int64_t tokens, float* y) {
    const int64_t out = weight.shape[0];
    const int64_t in = weight.shape[1];
    const ConstRowMap input(x, tokens, in);
    RowMap output(y, tokens, out);
    const int64_t rowsPerTile = tileRows(tokens, in);
    const int64_t tiles = (out + rowsPerTile - 1) / rowsPerTile;
    tbb::parallel_for(tbb::blocked_range<int64_t>(0, tiles), [&](const tbb::blocked_range<int64_t>& range) {
        for (int64_t tile = range.begin(); tile != range.end(); ++tile) {
            const int64_t r0 = tile * rowsPerTile;
            const int64_t r1 = std::min(out, r0 + rowsPerTile);
            const ConstRowMap w = weightRows(runtime, weight, in, r0, r1);
            auto block = output.middleCols(r0, r1 - r0);
            if (tokens == 1) {
                block.noalias() = (w * input.row(0).transpose()).transpose();
            } else {
                block.noalias() = input * w.transpose();
            }
            if (!bias.empty()) {
                const Eigen::Map<const Eigen::RowVectorXf> b(bias.data() + r0, r1 - r0);
                block.rowwise() += b;
            }
        }
    });
}

bool isFloatAligned(const void* data) { return reinterpret_cast<std::uintptr_t>(data) % alignof(float) == 0; }

}  // namespace

void linearForward(Runtime::Impl& runtime, const TensorView& weight, std::span<const float> bias, const float* x,
                   int64_t tokens, float* y) {
    assert(weight.shape.size() == 2);
    assert(bias.empty() || static_cast<int64_t>(bias.size()) == weight.shape[0]);
    const MatmulKernels& kernels = *runtime.kernels;
    const bool bf16 = weight.dtype == DType::BF16;
    const bool f32 = weight.dtype == DType::F32 && isFloatAligned(weight.data);
    if (tokens == 1 && ((bf16 && kernels.matvecBf16) || (f32 && kernels.matvecF32))) {
        matvecForward(runtime, weight, bias, x, y);
    } else if (const PanelGemm* gemm = prefillKernel(runtime); tokens > 1 && bf16 && gemm != nullptr) {
        panelGemmForward(runtime, *gemm, weight, bias, x, tokens, y);
    } else {
        eigenForward(runtime, weight, bias, x, tokens, y);
    }
}

void blockDiagonalForward(Runtime::Impl& runtime, const TensorView& weight, std::span<const float> bias, const float* x,
                          int64_t tokens, float* y) {
    assert(weight.shape.size() == 3);
    const int64_t heads = weight.shape[0];
    const int64_t width = weight.shape[1];
    assert(weight.shape[2] == width && static_cast<int64_t>(bias.size()) == heads * width);
    const int64_t total = heads * width;
    const Eigen::Map<const RowMatrix, 0, Eigen::OuterStride<>> input(x, tokens, total, Eigen::OuterStride<>(total));
    Eigen::Map<RowMatrix, 0, Eigen::OuterStride<>> output(y, tokens, total, Eigen::OuterStride<>(total));
    tbb::parallel_for(int64_t{0}, heads, [&](int64_t h) {
        // W[h] is [in=bw, out=bw]: rows h·bw .. (h+1)·bw of the [H·bw, bw] flattening.
        const ConstRowMap w = weightRows(runtime, weight, width, h * width, (h + 1) * width);
        auto block = output.middleCols(h * width, width);
        block.noalias() = input.middleCols(h * width, width) * w;
        const Eigen::Map<const Eigen::RowVectorXf> b(bias.data() + h * width, width);
        block.rowwise() += b;
    });
}

}  // namespace rgemma
