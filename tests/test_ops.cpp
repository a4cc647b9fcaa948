// test_ops.cpp — each Griffin primitive against a plain scalar version written from REFERENCE_MATH.md:
// RMSNorm, soft cap, GELU, softplus, embed scale, partial RoPE, Conv1D, the RG-LRU scan, block-diagonal gates,
// the dense products in every dtype (odd sizes, decode and prefill paths) and windowed attention over a wrapped
// ring buffer fed in uneven chunks.
// The engine's internal headers include oneTBB, which must come before Qt defines its `emit` macro.
#include "io/dtype_convert.h"
#include "kernels/matmul_kernels.h"
#include "layers/linear.h"
#include "layers/ops.h"
#include "model/blocks.h"
#include "rgemma/runtime.h"

// Qt after oneTBB.
#include <QtTest>
#include <cmath>
#include <numeric>
#include <random>
#include <vector>

using namespace rgemma;

namespace {

std::vector<float> randomVector(std::size_t n, unsigned seed, float scale = 1.0f) {
    std::mt19937 random(seed);
    std::normal_distribution<float> normal(0.0f, scale);
    std::vector<float> v(n);
    for (float& x : v) x = normal(random);
    return v;
}

double maxAbsDiff(const std::vector<float>& a, const std::vector<float>& b) {
    if (a.size() != b.size()) return INFINITY;
    double worst = 0;
    for (std::size_t i = 0; i < a.size(); ++i) worst = std::max(worst, std::fabs(double(a[i]) - double(b[i])));
    return worst;
}

// Weights stored in `dtype`, kept alive by the returned bytes.
struct StoredTensor {
    std::vector<uint16_t> halves;
    std::vector<float> floats;
    TensorView view;
};

StoredTensor store(const std::vector<float>& values, std::vector<int64_t> shape, DType dtype) {
    StoredTensor t;
    t.view.name = "test";
    t.view.dtype = dtype;
    t.view.shape = std::move(shape);
    if (dtype == DType::F32) {
        t.floats = values;
        t.view.data = t.floats.data();
        t.view.byteSize = values.size() * 4;
    } else {
        for (float v : values) t.halves.push_back(dtype == DType::BF16 ? floatToBf16(v) : floatToF16(v));
        t.view.data = t.halves.data();
        t.view.byteSize = values.size() * 2;
    }
    return t;
}

// The values as the kernel sees them after the dtype round trip.
std::vector<float> asStored(const StoredTensor& t) {
    std::vector<float> out(static_cast<std::size_t>(t.view.numel()));
    convertToFloat(t.view.dtype, t.view.data, out.data(), t.view.numel());
    return out;
}

// Scalar y = x Wᵀ + b in double.
std::vector<float> scalarLinear(const std::vector<float>& w, const std::vector<float>& b, const std::vector<float>& x,
                                int64_t tokens, int64_t out, int64_t in) {
    std::vector<float> y(static_cast<std::size_t>(tokens * out));
    for (int64_t t = 0; t < tokens; ++t) {
        for (int64_t o = 0; o < out; ++o) {
            double sum = b.empty() ? 0.0 : b[o];
            for (int64_t i = 0; i < in; ++i) sum += double(x[t * in + i]) * w[o * in + i];
            y[t * out + o] = float(sum);
        }
    }
    return y;
}

// Scalar RoPE of one vector of headDim at `position` (ref: torch/modules.py _apply_rope).
void scalarRope(float* v, int64_t headDim, int64_t rotated, int64_t position, double theta) {
    (void)headDim;
    const int64_t half = rotated / 2;
    for (int64_t j = 0; j < half; ++j) {
        const double angle = double(position) / std::pow(theta, 2.0 * j / double(rotated));
        const double x1 = v[j], x2 = v[j + half];
        v[j] = float(x1 * std::cos(angle) - x2 * std::sin(angle));
        v[j + half] = float(x2 * std::cos(angle) + x1 * std::sin(angle));
    }
}

}  // namespace

class TestOps : public QObject {
    Q_OBJECT

