// matmul_kernels.h — the SIMD kernels behind linearForward (and the blocks' element-wise math), one table per
// instruction set, chosen at run time.
// Each table lives in its own translation unit compiled with that instruction set's flags (see
// engine/src/kernels/CMakeLists.txt); only the dispatcher (matmul_kernels.cpp) asks the CPU what it supports, so one
// binary runs on any x86-64 and uses AVX2, AVX-512, AVX-512 VNNI and AVX-512 BF16 where present.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "rgemma/dtype.h"

namespace rgemma {

// Instruction-set levels, each a superset of the one before.
enum class Isa {
    Portable,    // baseline x86-64 (SSE2): Eigen on converted tiles
    Avx2,        // AVX2 + FMA
    Avx512,      // AVX-512 F, BW, VL, DQ
    Avx512Vnni,  // + AVX512_VNNI (vpdpbusd)
    Avx512Bf16,  // + AVX512_BF16 (vdpbf16ps); every CPU with it also has VNNI
};

std::string_view isaName(Isa isa);
std::optional<Isa> isaFromName(std::string_view name);

// With Int8Activations::Quantized (rgemma/runtime.h) the activations of a product with I8 weights are quantized too
// (W8A8, decode and prefill alike): per block of kI8BlockSize values, scale = max|x| / 127 and
// q = round(x · (127 / max|x|)), so x ≈ q · scale.
// q rows are padded with zeros to a multiple of kI8ActivationAlign values (a whole 64-byte vector).
inline constexpr int64_t kI8ActivationAlign = 64;
inline int64_t i8ActivationStride(int64_t in) {
    return (in + kI8ActivationAlign - 1) / kI8ActivationAlign * kI8ActivationAlign;
}

// Tokens per panel of packed activations in the prefill GEMMs.
inline constexpr int64_t kGemmPanelTokens = 32;

// A prefill GEMM on bf16 weights read in place, for one activation format. Activations are first packed into
// panels of kGemmPanelTokens tokens (zero-padded), in a layout of the kernel's own (AVX-512: [panel][k-pair][...]
// [token], so that one 64-byte load holds 16 tokens' values of one k-pair; AVX2: [panel][quad][k][4 tokens]) and of
// packedUnits' size.
struct PanelGemm {
    // 32-bit units per (k-pair, panel) in the packed activations: 64 for f32 pairs, 32 for bf16 pairs.
    int64_t unitsPerPair = 0;
    // x [tokens, in] f32 -> packed panels [panelBegin, panelEnd).
    void (*pack)(const float* x, int64_t tokens, int64_t in, int64_t panelBegin, int64_t panelEnd,
                 uint32_t* packed) = nullptr;
    // y[t, r] = Σ_i x[t, i] · W[r, i] for rows [rowBegin, rowEnd) and the tokens of panels [panelBegin, panelEnd)
    // (only t < tokens written); W row-major bf16 [rows, in]; y row-major with row stride ldy, indexed by absolute
    // row r.
    void (*gemm)(const void* packed, const uint16_t* w, int64_t in, int64_t tokens, int64_t rowBegin, int64_t rowEnd,
                 int64_t panelBegin, int64_t panelEnd, float* y, int64_t ldy) = nullptr;
    // The same on f32 weights (f32 checkpoints, dequantized I8 tiles); null where only bf16 weights are supported.
    void (*gemmF32Weights)(const void* packed, const float* w, int64_t in, int64_t tokens, int64_t rowBegin,
                           int64_t rowEnd, int64_t panelBegin, int64_t panelEnd, float* y, int64_t ldy) = nullptr;
    // The same on f16 weights, and on I8 weights with their block scales [rows, in / 32] (dequantized as
    // dtype_convert.h does), read in place; null where the table has none (f16: Eigen; I8: dequantizeI8 into a tile
    // for gemmF32Weights).
    void (*gemmF16Weights)(const void* packed, const uint16_t* w, int64_t in, int64_t tokens, int64_t rowBegin,
                           int64_t rowEnd, int64_t panelBegin, int64_t panelEnd, float* y, int64_t ldy) = nullptr;
    void (*gemmI8Weights)(const void* packed, const int8_t* w, const float* scales, int64_t in, int64_t tokens,
                          int64_t rowBegin, int64_t rowEnd, int64_t panelBegin, int64_t panelEnd, float* y,
                          int64_t ldy) = nullptr;
    // Weight rows per parallel task: a multiple of the micro-tile's rows (AVX-512 8, AVX2 24), small enough that a
    // 2B layer splits into many tasks.
    int64_t taskRows = 64;

