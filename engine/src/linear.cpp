// linear.cpp — dense and block-diagonal products with Eigen on tiles of the mapped weights, rows split by oneTBB.
#include "linear.h"

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>

#include <Eigen/Core>
#include <algorithm>
#include <cassert>

#include "dtype_convert.h"

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

}  // namespace

void linearForward(Runtime::Impl& runtime, const TensorView& weight, std::span<const float> bias, const float* x,
                   int64_t tokens, float* y) {
    assert(weight.shape.size() == 2);
    const int64_t out = weight.shape[0];
    const int64_t in = weight.shape[1];
    assert(bias.empty() || static_cast<int64_t>(bias.size()) == out);
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
