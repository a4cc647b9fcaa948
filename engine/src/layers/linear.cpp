// linear.cpp — dense products on the mapped weights (f32, bf16, int8), rows split by oneTBB: the run-time chosen
// SIMD kernels of matmul_kernels.h, Eigen on converted tiles where a level has none.
#include "layers/linear.h"

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>

#include <Eigen/Core>
#include <algorithm>
#include <array>
#include <cassert>
#include <initializer_list>

#include "io/dtype_convert.h"
#include "kernels/matmul_kernels.h"
#include "kernels/prefill_arithmetic.h"

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

// W rows [r0, r1) as an f32 matrix (weightRowsAsFloat).
ConstRowMap weightRows(Runtime::Impl& runtime, const TensorView& weight, std::span<const float> blockScales, int64_t in,
                       int64_t r0, int64_t r1) {
    return ConstRowMap(weightRowsAsFloat(runtime, weight, blockScales, in, r0, r1), r1 - r0, in);
}

// Adds bias[r] (if any) to y[t, r] over rows [r0, r1).
void addBias(std::span<const float> bias, float* y, int64_t tokens, int64_t ldy, int64_t r0, int64_t r1) {
    if (bias.empty()) return;
    for (int64_t t = 0; t < tokens; ++t) {
        for (int64_t r = r0; r < r1; ++r) y[t * ldy + r] += bias[static_cast<std::size_t>(r)];
    }
}

// A dense layer's stored parts: W, its I8 block scales (else empty) and the bias (or empty); and where its output
// y [T, out] goes.
struct Dense {
    const TensorView* weight = nullptr;
    std::span<const float> scales;
    std::span<const float> bias;
    float* y = nullptr;

    int64_t out() const { return weight->shape[0]; }
};

// The most layers one call shares an input between (q, k and v).
constexpr std::size_t kMaxSharedLayers = 4;

// Calls `op(layer, r0, r1)` for the rows of each layer that fall in [begin, end) of the layers' rows laid end to
// end.
template <typename Op>
void forLayerRows(std::span<const Dense> layers, int64_t begin, int64_t end, Op op) {
    int64_t base = 0;
    for (const Dense& layer : layers) {
        const int64_t r0 = std::max(begin, base) - base, r1 = std::min(end, base + layer.out()) - base;
        if (r0 < r1) op(layer, r0, r1);
        base += layer.out();
    }
}

int64_t totalRows(std::span<const Dense> layers) {
    int64_t rows = 0;
    for (const Dense& layer : layers) rows += layer.out();
    return rows;
}

// The activations of an I8 product, quantized (matmul_kernels.h): q and scales for the int8 kernels, the
// dequantized values for every other one, so decode and prefill, at every level, multiply the same numbers.
struct QuantizedActivations {
    const int8_t* q;
    const float* scales;
    const float* values;
};

QuantizedActivations quantizeActivations(Runtime::Impl& runtime, const float* x, int64_t tokens, int64_t in) {
    Workspace& ws = runtime.workspace;
    const int64_t stride = i8ActivationStride(in), blocks = i8Blocks(in);
    int8_t* q = ensure(ws.i8Activations, static_cast<std::size_t>(tokens * stride));
    float* scales = ensure(ws.i8ActivationScales, static_cast<std::size_t>(tokens * blocks));
    float* values = ensure(ws.i8ActivationValues, static_cast<std::size_t>(tokens * in));
    const auto kernel = runtime.kernels->quantizeActivationsI8;
    const auto rows = [&](int64_t t0, int64_t t1) {
        if (kernel != nullptr) {
            kernel(x + t0 * in, in, t1 - t0, q + t0 * stride, scales + t0 * blocks, values + t0 * in);
        } else {
            quantizeActivationsI8(x + t0 * in, in, t1 - t0, stride, q + t0 * stride, scales + t0 * blocks,
                                  values + t0 * in);
        }
    };
    if (tokens == 1) {
        rows(0, 1);
    } else {
        tbb::parallel_for(tbb::blocked_range<int64_t>(0, tokens, 16),
                          [&](const tbb::blocked_range<int64_t>& range) { rows(range.begin(), range.end()); });
    }
    return {q, scales, values};
}