    explicit operator bool() const { return gemm != nullptr; }
    // 32-bit units of the packed activations for `tokens` × `in`.
    std::size_t packedUnits(int64_t tokens, int64_t in) const {
        const int64_t panels = (tokens + kGemmPanelTokens - 1) / kGemmPanelTokens;
        return static_cast<std::size_t>(panels * (in + 1) / 2 * unitsPerPair);
    }
};

// A prefill GEMM on int8 activations × int8 weights (tokens > 1, PrefillPrecision::Int8 where the table has no
// bf16 products): the activations quantized per token in blocks of kI8BlockSize as for W8A8 (dtype_convert.h
// quantizeActivationsI8), I8 weights read in place, bf16 weights quantized to int8 by the same formula once per
// task. Per (token, row, block) the 32 products are summed exactly in int32, then y += dot · xScale · wScale in f32,
// block after block.
// The activations are packed into panels of kInt8PanelTokens tokens: per panel, blocks × 8 k-quads of 8 tokens'
// 4 bytes (one 256-bit load holds 8 tokens' values of 4 consecutive k), then the blocks' scales [block][token].
inline constexpr int64_t kInt8PanelTokens = 8;
struct Int8PanelGemm {
    // q [tokens, qStride] and scales [tokens, i8Blocks(in)] (quantizeActivationsI8) -> panels [panelBegin, panelEnd)
    // (tokens past the end: q and scale 0).
    void (*pack)(const int8_t* q, int64_t qStride, const float* scales, int64_t tokens, int64_t in, int64_t panelBegin,
                 int64_t panelEnd, uint32_t* packed) = nullptr;
    // bf16 rows [rows, in] -> int8 rows [rows, in] and scales [rows, i8Blocks(in)] by quantizeActivationsI8's
    // formula (the same bits).
    void (*quantizeBf16)(const uint16_t* w, int64_t in, int64_t rows, int8_t* q, float* scales) = nullptr;
    // y[t, r] = Σ_b xScale[t, b] · wScale[r, b] · Σ_{i in b} xq[t, i] · w[r, i] for rows [rowBegin, rowEnd) and the
    // tokens of panels [panelBegin, panelEnd) (only t < tokens written); w int8 row-major [rows, in] with values in
    // [-127, 127], wScales [rows, i8Blocks(in)], both indexed by absolute row r; y row stride ldy.
    void (*gemm)(const uint32_t* packed, const int8_t* w, const float* wScales, int64_t in, int64_t tokens,
                 int64_t rowBegin, int64_t rowEnd, int64_t panelBegin, int64_t panelEnd, float* y,
                 int64_t ldy) = nullptr;
    // Weight rows per parallel task (PanelGemm::taskRows): a multiple of the micro-tile's 4 rows.
    int64_t taskRows = 64;

    explicit operator bool() const { return gemm != nullptr; }
    // 32-bit units of one panel and of the packed activations for `tokens` × `in`.
    static int64_t panelUnits(int64_t in) { return i8Blocks(in) * (8 * kInt8PanelTokens + kInt8PanelTokens); }
    static std::size_t packedUnits(int64_t tokens, int64_t in) {
        return static_cast<std::size_t>((tokens + kInt8PanelTokens - 1) / kInt8PanelTokens * panelUnits(in));
    }
};

struct MatmulKernels {
    Isa isa = Isa::Portable;

    // y[r - rowBegin] = Σ_i W[r, i] · x[i] for r in [rowBegin, rowEnd); W row-major [rows, in], f32 or bf16 (the
    // high half of an f32), read in place. Accumulates in f32: bf16 weights are widened exactly. Null: use Eigen.
    void (*matvecF32)(const float* w, int64_t in, int64_t rowBegin, int64_t rowEnd, const float* x, float* y) = nullptr;
    void (*matvecBf16)(const uint16_t* w, int64_t in, int64_t rowBegin, int64_t rowEnd, const float* x,
                       float* y) = nullptr;
    // The same on I8 weights with their block scales [rows, in / 32] (rgemma/dtype.h), dequantized in registers.
    void (*matvecI8)(const int8_t* w, const float* scales, int64_t in, int64_t rowBegin, int64_t rowEnd, const float* x,
                     float* y) = nullptr;
    // The same on quantized activations: xq [i8ActivationStride(in)] (zero-padded), xScales [in / 32]; int8 dot
    // products per block (vpdpbusd), exact in int32, then × wScale · xScale in f32. Null: matvecI8 on the
    // dequantized activations (q · scale).
    void (*matvecI8Quantized)(const int8_t* w, const float* wScales, int64_t in, int64_t rowBegin, int64_t rowEnd,
                              const int8_t* xq, const float* xScales, float* y) = nullptr;
    // `tokens` rows of x [tokens, in] quantized as above: q [tokens, i8ActivationStride(in)], scales [tokens,
    // in / 32], and values = q · scale [tokens, in] (what the f32 and bf16 kernels multiply). Null: the scalar
    // version (quantizeActivationsI8 in dtype_convert.h), which gives the same bits.
    void (*quantizeActivationsI8)(const float* x, int64_t in, int64_t tokens, int8_t* q, float* scales,
                                  float* values) = nullptr;
    // I8 rows dequantized (dtype_convert.h dequantizeI8) into f32, or rounded on to bf16, for the prefill GEMMs.
    void (*dequantizeI8)(const int8_t* q, const float* scales, int64_t in, int64_t rows, float* dst) = nullptr;
    void (*dequantizeI8Bf16)(const int8_t* q, const float* scales, int64_t in, int64_t rows, uint16_t* dst) = nullptr;