  private slots:
    void rmsNormMatchesScalar() {
        const int64_t rows = 3, width = 37;
        const auto x = randomVector(rows * width, 1, 3.0f);
        const auto scale = randomVector(width, 2, 0.2f);
        std::vector<float> y(x.size());
        rmsNorm(x.data(), scale, 1e-6f, rows, y.data());
        for (int64_t r = 0; r < rows; ++r) {
            double meanSquare = 0;
            for (int64_t i = 0; i < width; ++i) meanSquare += double(x[r * width + i]) * x[r * width + i];
            meanSquare /= width;
            for (int64_t i = 0; i < width; ++i) {
                const double expected = x[r * width + i] / std::sqrt(meanSquare + 1e-6) * (1.0 + scale[i]);
                QVERIFY(std::fabs(expected - y[r * width + i]) < 1e-5 * (1 + std::fabs(expected)));
            }
        }
    }

    void softCapIsTanhAndZeroDisables() {
        std::vector<float> v{-100.f, -30.f, 0.f, 1.f, 29.f, 1000.f};
        const auto original = v;
        softCap(v.data(), int64_t(v.size()), 30.0f);
        for (std::size_t i = 0; i < v.size(); ++i)
            QVERIFY(std::fabs(v[i] - 30.0 * std::tanh(original[i] / 30.0)) < 1e-5);
        auto untouched = original;
        softCap(untouched.data(), int64_t(untouched.size()), 0.0f);
        QCOMPARE(untouched, original);
    }

    void activations() {
        for (double x : {-6.0, -1.0, -0.1, 0.0, 0.3, 2.0, 7.0}) {
            const double gelu = 0.5 * x * (1 + std::tanh(std::sqrt(2 / M_PI) * (x + 0.044715 * x * x * x)));
            QVERIFY(std::fabs(geluTanh(float(x)) - gelu) < 1e-6);
            QVERIFY(std::fabs(sigmoid(float(x)) - 1 / (1 + std::exp(-x))) < 1e-6);
        }
        QCOMPARE(softplus(25.0f), 25.0f);  // torch's threshold: x itself above 20
        QVERIFY(std::fabs(softplus(0.0f) - std::log(2.0f)) < 1e-6);
        QVERIFY(std::fabs(softplus(-30.0f) - std::exp(-30.0f)) < 1e-15);
    }

    // The bf16-rounded sqrt(D) of the reference (golden/README.md: 9.8125 for 96, 12.625 for 160; 2B: 50.5).
    void embedScaleIsBf16Rounded() {
        QCOMPARE(embedScale(96, true), 9.8125f);
        QCOMPARE(embedScale(160, true), 12.625f);
        QCOMPARE(embedScale(2560, true), 50.5f);
        QCOMPARE(embedScale(4096, true), 64.0f);
        QCOMPARE(embedScale(2560, false), 1.0f);
    }

    void partialRopeMatchesScalar() {
        const int64_t heads = 3, headDim = 32, rotated = 16;
        for (int64_t position : {0, 1, 7, 2047, 100000}) {
            auto x = randomVector(heads * headDim, 3);
            auto expected = x;
            for (int64_t h = 0; h < heads; ++h)
                scalarRope(expected.data() + h * headDim, headDim, rotated, position, 1e4);
            applyRope(x.data(), heads, headDim, rotated, position, 10000.0f);
            // f32 angles at large positions drift from the double ones as in the reference; bound accordingly.
            QVERIFY2(maxAbsDiff(x, expected) < (position > 10000 ? 5e-2 : 1e-4),
                     qPrintable(QString("position %1: %2").arg(position).arg(maxAbsDiff(x, expected))));
            for (int64_t h = 0; h < heads; ++h) {  // the second half passes through untouched
                for (int64_t d = rotated; d < headDim; ++d) QCOMPARE(x[h * headDim + d], expected[h * headDim + d]);
            }
        }
    }

