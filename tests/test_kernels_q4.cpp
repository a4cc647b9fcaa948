// test_kernels_q4.cpp — the 4-bit Q4K format (kernels/q4_format.h) and its kernels: the header's 6-bit fields and
// f16 units round-trip, the quantizer reproduces values on its grid exactly and keeps random rows close, refuses what
// it cannot store; at every kernel level (skipped, with the reason, where this CPU cannot run it; the portable level
// runs the scalar versions) the decode matvec on 1-8 columns against a double-precision product of the dequantized
// values, and the dequantizers into f32 and bf16 tiles bit for bit against the scalar definition, on odd sizes,
// partial sub- and super-blocks, unaligned data and row ranges that start mid-matrix.
#include "io/dtype_convert.h"
#include "kernels/matmul_kernels.h"
#include "kernels/q4_format.h"
#include "kernels/q4_scalar.h"

// Qt after the engine's headers (oneTBB and Qt's `emit`).
#include <QtTest>
#include <cmath>
#include <cstring>
#include <random>
#include <vector>

using namespace rgemma;

Q_DECLARE_METATYPE(rgemma::Isa)

namespace {

constexpr Isa kAllLevels[] = {Isa::Portable, Isa::Avx2, Isa::Avx512, Isa::Avx512Vnni, Isa::Avx512Bf16};

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

// Sizes with every kind of tail: short sub-blocks, partial 64-value groups, partial super-blocks, odd byte counts.
constexpr int64_t kSizes[] = {1, 2, 7, 31, 32, 33, 63, 64, 65, 100, 191, 192, 255, 256, 257, 320, 513, 576, 1100};

std::vector<float> gaussian(std::size_t n, unsigned seed, float sigma = 1.0f) {
    std::mt19937 random(seed);
    std::normal_distribution<float> normal(0.0f, sigma);
    std::vector<float> v(n);
    for (float& x : v) x = normal(random);
    return v;
}

// A Q4K matrix [rows, in], stored one byte past an aligned start (rows and headers begin unaligned), and its values.
struct Q4Matrix {
    int64_t rows = 0, in = 0;
    std::vector<uint8_t> nibbleBuffer, headerBuffer;
    std::vector<float> values;  // dequantizeQ4Rows
    const uint8_t* q() const { return nibbleBuffer.data() + 1; }
    const uint8_t* headers() const { return headerBuffer.data() + 1; }
};

Q4Matrix allocate(int64_t rows, int64_t in) {
    Q4Matrix m;
    m.rows = rows;
    m.in = in;
    m.nibbleBuffer.assign(static_cast<std::size_t>(rows * q4RowBytes(in) + 1), 0xAB);
    m.headerBuffer.assign(static_cast<std::size_t>(rows * q4SuperBlocks(in) * kQ4HeaderBytes + 1), 0xCD);
    return m;
}

void finish(Q4Matrix& m) {
    m.values.assign(static_cast<std::size_t>(m.rows * m.in), NAN);
    dequantizeQ4Rows(m.q(), m.headers(), m.in, m.rows, m.values.data());
}

// Random rows through the quantizer (row r scaled by 2^(r % 5 - 2), so super-blocks differ in scale).
Q4Matrix quantizedMatrix(int64_t rows, int64_t in, unsigned seed) {
    Q4Matrix m = allocate(rows, in);
    const std::vector<float> w = gaussian(static_cast<std::size_t>(rows * in), seed, 0.05f);
    for (int64_t r = 0; r < rows; ++r) {
        std::vector<float> row(w.begin() + r * in, w.begin() + (r + 1) * in);
        for (float& v : row) v = std::ldexp(v, static_cast<int>(r % 5) - 2);
        if (!quantizeQ4Row(row.data(), in, m.nibbleBuffer.data() + 1 + r * q4RowBytes(in),
                           m.headerBuffer.data() + 1 + r * q4SuperBlocks(in) * kQ4HeaderBytes)) {
            qFatal("quantizeQ4Row refused a finite row");
        }
    }
    finish(m);
    return m;
}

// Any bytes: random nibbles (every level, both nibbles of a byte) and headers with every 6-bit value and f16 units
// of several magnitudes; the quantizer never writes some of these, the kernels must still compute them.
Q4Matrix randomBytesMatrix(int64_t rows, int64_t in, unsigned seed) {
    Q4Matrix m = allocate(rows, in);
    std::mt19937 random(seed);
    for (std::size_t i = 1; i < m.nibbleBuffer.size(); ++i) m.nibbleBuffer[i] = static_cast<uint8_t>(random());
    for (int64_t h = 0; h < rows * q4SuperBlocks(in); ++h) {
        uint8_t sc[kQ4SubBlocksPerSuper], mins[kQ4SubBlocksPerSuper];
        for (int k = 0; k < kQ4SubBlocksPerSuper; ++k) {
            sc[k] = static_cast<uint8_t>(random() % 64);
            mins[k] = static_cast<uint8_t>(random() % 64);
        }
        const float unit = std::ldexp(1.0f + static_cast<float>(random() % 1000) / 1000.0f, -int(random() % 12) - 6);
        encodeQ4Header(floatToF16(unit), floatToF16(unit * 0.7f), sc, mins,
                       m.headerBuffer.data() + 1 + h * kQ4HeaderBytes);
    }
    finish(m);
    return m;
}

using MatvecQ4 = void (*)(const uint8_t*, const uint8_t*, int64_t, int64_t, int64_t, const float*, int64_t, float*,
                          int64_t);

// The matvec of `isa` on rows [2, rows - 2) of m and `columns` columns, against Σ_i W[r, i] x[c, i] in double, within
// 1e-5 of Σ_i (|scale · q · x| + |min · x|) (the f32 sums' bound); nothing outside the range or the columns written.
void checkMatvec(MatvecQ4 matvec, const Q4Matrix& m, int64_t columns, const QString& where) {
    const int64_t in = m.in, rows = m.rows, begin = 2, end = rows - 2, ldy = rows + 3;
    const std::vector<float> x = gaussian(static_cast<std::size_t>(columns * in), unsigned(in + columns));
    std::vector<float> prepared(static_cast<std::size_t>(columns * q4PreparedFloats(in) + 1), NAN);
    prepareQ4Activations(x.data(), in, columns, prepared.data() + 1);
    std::vector<float> y(static_cast<std::size_t>(columns * ldy), NAN);
    matvec(m.q(), m.headers(), in, begin, end, prepared.data() + 1, columns, y.data(), ldy);
    for (int64_t c = 0; c < columns; ++c) {
        for (int64_t j = 0; j < ldy; ++j) {
            const int64_t r = begin + j;
            const float got = y[static_cast<std::size_t>(c * ldy + j)];
            const bool inside = r < end;
            QVERIFY2(inside != std::isnan(got), qPrintable(where + QString(" wrote outside c=%1 j=%2").arg(c).arg(j)));
            if (!inside) continue;
            double want = 0, magnitude = 1e-30;
            for (int64_t i = 0; i < in; ++i) {
                const Q4SubScales s =
                    decodeQ4Header(m.headers() + (r * q4SuperBlocks(in) + i / kQ4SuperBlock) * kQ4HeaderBytes);
                const double xi = x[static_cast<std::size_t>(c * in + i)];
                const int64_t k = i / kQ4SubBlock % kQ4SubBlocksPerSuper;
                want += double(m.values[static_cast<std::size_t>(r * in + i)]) * xi;
                magnitude +=
                    std::fabs(double(m.values[static_cast<std::size_t>(r * in + i)]) + s.min[k]) * std::fabs(xi) +
                    double(s.min[k]) * std::fabs(xi);
            }
            QVERIFY2(
                std::fabs(got - want) <= 1e-5 * magnitude,
                qPrintable(where +
                           QString(" c=%1 r=%2: %3 vs %4 (scale %5)").arg(c).arg(r).arg(got).arg(want).arg(magnitude)));
        }
    }
}

}  // namespace

