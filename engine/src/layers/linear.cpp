// linear.cpp — dense products on the mapped weights, rows split by oneTBB: each layer's weight plan (weight_plan.h)
// picks the run-time chosen SIMD kernels of matmul_kernels.h for its dtype; Eigen on converted tiles where a level has
// none.
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
#include "kernels/q4_scalar.h"
#include "layers/weight_plan.h"

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

// Adds bias[r] (if any) to y[t, r] over rows [r0, r1).
void addBias(std::span<const float> bias, float* y, int64_t tokens, int64_t ldy, int64_t r0, int64_t r1) {
    if (bias.empty()) return;
    for (int64_t t = 0; t < tokens; ++t) {
        for (int64_t r = r0; r < r1; ++r) y[t * ldy + r] += bias[static_cast<std::size_t>(r)];
    }
}

// The most layers one call shares an input between (q, k and v).
constexpr std::size_t kMaxSharedLayers = 4;

// Calls `op(layer, r0, r1)` for the rows of each layer that fall in [begin, end) of the layers' rows laid end to
// end.
template <typename Op>
void forLayerRows(std::span<const DenseLayer> layers, int64_t begin, int64_t end, Op op) {
    int64_t base = 0;
    for (const DenseLayer& layer : layers) {
        const int64_t r0 = std::max(begin, base) - base, r1 = std::min(end, base + layer.out()) - base;
        if (r0 < r1) op(layer, r0, r1);
        base += layer.out();
    }
}

int64_t totalRows(std::span<const DenseLayer> layers) {
    int64_t rows = 0;
    for (const DenseLayer& layer : layers) rows += layer.out();
    return rows;
}

// The activations quantized per block (QuantizedActivations), by the table's kernel or the scalar reference.
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

// Decode: y = W x with the plan's matvec on W in place, for every layer in one parallel loop over their rows. Tasks of
// at least ~32 KiB of weights keep the scheduling cost small beside the memory traffic; the auto partitioner merges
// them further.
void matvecForward(Runtime::Impl& runtime, const WeightPlan& plan, std::span<const DenseLayer> layers, const float* x,
                   const QuantizedActivations* quantized) {
    const int64_t rowBytes = static_cast<int64_t>(layers[0].weight->byteSize) / std::max<int64_t>(layers[0].out(), 1);
    const int64_t grain = std::max<int64_t>(4, (32 * 1024 / std::max<int64_t>(rowBytes, 1)) / 4 * 4);
    const auto rows = [&](const DenseLayer& layer, int64_t r0, int64_t r1) {
        plan.matvec(*runtime.kernels, layer, r0, r1, x, quantized, layer.y + r0);
        addBias(layer.bias, layer.y, 1, layer.out(), r0, r1);
    };
    tbb::parallel_for(
        tbb::blocked_range<int64_t>(0, totalRows(layers), grain),
        [&](const tbb::blocked_range<int64_t>& range) { forLayerRows(layers, range.begin(), range.end(), rows); });
}

// Batched decode (Runtime::Impl::decodeColumns): the plan's matvec once per column of x [T, in] on each tile of ~32
// KiB of weights, which the later columns find in cache: the weights are read from memory once for the batch, and
// each column gets the very numbers of its own decode.
void matvecColumnsForward(Runtime::Impl& runtime, const WeightPlan& plan, std::span<const DenseLayer> layers,
                          const float* x, int64_t tokens, const QuantizedActivations* quantized) {
    const int64_t in = layers[0].in();
    const int64_t rowBytes = in * static_cast<int64_t>(dtypeSize(layers[0].weight->dtype));
    const int64_t tile = std::max<int64_t>(4, (32 * 1024 / std::max<int64_t>(rowBytes, 1)) / 4 * 4);
    const auto rows = [&](const DenseLayer& layer, int64_t r0, int64_t r1) {
        const int64_t out = layer.out();
        for (int64_t t0 = r0; t0 < r1; t0 += tile) {
            const int64_t t1 = std::min(r1, t0 + tile);
            for (int64_t t = 0; t < tokens; ++t) {
                QuantizedActivations column{};
                if (quantized != nullptr) {
                    column = {quantized->q + t * i8ActivationStride(in), quantized->scales + t * i8Blocks(in),
                              quantized->values + t * in};
                }
                float* y = layer.y + t * out;
                plan.matvec(*runtime.kernels, layer, t0, t1, x + t * in, quantized != nullptr ? &column : nullptr,
                            y + t0);
                addBias(layer.bias, y, 1, out, t0, t1);
            }
        }
    };
    tbb::parallel_for(
        tbb::blocked_range<int64_t>(0, totalRows(layers), tile),
        [&](const tbb::blocked_range<int64_t>& range) { forLayerRows(layers, range.begin(), range.end(), rows); });
}