    void conv1dMatchesScalarAndChunks() {
        for (int64_t width : {1, 2, 4}) {
            const int64_t channels = 5, tokens = 9;
            const auto w = randomVector(width * channels, 4);
            const auto b = randomVector(channels, 5);
            const auto u = randomVector(tokens * channels, 6);
            std::vector<float> expected(u.size());
            for (int64_t t = 0; t < tokens; ++t) {
                for (int64_t c = 0; c < channels; ++c) {
                    double sum = b[c];
                    for (int64_t s = 0; s < width && t - s >= 0; ++s)
                        sum += double(w[(width - 1 - s) * channels + c]) * u[(t - s) * channels + c];
                    expected[t * channels + c] = float(sum);
                }
            }
            // One shot, then in chunks of 1, 2 and 6 tokens carrying the tail.
            std::vector<float> tail(static_cast<std::size_t>((width - 1) * channels), 0.0f);
            std::vector<float> out(u.size());
            conv1dForward(w, b, width, channels, u.data(), tokens, tail.data(), out.data());
            QVERIFY(maxAbsDiff(out, expected) < 1e-5);
            std::vector<float> chunkTail(tail.size(), 0.0f), chunked(u.size());
            int64_t begin = 0;
            for (int64_t length : {1, 2, 6}) {
                conv1dForward(w, b, width, channels, u.data() + begin * channels, length, chunkTail.data(),
                              chunked.data() + begin * channels);
                begin += length;
            }
            QCOMPARE(chunked, out);
            QCOMPARE(chunkTail, tail);
            // The tail is the last width-1 inputs, oldest first.
            for (int64_t r = 0; r < width - 1; ++r) {
                for (int64_t c = 0; c < channels; ++c)
                    QCOMPARE(tail[r * channels + c], u[(tokens - (width - 1) + r) * channels + c]);
            }
        }
    }

    void rgLruScanMatchesScalarSteps() {
        const int64_t lru = 6, tokens = 5;
        const auto aParam = randomVector(lru, 7, 2.0f);
        auto gx = randomVector(tokens * lru, 8), ga = randomVector(tokens * lru, 9);
        for (float& g : gx) g = sigmoid(g);
        for (float& g : ga) g = sigmoid(g);
        const auto u = randomVector(tokens * lru, 10);
        for (int64_t firstPosition : {0, 3}) {
            std::vector<float> h = randomVector(lru, 11);  // stale state: must be ignored at position 0
            std::vector<double> hs(h.begin(), h.end());
            std::vector<float> expected(u.size());
            for (int64_t t = 0; t < tokens; ++t) {
                const bool reset = firstPosition + t == 0;
                for (int64_t i = 0; i < lru; ++i) {
                    const double sp = std::log1p(std::exp(double(aParam[i])));
                    const double logA = -8.0 * ga[t * lru + i] * sp;
                    const double a = reset ? 0.0 : std::exp(logA);
                    const double mult = reset ? 1.0 : std::sqrt(1.0 - std::exp(2 * logA));
                    hs[i] = a * hs[i] + u[t * lru + i] * gx[t * lru + i] * mult;
                    expected[t * lru + i] = float(hs[i]);
                }
            }
            auto y = u;
            rgLruScan(aParam, gx.data(), ga.data(), firstPosition, tokens, lru, h.data(), y.data());
            QVERIFY2(maxAbsDiff(y, expected) < 1e-5, qPrintable(QString::number(maxAbsDiff(y, expected))));
            QCOMPARE(h, std::vector<float>(y.end() - lru, y.end()));  // y_t = h_t; the state is the last
        }
    }

    void blockDiagonalMatchesScalar() {
        Runtime runtime(2);
        const int64_t heads = 3, bw = 5, tokens = 4;
        const auto w = randomVector(heads * bw * bw, 12);
        const auto b = randomVector(heads * bw, 13);
        const auto x = randomVector(tokens * heads * bw, 14);
        for (DType dtype : {DType::F32, DType::BF16, DType::F16}) {
            const StoredTensor stored = store(w, {heads, bw, bw}, dtype);
            const auto ws = asStored(stored);
            std::vector<float> expected(x.size());
            for (int64_t t = 0; t < tokens; ++t)
                for (int64_t h = 0; h < heads; ++h)
                    for (int64_t j = 0; j < bw; ++j) {
                        double sum = b[h * bw + j];  // x_block @ W[h]: W indexed [h, i, j], NOT transposed
                        for (int64_t i = 0; i < bw; ++i)
                            sum += double(x[t * heads * bw + h * bw + i]) * ws[(h * bw + i) * bw + j];
                        expected[t * heads * bw + h * bw + j] = float(sum);
                    }
            std::vector<float> y(x.size());
            runtime.impl().arena.execute(
                [&] { blockDiagonalForward(runtime.impl(), stored.view, b, x.data(), tokens, y.data()); });
            QVERIFY(maxAbsDiff(y, expected) < 1e-4);
        }
    }