class TestKernelsQ4 : public QObject {
    Q_OBJECT

  private slots:
    // Every 6-bit scale and min in every slot, with normal and subnormal f16 units, decodes to unit · integer.
    void headerRoundTrips() {
        for (const float unit : {1.0f, 0.0078125f, 3.0e-5f, 6.5e-3f}) {
            const uint16_t d = floatToF16(unit), dmin = floatToF16(unit / 3);
            for (int value = 0; value < 64; ++value) {
                uint8_t sc[kQ4SubBlocksPerSuper], mins[kQ4SubBlocksPerSuper];
                for (int k = 0; k < kQ4SubBlocksPerSuper; ++k) {
                    sc[k] = static_cast<uint8_t>((value + 7 * k) % 64);
                    mins[k] = static_cast<uint8_t>((value * 5 + k) % 64);
                }
                uint8_t header[kQ4HeaderBytes];
                encodeQ4Header(d, dmin, sc, mins, header);
                const Q4SubScales s = decodeQ4Header(header);
                for (int k = 0; k < kQ4SubBlocksPerSuper; ++k) {
                    QCOMPARE(s.scale[k], f16ToFloat(d) * sc[k]);
                    QCOMPARE(s.min[k], f16ToFloat(dmin) * mins[k]);
                }
            }
        }
    }

