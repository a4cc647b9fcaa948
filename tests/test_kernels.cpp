// test_kernels.cpp — every kernel level (portable, AVX2, AVX-512, AVX-512 VNNI, AVX-512 BF16), forced through the
// dispatcher, one data row each (skipped, with the reason, where this CPU cannot run it), against scalar
// double-precision versions: decode matvecs and prefill GEMMs (f32, bf16, int8 weights), block-diagonal gates and
// the element-wise ops on odd sizes, unaligned weight rows and inputs, row and token tails, with and without bias;
// and the machine-peak loops against their closed forms.
//
// The engine's internal headers include oneTBB, which must come before Qt defines its `emit` macro.
#include "checkpoint/model_weights.h"
#include "io/dtype_convert.h"
#include "kernels/kernels_avx2.h"
#include "kernels/matmul_kernels.h"
#include "kernels/peak_loops.h"
#include "layers/linear.h"
#include "layers/ops.h"
#include "rgemma/runtime.h"
#include "runtime/runtime_impl.h"

// Qt after oneTBB.
#include <QtTest>
#include <cmath>
#include <cstring>
#include <random>
#include <vector>

using namespace rgemma;

Q_DECLARE_METATYPE(rgemma::Isa)

namespace {

std::vector<float> randomVector(std::size_t n, unsigned seed) {
    std::mt19937 random(seed);
    std::normal_distribution<float> normal(0.0f, 1.0f);
    std::vector<float> v(n);
    for (float& x : v) x = normal(random);
    return v;
}

constexpr Isa kAllLevels[] = {Isa::Portable, Isa::Avx2, Isa::Avx512, Isa::Avx512Vnni, Isa::Avx512Bf16};

std::vector<Isa> supportedLevels() {
    std::vector<Isa> levels;
    for (Isa isa : kAllLevels) {
        if (isaSupported(isa)) levels.push_back(isa);
    }
    return levels;
}

// One data row per level, every level: a test skips (QSKIP, counted) the ones this CPU cannot run, rather than
// passing them silently.
void addLevelRows() {
    QTest::addColumn<Isa>("isa");
    for (Isa isa : kAllLevels) QTest::newRow(isaName(isa).data()) << isa;
}

const char* missingReason(Isa isa) {
    switch (isa) {
        case Isa::Portable:
            return "";
        case Isa::Avx2:
            return "this CPU has no AVX2 + FMA";
        case Isa::Avx512:
            return "this CPU has no AVX-512 (F, BW, VL, DQ)";
        case Isa::Avx512Vnni:
            return "this CPU has no AVX-512 VNNI";
        case Isa::Avx512Bf16:
            return "this CPU has no AVX-512 BF16";
    }
    return "unknown level";
}

// The scalar model of an int8 peak chain (peak_loops.h): acc += the sum of acc's own four bytes, n times from
// `start`, in wrapping 32-bit arithmetic.
int32_t int8PeakChain(int32_t start, int64_t n) {
    uint32_t acc = static_cast<uint32_t>(start);
    for (int64_t i = 0; i < n; ++i) acc += (acc & 0xFF) + (acc >> 8 & 0xFF) + (acc >> 16 & 0xFF) + (acc >> 24);
    return static_cast<int32_t>(acc);
}

float roundToBf16(float v) { return bf16ToFloat(floatToBf16(v)); }

// Scalar y[t, o] = Σ x[t, i] W[o, i] + b[o] in double, on the values as stored.
std::vector<double> scalarProduct(const std::vector<float>& w, const std::vector<float>& b, const std::vector<float>& x,
                                  int64_t tokens, int64_t out, int64_t in) {
    std::vector<double> y(static_cast<std::size_t>(tokens * out));
    for (int64_t t = 0; t < tokens; ++t) {
        for (int64_t o = 0; o < out; ++o) {
            double sum = b.empty() ? 0.0 : b[o];
            for (int64_t i = 0; i < in; ++i) sum += double(x[t * in + i]) * w[o * in + i];
            y[t * out + o] = sum;
        }
    }
    return y;
}

// Worst |y - expected| relative to the scale of the terms (Σ|x||w|), so long rows get the same bar as short ones.
double worstRelativeError(const float* y, const std::vector<double>& expected, const std::vector<float>& w,
                          const std::vector<float>& x, int64_t tokens, int64_t out, int64_t in) {
    double worst = 0;
    for (int64_t t = 0; t < tokens; ++t) {
        for (int64_t o = 0; o < out; ++o) {
            double scale = 1e-30;
            for (int64_t i = 0; i < in; ++i) scale += std::fabs(double(x[t * in + i]) * w[o * in + i]);
            const double error = std::fabs(y[t * out + o] - expected[t * out + o]) / scale;
            if (!(error <= worst)) worst = error;  // NaN is the worst
        }
    }
    return worst;
}

// A weight matrix stored at an odd element offset inside its buffer, so rows start unaligned.
struct Weights {
    std::vector<float> values;   // as the kernels see them (bf16-rounded for bf16, dequantized for I8)
    std::vector<uint16_t> bf16;  // bf16 or f16 bits
    std::vector<float> f32;
    std::vector<int8_t> i8;
    std::vector<float> scales;  // I8 block scales [out, in / 32]
    TensorView view;
};

Weights makeWeights(int64_t out, int64_t in, DType dtype, unsigned seed) {
    Weights w;
    w.values = randomVector(static_cast<std::size_t>(out * in), seed);
    w.view = TensorView{std::string("w"), dtype, {out, in}, nullptr, 0};
    if (dtype == DType::BF16) {
        w.bf16.assign(1, 0);
        for (float& v : w.values) {
            w.bf16.push_back(floatToBf16(v));
            v = bf16ToFloat(w.bf16.back());
        }
        w.view.data = w.bf16.data() + 1;
        w.view.byteSize = w.values.size() * 2;
    } else if (dtype == DType::I8) {
        // Absmax scales per block of 32, as quantize.cpp writes them.
        const int64_t blocks = i8Blocks(in);
        w.i8.assign(1, 0);
        w.scales.assign(static_cast<std::size_t>(out * blocks), 0.0f);
        for (int64_t r = 0; r < out; ++r) {
            for (int64_t b = 0; b < blocks; ++b) {
                float absMax = 0;
                for (int64_t i = b * 32; i < std::min(in, b * 32 + 32); ++i) {
                    absMax = std::max(absMax, std::fabs(w.values[r * in + i]));
                }
                w.scales[r * blocks + b] = absMax / 127.0f;
            }
            for (int64_t i = 0; i < in; ++i) {
                const float scale = w.scales[r * blocks + i / 32];
                w.i8.push_back(static_cast<int8_t>(std::nearbyint(w.values[r * in + i] / scale)));
                w.values[r * in + i] = static_cast<float>(w.i8.back()) * scale;
            }
        }
        w.view.data = w.i8.data() + 1;
        w.view.byteSize = w.values.size();
    } else if (dtype == DType::F16) {
        w.bf16.assign(1, 0);  // the f16 bits
        for (float& v : w.values) {
            w.bf16.push_back(floatToF16(v));
            v = f16ToFloat(w.bf16.back());
        }
        w.view.data = w.bf16.data() + 1;
        w.view.byteSize = w.values.size() * 2;
    } else {
        w.f32.assign(1, 0.0f);
        w.f32.insert(w.f32.end(), w.values.begin(), w.values.end());
        w.view.data = w.f32.data() + 1;
        w.view.byteSize = w.values.size() * 4;
    }
    return w;
}

// Activations quantized by the scalar reference (dtype_convert.h), as q [tokens, stride], scales and values.
struct Quantized {
    int64_t stride;
    std::vector<int8_t> q;
    std::vector<float> scales, values;
};

Quantized quantizeScalar(const std::vector<float>& x, int64_t tokens, int64_t in) {
    Quantized a{i8ActivationStride(in), {}, {}, {}};
    a.q.assign(static_cast<std::size_t>(tokens * a.stride), 1);
    a.scales.assign(static_cast<std::size_t>(tokens * i8Blocks(in)), NAN);
    a.values.assign(x.size(), NAN);
    quantizeActivationsI8(x.data(), in, tokens, a.stride, a.q.data(), a.scales.data(), a.values.data());
    return a;
}

std::vector<float> quantizedValues(const std::vector<float>& x, int64_t tokens, int64_t in) {
    return quantizeScalar(x, tokens, in).values;
}

// linearForward on random weights of `dtype` against the scalar product of the numbers the configuration
// multiplies: activations quantized per 32 for I8 with Int8Activations::Quantized (W8A8), then rounded to bf16 with
// the weights where the fast prefill applies; the kernels compute those products exactly up to f32 sums.
void checkLinear(Runtime& runtime, Isa isa, PrefillPrecision precision, Int8Activations activations,
                 bool bf16Activations, int64_t tokens, int64_t out, int64_t in, DType dtype) {
    const Weights w = makeWeights(out, in, dtype, unsigned(out * in));
    const auto bias = randomVector(static_cast<std::size_t>(out), 3);
    const auto x = randomVector(static_cast<std::size_t>(tokens * in), 5);
    std::vector<float> y(static_cast<std::size_t>(tokens * out), NAN);
    runtime.impl().arena.execute(
        [&] { linearForward(runtime.impl(), w.view, bias, x.data(), tokens, y.data(), w.scales); });
    auto seen = activations == Int8Activations::Quantized ? quantizedValues(x, tokens, in) : x;
    auto weights = w.values;
    if (bf16Activations && (dtype == DType::BF16 || dtype == DType::I8) && tokens > 1) {
        for (float& v : seen) v = roundToBf16(v);
        for (float& v : weights) v = roundToBf16(v);
    }
    const auto expected = scalarProduct(weights, bias, seen, tokens, out, in);
    const double error = worstRelativeError(y.data(), expected, weights, seen, tokens, out, in);
    QVERIFY2(error < 1e-5, qPrintable(QString("%1 %2%3 tokens=%4 out=%5 in=%6 dtype=%7: %8")
                                          .arg(isaName(isa).data())
                                          .arg(precision == PrefillPrecision::Fast ? "fast" : "exact")
                                          .arg(activations == Int8Activations::Quantized ? " w8a8" : "")
                                          .arg(tokens)
                                          .arg(out)
                                          .arg(in)
                                          .arg(dtypeName(dtype).data())
                                          .arg(error)));
}

// The int8 prefill GEMM (Int8PanelGemm) on random weights of `dtype` (bf16 quantized by the scalar formula, I8 as
// stored) against the scalar sum of the same integers and scales, exact in int32 per block: called directly on a
// middle range of rows (nothing outside written), and through linearForward with PrefillPrecision::Int8 when
// `viaLinear`.
void checkInt8Prefill(const Int8PanelGemm& kernel, const char* name, int64_t tokens, int64_t out, int64_t in,
                      DType dtype, const MatmulKernels* viaLinear) {
    const QString where =
        QString("%1 tokens=%2 out=%3 in=%4 %5").arg(name).arg(tokens).arg(out).arg(in).arg(dtypeName(dtype).data());
    const int64_t blocks = i8Blocks(in);
    const Weights w = makeWeights(out, in, dtype, unsigned(out * in + 7));
    std::vector<int8_t> wq(static_cast<std::size_t>(out * in));
    std::vector<float> wScales(static_cast<std::size_t>(out * blocks));
    if (dtype == DType::I8) {
        std::copy(w.i8.begin() + 1, w.i8.end(), wq.begin());
        wScales = w.scales;
    } else {
        // The scalar reference of the weight quantizer is the activations' one (same formula); the kernel's bits
        // must equal it.
        std::vector<float> unused(wq.size());
        quantizeActivationsI8(w.values.data(), in, out, in, wq.data(), wScales.data(), unused.data());
        std::vector<int8_t> gotQ(wq.size(), 1);
        std::vector<float> gotScales(wScales.size(), NAN);
        kernel.quantizeBf16(static_cast<const uint16_t*>(w.view.data), in, out, gotQ.data(), gotScales.data());
        QVERIFY2(gotQ == wq, qPrintable(where + " quantized weights"));
        QVERIFY2(std::memcmp(gotScales.data(), wScales.data(), wScales.size() * 4) == 0,
                 qPrintable(where + " weight scales"));
    }
    const auto x = randomVector(static_cast<std::size_t>(tokens * in), unsigned(tokens + in));
    const Quantized a = quantizeScalar(x, tokens, in);
    // Σ_b float(xScale · wScale) · Σ_i xq · wq in double, and the scale of its terms.
    const auto expected = [&](int64_t t, int64_t r, double& magnitude) {
        double sum = 0;
        magnitude = 1e-30;
        for (int64_t b = 0; b < blocks; ++b) {
            int64_t dot = 0, absDot = 0;
            for (int64_t i = b * 32; i < std::min(in, b * 32 + 32); ++i) {
                dot += int64_t{a.q[t * a.stride + i]} * wq[r * in + i];
                absDot += std::abs(int64_t{a.q[t * a.stride + i]} * wq[r * in + i]);
            }
            const float scale = a.scales[t * blocks + b] * wScales[r * blocks + b];
            sum += double(dot) * scale;
            magnitude += double(absDot) * scale;
        }
        return sum;
    };
    const int64_t panels = (tokens + kInt8PanelTokens - 1) / kInt8PanelTokens;
    std::vector<uint32_t> packed(Int8PanelGemm::packedUnits(tokens, in), 0xFFFFFFFFu);
    kernel.pack(a.q.data(), a.stride, a.scales.data(), tokens, in, 0, panels, packed.data());
    const int64_t begin = out > 2 ? 1 : 0, end = out > 2 ? out - 1 : out;  // a middle range: row tails of 4
    std::vector<float> y(static_cast<std::size_t>(tokens * out), NAN);
    kernel.gemm(packed.data(), wq.data(), wScales.data(), in, tokens, begin, end, 0, panels, y.data(), out);
    for (int64_t t = 0; t < tokens; ++t) {
        for (int64_t r = 0; r < out; ++r) {
            const bool inside = r >= begin && r < end;
            const float got = y[t * out + r];
            QVERIFY2(inside != std::isnan(got), qPrintable(where + QString(" wrote outside t=%1 r=%2").arg(t).arg(r)));
            if (!inside) continue;
            double magnitude = 0;
            const double want = expected(t, r, magnitude);
            QVERIFY2(std::fabs(got - want) <= 1e-6 * magnitude,
                     qPrintable(where + QString(" t=%1 r=%2: %3 vs %4").arg(t).arg(r).arg(got).arg(want)));
        }
    }
    if (viaLinear == nullptr) return;
    Runtime runtime(2);
    runtime.impl().kernels = viaLinear;
    runtime.setPrefillPrecision(PrefillPrecision::Int8);
    const auto bias = randomVector(static_cast<std::size_t>(out), 3);
    std::vector<float> z(static_cast<std::size_t>(tokens * out), NAN);
    runtime.impl().arena.execute(
        [&] { linearForward(runtime.impl(), w.view, bias, x.data(), tokens, z.data(), w.scales); });
    for (int64_t t = 0; t < tokens; ++t) {
        for (int64_t r = 0; r < out; ++r) {
            double magnitude = 0;
            const double want = expected(t, r, magnitude) + bias[r];
            QVERIFY2(std::fabs(z[t * out + r] - want) <= 1e-6 * (magnitude + std::fabs(bias[r])),
                     qPrintable(where + QString(" linearForward t=%1 r=%2").arg(t).arg(r)));
        }
    }
}

// Token counts around the 8-token panel, rows around the 4-row micro-tile and the 64-row task, `in` with k-quad and
// block tails.
void checkInt8PrefillShapes(const Int8PanelGemm& kernel, const char* name, const MatmulKernels* viaLinear) {
    struct Shape {
        int64_t tokens, out, in;
    };
    const Shape shapes[] = {{2, 5, 7},     {9, 13, 33},   {8, 4, 32},     {17, 9, 64},
                            {33, 67, 129}, {7, 70, 1100}, {70, 130, 258}, {3, 1, 1}};
    for (const Shape& s : shapes) {
        for (DType dtype : {DType::BF16, DType::I8}) {
            checkInt8Prefill(kernel, name, s.tokens, s.out, s.in, dtype, viaLinear);
            if (QTest::currentTestFailed()) return;
        }
    }
}

}  // namespace