// Calls `rows(layer, r0, r1)` in parallel for tasks of `taskRows` rows of the layers, each layer starting a new task
// (each task reads its weights from memory once; the packed activations stay in cache), then adds the biases.
template <typename Rows>
void forEachRowTask(std::span<const DenseLayer> layers, int64_t taskRows, int64_t tokens, Rows rows) {
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
            const DenseLayer& layer = layers[j];
            const int64_t r0 = (task - firstTask[j]) * taskRows, r1 = std::min(layer.out(), r0 + taskRows);
            rows(layer, r0, r1);
            addBias(layer.bias, layer.y, tokens, layer.out(), r0, r1);
        }
    });
}

// Prefill with a panel GEMM: pack the activations once, then tasks of the kernel's rows of any of the layers over
// every token, each layer's rows as its plan reads them.
void panelGemmForward(Runtime::Impl& runtime, const WeightPlan& plan, const PanelGemm& gemm,
                      std::span<const DenseLayer> layers, const float* x, int64_t tokens) {
    const int64_t in = layers[0].in();
    const int64_t panels = (tokens + kGemmPanelTokens - 1) / kGemmPanelTokens;
    uint32_t* packed = ensure(runtime.workspace.packed, gemm.packedUnits(tokens, in));
    tbb::parallel_for(tbb::blocked_range<int64_t>(0, panels, 1), [&](const tbb::blocked_range<int64_t>& range) {
        gemm.pack(x, tokens, in, range.begin(), range.end(), packed);
    });
    const PackedActivations activations{packed, tokens, panels};
    forEachRowTask(layers, gemm.taskRows, tokens, [&](const DenseLayer& layer, int64_t r0, int64_t r1) {
        plan.panelRows(runtime, gemm, activations, layer, r0, r1);
    });
}

// Prefill with int8 activations and weights (Int8PanelGemm): the activations quantized per block of 32 (W8A8's own
// where given, so decode and prefill multiply the same numbers) and packed once; then tasks of the kernel's rows of any
// layer over every token, each layer's rows as its plan reads them.
void int8GemmForward(Runtime::Impl& runtime, const WeightPlan& plan, std::span<const DenseLayer> layers, const float* x,
                     int64_t tokens, const QuantizedActivations* quantized) {
    const Int8PanelGemm& gemm = runtime.kernels->gemmInt8Activations;
    const int64_t in = layers[0].in();
    const QuantizedActivations a = quantized != nullptr ? *quantized : quantizeActivations(runtime, x, tokens, in);
    const int64_t panels = (tokens + kInt8PanelTokens - 1) / kInt8PanelTokens;
    uint32_t* packed = ensure(runtime.workspace.packed, Int8PanelGemm::packedUnits(tokens, in));
    tbb::parallel_for(tbb::blocked_range<int64_t>(0, panels, 4), [&](const tbb::blocked_range<int64_t>& range) {
        gemm.pack(a.q, i8ActivationStride(in), a.scales, tokens, in, range.begin(), range.end(), packed);
    });
    const PackedActivations activations{packed, tokens, panels};
    forEachRowTask(layers, gemm.taskRows, tokens, [&](const DenseLayer& layer, int64_t r0, int64_t r1) {
        plan.int8Rows(runtime, activations, layer, r0, r1);
    });
}