    // Values on the format's grid (power-of-two units, 6-bit integers, every level 0..15 present) come back exactly:
    // the fit, the 6-bit rounding, the nibble order and the header all agree.
    void gridValuesSurviveExactly() {
        for (int64_t in : {32, 64, 100, 256, 300, 576}) {
            std::vector<float> w(static_cast<std::size_t>(in));
            const float d = 1.0f / 1024, dmin = 1.0f / 2048;
            for (int64_t i = 0; i < in; ++i) {
                const int64_t j = i / kQ4SubBlock;
                const int sc = j % 8 == 0 ? 63 : int(9 + 7 * (j % 8)), m = j % 8 == 0 ? 63 : int(5 * (j % 8));
                w[static_cast<std::size_t>(i)] = d * sc * float((i * 7) % 16) - dmin * m;
            }
            // Levels 0 and 15 in every sub-block, so its range is the grid's.
            for (int64_t j = 0; j < q4SubBlocks(in); ++j) {
                const int sc = j % 8 == 0 ? 63 : int(9 + 7 * (j % 8)), m = j % 8 == 0 ? 63 : int(5 * (j % 8));
                if (j * 32 + 1 < in) {
                    w[static_cast<std::size_t>(j * 32)] = -dmin * m;
                    w[static_cast<std::size_t>(j * 32 + 1)] = d * sc * 15 - dmin * m;
                }
            }
            Q4Matrix m = allocate(1, in);
            QVERIFY(quantizeQ4Row(w.data(), in, m.nibbleBuffer.data() + 1, m.headerBuffer.data() + 1));
            finish(m);
            for (int64_t i = 0; i < in; ++i) {
                QVERIFY2(m.values[static_cast<std::size_t>(i)] == w[static_cast<std::size_t>(i)],
                         qPrintable(QString("in=%1 i=%2: %3 vs %4").arg(in).arg(i).arg(m.values[i]).arg(w[i])));
            }
        }
    }

    // Random rows: the error is what 4 bits allow (rms below 10% of the row's), unused header slots and an odd
    // row's last nibble are zero.
    void randomRowsStayClose() {
        for (int64_t in : kSizes) {
            const std::vector<float> w = gaussian(static_cast<std::size_t>(in), unsigned(in), 0.02f);
            Q4Matrix m = allocate(1, in);
            QVERIFY(quantizeQ4Row(w.data(), in, m.nibbleBuffer.data() + 1, m.headerBuffer.data() + 1));
            finish(m);
            double error = 0, energy = 0;
            for (int64_t i = 0; i < in; ++i) {
                error += std::pow(double(w[i]) - m.values[i], 2);
                energy += std::pow(double(w[i]), 2);
            }
            if (in >= 32)
                QVERIFY2(error <= 0.01 * energy, qPrintable(QString("in=%1: %2").arg(in).arg(error / energy)));
            if (in % 2 == 1) QCOMPARE(m.q()[q4RowBytes(in) - 1] >> 4, 0);
            const uint8_t* last = m.headers() + (q4SuperBlocks(in) - 1) * kQ4HeaderBytes;
            const Q4SubScales s = decodeQ4Header(last);
            for (int64_t k = (q4SubBlocks(in) - 1) % kQ4SubBlocksPerSuper + 1; k < kQ4SubBlocksPerSuper; ++k) {
                QCOMPARE(s.scale[k], 0.0f);
                QCOMPARE(s.min[k], 0.0f);
            }
        }
    }