class TestKernels : public QObject {
    Q_OBJECT

  private slots:
    void dispatcherPicksASupportedLevel() {
        QVERIFY(isaSupported(Isa::Portable));
        QVERIFY(isaSupported(defaultIsa()));
        QCOMPARE(matmulKernels(defaultIsa()).isa, defaultIsa());
        for (Isa isa : supportedLevels()) QCOMPARE(isaFromName(isaName(isa)), std::optional<Isa>(isa));
        qInfo("levels on this CPU: %d, default %s", int(supportedLevels().size()), isaName(defaultIsa()).data());
    }

    void matvecKernelsMatchScalar_data() { addLevelRows(); }
    // The raw matvec entry points on a row range that starts mid-matrix, from an unaligned x.
    void matvecKernelsMatchScalar() {
        QFETCH(Isa, isa);
        if (!isaSupported(isa)) QSKIP(missingReason(isa));
        const MatmulKernels& kernels = matmulKernels(isa);
        if (kernels.matvecF32 == nullptr) QSKIP("no matvec kernels at this level: Eigen runs decode");
        for (int64_t in : {1, 7, 15, 16, 17, 31, 33, 100, 257}) {
            for (DType dtype : {DType::F32, DType::BF16, DType::I8}) {
                const int64_t out = 13;
                const Weights w = makeWeights(out, in, dtype, unsigned(in));
                std::vector<float> xBuffer = randomVector(static_cast<std::size_t>(in + 1), 7);
                const std::vector<float> x(xBuffer.begin() + 1, xBuffer.end());
                std::vector<float> y(out, NAN);
                const int64_t begin = 2, end = 11;  // 9 rows: two groups of four and a single row
                if (dtype == DType::BF16) {
                    kernels.matvecBf16(static_cast<const uint16_t*>(w.view.data), in, begin, end, xBuffer.data() + 1,
                                       y.data() + begin);
                } else if (dtype == DType::I8) {
                    kernels.matvecI8(static_cast<const int8_t*>(w.view.data), w.scales.data(), in, begin, end,
                                     xBuffer.data() + 1, y.data() + begin);
                } else {
                    kernels.matvecF32(static_cast<const float*>(w.view.data), in, begin, end, xBuffer.data() + 1,
                                      y.data() + begin);
                }
                const auto expected = scalarProduct(w.values, {}, x, 1, out, in);
                for (int64_t r = 0; r < out; ++r) {
                    const bool inRange = r >= begin && r < end;
                    QVERIFY2(inRange != std::isnan(y[r]), "wrote outside its row range");
                    if (!inRange) continue;
                    double scale = 1e-30;
                    for (int64_t i = 0; i < in; ++i) scale += std::fabs(double(x[i]) * w.values[r * in + i]);
                    QVERIFY2(std::fabs(y[r] - expected[r]) / scale < 1e-6,
                             qPrintable(QString("%1 in=%2 row %3").arg(isaName(isa).data()).arg(in).arg(r)));
                }
            }
        }
    }

