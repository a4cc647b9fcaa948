// test_dtype — dtype names and sizes, the bf16/f16 <-> f32 conversions (exhaustively over the 16-bit patterns,
// against independent reference computations), row conversion from unaligned memory, and TensorView helpers.
#include <QtTest>
#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

#include "io/dtype_convert.h"
#include "io/tensor_view.h"
#include "rgemma/dtype.h"
#include "rgemma/error.h"

using namespace rgemma;

namespace {

uint32_t bitsOf(float value) {
    uint32_t bits;
    std::memcpy(&bits, &value, sizeof bits);
    return bits;
}

float floatOf(uint32_t bits) {
    float value;
    std::memcpy(&value, &bits, sizeof value);
    return value;
}

// The value of an IEEE half computed from its definition with ldexp (no bit tricks shared with the engine).
double referenceHalf(uint16_t bits) {
    const double sign = (bits & 0x8000) ? -1.0 : 1.0;
    const int exponent = (bits >> 10) & 0x1F;
    const int mantissa = bits & 0x3FF;
    if (exponent == 0x1F) return mantissa == 0 ? sign * INFINITY : NAN;
    if (exponent == 0) return sign * std::ldexp(mantissa, -24);
    return sign * std::ldexp(1024 + mantissa, exponent - 25);
}

// Round-to-nearest-even to bf16 decided in double arithmetic: the nearer of the two bf16 neighbours, the even one
// on a tie.
uint16_t referenceBf16(float value) {
    const uint32_t bits = bitsOf(value);
    const auto down = static_cast<uint16_t>(bits >> 16);
    const auto up = static_cast<uint16_t>(down + 1);
    const double distDown = std::abs(static_cast<double>(value) - static_cast<double>(bf16ToFloat(down)));
    const double distUp = std::abs(static_cast<double>(bf16ToFloat(up)) - static_cast<double>(value));
    if (distDown < distUp) return down;
    if (distUp < distDown) return up;
    return (down & 1) ? up : down;
}

// A small deterministic generator so failures reproduce.
uint32_t nextRandom(uint64_t& state) {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<uint32_t>(state >> 32);
}

}  // namespace

class TestDtype : public QObject {
    Q_OBJECT

  private slots:
    void namesAndSizes() {
        for (const DType dtype : {DType::F32, DType::BF16, DType::F16}) {
            QCOMPARE(dtypeFromName(dtypeName(dtype)), std::optional<DType>(dtype));
        }
        QCOMPARE(dtypeSize(DType::F32), std::size_t{4});
        QCOMPARE(dtypeSize(DType::BF16), std::size_t{2});
        QCOMPARE(dtypeSize(DType::F16), std::size_t{2});
        QCOMPARE(dtypeName(DType::BF16), std::string_view("BF16"));
        QVERIFY(!dtypeFromName("F64"));
        QVERIFY(!dtypeFromName("f32"));
        QVERIFY(!dtypeFromName(""));
    }

    void errorCodeNames() {
        QCOMPARE(QString(errorCodeName(ErrorCode::Io)), QString("Io"));
        QCOMPARE(QString(errorCodeName(ErrorCode::InvalidCheckpoint)), QString("InvalidCheckpoint"));
        QCOMPARE(QString(errorCodeName(ErrorCode::InvalidConfig)), QString("InvalidConfig"));
        QCOMPARE(QString(errorCodeName(ErrorCode::Cancelled)), QString("Cancelled"));
    }

    void bf16ToFloatIsAShiftForEveryPattern() {
        for (uint32_t b = 0; b <= 0xFFFF; ++b) {
            QCOMPARE(bitsOf(bf16ToFloat(static_cast<uint16_t>(b))), b << 16);
        }
    }

    void floatToBf16RoundTripsEveryBf16() {
        for (uint32_t b = 0; b <= 0xFFFF; ++b) {
            const float value = bf16ToFloat(static_cast<uint16_t>(b));
            if (std::isnan(value)) continue;
            QCOMPARE(floatToBf16(value), static_cast<uint16_t>(b));
        }
    }