    void linearMatchesScalarInEveryDtype() {
        Runtime runtime(2);
        const int64_t out = 37, in = 53;
        const auto w = randomVector(out * in, 15);
        const auto b = randomVector(out, 16);
        for (DType dtype : {DType::F32, DType::BF16, DType::F16}) {
            const StoredTensor stored = store(w, {out, in}, dtype);
            for (int64_t tokens : {1, 2, 9, 300}) {
                const auto x = randomVector(tokens * in, 17);
                for (bool withBias : {true, false}) {
                    const std::vector<float> bias = withBias ? b : std::vector<float>{};
                    const auto expected = scalarLinear(asStored(stored), bias, x, tokens, out, in);
                    std::vector<float> y(expected.size());
                    runtime.impl().arena.execute(
                        [&] { linearForward(runtime.impl(), stored.view, bias, x.data(), tokens, y.data()); });
                    QVERIFY2(maxAbsDiff(y, expected) < 1e-4,
                             qPrintable(QString("%1 tokens %2").arg(dtypeName(dtype).data()).arg(tokens)));
                }
            }
        }
    }

    void linearReadsUnalignedF32Weights() {
        Runtime runtime(1);
        const int64_t out = 7, in = 9;
        const auto w = randomVector(out * in, 18);
        std::vector<std::byte> bytes(w.size() * 4 + 1);
        std::memcpy(bytes.data() + 1, w.data(), w.size() * 4);  // misaligned by one byte, as a file may place it
        TensorView view{"unaligned", DType::F32, {out, in}, bytes.data() + 1, w.size() * 4};
        const auto x = randomVector(in, 19);
        std::vector<float> y(out);
        runtime.impl().arena.execute([&] { linearForward(runtime.impl(), view, {}, x.data(), 1, y.data()); });
        QVERIFY(maxAbsDiff(y, scalarLinear(w, {}, x, 1, out, in)) < 1e-5);
    }

    // Attention against a scalar version over the full history, positions fed in uneven chunks, at every
    // instruction-set level. W=4: the ring wraps three times and chunks start mid-window. W=37: prefill chunks longer
    // than the window, before and after the ring fills, span several query blocks whose edges fall between a token's
    // heads; the head size is odd.
    void windowedAttentionOverWrappedRing_data() {
        QTest::addColumn<int>("heads");
        QTest::addColumn<int>("headDim");
        QTest::addColumn<int>("window");
        QTest::addColumn<QList<int>>("chunks");
        QTest::newRow("W=4, 2 heads of 8") << 2 << 8 << 4 << QList<int>{3, 1, 5, 1, 4};
        QTest::newRow("W=37, 3 heads of 19") << 3 << 19 << 37 << QList<int>{5, 20, 1, 70, 200, 3};
    }

