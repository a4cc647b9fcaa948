// linear.cpp — dense and block-diagonal products on the mapped weights (f32, bf16, int8), rows split by oneTBB:
// the run-time chosen SIMD kernels of matmul_kernels.h, Eigen on converted tiles where a level has none.
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

bool isFloatAligned(const void* data) { return reinterpret_cast<std::uintptr_t>(data) % alignof(float) == 0; }

// Rows of W per task: small tiles for decode (the tile stays in L2 while it is read once), larger ones for
// prefill (each converted tile is reused by every token of the chunk).
int64_t tileRows(int64_t tokens, int64_t in) {
    const int64_t targetFloats = tokens == 1 ? 16 * 1024 : 128 * 1024;
    return std::clamp<int64_t>(targetFloats / std::max<int64_t>(in, 1), 4, 256);
}

// W rows [r0, r1) as an f32 matrix: the mapping itself for f32, else converted (I8: dequantized with its block
// scales) into the thread's tile buffer.
ConstRowMap weightRows(Runtime::Impl& runtime, const TensorView& weight, std::span<const float> blockScales, int64_t in,
                       int64_t r0, int64_t r1) {
    const int64_t rows = r1 - r0;
    const auto* base = static_cast<const std::byte*>(weight.data);
    const std::size_t elemSize = dtypeSize(weight.dtype);
    const std::byte* src = base + static_cast<std::size_t>(r0 * in) * elemSize;
    if (weight.dtype == DType::F32 && reinterpret_cast<std::uintptr_t>(src) % alignof(float) == 0) {
        return ConstRowMap(reinterpret_cast<const float*>(src), rows, in);
    }
    std::vector<float>& tile = runtime.workspace.threadTiles[runtime.threadSlot()];
    float* dst = ensure(tile, static_cast<std::size_t>(rows * in));
    if (weight.dtype == DType::I8) {
        dequantizeI8(reinterpret_cast<const int8_t*>(src), blockScales.data() + r0 * i8Blocks(in), in, rows, dst);
    } else {
        convertToFloat(weight.dtype, src, dst, rows * in);
    }
    return ConstRowMap(dst, rows, in);
}

// Adds bias[r] (if any) to y[t, r] over rows [r0, r1).
void addBias(std::span<const float> bias, float* y, int64_t tokens, int64_t ldy, int64_t r0, int64_t r1) {
    if (bias.empty()) return;
    for (int64_t t = 0; t < tokens; ++t) {
        for (int64_t r = r0; r < r1; ++r) y[t * ldy + r] += bias[static_cast<std::size_t>(r)];
    }
}

// A dense layer's stored parts: W, its I8 block scales (else empty) and the bias (or empty).
struct Dense {
    const TensorView& weight;
    std::span<const float> scales;
    std::span<const float> bias;
};

// Decode: y = W x with the table's matvec on W in place. Tasks of at least ~32 KiB of weights keep the
// scheduling cost small beside the memory traffic; the auto partitioner merges them further.
void matvecForward(Runtime::Impl& runtime, const Dense& layer, const float* x, float* y) {
    const MatmulKernels& kernels = *runtime.kernels;
    const TensorView& weight = layer.weight;
    const int64_t out = weight.shape[0];
    const int64_t in = weight.shape[1];
    const int64_t rowBytes = in * static_cast<int64_t>(dtypeSize(weight.dtype));
    const int64_t grain = std::max<int64_t>(4, (32 * 1024 / std::max<int64_t>(rowBytes, 1)) / 4 * 4);
    tbb::parallel_for(tbb::blocked_range<int64_t>(0, out, grain), [&](const tbb::blocked_range<int64_t>& range) {
        const int64_t r0 = range.begin(), r1 = range.end();
        switch (weight.dtype) {
            case DType::BF16:
                kernels.matvecBf16(static_cast<const uint16_t*>(weight.data), in, r0, r1, x, y + r0);
                break;
            case DType::I8:
                kernels.matvecI8(static_cast<const int8_t*>(weight.data), layer.scales.data(), in, r0, r1, x, y + r0);
                break;
            default:
                kernels.matvecF32(static_cast<const float*>(weight.data), in, r0, r1, x, y + r0);
                break;
        }
        addBias(layer.bias, y, 1, out, r0, r1);
    });
}