    // A full super-block's 8 sub-blocks are searched side by side (SIMD lanes), a row's short last one sub-block by
    // sub-block: both must give the same fits bit for bit. A 256-value row and its first 224 values (7 sub-blocks,
    // the one-by-one path) agree on those sub-blocks' 6-bit scales and mins and nibbles when the 8th sub-block is too
    // small to change the units. The sub-blocks cover mixed signs, all positive (the min > 0 refit), all zero (an
    // empty range), ties on a coarse grid, all negative, and the largest values.
    void sideBySideSearchEqualsOneByOne() {
        const std::vector<float> g = gaussian(kQ4SuperBlock, 7u);
        std::vector<float> w(kQ4SuperBlock);
        for (int64_t i = 0; i < kQ4SuperBlock; ++i) {
            const float v = g[static_cast<std::size_t>(i)];
            const float kinds[kQ4SubBlocksPerSuper] = {0.05f * v,
                                                       0.02f + std::fabs(0.03f * v),
                                                       0.0f,
                                                       0.01f * std::round(5 * v),
                                                       -std::fabs(0.04f * v),
                                                       0.2f * v,
                                                       0.15f * v - 0.1f,
                                                       1e-4f * v};
            w[static_cast<std::size_t>(i)] = kinds[i / kQ4SubBlock];
        }
        const int64_t shortIn = kQ4SuperBlock - kQ4SubBlock;
        Q4Matrix full = allocate(1, kQ4SuperBlock), part = allocate(1, shortIn);
        QVERIFY(quantizeQ4Row(w.data(), kQ4SuperBlock, full.nibbleBuffer.data() + 1, full.headerBuffer.data() + 1));
        QVERIFY(quantizeQ4Row(w.data(), shortIn, part.nibbleBuffer.data() + 1, part.headerBuffer.data() + 1));
        QVERIFY(std::memcmp(full.headers(), part.headers(), 4) == 0);  // d and dmin
        const Q4SubScales a = decodeQ4Header(full.headers()), b = decodeQ4Header(part.headers());
        for (int64_t k = 0; k + 1 < kQ4SubBlocksPerSuper; ++k) {
            QCOMPARE(a.scale[k], b.scale[k]);
            QCOMPARE(a.min[k], b.min[k]);
        }
        QVERIFY(a.scale[2] == 0.0f && a.min[2] == 0.0f);
        QVERIFY(std::memcmp(full.q(), part.q(), static_cast<std::size_t>(q4RowBytes(shortIn))) == 0);
    }

    void unstorableRowsAreRefused() {
        std::vector<uint8_t> nibbles(64), headers(16);
        std::vector<float> w(100, 0.5f);
        w[40] = NAN;
        QVERIFY(!quantizeQ4Row(w.data(), 100, nibbles.data(), headers.data()));
        w[40] = INFINITY;
        QVERIFY(!quantizeQ4Row(w.data(), 100, nibbles.data(), headers.data()));
        w[40] = 1e12f;  // a scale unit past f16's 65504
        QVERIFY(!quantizeQ4Row(w.data(), 100, nibbles.data(), headers.data()));
        w[40] = 0.5f;
        QVERIFY(quantizeQ4Row(w.data(), 100, nibbles.data(), headers.data()));
    }

    // Each x at its transposed place, scaled by its nibble's 2^-4n; zeros in the padding; the sub-block sums.
    void preparedActivationsLayout() {
        for (int64_t in : kSizes) {
            const std::vector<float> x = gaussian(static_cast<std::size_t>(2 * in), unsigned(in));
            std::vector<float> prepared(static_cast<std::size_t>(2 * q4PreparedFloats(in)), NAN);
            prepareQ4Activations(x.data(), in, 2, prepared.data());
            for (int64_t c = 0; c < 2; ++c) {
                const float* p = prepared.data() + c * q4PreparedFloats(in);
                std::vector<bool> seen(static_cast<std::size_t>(q4PreparedSumsOffset(in)), false);
                for (int64_t i = 0; i < in; ++i) {
                    QCOMPARE(p[q4PreparedIndex(i)], std::ldexp(x[c * in + i], -q4NibbleShift(i)));
                    seen[static_cast<std::size_t>(q4PreparedIndex(i))] = true;
                }
                for (std::size_t k = 0; k < seen.size(); ++k) {
                    if (!seen[k]) QCOMPARE(p[k], 0.0f);  // padding
                }
                for (int64_t j = 0; j < q4SuperBlocks(in) * kQ4SubBlocksPerSuper; ++j) {
                    double sum = 0;
                    for (int64_t i = j * 32; i < std::min(in, j * 32 + 32); ++i) sum += x[c * in + i];
                    QVERIFY(std::fabs(p[q4PreparedSumsOffset(in) + j] - sum) <= 1e-5 * (1 + std::fabs(sum)));
                }
            }
        }
    }