    void quantizedActivationsMatchScalar_data() { addLevelRows(); }
    // The SIMD activation quantizers give the scalar reference's bits: q, its zero padding, scales and values, on
    // rows with tails, an all-zero block and an unaligned x.
    void quantizedActivationsMatchScalar() {
        QFETCH(Isa, isa);
        if (!isaSupported(isa)) QSKIP(missingReason(isa));
        const MatmulKernels& kernels = matmulKernels(isa);
        if (kernels.quantizeActivationsI8 == nullptr) QSKIP("no SIMD activation quantizer at this level");
        for (int64_t in : {1, 7, 31, 32, 33, 100, 257}) {
            const int64_t tokens = 3;
            std::vector<float> xBuffer = randomVector(static_cast<std::size_t>(tokens * in + 1), unsigned(in));
            for (int64_t i = 0; i < std::min<int64_t>(in, 32); ++i) xBuffer[1 + i] = 0.0f;  // token 0, block 0
            const std::vector<float> x(xBuffer.begin() + 1, xBuffer.end());
            const Quantized expected = quantizeScalar(x, tokens, in);
            Quantized got{expected.stride, std::vector<int8_t>(expected.q.size(), 1),
                          std::vector<float>(expected.scales.size(), NAN),
                          std::vector<float>(expected.values.size(), NAN)};
            kernels.quantizeActivationsI8(xBuffer.data() + 1, in, tokens, got.q.data(), got.scales.data(),
                                          got.values.data());
            const QString where = QString("%1 in=%2").arg(isaName(isa).data()).arg(in);
            QVERIFY2(got.q == expected.q, qPrintable(where + " q"));
            QVERIFY2(std::memcmp(got.scales.data(), expected.scales.data(), got.scales.size() * 4) == 0,
                     qPrintable(where + " scales"));
            QVERIFY2(std::memcmp(got.values.data(), expected.values.data(), got.values.size() * 4) == 0,
                     qPrintable(where + " values"));
        }
    }