    void floatToBf16RoundsToNearestEven() {
        QCOMPARE(floatToBf16(floatOf(0x3F808000)), uint16_t{0x3F80});  // tie, lower neighbour even: down
        QCOMPARE(floatToBf16(floatOf(0x3F818000)), uint16_t{0x3F82});  // tie, lower neighbour odd: up
        QCOMPARE(floatToBf16(floatOf(0xBF818000)), uint16_t{0xBF82});  // negative tie
        QCOMPARE(floatToBf16(floatOf(0x3F807FFF)), uint16_t{0x3F80});  // just below half: down
        QCOMPARE(floatToBf16(floatOf(0x3F808001)), uint16_t{0x3F81});  // just above half: up
        QCOMPARE(floatToBf16(floatOf(0x3F80FFFF)), uint16_t{0x3F81});
        QCOMPARE(floatToBf16(std::numeric_limits<float>::max()), uint16_t{0x7F80});  // overflows to infinity
        QCOMPARE(floatToBf16(INFINITY), uint16_t{0x7F80});
        QCOMPARE(floatToBf16(-INFINITY), uint16_t{0xFF80});
        QCOMPARE(floatToBf16(-0.0f), uint16_t{0x8000});
        QCOMPARE(floatToBf16(floatOf(0x00000001)), uint16_t{0x0000});  // smallest subnormal rounds to zero
        uint64_t state = 1;
        for (int i = 0; i < 1000000; ++i) {
            const float value = floatOf(nextRandom(state));
            if (std::isnan(value) || std::isinf(value) || std::abs(value) > 3.38e38f) continue;
            QCOMPARE(floatToBf16(value), referenceBf16(value));
        }
    }

    void floatToBf16KeepsNaN() {
        // A low-payload signalling NaN would carry into infinity under plain rounding.
        for (const uint32_t nan : {0x7FC00000u, 0x7F800001u, 0xFF800001u, 0x7FFFFFFFu, 0x7F80FFFFu}) {
            const uint16_t result = floatToBf16(floatOf(nan));
            QVERIFY2(std::isnan(bf16ToFloat(result)), qPrintable(QString::number(nan, 16)));
            QCOMPARE(result & 0x8000, static_cast<int>((nan >> 16) & 0x8000));
        }
    }

    void f16ToFloatMatchesReferenceForEveryPattern() {
        for (uint32_t b = 0; b <= 0xFFFF; ++b) {
            const auto bits = static_cast<uint16_t>(b);
            const float value = f16ToFloat(bits);
            const double expected = referenceHalf(bits);
            if (std::isnan(expected)) {
                QVERIFY(std::isnan(value));
                QCOMPARE(bitsOf(value) >> 31, static_cast<uint32_t>(b >> 15));
            } else {
                QCOMPARE(static_cast<double>(value), expected);
                QCOMPARE(std::signbit(value), std::signbit(expected));  // -0 stays -0
            }
        }
    }

    void floatToF16RoundTripsEveryHalf() {
        for (uint32_t b = 0; b <= 0xFFFF; ++b) {
            const float value = f16ToFloat(static_cast<uint16_t>(b));
            if (std::isnan(value)) {
                QVERIFY(std::isnan(f16ToFloat(floatToF16(value))));
                continue;
            }
            QCOMPARE(floatToF16(value), static_cast<uint16_t>(b));
        }
    }