    void windowedAttentionOverWrappedRing() {
        QFETCH(int, heads);
        QFETCH(int, headDim);
        QFETCH(int, window);
        QFETCH(QList<int>, chunks);
        const int64_t D = 6, H = heads, hd = headDim, W = window;
        const int64_t total = std::accumulate(chunks.begin(), chunks.end(), int64_t{0});
        ModelConfig config;
        config.hiddenSize = D;
        config.numHeads = H;
        config.headDim = hd;
        config.attentionWindow = W;
        config.partialRotaryFactor = 0.5f;
        config.ropeTheta = 10000.0f;
        config.blocks = {BlockType::Attention};
        const int64_t rotated = std::lround(hd * 0.5);
        const auto wq = randomVector(H * hd * D, 20), wk = randomVector(hd * D, 21), wv = randomVector(hd * D, 22);
        const auto wo = randomVector(D * H * hd, 23), bo = randomVector(D, 24);
        const StoredTensor q = store(wq, {H * hd, D}, DType::F32), k = store(wk, {hd, D}, DType::F32);
        const StoredTensor v = store(wv, {hd, D}, DType::F32), o = store(wo, {D, H * hd}, DType::BF16);
        AttentionWeights weights{{q.view, {}}, {k.view, {}}, {v.view, {}}, {o.view, bo}};
        const auto x = randomVector(total * D, 25);

        // Scalar: project everything, rope, attend to positions max(0, n-W)..n, project out.
        auto qs = scalarLinear(wq, {}, x, total, H * hd, D);
        auto ks = scalarLinear(wk, {}, x, total, hd, D);
        const auto vs = scalarLinear(wv, {}, x, total, hd, D);
        std::vector<float> attended(static_cast<std::size_t>(total * H * hd));
        for (int64_t n = 0; n < total; ++n) {
            for (int64_t h = 0; h < H; ++h) scalarRope(qs.data() + (n * H + h) * hd, hd, rotated, n, 1e4);
            scalarRope(ks.data() + n * hd, hd, rotated, n, 1e4);
        }
        for (int64_t n = 0; n < total; ++n) {
            for (int64_t h = 0; h < H; ++h) {
                std::vector<double> scores;
                for (int64_t p = std::max<int64_t>(0, n - W); p <= n; ++p) {
                    double s = 0;
                    for (int64_t d = 0; d < hd; ++d) s += double(qs[(n * H + h) * hd + d]) * ks[p * hd + d];
                    scores.push_back(s / std::sqrt(double(hd)));
                }
                const double top = *std::max_element(scores.begin(), scores.end());
                double sum = 0;
                for (double& s : scores) sum += (s = std::exp(s - top));
                for (int64_t d = 0; d < hd; ++d) {
                    double acc = 0;
                    int64_t i = 0;
                    for (int64_t p = std::max<int64_t>(0, n - W); p <= n; ++p, ++i)
                        acc += scores[i] / sum * vs[p * hd + d];
                    attended[(n * H + h) * hd + d] = float(acc);
                }
            }
        }
        const auto expected = scalarLinear(asStored(o), bo, attended, total, D, H * hd);
        // f32 rounding grows with the outputs: 3.3e-6 of the largest, just under 1e-4 for the first row (29.5).
        const double tolerance =
            3.3e-6 * std::fabs(*std::max_element(expected.begin(), expected.end(),
                                                 [](float a, float b) { return std::fabs(a) < std::fabs(b); }));

        for (Isa isa : {Isa::Portable, Isa::Avx2, Isa::Avx512, Isa::Avx512Vnni, Isa::Avx512Bf16}) {
            if (!isaSupported(isa)) continue;
            Runtime runtime(2);
            runtime.impl().kernels = &matmulKernels(isa);
            AttentionLayerState state{std::vector<float>(W * hd, 0.0f), std::vector<float>(W * hd, 0.0f)};
            std::vector<float> y(static_cast<std::size_t>(total * D));
            int64_t begin = 0;
            for (int64_t length : chunks) {
                runtime.impl().arena.execute([&] {
                    attentionBlockForward(runtime.impl(), config, weights, state, begin, x.data() + begin * D, length,
                                          y.data() + begin * D);
                });
                begin += length;
            }
            const QString level(isaName(isa).data());
            QVERIFY2(maxAbsDiff(y, expected) < tolerance,
                     qPrintable(level + ": " + QString::number(maxAbsDiff(y, expected))));
            // The ring holds the last W keys after RoPE at slot p % W.
            for (int64_t p = total - W; p < total; ++p) {
                for (int64_t d = 0; d < hd; ++d) {
                    QVERIFY2(std::fabs(state.keys[(p % W) * hd + d] - ks[p * hd + d]) < 1e-4, qPrintable(level));
                }
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestOps)
#include "test_ops.moc"