// Prefill with a panel GEMM: pack the activations once, then tasks of 64 output rows over every token (each task
// reads its weights from memory once; the packed activations stay in cache). I8 rows are first dequantized into the
// thread's tile, once per task: to f32 for f32 activations, to bf16 for bf16 ones.
void panelGemmForward(Runtime::Impl& runtime, const PanelGemm& kernel, const Dense& layer, const float* x,
                      int64_t tokens, float* y) {
    constexpr int64_t kTaskRows = 64;
    const TensorView& weight = layer.weight;
    const int64_t out = weight.shape[0];
    const int64_t in = weight.shape[1];
    const int64_t panels = (tokens + kGemmPanelTokens - 1) / kGemmPanelTokens;
    uint32_t* packed = ensure(runtime.workspace.packed, kernel.packedUnits(tokens, in));
    tbb::parallel_for(tbb::blocked_range<int64_t>(0, panels, 1), [&](const tbb::blocked_range<int64_t>& range) {
        kernel.pack(x, tokens, in, range.begin(), range.end(), packed);
    });
    const int64_t blocks = (out + kTaskRows - 1) / kTaskRows;
    tbb::parallel_for(tbb::blocked_range<int64_t>(0, blocks, 1), [&](const tbb::blocked_range<int64_t>& range) {
        const int64_t r0 = range.begin() * kTaskRows;
        const int64_t r1 = std::min(out, range.end() * kTaskRows);
        const std::size_t slot = runtime.threadSlot();
        const auto count = static_cast<std::size_t>((r1 - r0) * in);
        if (weight.dtype == DType::BF16) {
            kernel.gemm(packed, static_cast<const uint16_t*>(weight.data), in, tokens, r0, r1, 0, panels, y, out);
        } else if (weight.dtype == DType::F32) {
            kernel.gemmF32Weights(packed, static_cast<const float*>(weight.data), in, tokens, r0, r1, 0, panels, y,
                                  out);
        } else if (kernel.gemmF32Weights != nullptr) {  // I8, f32 activations
            float* rows = ensure(runtime.workspace.threadTiles[slot], count);
            runtime.kernels->dequantizeI8(static_cast<const int8_t*>(weight.data) + r0 * in,
                                          layer.scales.data() + r0 * i8Blocks(in), in, r1 - r0, rows);
            kernel.gemmF32Weights(packed, rows, in, tokens, 0, r1 - r0, 0, panels, y + r0, out);
        } else {  // I8, bf16 activations
            uint16_t* rows = ensure(runtime.workspace.threadTilesBf16[slot], count);
            runtime.kernels->dequantizeI8Bf16(static_cast<const int8_t*>(weight.data) + r0 * in,
                                              layer.scales.data() + r0 * i8Blocks(in), in, r1 - r0, rows);
            kernel.gemm(packed, rows, in, tokens, 0, r1 - r0, 0, panels, y + r0, out);
        }
        addBias(layer.bias, y, tokens, out, r0, r1);
    });
}

// The prefill kernel for `weight` at the runtime's precision, or null (then Eigen). bf16 activations apply to
// bf16 and I8 weights only: an f32 checkpoint asks for f32 numbers.
const PanelGemm* prefillKernel(const Runtime::Impl& runtime, const TensorView& weight) {
    const MatmulKernels& kernels = *runtime.kernels;
    const bool fast = runtime.prefillPrecision == PrefillPrecision::Fast && kernels.gemmBf16Activations;
    switch (weight.dtype) {
        case DType::BF16:
            if (fast) return &kernels.gemmBf16Activations;
            return kernels.gemmF32Activations ? &kernels.gemmF32Activations : nullptr;
        case DType::I8:
            if (kernels.dequantizeI8 == nullptr) return nullptr;
            if (fast) return &kernels.gemmBf16Activations;
            return kernels.gemmF32Activations.gemmF32Weights ? &kernels.gemmF32Activations : nullptr;
        case DType::F32:
            if (!isFloatAligned(weight.data)) return nullptr;
            return kernels.gemmF32Activations.gemmF32Weights ? &kernels.gemmF32Activations : nullptr;
        case DType::F16:
            return nullptr;
    }
    return nullptr;
}