// Decode: y = W x with the table's matvec on W in place (I8 with int8 activations where the table has the kernel
// and `quantized` is given), for every layer in one parallel loop over their rows. Tasks of at least ~32 KiB of
// weights keep the scheduling cost small beside the memory traffic; the auto partitioner merges them further.
void matvecForward(Runtime::Impl& runtime, std::span<const Dense> layers, const float* x,
                   const QuantizedActivations* quantized) {
    const MatmulKernels& kernels = *runtime.kernels;
    const DType dtype = layers[0].weight->dtype;
    const int64_t in = layers[0].weight->shape[1];
    const int64_t rowBytes = in * static_cast<int64_t>(dtypeSize(dtype));
    const int64_t grain = std::max<int64_t>(4, (32 * 1024 / std::max<int64_t>(rowBytes, 1)) / 4 * 4);
    const auto rows = [&](const Dense& layer, int64_t r0, int64_t r1) {
        float* y = layer.y + r0;
        switch (dtype) {
            case DType::BF16:
                kernels.matvecBf16(static_cast<const uint16_t*>(layer.weight->data), in, r0, r1, x, y);
                break;
            case DType::I8:
                if (quantized != nullptr && kernels.matvecI8Quantized != nullptr) {
                    kernels.matvecI8Quantized(static_cast<const int8_t*>(layer.weight->data), layer.scales.data(), in,
                                              r0, r1, quantized->q, quantized->scales, y);
                } else {
                    kernels.matvecI8(static_cast<const int8_t*>(layer.weight->data), layer.scales.data(), in, r0, r1, x,
                                     y);
                }
                break;
            default:
                kernels.matvecF32(static_cast<const float*>(layer.weight->data), in, r0, r1, x, y);
                break;
        }
        addBias(layer.bias, layer.y, 1, layer.out(), r0, r1);
    };
    tbb::parallel_for(
        tbb::blocked_range<int64_t>(0, totalRows(layers), grain),
        [&](const tbb::blocked_range<int64_t>& range) { forLayerRows(layers, range.begin(), range.end(), rows); });
}

// Calls `rows(layer, r0, r1)` in parallel for tasks of `taskRows` rows of the layers, each layer starting a new task
// (each task reads its weights from memory once; the packed activations stay in cache).
template <typename Rows>
void forEachRowTask(std::span<const Dense> layers, int64_t taskRows, Rows rows) {
    std::array<int64_t, kMaxSharedLayers> firstTask{};  // layer j's first task
    int64_t tasks = 0;
    for (std::size_t j = 0; j < layers.size(); ++j) {
        firstTask[j] = tasks;
        tasks += (layers[j].out() + taskRows - 1) / taskRows;
    }
    tbb::parallel_for(tbb::blocked_range<int64_t>(0, tasks, 1), [&](const tbb::blocked_range<int64_t>& range) {
        for (int64_t task = range.begin(); task != range.end(); ++task) {
            std::size_t j = layers.size() - 1;
            while (firstTask[j] > task) --j;
            const int64_t r0 = (task - firstTask[j]) * taskRows;
            rows(layers[j], r0, std::min(layers[j].out(), r0 + taskRows));
        }
    });
}