    void matvecI8QuantizedMatchesScalar_data() { addLevelRows(); }
    // The int8 × int8 matvec (W8A8) on a row range that starts mid-matrix, unaligned weights and activations: (a)
    // against the scalar sum of the same integers and scales, where only the f32 accumulation differs; (b) against
    // the f32 product on the unquantized x, within the bound the activation rounding allows: |x - q·s| <= s / 2 per
    // value, so the error of a row is at most Σ_i |W[r, i]| · s(i) / 2.
    void matvecI8QuantizedMatchesScalar() {
        QFETCH(Isa, isa);
        if (!isaSupported(isa)) QSKIP(missingReason(isa));
        const MatmulKernels& kernels = matmulKernels(isa);
        if (kernels.matvecI8Quantized == nullptr) QSKIP("no int8 × int8 matvec at this level");
        for (int64_t in : {1, 7, 31, 33, 64, 100, 257, 511, 513, 1100}) {
            const int64_t out = 13, blocks = i8Blocks(in);
            const Weights w = makeWeights(out, in, DType::I8, unsigned(in) + 100);
            const auto x = randomVector(static_cast<std::size_t>(in), unsigned(in) + 200);
            const Quantized a = quantizeScalar(x, 1, in);
            std::vector<int8_t> qBuffer(a.q.size() + 1);
            std::copy(a.q.begin(), a.q.end(), qBuffer.begin() + 1);
            std::vector<float> y(out, NAN);
            const int64_t begin = 2, end = 11;  // 9 rows: two groups of four and a single row
            kernels.matvecI8Quantized(static_cast<const int8_t*>(w.view.data), w.scales.data(), in, begin, end,
                                      qBuffer.data() + 1, a.scales.data(), y.data() + begin);
            const auto* q = static_cast<const int8_t*>(w.view.data);
            for (int64_t r = 0; r < out; ++r) {
                const bool inRange = r >= begin && r < end;
                QVERIFY2(inRange != std::isnan(y[r]), "wrote outside its row range");
                if (!inRange) continue;
                double sum = 0, scale = 1e-30, f32 = 0, bound = 0;
                for (int64_t b = 0; b < blocks; ++b) {
                    int64_t dot = 0;
                    for (int64_t i = b * 32; i < std::min(in, b * 32 + 32); ++i) {
                        dot += int64_t{q[r * in + i]} * a.q[i];
                        scale += std::fabs(double(q[r * in + i]) * a.q[i]) * w.scales[r * blocks + b] * a.scales[b];
                        f32 += double(x[i]) * w.values[r * in + i];
                        bound += std::fabs(double(w.values[r * in + i])) * a.scales[b] / 2;
                    }
                    sum += double(dot) * w.scales[r * blocks + b] * a.scales[b];
                }
                const QString where = QString("%1 in=%2 row %3").arg(isaName(isa).data()).arg(in).arg(r);
                QVERIFY2(std::fabs(y[r] - sum) / scale < 1e-6, qPrintable(where));
                QVERIFY2(std::fabs(y[r] - f32) <= bound * (1 + 1e-4) + 1e-6 * scale, qPrintable(where + " vs f32"));
            }
        }
    }