    // Q4K weights (4-bit, kernels/q4_format.h). y[c · ldy + r - rowBegin] = Σ_i W[r, i] · x[c, i] for r in [rowBegin,
    // rowEnd) and c < columns (1..kQ4MaxColumns: decode of a batch reads the weights once), x prepared by
    // prepareQ4Activations (q4_scalar.h) once per product; q and headers are the whole matrix's. Nibbles unpacked
    // in registers, exact f32 products, f32 sums: the scalar reference's formula (scalar::matvecQ4) in another
    // order. Null: scalar::matvecQ4.
    void (*matvecQ4)(const uint8_t* q, const uint8_t* headers, int64_t in, int64_t rowBegin, int64_t rowEnd,
                     const float* prepared, int64_t columns, float* y, int64_t ldy) = nullptr;
    // Q4K rows (q and headers at the first row) dequantized into f32 (dequantizeQ4Rows' values), or rounded on to
    // bf16, for the prefill GEMMs, as dequantizeI8 for I8. Null: scalar::dequantizeQ4, scalar::dequantizeQ4Bf16.
    void (*dequantizeQ4)(const uint8_t* q, const uint8_t* headers, int64_t in, int64_t rows, float* dst) = nullptr;
    void (*dequantizeQ4Bf16)(const uint8_t* q, const uint8_t* headers, int64_t in, int64_t rows,
                             uint16_t* dst) = nullptr;

    // y[t, j] = Σ_i x[t, i] · W[i, j] for t < tokens, j < cols: "x @ W" with W stored row-major [in, cols] (the
    // RG-LRU's block-diagonal gates), f32 or bf16; x and y row-major with strides ldx, ldy. Null: use Eigen.
    void (*matmulInOutF32)(const float* w, int64_t in, int64_t cols, const float* x, int64_t ldx, int64_t tokens,
                           float* y, int64_t ldy) = nullptr;
    void (*matmulInOutBf16)(const uint16_t* w, int64_t in, int64_t cols, const float* x, int64_t ldx, int64_t tokens,
                            float* y, int64_t ldy) = nullptr;

    // Prefill on bf16 weights with f32 activations (FMA on exactly widened weights: f32 results).
    PanelGemm gemmF32Activations{};
    // Prefill on bf16 weights with activations rounded to bf16 (vdpbf16ps: twice the rate, PyTorch's bf16 numerics).
    PanelGemm gemmBf16Activations{};
    // Prefill with int8 activations and weights (vpmaddubsw on AVX2, vpdpbusd on AVX-VNNI): PrefillPrecision::Int8
    // where gemmBf16Activations is null.
    Int8PanelGemm gemmInt8Activations{};

    // Element-wise math and short vector products of the blocks; null at the portable level (ops.h's scalar
    // functions then run). Within a few f32 ulps of the scalar versions.
    // x[i] = gelu_tanh(x[i]) · mul[i] (mul may be null: × 1), ref: torch/modules.py gelu.
    void (*geluTanh)(float* x, const float* mul, int64_t n) = nullptr;
    void (*sigmoid)(float* x, int64_t n) = nullptr;                        // x[i] = 1 / (1 + e^-x[i])
    float (*dot)(const float* a, const float* b, int64_t n) = nullptr;     // Σ a[i] b[i]
    void (*axpy)(float a, const float* x, float* y, int64_t n) = nullptr;  // y[i] += a x[i]

    // For measuring the machine: `iterations` × kDotPeakFlopsPerIteration FLOPs of independent vdpbf16ps on
    // registers (no memory traffic); returns a value derived from the results so the loop is not optimized away.
    float (*bf16DotPeakLoop)(int64_t iterations) = nullptr;
};

inline constexpr int64_t kDotPeakFlopsPerIteration = 12 * 64;  // 12 vdpbf16ps × 16 lanes × 2 pairs × 2 FLOP

// The best level this CPU supports, lowered by the environment variable RGEMMA_ISA (portable, avx2, avx512,
// avx512vnni, avx512bf16) when set to a supported level — for comparing paths in one binary. What RGEMMA_ISA asked
// for, and why it was not followed, are public: requestedIsa() and isaRequestProblem() in rgemma/machine.h.
Isa defaultIsa();
// Whether this CPU (and OS) can run `isa`.
bool isaSupported(Isa isa);
// Whether this CPU has AVX-VNNI (vpdpbusd on 256-bit registers, CPUID leaf 7 subleaf 1 EAX bit 4) besides AVX2:
// the AVX2 table then takes its int8 prefill GEMM.
bool avxVnniSupported();
// The table of `isa`, which must be supported.
const MatmulKernels& matmulKernels(Isa isa);

// The per-level tables, each defined in its own translation unit.
const MatmulKernels& avx2Kernels();
const MatmulKernels& avx512Kernels();
const MatmulKernels& avx512VnniKernels();
const MatmulKernels& avx512Bf16Kernels();

}  // namespace rgemma