    void matvecMatchesScalar_data() { addLevelRows(); }
    void matvecMatchesScalar() {
        QFETCH(Isa, isa);
        if (!isaSupported(isa)) QSKIP(missingReason(isa));
        const MatmulKernels& kernels = matmulKernels(isa);
        if (isa != Isa::Portable && kernels.matvecQ4 == nullptr) QFAIL("a SIMD level without a Q4K matvec");
        const MatvecQ4 matvec = kernels.matvecQ4 ? kernels.matvecQ4 : scalar::matvecQ4;
        for (int64_t in : kSizes) {
            for (bool randomBytes : {false, true}) {
                const Q4Matrix m =
                    randomBytes ? randomBytesMatrix(13, in, unsigned(in)) : quantizedMatrix(13, in, unsigned(in));
                for (int64_t columns = 1; columns <= kQ4MaxColumns; ++columns) {
                    checkMatvec(matvec, m, columns,
                                QString("%1 in=%2 %3 columns=%4")
                                    .arg(isaName(isa).data())
                                    .arg(in)
                                    .arg(randomBytes ? "random bytes" : "quantized")
                                    .arg(columns));
                    if (QTest::currentTestFailed()) return;
                }
            }
        }
    }

    void dequantizeMatchesScalar_data() { addLevelRows(); }
    // Bit for bit: f32 tiles equal dequantizeQ4Rows, bf16 tiles its values rounded to nearest even.
    void dequantizeMatchesScalar() {
        QFETCH(Isa, isa);
        if (!isaSupported(isa)) QSKIP(missingReason(isa));
        const MatmulKernels& kernels = matmulKernels(isa);
        if (isa != Isa::Portable && (kernels.dequantizeQ4 == nullptr || kernels.dequantizeQ4Bf16 == nullptr)) {
            QFAIL("a SIMD level without Q4K dequantizers");
        }
        const auto toF32 = kernels.dequantizeQ4 ? kernels.dequantizeQ4 : scalar::dequantizeQ4;
        const auto toBf16 = kernels.dequantizeQ4Bf16 ? kernels.dequantizeQ4Bf16 : scalar::dequantizeQ4Bf16;
        for (int64_t in : kSizes) {
            const Q4Matrix m = randomBytesMatrix(5, in, unsigned(in) + 3);
            // Rows 1..4: the tile starts at a row inside the matrix.
            const uint8_t* q = m.q() + q4RowBytes(in);
            const uint8_t* headers = m.headers() + q4SuperBlocks(in) * kQ4HeaderBytes;
            std::vector<float> f32(static_cast<std::size_t>(4 * in + 1), NAN);
            std::vector<uint16_t> bf16(static_cast<std::size_t>(4 * in + 1), 0xFFFF);
            toF32(q, headers, in, 4, f32.data());
            toBf16(q, headers, in, 4, bf16.data());
            const QString where = QString("%1 in=%2").arg(isaName(isa).data()).arg(in);
            QVERIFY2(std::memcmp(f32.data(), m.values.data() + in, static_cast<std::size_t>(4 * in) * 4) == 0,
                     qPrintable(where + " f32"));
            QVERIFY2(std::isnan(f32.back()), qPrintable(where + " f32 wrote past the tile"));
            for (int64_t i = 0; i < 4 * in; ++i) {
                QVERIFY2(bf16[i] == floatToBf16(m.values[in + i]), qPrintable(where + QString(" bf16 %1").arg(i)));
            }
            QCOMPARE(bf16.back(), uint16_t{0xFFFF});
        }
    }
};

QTEST_GUILESS_MAIN(TestKernelsQ4)
#include "test_kernels_q4.moc"