    void linearForwardAtEveryLevel_data() { addLevelRows(); }
    // linearForward at every level and both prefill precisions: decode and prefill, token counts around the
    // 32-token panel, rows around the 8-row micro-tile and the 64-row task, odd and even `in`.
    void linearForwardAtEveryLevel() {
        struct Shape {
            int64_t tokens, out, in;
        };
        // AVX2 tiles: 24 rows × 4 tokens in tasks of 48 rows, k-blocks of 256.
        const Shape shapes[] = {{1, 13, 33},     {2, 9, 17}, {31, 70, 40}, {33, 67, 129},
                                {70, 130, 1100}, {5, 3, 1},  {4, 49, 256}, {7, 25, 257}};
        QFETCH(Isa, isa);
        if (!isaSupported(isa)) QSKIP(missingReason(isa));
        for (PrefillPrecision precision : {PrefillPrecision::Exact, PrefillPrecision::Fast}) {
            Runtime runtime(2);
            runtime.impl().kernels = &matmulKernels(isa);
            runtime.setPrefillPrecision(precision);
            const bool bf16Activations =
                precision == PrefillPrecision::Fast && runtime.impl().kernels->gemmBf16Activations;
            for (const Shape& s : shapes) {
                for (DType dtype : {DType::F32, DType::BF16, DType::I8, DType::F16}) {
                    for (Int8Activations activations : {Int8Activations::Float, Int8Activations::Quantized}) {
                        if (activations == Int8Activations::Quantized && dtype != DType::I8) continue;
                        runtime.setInt8Activations(activations);
                        checkLinear(runtime, isa, precision, activations, bf16Activations, s.tokens, s.out, s.in,
                                    dtype);
                        if (QTest::currentTestFailed()) return;
                    }
                }
            }
        }
    }