    // Half-way between two adjacent halves (exact in f32) goes to the even one; a hair either side goes to the
    // nearer. Covers subnormals and the boundary between subnormal and normal halves.
    void floatToF16RoundsToNearestEven() {
        for (uint16_t h = 0; h < 0x7BFF; ++h) {
            const auto next = static_cast<uint16_t>(h + 1);
            const double mid = (static_cast<double>(f16ToFloat(h)) + static_cast<double>(f16ToFloat(next))) / 2;
            const auto midFloat = static_cast<float>(mid);
            QCOMPARE(static_cast<double>(midFloat), mid);
            QCOMPARE(floatToF16(midFloat), (h & 1) ? next : h);
            QCOMPARE(floatToF16(std::nextafter(midFloat, 0.0f)), h);
            QCOMPARE(floatToF16(std::nextafter(midFloat, INFINITY)), next);
            QCOMPARE(floatToF16(-midFloat), static_cast<uint16_t>(((h & 1) ? next : h) | 0x8000));
        }
        // Past the largest half (65504) the next step would be 65536, so 65520 is the tie and goes to infinity.
        QCOMPARE(floatToF16(65520.0f), uint16_t{0x7C00});
        QCOMPARE(floatToF16(std::nextafter(65520.0f, 0.0f)), uint16_t{0x7BFF});
        QCOMPARE(floatToF16(1e10f), uint16_t{0x7C00});
        QCOMPARE(floatToF16(-INFINITY), uint16_t{0xFC00});
        QCOMPARE(floatToF16(floatOf(0x00000001)), uint16_t{0x0000});
        QCOMPARE(floatToF16(-0.0f), uint16_t{0x8000});
        QVERIFY(std::isnan(f16ToFloat(floatToF16(floatOf(0x7F800001)))));  // must not become infinity
    }

#ifdef __FLT16_MANT_DIG__
    // The compiler's own float -> _Float16 conversion (round to nearest even) over a spread of all f32 patterns.
    void floatToF16MatchesCompiler() {
        for (uint64_t b = 0; b <= 0xFFFFFFFFull; b += 997) {
            const float value = floatOf(static_cast<uint32_t>(b));
            if (std::isnan(value)) continue;
            const _Float16 reference = static_cast<_Float16>(value);
            uint16_t expected;
            std::memcpy(&expected, &reference, sizeof expected);
            QCOMPARE(floatToF16(value), expected);
        }
    }
#endif

    void convertToFloatHandlesOddLengthsAndUnalignedSources() {
        for (const DType dtype : {DType::F32, DType::BF16, DType::F16}) {
            for (const int64_t count : {1, 3, 7, 33}) {
                for (const std::size_t misalign : {0, 1, 3}) {
                    const std::size_t size = dtypeSize(dtype);
                    std::vector<unsigned char> buffer(misalign + size * static_cast<std::size_t>(count) + 1);
                    std::vector<float> expected(static_cast<std::size_t>(count));
                    for (std::size_t i = 0; i < expected.size(); ++i) {
                        const float value = 0.37f * static_cast<float>(i) - 2.5f;
                        unsigned char* slot = buffer.data() + misalign + i * size;
                        if (dtype == DType::F32) {
                            std::memcpy(slot, &value, 4);
                            expected[i] = value;
                        } else if (dtype == DType::BF16) {
                            const uint16_t bits = floatToBf16(value);
                            std::memcpy(slot, &bits, 2);
                            expected[i] = bf16ToFloat(bits);
                        } else {
                            const uint16_t bits = floatToF16(value);
                            std::memcpy(slot, &bits, 2);
                            expected[i] = f16ToFloat(bits);
                        }
                    }
                    std::vector<float> out(expected.size() + 1, -7.0f);  // the sentinel must survive
                    convertToFloat(dtype, buffer.data() + misalign, out.data(), count);
                    for (std::size_t i = 0; i < expected.size(); ++i) QCOMPARE(out[i], expected[i]);
                    QCOMPARE(out.back(), -7.0f);
                }
            }
        }
        float untouched = 5.0f;
        convertToFloat(DType::F32, nullptr, &untouched, 0);
        QCOMPARE(untouched, 5.0f);
    }

    void tensorViewHelpers() {
        std::vector<uint16_t> storage(2 * 3 * 4);
        TensorView view{"t", DType::BF16, {2, 3, 4}, storage.data(), storage.size() * 2};
        QCOMPARE(view.numel(), int64_t{24});
        QCOMPARE(view.dim(1), int64_t{3});
        QCOMPARE(view.rowPtr(0, 4), static_cast<const void*>(storage.data()));
        QCOMPARE(view.rowPtr(5, 4), static_cast<const void*>(storage.data() + 20));
        const TensorView scalar{"s", DType::F32, {}, nullptr, 4};
        QCOMPARE(scalar.numel(), int64_t{1});
        const TensorView empty{"e", DType::F32, {4, 0}, nullptr, 0};
        QCOMPARE(empty.numel(), int64_t{0});
    }
};

QTEST_GUILESS_MAIN(TestDtype)
#include "test_dtype.moc"