// Prefill with a panel GEMM: pack the activations once, then tasks of the kernel's rows of any of the layers over
// every token. I8 rows are read in place where the kernel can, else first dequantized into the thread's tile, once
// per task: to f32 for f32 activations, to bf16 for bf16 ones.
void panelGemmForward(Runtime::Impl& runtime, const PanelGemm& kernel, std::span<const Dense> layers, const float* x,
                      int64_t tokens) {
    const int64_t in = layers[0].weight->shape[1];
    const int64_t panels = (tokens + kGemmPanelTokens - 1) / kGemmPanelTokens;
    uint32_t* packed = ensure(runtime.workspace.packed, kernel.packedUnits(tokens, in));
    tbb::parallel_for(tbb::blocked_range<int64_t>(0, panels, 1), [&](const tbb::blocked_range<int64_t>& range) {
        kernel.pack(x, tokens, in, range.begin(), range.end(), packed);
    });
    const auto rows = [&](const Dense& layer, int64_t r0, int64_t r1) {
        const TensorView& weight = *layer.weight;
        const int64_t out = layer.out();
        const std::size_t slot = runtime.threadSlot();
        const auto count = static_cast<std::size_t>((r1 - r0) * in);
        if (weight.dtype == DType::BF16) {
            kernel.gemm(packed, static_cast<const uint16_t*>(weight.data), in, tokens, r0, r1, 0, panels, layer.y, out);
        } else if (weight.dtype == DType::F32) {
            kernel.gemmF32Weights(packed, static_cast<const float*>(weight.data), in, tokens, r0, r1, 0, panels,
                                  layer.y, out);
        } else if (weight.dtype == DType::F16) {
            kernel.gemmF16Weights(packed, static_cast<const uint16_t*>(weight.data), in, tokens, r0, r1, 0, panels,
                                  layer.y, out);
        } else if (kernel.gemmI8Weights != nullptr) {  // I8 read in place
            kernel.gemmI8Weights(packed, static_cast<const int8_t*>(weight.data), layer.scales.data(), in, tokens, r0,
                                 r1, 0, panels, layer.y, out);
        } else if (kernel.gemmF32Weights != nullptr) {  // I8, f32 activations
            float* tile = ensure(runtime.workspace.threadTiles[slot], count);
            runtime.kernels->dequantizeI8(static_cast<const int8_t*>(weight.data) + r0 * in,
                                          layer.scales.data() + r0 * i8Blocks(in), in, r1 - r0, tile);
            kernel.gemmF32Weights(packed, tile, in, tokens, 0, r1 - r0, 0, panels, layer.y + r0, out);
        } else {  // I8, bf16 activations
            uint16_t* tile = ensure(runtime.workspace.threadTilesBf16[slot], count);
            runtime.kernels->dequantizeI8Bf16(static_cast<const int8_t*>(weight.data) + r0 * in,
                                              layer.scales.data() + r0 * i8Blocks(in), in, r1 - r0, tile);
            kernel.gemm(packed, tile, in, tokens, 0, r1 - r0, 0, panels, layer.y + r0, out);
        }
        addBias(layer.bias, layer.y, tokens, out, r0, r1);
    };
    forEachRowTask(layers, kernel.taskRows, rows);
}

// The prefill kernel for `weight` at the runtime's precision, or null (then Eigen). bf16 activations apply to
// bf16 and I8 weights only: an f32 checkpoint asks for f32 numbers.
const PanelGemm* prefillKernel(const Runtime::Impl& runtime, const TensorView& weight) {
    const MatmulKernels& kernels = *runtime.kernels;
    const bool fast = prefillArithmetic(kernels, runtime.prefillPrecision, weight.dtype) == PrefillArithmetic::Bf16;
    switch (weight.dtype) {
        case DType::BF16:
            if (fast) return &kernels.gemmBf16Activations;
            return kernels.gemmF32Activations ? &kernels.gemmF32Activations : nullptr;
        case DType::I8:
            if (fast) return &kernels.gemmBf16Activations;
            if (kernels.gemmF32Activations.gemmI8Weights != nullptr) return &kernels.gemmF32Activations;
            if (kernels.dequantizeI8 == nullptr) return nullptr;
            return kernels.gemmF32Activations.gemmF32Weights ? &kernels.gemmF32Activations : nullptr;
        case DType::F32:
            if (!isFloatAligned(weight.data)) return nullptr;
            return kernels.gemmF32Activations.gemmF32Weights ? &kernels.gemmF32Activations : nullptr;
        case DType::F16:
            return kernels.gemmF32Activations.gemmF16Weights ? &kernels.gemmF32Activations : nullptr;
    }
    return nullptr;
}

