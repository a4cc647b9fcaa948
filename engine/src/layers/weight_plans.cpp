// weight_plans.cpp — one WeightPlan per stored dtype (F32, BF16, F16, I8, Q4K): which kernel of the table in force each
// product takes on such weights, and what it converts them to where no kernel reads them in place.
#include "kernels/q4_scalar.h"
#include "layers/weight_plan.h"

namespace rgemma {

namespace {

template <typename T>
const T* rowsOf(const DenseLayer& layer) {
    return static_cast<const T*>(layer.weight->data);
}

// Prefill on weights that only the f32 path multiplies exactly (f32 and f16 checkpoints ask for f32 numbers).
PrefillArithmetic exactArithmetic(const MatmulKernels&, PrefillPrecision) { return PrefillArithmetic::Exact; }

// Prefill on bf16 and I8 weights: bf16 dot products at Fast precision where the table has them (`bf16Tiles`: the
// plan can give the GEMM bf16 rows); int8 ones at Int8 precision where the table has those and no bf16 ones (AVX2,
// AVX-VNNI); else exact.
PrefillArithmetic fastArithmetic(const MatmulKernels& kernels, PrefillPrecision precision, bool bf16Tiles) {
    if (precision == PrefillPrecision::Int8) {
        const bool int8 = !kernels.gemmBf16Activations && kernels.gemmInt8Activations;
        return int8 ? PrefillArithmetic::Int8 : PrefillArithmetic::Exact;
    }
    if (precision != PrefillPrecision::Fast) return PrefillArithmetic::Exact;
    return kernels.gemmBf16Activations && bf16Tiles ? PrefillArithmetic::Bf16 : PrefillArithmetic::Exact;
}

const PanelGemm* f32Activations(const MatmulKernels& kernels, bool has) {
    return has ? &kernels.gemmF32Activations : nullptr;
}

// ---- F32: read in place where 4-byte aligned (a safetensors offset need not be).

constexpr WeightPlan kF32Plan{
    .hasMatvec = [](const MatmulKernels& kernels,
                    const TensorView& weight) { return kernels.matvecF32 != nullptr && isFloatAligned(weight.data); },
    .matvec = [](const MatmulKernels& kernels, const DenseLayer& layer, int64_t r0, int64_t r1, const float* x,
                 const QuantizedActivations*,
                 float* y) { kernels.matvecF32(rowsOf<float>(layer), layer.in(), r0, r1, x, y); },
    .arithmetic = exactArithmetic,
    .panelGemm =
        [](const MatmulKernels& kernels, PrefillArithmetic, const TensorView& weight) {
            return f32Activations(kernels, isFloatAligned(weight.data) && kernels.gemmF32Activations.gemmF32Weights);
        },
    .panelRows =
        [](Runtime::Impl&, const PanelGemm& gemm, const PackedActivations& p, const DenseLayer& layer, int64_t r0,
           int64_t r1) {
            gemm.gemmF32Weights(p.data, rowsOf<float>(layer), layer.in(), p.tokens, r0, r1, 0, p.panels, layer.y,
                                layer.out());
        },
    .int8Rows = nullptr,
};

// ---- BF16: read in place by every kernel; the int8 GEMM quantizes rows into the thread's tile.

void bf16Int8Rows(Runtime::Impl& runtime, const PackedActivations& p, const DenseLayer& layer, int64_t r0, int64_t r1) {
    const Int8PanelGemm& gemm = runtime.kernels->gemmInt8Activations;
    const int64_t in = layer.in(), count = r1 - r0, blocks = i8Blocks(in);
    // The f32 tile holds the rows' scales, then their int8 values; it is reused by every token.
    float* tile = ensure(runtime.workspace.threadTiles[runtime.threadSlot()],
                         static_cast<std::size_t>(count * blocks + (count * in + 3) / 4));
    auto* q = reinterpret_cast<int8_t*>(tile + count * blocks);
    gemm.quantizeBf16(rowsOf<uint16_t>(layer) + r0 * in, in, count, q, tile);
    gemm.gemm(p.data, q, tile, in, p.tokens, 0, count, 0, p.panels, layer.y + r0, layer.out());
}

constexpr WeightPlan kBf16Plan{
    .hasMatvec = [](const MatmulKernels& kernels, const TensorView&) { return kernels.matvecBf16 != nullptr; },
    .matvec = [](const MatmulKernels& kernels, const DenseLayer& layer, int64_t r0, int64_t r1, const float* x,
                 const QuantizedActivations*,
                 float* y) { kernels.matvecBf16(rowsOf<uint16_t>(layer), layer.in(), r0, r1, x, y); },
    .arithmetic = [](const MatmulKernels& kernels,
                     PrefillPrecision precision) { return fastArithmetic(kernels, precision, true); },
    .panelGemm =
        [](const MatmulKernels& kernels, PrefillArithmetic arithmetic, const TensorView&) {
            if (arithmetic == PrefillArithmetic::Bf16) return &kernels.gemmBf16Activations;
            return f32Activations(kernels, static_cast<bool>(kernels.gemmF32Activations));
        },
    .panelRows =
        [](Runtime::Impl&, const PanelGemm& gemm, const PackedActivations& p, const DenseLayer& layer, int64_t r0,
           int64_t r1) {
            gemm.gemm(p.data, rowsOf<uint16_t>(layer), layer.in(), p.tokens, r0, r1, 0, p.panels, layer.y, layer.out());
        },
    .int8Rows = bf16Int8Rows,
    .emulatesBf16 = true,
};

// ---- F16: only a panel GEMM of the table reads it in place (decode: Eigen on f32 tiles).

constexpr WeightPlan kF16Plan{
    .hasMatvec = [](const MatmulKernels&, const TensorView&) { return false; },
    .matvec = nullptr,
    .arithmetic = exactArithmetic,
    .panelGemm =
        [](const MatmulKernels& kernels, PrefillArithmetic, const TensorView&) {
            return f32Activations(kernels, kernels.gemmF32Activations.gemmF16Weights != nullptr);
        },
    .panelRows =
        [](Runtime::Impl&, const PanelGemm& gemm, const PackedActivations& p, const DenseLayer& layer, int64_t r0,
           int64_t r1) {
            gemm.gemmF16Weights(p.data, rowsOf<uint16_t>(layer), layer.in(), p.tokens, r0, r1, 0, p.panels, layer.y,
                                layer.out());
        },
    .int8Rows = nullptr,
};

// ---- I8 with block scales (rgemma quantize): dequantized in registers by the matvecs and the int8 GEMM, else into
// the thread's tile, to f32 for f32 activations and to bf16 for bf16 ones.

void i8Matvec(const MatmulKernels& kernels, const DenseLayer& layer, int64_t r0, int64_t r1, const float* x,
              const QuantizedActivations* quantized, float* y) {
    if (quantized != nullptr && kernels.matvecI8Quantized != nullptr) {
        kernels.matvecI8Quantized(rowsOf<int8_t>(layer), layer.scales.data(), layer.in(), r0, r1, quantized->q,
                                  quantized->scales, y);
    } else {
        kernels.matvecI8(rowsOf<int8_t>(layer), layer.scales.data(), layer.in(), r0, r1, x, y);
    }
}

const PanelGemm* i8PanelGemm(const MatmulKernels& kernels, PrefillArithmetic arithmetic, const TensorView&) {
    if (arithmetic == PrefillArithmetic::Bf16) return &kernels.gemmBf16Activations;
    if (kernels.gemmF32Activations.gemmI8Weights != nullptr) return &kernels.gemmF32Activations;
    if (kernels.dequantizeI8 == nullptr) return nullptr;
    return f32Activations(kernels, kernels.gemmF32Activations.gemmF32Weights != nullptr);
}

void i8PanelRows(Runtime::Impl& runtime, const PanelGemm& gemm, const PackedActivations& p, const DenseLayer& layer,
                 int64_t r0, int64_t r1) {
    const int64_t in = layer.in(), out = layer.out();
    const int8_t* q = rowsOf<int8_t>(layer);
    if (gemm.gemmI8Weights != nullptr) {  // read in place
        gemm.gemmI8Weights(p.data, q, layer.scales.data(), in, p.tokens, r0, r1, 0, p.panels, layer.y, out);
        return;
    }
    const std::size_t slot = runtime.threadSlot();
    const auto count = static_cast<std::size_t>((r1 - r0) * in);
    const float* scales = layer.scales.data() + r0 * i8Blocks(in);
    if (gemm.gemmF32Weights != nullptr) {  // f32 activations
        float* tile = ensure(runtime.workspace.threadTiles[slot], count);
        runtime.kernels->dequantizeI8(q + r0 * in, scales, in, r1 - r0, tile);
        gemm.gemmF32Weights(p.data, tile, in, p.tokens, 0, r1 - r0, 0, p.panels, layer.y + r0, out);
    } else {  // bf16 activations
        uint16_t* tile = ensure(runtime.workspace.threadTilesBf16[slot], count);
        runtime.kernels->dequantizeI8Bf16(q + r0 * in, scales, in, r1 - r0, tile);
        gemm.gemm(p.data, tile, in, p.tokens, 0, r1 - r0, 0, p.panels, layer.y + r0, out);
    }
}

constexpr WeightPlan kI8Plan{
    .hasMatvec = [](const MatmulKernels& kernels, const TensorView&) { return kernels.matvecI8 != nullptr; },
    .matvec = i8Matvec,
    .arithmetic =
        [](const MatmulKernels& kernels, PrefillPrecision precision) {
            return fastArithmetic(kernels, precision, kernels.dequantizeI8Bf16 != nullptr);
        },
    .panelGemm = i8PanelGemm,
    .panelRows = i8PanelRows,
    .int8Rows =
        [](Runtime::Impl& runtime, const PackedActivations& p, const DenseLayer& layer, int64_t r0, int64_t r1) {
            runtime.kernels->gemmInt8Activations.gemm(p.data, rowsOf<int8_t>(layer), layer.scales.data(), layer.in(),
                                                      p.tokens, r0, r1, 0, p.panels, layer.y, layer.out());
        },
    .quantizesActivations = true,
};

// ---- Q4K (4-bit, kernels/q4_format.h): decode through matvecQ4 on the nibbles in place (the scalar reference where
// the table has none), prefill on rows dequantized into the thread's tile, to f32 for f32 activations and to bf16 for
// bf16 ones. PrefillPrecision::Int8 runs exact: there is no int8 GEMM on 4-bit rows.

const uint8_t* q4Rows(const DenseLayer& layer, int64_t r0) {
    return rowsOf<uint8_t>(layer) + r0 * q4RowBytes(layer.in());
}
const uint8_t* q4Headers(const DenseLayer& layer, int64_t r0) {
    return layer.q4Headers + r0 * q4SuperBlocks(layer.in()) * kQ4HeaderBytes;
}

const float* q4Prepare(Runtime::Impl& runtime, const float* x, int64_t in) {
    float* prepared = ensure(runtime.workspace.q4Activations, static_cast<std::size_t>(q4PreparedFloats(in)));
    prepareQ4Activations(x, in, 1, prepared);
    return prepared;
}

void q4Matvec(const MatmulKernels& kernels, const DenseLayer& layer, int64_t r0, int64_t r1, const float* prepared,
              const QuantizedActivations*, float* y) {
    const auto matvec = kernels.matvecQ4 != nullptr ? kernels.matvecQ4 : scalar::matvecQ4;
    matvec(rowsOf<uint8_t>(layer), layer.q4Headers, layer.in(), r0, r1, prepared, 1, y, r1 - r0);
}

void q4PanelRows(Runtime::Impl& runtime, const PanelGemm& gemm, const PackedActivations& p, const DenseLayer& layer,
                 int64_t r0, int64_t r1) {
    const MatmulKernels& kernels = *runtime.kernels;
    const int64_t in = layer.in(), out = layer.out();
    const std::size_t slot = runtime.threadSlot();
    const auto count = static_cast<std::size_t>((r1 - r0) * in);
    if (gemm.gemmF32Weights != nullptr) {  // f32 activations
        float* tile = ensure(runtime.workspace.threadTiles[slot], count);
        const auto dequantize = kernels.dequantizeQ4 != nullptr ? kernels.dequantizeQ4 : scalar::dequantizeQ4;
        dequantize(q4Rows(layer, r0), q4Headers(layer, r0), in, r1 - r0, tile);
        gemm.gemmF32Weights(p.data, tile, in, p.tokens, 0, r1 - r0, 0, p.panels, layer.y + r0, out);
    } else {  // bf16 activations
        uint16_t* tile = ensure(runtime.workspace.threadTilesBf16[slot], count);
        const auto dequantize =
            kernels.dequantizeQ4Bf16 != nullptr ? kernels.dequantizeQ4Bf16 : scalar::dequantizeQ4Bf16;
        dequantize(q4Rows(layer, r0), q4Headers(layer, r0), in, r1 - r0, tile);
        gemm.gemm(p.data, tile, in, p.tokens, 0, r1 - r0, 0, p.panels, layer.y + r0, out);
    }
}

constexpr WeightPlan kQ4Plan{
    .hasMatvec = [](const MatmulKernels&, const TensorView&) { return true; },
    .prepare = q4Prepare,
    .matvec = q4Matvec,
    .arithmetic =
        [](const MatmulKernels& kernels, PrefillPrecision precision) {
            if (precision == PrefillPrecision::Int8) return PrefillArithmetic::Exact;
            return fastArithmetic(kernels, precision, true);
        },
    .panelGemm =
        [](const MatmulKernels& kernels, PrefillArithmetic arithmetic, const TensorView&) {
            if (arithmetic == PrefillArithmetic::Bf16) return &kernels.gemmBf16Activations;
            return f32Activations(kernels, kernels.gemmF32Activations.gemmF32Weights != nullptr);
        },
    .panelRows = q4PanelRows,
    .int8Rows = nullptr,
};

}  // namespace

const WeightPlan& weightPlan(DType dtype) {
    switch (dtype) {
        case DType::F32:
            return kF32Plan;
        case DType::BF16:
            return kBf16Plan;
        case DType::F16:
            return kF16Plan;
        case DType::I8:
            return kI8Plan;
        case DType::Q4K:
            return kQ4Plan;
        case DType::U8:  // raw bytes are never a bound weight (model_weights.cpp binds U8 as Q4K)
            break;
    }
    return kF32Plan;
}

}  // namespace rgemma