// The portable path: Eigen on tiles of W (the mapping itself for aligned f32, converted to f32 otherwise).
void eigenForward(Runtime::Impl& runtime, const DenseLayer& layer, const float* x, int64_t tokens) {
    float* y = layer.y;
    const int64_t out = layer.out(), in = layer.in();
    const ConstRowMap input(x, tokens, in);
    RowMap output(y, tokens, out);
    const int64_t rowsPerTile = tileRows(tokens, in);
    const int64_t tiles = (out + rowsPerTile - 1) / rowsPerTile;
    tbb::parallel_for(tbb::blocked_range<int64_t>(0, tiles), [&](const tbb::blocked_range<int64_t>& range) {
        for (int64_t tile = range.begin(); tile != range.end(); ++tile) {
            const int64_t r0 = tile * rowsPerTile;
            const int64_t r1 = std::min(out, r0 + rowsPerTile);
            const ConstRowMap w(weightRowsAsFloat(runtime, *layer.weight, layer.scales, in, r0, r1, layer.q4Headers),
                                r1 - r0, in);
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

// One path for layers that share an input and a plan: matvec, int8 GEMM, panel GEMM, or Eigen per layer.
void dispatch(Runtime::Impl& runtime, std::span<const DenseLayer> layers, const float* x, int64_t tokens,
              const QuantizedActivations* quantized) {
    const MatmulKernels& kernels = *runtime.kernels;
    const TensorView& first = *layers[0].weight;
    const WeightPlan& plan = weightPlan(first.dtype);
    if (tokens == 1 || runtime.decodeColumns) {
        if (plan.hasMatvec(kernels, first)) {
            if (tokens == 1) {
                if (plan.prepare != nullptr) x = plan.prepare(runtime, x, first.shape[1]);
                return matvecForward(runtime, plan, layers, x, quantized);
            }
            // A plan that prepares its activations (Q4K) prepares one column: its batches take the prompt path.
            if (plan.prepare == nullptr) return matvecColumnsForward(runtime, plan, layers, x, tokens, quantized);
        }
    }
    if (tokens == 1) {
        // No matvec for this dtype at this level: Eigen below.
    } else if (const PrefillArithmetic arithmetic = plan.arithmetic(kernels, runtime.prefillPrecision);
               arithmetic == PrefillArithmetic::Int8) {
        return int8GemmForward(runtime, plan, layers, x, tokens, quantized);
    } else if (const PanelGemm* gemm = plan.panelGemm(kernels, arithmetic, first); gemm != nullptr) {
        return panelGemmForward(runtime, plan, *gemm, layers, x, tokens);
    }
    for (const DenseLayer& layer : layers) eigenForward(runtime, layer, x, tokens);
}

// The layers' products on x [T, in]: the activations quantized once (W8A8), then all layers in one call where they
// take the same path (same dtype, and alike in being readable as floats in place), else one after the other.
void denseForward(Runtime::Impl& runtime, std::span<const DenseLayer> layers, const float* x, int64_t tokens) {
    const TensorView& first = *layers[0].weight;
    const WeightPlan& plan = weightPlan(first.dtype);
    assert(std::all_of(layers.begin(), layers.end(), [&](const DenseLayer& layer) {
        const TensorView& w = *layer.weight;
        return w.shape.size() == 2 && w.shape[1] == first.shape[1] &&
               (layer.bias.empty() || static_cast<int64_t>(layer.bias.size()) == layer.out()) &&
               (!hasBlockScales(w.dtype) ||
                static_cast<int64_t>(layer.scales.size()) == layer.out() * i8Blocks(w.shape[1]));
    }));
    QuantizedActivations quantized{};
    const bool w8a8 = plan.quantizesActivations && runtime.int8Activations == Int8Activations::Quantized;
    if (w8a8) {
        quantized = quantizeActivations(runtime, x, tokens, first.shape[1]);
        x = quantized.values;
    }
    if (tokens > 1 && runtime.prefillPrecision == PrefillPrecision::EmulatedBf16 && plan.emulatesBf16) {
        // What the bf16 kernels multiply on bf16 weights: activations rounded to bf16, products exact in f32. The
        // W8A8 values' buffer is free on this path.
        const auto count = static_cast<std::size_t>(tokens * first.shape[1]);
        float* rounded = ensure(runtime.workspace.i8ActivationValues, count);
        for (std::size_t i = 0; i < count; ++i) rounded[i] = bf16ToFloat(floatToBf16(x[i]));
        x = rounded;
    }
    const bool inPlace = floatsInPlace(first.dtype, first.data) != nullptr;
    const bool alike = std::all_of(layers.begin(), layers.end(), [&](const DenseLayer& layer) {
        const TensorView& w = *layer.weight;
        return w.dtype == first.dtype && (floatsInPlace(w.dtype, w.data) != nullptr) == inPlace;
    });
    if (alike) {
        dispatch(runtime, layers, x, tokens, w8a8 ? &quantized : nullptr);
    } else {
        for (const DenseLayer& layer : layers) {
            dispatch(runtime, std::span(&layer, 1), x, tokens, w8a8 ? &quantized : nullptr);
        }
    }
}

}  // namespace

const float* weightRowsAsFloat(Runtime::Impl& runtime, const TensorView& weight, std::span<const float> blockScales,
                               int64_t in, int64_t r0, int64_t r1, const uint8_t* q4Headers) {
    if (weight.dtype == DType::Q4K) {
        assert(q4Headers != nullptr);
        float* dst =
            ensure(runtime.workspace.threadTiles[runtime.threadSlot()], static_cast<std::size_t>((r1 - r0) * in));
        const auto dequantize =
            runtime.kernels->dequantizeQ4 != nullptr ? runtime.kernels->dequantizeQ4 : scalar::dequantizeQ4;
        dequantize(static_cast<const uint8_t*>(weight.data) + r0 * q4RowBytes(in),
                   q4Headers + r0 * q4SuperBlocks(in) * kQ4HeaderBytes, in, r1 - r0, dst);
        return dst;
    }
    const auto* src =
        static_cast<const std::byte*>(weight.data) + static_cast<std::size_t>(r0 * in) * dtypeSize(weight.dtype);
    if (const float* floats = floatsInPlace(weight.dtype, src)) return floats;
    float* dst = ensure(runtime.workspace.threadTiles[runtime.threadSlot()], static_cast<std::size_t>((r1 - r0) * in));
    const float* scales = blockScales.empty() ? nullptr : blockScales.data() + r0 * i8Blocks(in);
    convertRowsToFloat(weight.dtype, src, scales, in, r1 - r0, dst);
    return dst;
}

void linearForward(Runtime::Impl& runtime, const TensorView& weight, std::span<const float> bias, const float* x,
                   int64_t tokens, float* y, std::span<const float> blockScales) {
    assert(weight.dtype != DType::Q4K);  // a Q4K matrix needs its headers: the LinearWeights overload
    const DenseLayer layer{&weight, blockScales, bias, y};
    denseForward(runtime, std::span(&layer, 1), x, tokens);
}

void linearForward(Runtime::Impl& runtime, const LinearWeights& layer, const float* x, int64_t tokens, float* y) {
    const DenseLayer dense{&layer.weight, layer.scale, layer.bias, y, layer.q4Headers};
    denseForward(runtime, std::span(&dense, 1), x, tokens);
}

void linearForward(Runtime::Impl& runtime, std::initializer_list<LinearOutput> outputs, const float* x,
                   int64_t tokens) {
    assert(!std::empty(outputs) && outputs.size() <= kMaxSharedLayers);
    std::array<DenseLayer, kMaxSharedLayers> layers;
    std::size_t count = 0;
    for (const LinearOutput& output : outputs) {
        layers[count++] =
            DenseLayer{&output.layer.weight, output.layer.scale, output.layer.bias, output.y, output.layer.q4Headers};
    }
    denseForward(runtime, std::span(layers.data(), count), x, tokens);
}

}  // namespace rgemma