// The portable path: Eigen on tiles of W (the mapping itself for f32, converted to f32 otherwise).
void eigenForward(Runtime::Impl& runtime, const Dense& layer, const float* x, int64_t tokens, float* y) {
    const int64_t out = layer.weight.shape[0];
    const int64_t in = layer.weight.shape[1];
    const ConstRowMap input(x, tokens, in);
    RowMap output(y, tokens, out);
    const int64_t rowsPerTile = tileRows(tokens, in);
    const int64_t tiles = (out + rowsPerTile - 1) / rowsPerTile;
    tbb::parallel_for(tbb::blocked_range<int64_t>(0, tiles), [&](const tbb::blocked_range<int64_t>& range) {
        for (int64_t tile = range.begin(); tile != range.end(); ++tile) {
            const int64_t r0 = tile * rowsPerTile;
            const int64_t r1 = std::min(out, r0 + rowsPerTile);
            const ConstRowMap w = weightRows(runtime, layer.weight, layer.scales, in, r0, r1);
            auto block = output.middleCols(r0, r1 - r0);
            if (tokens == 1) {
                block.noalias() = (w * input.row(0).transpose()).transpose();
            } else {
                block.noalias() = input * w.transpose();
            }
            addBias(layer.bias, y, tokens, out, r0, r1);
        }
    });
}

// Whether the table has a decode kernel for the stored dtype (f32 must also be aligned to read it as floats).
bool hasMatvec(const MatmulKernels& kernels, const TensorView& weight) {
    switch (weight.dtype) {
        case DType::BF16:
            return kernels.matvecBf16 != nullptr;
        case DType::I8:
            return kernels.matvecI8 != nullptr;
        case DType::F32:
            return kernels.matvecF32 != nullptr && isFloatAligned(weight.data);
        case DType::F16:
            return false;
    }
    return false;
}

}  // namespace

void linearForward(Runtime::Impl& runtime, const TensorView& weight, std::span<const float> bias, const float* x,
                   int64_t tokens, float* y, std::span<const float> blockScales) {
    assert(weight.shape.size() == 2);
    assert(bias.empty() || static_cast<int64_t>(bias.size()) == weight.shape[0]);
    assert(weight.dtype != DType::I8 ||
           static_cast<int64_t>(blockScales.size()) == weight.shape[0] * i8Blocks(weight.shape[1]));
    const Dense layer{weight, blockScales, bias};
    if (tokens == 1 && hasMatvec(*runtime.kernels, weight)) {
        matvecForward(runtime, layer, x, y);
    } else if (const PanelGemm* gemm = prefillKernel(runtime, weight); tokens > 1 && gemm != nullptr) {
        panelGemmForward(runtime, *gemm, layer, x, tokens, y);
    } else {
        eigenForward(runtime, layer, x, tokens, y);
    }
}

void linearForward(Runtime::Impl& runtime, const LinearWeights& layer, const float* x, int64_t tokens, float* y) {
    linearForward(runtime, layer.weight, layer.bias, x, tokens, y, layer.scale);
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
        const ConstRowMap w = weightRows(runtime, weight, {}, width, h * width, (h + 1) * width);
        auto block = output.middleCols(h * width, width);
        block.noalias() = input.middleCols(h * width, width) * w;
        const Eigen::Map<const Eigen::RowVectorXf> b(bias.data() + h * width, width);
        block.rowwise() += b;
    });
}

}  // namespace rgemma