// The portable path: Eigen on tiles of W (the mapping itself for f32, converted to f32 otherwise).
void eigenForward(Runtime::Impl& runtime, const Dense& layer, const float* x, int64_t tokens) {
    float* y = layer.y;
    const int64_t out = layer.weight->shape[0];
    const int64_t in = layer.weight->shape[1];
    const ConstRowMap input(x, tokens, in);
    RowMap output(y, tokens, out);
    const int64_t rowsPerTile = tileRows(tokens, in);
    const int64_t tiles = (out + rowsPerTile - 1) / rowsPerTile;
    tbb::parallel_for(tbb::blocked_range<int64_t>(0, tiles), [&](const tbb::blocked_range<int64_t>& range) {
        for (int64_t tile = range.begin(); tile != range.end(); ++tile) {
            const int64_t r0 = tile * rowsPerTile;
            const int64_t r1 = std::min(out, r0 + rowsPerTile);
            const ConstRowMap w = weightRows(runtime, *layer.weight, layer.scales, in, r0, r1);
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

// Whether prefill of `weight` takes the int8 GEMM (prefill_arithmetic.h decides).
bool int8Prefill(const Runtime::Impl& runtime, const TensorView& weight) {
    return prefillArithmetic(*runtime.kernels, runtime.prefillPrecision, weight.dtype) == PrefillArithmetic::Int8;
}

// Prefill with int8 activations and weights (Int8PanelGemm): the activations quantized per block of 32 (W8A8's own
// where given, so decode and prefill multiply the same numbers) and packed once; then tasks of the kernel's rows of any
// layer over every token, I8 rows read in place, bf16 rows quantized into the thread's tile once per task (reused by
// every token). The tasks are split as in panelGemmForward.
void int8GemmForward(Runtime::Impl& runtime, std::span<const Dense> layers, const float* x, int64_t tokens,
                     const QuantizedActivations* quantized) {
    const Int8PanelGemm& kernel = runtime.kernels->gemmInt8Activations;
    const int64_t in = layers[0].weight->shape[1], blocks = i8Blocks(in);
    const QuantizedActivations a = quantized != nullptr ? *quantized : quantizeActivations(runtime, x, tokens, in);
    const int64_t panels = (tokens + kInt8PanelTokens - 1) / kInt8PanelTokens;
    uint32_t* packed = ensure(runtime.workspace.packed, Int8PanelGemm::packedUnits(tokens, in));
    tbb::parallel_for(tbb::blocked_range<int64_t>(0, panels, 4), [&](const tbb::blocked_range<int64_t>& range) {
        kernel.pack(a.q, i8ActivationStride(in), a.scales, tokens, in, range.begin(), range.end(), packed);
    });
    const auto rows = [&](const Dense& layer, int64_t r0, int64_t r1) {
        const TensorView& weight = *layer.weight;
        const int64_t out = layer.out();
        if (weight.dtype == DType::I8) {
            kernel.gemm(packed, static_cast<const int8_t*>(weight.data), layer.scales.data(), in, tokens, r0, r1, 0,
                        panels, layer.y, out);
        } else {
            // The f32 tile holds the rows' scales, then their int8 values.
            const int64_t count = r1 - r0;
            float* tile = ensure(runtime.workspace.threadTiles[runtime.threadSlot()],
                                 static_cast<std::size_t>(count * blocks + (count * in + 3) / 4));
            auto* q = reinterpret_cast<int8_t*>(tile + count * blocks);
            kernel.quantizeBf16(static_cast<const uint16_t*>(weight.data) + r0 * in, in, count, q, tile);
            kernel.gemm(packed, q, tile, in, tokens, 0, count, 0, panels, layer.y + r0, out);
        }
        addBias(layer.bias, layer.y, tokens, out, r0, r1);
    };
    forEachRowTask(layers, kernel.taskRows, rows);
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

// One path for layers that share an input: matvec, panel GEMM, or Eigen per layer.
void dispatch(Runtime::Impl& runtime, std::span<const Dense> layers, const float* x, int64_t tokens,
              const QuantizedActivations* quantized) {
    const MatmulKernels& kernels = *runtime.kernels;
    const TensorView& first = *layers[0].weight;
    if (tokens == 1 && hasMatvec(kernels, first)) {
        matvecForward(runtime, layers, x, quantized);
    } else if (tokens > 1 && int8Prefill(runtime, first)) {
        int8GemmForward(runtime, layers, x, tokens, quantized);
    } else if (const PanelGemm* gemm = prefillKernel(runtime, first); tokens > 1 && gemm != nullptr) {
        panelGemmForward(runtime, *gemm, layers, x, tokens);
    } else {
        for (const Dense& layer : layers) eigenForward(runtime, layer, x, tokens);
    }
}

// The layers' products on x [T, in]: the activations quantized once (W8A8), then all layers in one call where they
// take the same path (same dtype; f32 weights alike in alignment), else one after the other.
void denseForward(Runtime::Impl& runtime, std::span<const Dense> layers, const float* x, int64_t tokens) {
    const TensorView& first = *layers[0].weight;
    assert(std::all_of(layers.begin(), layers.end(), [&](const Dense& layer) {
        const TensorView& w = *layer.weight;
        return w.shape.size() == 2 && w.shape[1] == first.shape[1] &&
               (layer.bias.empty() || static_cast<int64_t>(layer.bias.size()) == layer.out()) &&
               (w.dtype != DType::I8 ||
                static_cast<int64_t>(layer.scales.size()) == layer.out() * i8Blocks(w.shape[1]));
    }));
    QuantizedActivations quantized{};
    const bool w8a8 = first.dtype == DType::I8 && runtime.int8Activations == Int8Activations::Quantized;
    if (w8a8) {
        quantized = quantizeActivations(runtime, x, tokens, first.shape[1]);
        x = quantized.values;
    }
    if (tokens > 1 && runtime.prefillPrecision == PrefillPrecision::EmulatedBf16 && first.dtype == DType::BF16) {
        // What the bf16 kernels multiply on bf16 weights: activations rounded to bf16, products exact in f32. The
        // W8A8 values' buffer is free on this path.
        const auto count = static_cast<std::size_t>(tokens * first.shape[1]);
        float* rounded = ensure(runtime.workspace.i8ActivationValues, count);
        for (std::size_t i = 0; i < count; ++i) rounded[i] = bf16ToFloat(floatToBf16(x[i]));
        x = rounded;
    }
    const bool alike = std::all_of(layers.begin(), layers.end(), [&](const Dense& layer) {
        return layer.weight->dtype == first.dtype &&
               (first.dtype != DType::F32 || isFloatAligned(layer.weight->data) == isFloatAligned(first.data));
    });
    if (alike) {
        dispatch(runtime, layers, x, tokens, w8a8 ? &quantized : nullptr);
    } else {
        for (const Dense& layer : layers) {
            dispatch(runtime, std::span(&layer, 1), x, tokens, w8a8 ? &quantized : nullptr);
        }
    }
}

}  // namespace

const float* weightRowsAsFloat(Runtime::Impl& runtime, const TensorView& weight, std::span<const float> blockScales,
                               int64_t in, int64_t r0, int64_t r1) {
    const auto* src =
        static_cast<const std::byte*>(weight.data) + static_cast<std::size_t>(r0 * in) * dtypeSize(weight.dtype);
    if (weight.dtype == DType::F32 && isFloatAligned(src)) return reinterpret_cast<const float*>(src);
    float* dst = ensure(runtime.workspace.threadTiles[runtime.threadSlot()], static_cast<std::size_t>((r1 - r0) * in));
    if (weight.dtype == DType::I8) {
        dequantizeI8(reinterpret_cast<const int8_t*>(src), blockScales.data() + r0 * i8Blocks(in), in, r1 - r0, dst);
    } else {
        convertToFloat(weight.dtype, src, dst, (r1 - r0) * in);
    }
    return dst;
}

void linearForward(Runtime::Impl& runtime, const TensorView& weight, std::span<const float> bias, const float* x,
                   int64_t tokens, float* y, std::span<const float> blockScales) {
    const Dense layer{&weight, blockScales, bias, y};
    denseForward(runtime, std::span(&layer, 1), x, tokens);
}

void linearForward(Runtime::Impl& runtime, const LinearWeights& layer, const float* x, int64_t tokens, float* y) {
    linearForward(runtime, layer.weight, layer.bias, x, tokens, y, layer.scale);
}

void linearForward(Runtime::Impl& runtime, std::initializer_list<LinearOutput> outputs, const float* x,
                   int64_t tokens) {
    assert(!std::empty(outputs) && outputs.size() <= kMaxSharedLayers);
    std::array<Dense, kMaxSharedLayers> layers;
    std::size_t count = 0;
    for (const LinearOutput& output : outputs) {
        layers[count++] = Dense{&output.layer.weight, output.layer.scale, output.layer.bias, output.y};
    }
    denseForward(runtime, std::span(layers.data(), count), x, tokens);
}

}  // namespace rgemma