    void sharedInputEqualsSeparateCalls_data() { addLevelRows(); }
    // Layers sharing one input (q, k, v): one call equals each layer on its own, bit for bit, at every level,
    // precision and dtype, for decode and prefill; and layers of different dtypes (which take different paths)
    // still each get their own product.
    void sharedInputEqualsSeparateCalls() {
        const int64_t in = 129;
        QFETCH(Isa, isa);
        if (!isaSupported(isa)) QSKIP(missingReason(isa));
        for (PrefillPrecision precision : {PrefillPrecision::Exact, PrefillPrecision::Fast, PrefillPrecision::Int8}) {
            Runtime runtime(2);
            runtime.impl().kernels = &matmulKernels(isa);
            runtime.setPrefillPrecision(precision);
            for (int64_t tokens : {1, 33}) {
                const auto x = randomVector(static_cast<std::size_t>(tokens * in), 8);
                for (DType mixed : {DType::F32, DType::BF16, DType::I8}) {
                    // Rows around the 64-row task; the last layer's dtype varies.
                    const int64_t outs[] = {70, 9, 130};
                    std::vector<LinearWeights> layers;
                    std::vector<Weights> owners;
                    for (int j = 0; j < 3; ++j) {
                        owners.push_back(makeWeights(outs[j], in, j == 2 ? mixed : DType::BF16, unsigned(40 + j)));
                    }
                    for (int j = 0; j < 3; ++j) {
                        const auto bias = randomVector(static_cast<std::size_t>(outs[j]), unsigned(50 + j));
                        layers.push_back(LinearWeights{owners[j].view, bias, owners[j].scales});
                    }
                    std::vector<std::vector<float>> shared(3), separate(3);
                    for (int j = 0; j < 3; ++j) {
                        shared[j].assign(static_cast<std::size_t>(tokens * outs[j]), NAN);
                        separate[j] = shared[j];
                    }
                    runtime.impl().arena.execute([&] {
                        linearForward(runtime.impl(),
                                      {{layers[0], shared[0].data()},
                                       {layers[1], shared[1].data()},
                                       {layers[2], shared[2].data()}},
                                      x.data(), tokens);
                        for (int j = 0; j < 3; ++j) {
                            linearForward(runtime.impl(), layers[j], x.data(), tokens, separate[j].data());
                        }
                    });
                    for (int j = 0; j < 3; ++j) {
                        QVERIFY2(std::memcmp(shared[j].data(), separate[j].data(), shared[j].size() * 4) == 0,
                                 qPrintable(QString("%1 tokens=%2 layer %3 (last %4)")
                                                .arg(isaName(isa).data())
                                                .arg(tokens)
                                                .arg(j)
                                                .arg(dtypeName(mixed).data())));
                    }
                }
            }
        }
    }

    void blockDiagonalAtEveryLevel_data() { addLevelRows(); }
    // blockDiagonalForward (x @ W[h] per head, W stored [in, out]) at every level against the scalar product: head
    // widths around the 32-column strip (AVX-512) and the 16- and 64-column strips and 8-column vectors (AVX2), token
    // counts around the 8-token (AVX-512) and 6-token (AVX2) groups, both dtypes.
    void blockDiagonalAtEveryLevel() {
        QFETCH(Isa, isa);
        if (!isaSupported(isa)) QSKIP(missingReason(isa));
        Runtime runtime(2);
        runtime.impl().kernels = &matmulKernels(isa);
        for (int64_t width : {1, 8, 16, 33, 70, 90}) {
            for (int64_t tokens : {1, 7, 9, 70}) {
                for (DType dtype : {DType::F32, DType::BF16}) {
                    const int64_t heads = 3, total = heads * width;
                    // [H, bw, bw] viewed as H·bw rows of bw: makeWeights' rows are W[h][i].
                    Weights w = makeWeights(heads * width, width, dtype, unsigned(width * tokens));
                    w.view.shape = {heads, width, width};
                    const auto bias = randomVector(std::size_t(total), 4);
                    const auto x = randomVector(std::size_t(tokens * total), 6);
                    std::vector<float> y(std::size_t(tokens * total), NAN);
                    runtime.impl().arena.execute(
                        [&] { blockDiagonalForward(runtime.impl(), w.view, bias, x.data(), tokens, y.data()); });
                    for (int64_t t = 0; t < tokens; ++t) {
                        for (int64_t h = 0; h < heads; ++h) {
                            for (int64_t j = 0; j < width; ++j) {
                                double sum = bias[h * width + j], scale = 1e-30;
                                for (int64_t i = 0; i < width; ++i) {
                                    const double term =
                                        double(x[t * total + h * width + i]) * w.values[(h * width + i) * width + j];
                                    sum += term;
                                    scale += std::fabs(term);
                                }
                                const double error = std::fabs(y[t * total + h * width + j] - sum) / scale;
                                QVERIFY2(error < 1e-5, qPrintable(QString("%1 width=%2 tokens=%3 t=%4 h=%5 j=%6")
                                                                      .arg(isaName(isa).data())
                                                                      .arg(width)
                                                                      .arg(tokens)
                                                                      .arg(t)
                                                                      .arg(h)
                                                                      .arg(j)));
                            }
                        }
                    }
                }
            }
        }
    }

