// block_diagonal.cpp — the RG-LRU's block-diagonal gates (x @ W[h] per head) on the mapped weights: the run-time
// chosen x @ W kernels of matmul_kernels.h on W in place, Eigen on converted heads where a level has none.
#include <oneapi/tbb/blocked_range2d.h>
#include <oneapi/tbb/parallel_for.h>

#include <Eigen/Core>
#include <cassert>

#include "kernels/matmul_kernels.h"
#include "layers/linear.h"

namespace rgemma {

namespace {

using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// Whether the table multiplies x @ W for `weight`'s dtype in place (f32 must also be aligned to read as floats).
bool hasInOutKernel(const MatmulKernels& kernels, const TensorView& weight) {
    switch (weight.dtype) {
        case DType::BF16:
            return kernels.matmulInOutBf16 != nullptr;
        case DType::F32:
            return kernels.matmulInOutF32 != nullptr && isFloatAligned(weight.data);
        default:
            return false;
    }
}

// The block-diagonal product with the table's x @ W kernel on W[h] in place: tasks of one head × up to 64 tokens,
// each reusing its head's weights from cache across the tokens.
void blockDiagonalKernels(Runtime::Impl& runtime, const TensorView& weight, std::span<const float> bias, const float* x,
                          int64_t tokens, float* y) {
    constexpr int64_t kTaskTokens = 64;
    const MatmulKernels& kernels = *runtime.kernels;
    const int64_t heads = weight.shape[0], width = weight.shape[1], total = heads * width;
    const int64_t headElements = width * width;
    const tbb::blocked_range2d<int64_t> range(0, heads, 1, 0, tokens, kTaskTokens);
    tbb::parallel_for(range, [&](const tbb::blocked_range2d<int64_t>& r) {
        const int64_t t0 = r.cols().begin(), count = r.cols().end() - t0;
        for (int64_t h = r.rows().begin(); h != r.rows().end(); ++h) {
            const float* in = x + t0 * total + h * width;
            float* out = y + t0 * total + h * width;
            if (weight.dtype == DType::BF16) {
                kernels.matmulInOutBf16(static_cast<const uint16_t*>(weight.data) + h * headElements, width, width, in,
                                        total, count, out, total);
            } else {
                kernels.matmulInOutF32(static_cast<const float*>(weight.data) + h * headElements, width, width, in,
                                       total, count, out, total);
            }
            for (int64_t t = 0; t < count; ++t) {
                for (int64_t j = 0; j < width; ++j) out[t * total + j] += bias[static_cast<std::size_t>(h * width + j)];
            }
        }
    });
}

// W[h] [bw, bw] as f32: rows h·bw .. (h+1)·bw of W seen as [H·bw, bw].
Eigen::Map<const RowMatrix> headAsFloat(Runtime::Impl& runtime, const TensorView& weight, int64_t h) {
    const int64_t width = weight.shape[1];
    return Eigen::Map<const RowMatrix>(weightRowsAsFloat(runtime, weight, {}, width, h * width, (h + 1) * width), width,
                                       width);
}

}  // namespace

void blockDiagonalForward(Runtime::Impl& runtime, const TensorView& weight, std::span<const float> bias, const float* x,
                          int64_t tokens, float* y) {
    assert(weight.shape.size() == 3);
    const int64_t heads = weight.shape[0];
    const int64_t width = weight.shape[1];
    assert(weight.shape[2] == width && static_cast<int64_t>(bias.size()) == heads * width);
    const int64_t total = heads * width;
    if (hasInOutKernel(*runtime.kernels, weight)) {
        blockDiagonalKernels(runtime, weight, bias, x, tokens, y);
        return;
    }
    const Eigen::Map<const RowMatrix, 0, Eigen::OuterStride<>> input(x, tokens, total, Eigen::OuterStride<>(total));
    Eigen::Map<RowMatrix, 0, Eigen::OuterStride<>> output(y, tokens, total, Eigen::OuterStride<>(total));
    tbb::parallel_for(int64_t{0}, heads, [&](int64_t h) {
        // W[h] is [in=bw, out=bw], used as x @ W.
        const auto w = headAsFloat(runtime, weight, h);
        auto block = output.middleCols(h * width, width);
        block.noalias() = input.middleCols(h * width, width) * w;
        const Eigen::Map<const Eigen::RowVectorXf> b(bias.data() + h * width, width);
        block.rowwise() += b;
    });
}

}  // namespace rgemma