    // The SIMD I8 dequantizers give the scalar reference's bits (dtype_convert.h dequantizeI8; for bf16 that value
    // rounded to nearest even), on rows with tails of every length mod 8 and unaligned q.
    void dequantizeMatchesScalar() {
        for (Isa isa : supportedLevels()) {
            const MatmulKernels& kernels = matmulKernels(isa);
            if (kernels.dequantizeI8 == nullptr) continue;
            for (int64_t in : {1, 7, 8, 9, 31, 33, 100, 257}) {
                const int64_t rows = 3;
                const Weights w = makeWeights(rows, in, DType::I8, unsigned(in) + 300);
                const auto* q = static_cast<const int8_t*>(w.view.data);
                const auto count = static_cast<std::size_t>(rows * in);
                std::vector<float> expected(count), f32(count + 1, NAN);
                dequantizeI8(q, w.scales.data(), in, rows, expected.data());
                kernels.dequantizeI8(q, w.scales.data(), in, rows, f32.data());
                const QString where = QString("%1 in=%2").arg(isaName(isa).data()).arg(in);
                QVERIFY2(std::memcmp(f32.data(), expected.data(), count * 4) == 0, qPrintable(where + " f32"));
                QVERIFY2(std::isnan(f32[count]), qPrintable(where + " f32 wrote past the end"));
                std::vector<uint16_t> bf16(count + 1, 0xFFFF);
                kernels.dequantizeI8Bf16(q, w.scales.data(), in, rows, bf16.data());
                for (std::size_t i = 0; i < count; ++i) {
                    QVERIFY2(bf16[i] == floatToBf16(expected[i]), qPrintable(where + QString(" bf16 at %1").arg(i)));
                }
                QVERIFY2(bf16[count] == 0xFFFF, qPrintable(where + " bf16 wrote past the end"));
            }
        }
    }

    // The RG-LRU scan run in channel slices (as the recurrent block runs it in parallel) equals the whole scan.
    void scanInChannelSlicesEqualsWholeScan() {
        const int64_t tokens = 5, lru = 150;
        const auto aParam = randomVector(std::size_t(lru), 20);
        auto gx = randomVector(std::size_t(tokens * lru), 21), ga = randomVector(std::size_t(tokens * lru), 22);
        for (float& v : gx) v = sigmoid(v);
        for (float& v : ga) v = sigmoid(v);
        for (int64_t first : {0, 3}) {
            auto hWhole = randomVector(std::size_t(lru), 23), hSliced = hWhole;
            auto uWhole = randomVector(std::size_t(tokens * lru), 24), uSliced = uWhole;
            rgLruScan(aParam, gx.data(), ga.data(), first, tokens, lru, hWhole.data(), uWhole.data());
            for (int64_t c = 0; c < lru; c += 37) {
                rgLruScanChannels(aParam, gx.data(), ga.data(), first, tokens, lru, hSliced.data(), uSliced.data(), c,
                                  std::min(lru, c + 37));
            }
            QCOMPARE(hSliced, hWhole);
            QCOMPARE(uSliced, uWhole);
        }
    }

    void panelGemmWritesOnlyItsTile_data() { addLevelRows(); }
    // The packed-panel GEMMs called directly on a middle range of rows and panels: nothing outside is written.
    void panelGemmWritesOnlyItsTile() {
        QFETCH(Isa, isa);
        if (!isaSupported(isa)) QSKIP(missingReason(isa));
        const MatmulKernels& kernels = matmulKernels(isa);
        if (!kernels.gemmF32Activations && !kernels.gemmBf16Activations) QSKIP("no panel GEMM at this level: Eigen");
        for (const PanelGemm* gemm : {&kernels.gemmF32Activations, &kernels.gemmBf16Activations}) {
            if (!*gemm) continue;
            const int64_t tokens = 100, out = 40, in = 23;  // panels 0..3, the last partial
            const Weights w = makeWeights(out, in, DType::BF16, 11);
            const auto x = randomVector(static_cast<std::size_t>(tokens * in), 12);
            std::vector<uint32_t> packed(gemm->packedUnits(tokens, in));
            gemm->pack(x.data(), tokens, in, 0, 4, packed.data());
            std::vector<float> y(static_cast<std::size_t>(tokens * out), NAN);
            gemm->gemm(packed.data(), static_cast<const uint16_t*>(w.view.data), in, tokens, 5, 29, 1, 4, y.data(),
                       out);
            for (int64_t t = 0; t < tokens; ++t) {
                for (int64_t o = 0; o < out; ++o) {
                    const bool inside = t >= 32 && o >= 5 && o < 29;
                    QVERIFY2(inside != std::isnan(y[t * out + o]), qPrintable(QString("t=%1 o=%2").arg(t).arg(o)));
                }
            }
        }
    }

    void elementwiseOpsMatchScalar_data() { addLevelRows(); }
    // The vectorized element-wise ops against ops.h's scalar ones, on lengths with tails and across the range
    // where exp over- and underflows.
    void elementwiseOpsMatchScalar() {
        std::vector<float> values;
        for (float v = -120.0f; v <= 120.0f; v += 0.37f) values.push_back(v);
        for (float v : {0.0f, -0.0f, 1e-6f, -1e-6f, 1e-30f}) values.push_back(v);
        const auto mul = randomVector(values.size(), 9);
        QFETCH(Isa, isa);
        if (!isaSupported(isa)) QSKIP(missingReason(isa));
        const MatmulKernels& kernels = matmulKernels(isa);
        for (std::size_t n : {std::size_t{1}, std::size_t{15}, std::size_t{17}, values.size()}) {
            auto gelu = values, gated = values, sig = values;
            geluTanhRows(kernels, gelu.data(), nullptr, int64_t(n));
            geluTanhRows(kernels, gated.data(), mul.data(), int64_t(n));
            sigmoidRows(kernels, sig.data(), int64_t(n));
            for (std::size_t i = 0; i < values.size(); ++i) {
                const float x = values[i];
                const float g = i < n ? geluTanh(x) : x, s = i < n ? sigmoid(x) : x;
                const float gm = i < n ? geluTanh(x) * mul[i] : x;
                const QString where = QString("%1 x=%2").arg(isaName(isa).data()).arg(x);
                QVERIFY2(std::fabs(gelu[i] - g) <= 2e-6f * (1 + std::fabs(g)), qPrintable(where + " gelu"));
                QVERIFY2(std::fabs(gated[i] - gm) <= 2e-6f * (1 + std::fabs(gm)), qPrintable(where + " gelu·mul"));
                QVERIFY2(std::fabs(sig[i] - s) <= 2e-6f * (1 + std::fabs(s)), qPrintable(where + " sigmoid"));
            }
        }
        if (kernels.dot == nullptr) return;  // no vector dot and axpy at this level: ops.h's scalar ones run
        for (int64_t n : {1, 15, 16, 33, 256, 257}) {
            const auto a = randomVector(std::size_t(n), 1), b = randomVector(std::size_t(n), 2);
            double expected = 0, scale = 0;
            for (int64_t i = 0; i < n; ++i) {
                expected += double(a[i]) * b[i];
                scale += std::fabs(double(a[i]) * b[i]);
            }
            QVERIFY(std::fabs(kernels.dot(a.data(), b.data(), n) - expected) <= 1e-6 * scale);
            auto y = b;
            kernels.axpy(0.75f, a.data(), y.data(), n);
            for (int64_t i = 0; i < n; ++i) QVERIFY(std::fabs(y[i] - (b[i] + 0.75f * a[i])) <= 1e-6f);
        }
    }

    // The machine-peak loops of each level (peak_loops.h) compute what their closed forms say, so the work they
    // time is the work they claim; their operation counts follow from their chains and vector widths.
    void peakLoopsMatchClosedForm_data() { addLevelRows(); }
    void peakLoopsMatchClosedForm() {
        QFETCH(Isa, isa);
        if (!isaSupported(isa)) QSKIP(missingReason(isa));
        const PeakLoops& loops = peakLoops(isa);
        QVERIFY(loops.fp32);  // every level has f32 arithmetic
        QCOMPARE(bool(loops.int8), isa != Isa::Portable);
        QCOMPARE(bool(loops.bf16), isa == Isa::Avx512Bf16);
        struct Shape {
            int fp32Chains, int8Chains, lanes;  // lanes: f32 values per register
        };
        const Shape shape = isa == Isa::Portable ? Shape{portable::kFp32Chains, 0, 4}
                            : isa == Isa::Avx2   ? Shape{avx2::kFp32Chains, avx2::kInt8Chains, 8}
                            : isa == Isa::Avx512 ? Shape{avx512::kFp32Chains, avx512::kInt8Chains, 16}
                                                 : Shape{avx512::kFp32Chains, avx512vnni::kInt8Chains, 16};
        QCOMPARE(loops.fp32.opsPerIteration, int64_t{shape.fp32Chains} * shape.lanes * 2);
        for (int64_t n : {0, 1, 10}) {
            // Chain j: 1 + (j + 1) · 2^-n per lane (peak_loops.h), summed over the chains.
            double expected = 0;
            for (int j = 0; j < shape.fp32Chains; ++j) expected += 1 + (j + 1) * std::ldexp(1.0, -int(n));
            QCOMPARE(loops.fp32.run(n), expected);
        }
        if (loops.int8) {
            QCOMPARE(loops.int8.opsPerIteration, int64_t{shape.int8Chains} * shape.lanes * 4 * 2);
            for (int64_t n : {0, 1, 10, 1000}) {
                uint32_t expected = 0;
                for (int j = 0; j < shape.int8Chains; ++j) expected += static_cast<uint32_t>(int8PeakChain(j + 1, n));
                QCOMPARE(loops.int8.run(n), double(static_cast<int32_t>(expected)));
            }
        }
        if (loops.bf16) {
            // 10 iterations × 12 accumulators; lane 0 sums 12 × 10 × 2 × (1 · 2^-10).
            QCOMPARE(loops.bf16.run(10), 12 * 10 * 2 / 1024.0);
            QCOMPARE(loops.bf16.opsPerIteration, kDotPeakFlopsPerIteration);
        }
    }

    // The int8 prefill GEMM with vpmaddubsw (AVX2), directly and as the AVX2 table's Int8 prefill.
    void int8PrefillMatchesScalar() {
        if (!isaSupported(Isa::Avx2)) QSKIP("no AVX2 on this CPU");
        checkInt8PrefillShapes(avx2::int8PanelGemm(), "avx2", avxVnniSupported() ? nullptr : &matmulKernels(Isa::Avx2));
    }

    // The same kernel with vpdpbusd (AVX-VNNI), which the AVX2 table takes where the CPU has it.
    void int8PrefillAvxVnniMatchesScalar() {
        if (!avxVnniSupported()) QSKIP("no AVX-VNNI on this CPU (CPUID 7.1 EAX bit 4)");
        checkInt8PrefillShapes(avxvnni::int8PanelGemm(), "avxvnni", &matmulKernels(Isa::Avx2));
    }
};

QTEST_GUILESS_MAIN(TestKernels)
#include "test_kernels.moc"
