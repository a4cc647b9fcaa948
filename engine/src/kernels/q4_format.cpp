// q4_format.cpp — the Q4K quantizer and scalar dequantizer (q4_format.h). Compiled for baseline x86-64 (no FMA, so
// the bytes written do not depend on the CPU): the quantizer's f32 arithmetic is the one
// tools/quant_study/fake_quantize.py measured (scheme q4_ks); its search runs a super-block's 8 sub-blocks side by
// side, which gives the same bits as one by one (test_kernels_q4) at ~6x the speed.
#include "kernels/q4_format.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "io/dtype_convert.h"

namespace rgemma {

namespace {

constexpr int kLevels = 15;  // q in 0..15
constexpr int kSubScaleMax = 63;

uint16_t readU16(const uint8_t* p) { return static_cast<uint16_t>(p[0] | p[1] << 8); }
uint32_t readU32(const uint8_t* p) {
    return static_cast<uint32_t>(p[0]) | static_cast<uint32_t>(p[1]) << 8 | static_cast<uint32_t>(p[2]) << 16 |
           static_cast<uint32_t>(p[3]) << 24;
}

// std::min and std::max on values (NaN handled as they do): GCC if-converts and vectorises these, not the references.
float minOf(float a, float b) { return b < a ? b : a; }
float maxOf(float a, float b) { return a < b ? b : a; }

// round(clamp((x - offset) · inverse, 0, 15)), ties to even: nearbyint's value in the default rounding mode (clamping
// first changes nothing there), without its libm call, which saves and restores the rounding mode each time and
// was most of the quantizer's time. Adding and subtracting 1.5 · 2^23 leaves the nearest integer of a value in
// [0, 15]: the f32 sum rounds at the units' place. GCC folds the pair only under -ffast-math, which we never use.
float quantizeLevel(float x, float inverse, float offset) {
    constexpr float kRound = 0x1.8p23f;
    return (minOf(maxOf((x - offset) * inverse, 0.0f), static_cast<float>(kLevels)) + kRound) - kRound;
}

// A sub-block's scale and min, and the weighted squared error they leave.
struct Fit {
    float scale, min, error;
};

// One sub-block's scale and min (min <= 0): the block's range first, then 21 grids of (14 + 0.1 k) / range steps
// from the range's low end, each refined by the weighted least-squares scale and min of its levels; the fit of least
// weighted squared error wins. ref: llama.cpp ggml-quants.c make_qkx2_quants (nmax 15, rmin -1, rdelta 0.1,
// nstep 20), as quantize_row_q4_K_ref calls it, with the grid kept on the block's range.
Fit searchScaleMin(const float* x, int64_t n) {
    float low = x[0], high = x[0], squares = 0;
    for (int64_t i = 0; i < n; ++i) {
        low = std::min(low, x[i]);
        high = std::max(high, x[i]);
        squares += x[i] * x[i];
    }
    low = std::min(low, 0.0f);
    if (!(high > low)) return {0.0f, low, 0.0f};
    const float rms = std::sqrt(squares / static_cast<float>(n));
    float weights[kQ4SubBlock];
    float sumW = 0, sumX = 0;
    for (int64_t i = 0; i < n; ++i) {
        weights[i] = rms + std::fabs(x[i]);
        sumW += weights[i];
        sumX += weights[i] * x[i];
    }
    const float range = high - low;
    // Σ weights · (scale · l + min - x)² for the levels l of one grid (as the engine computes it, in index order).
    float levels[kQ4SubBlock];
    const auto errorOf = [&](float scale, float min) {
        float error = 0;
        for (int64_t i = 0; i < n; ++i) {
            const float diff = scale * levels[i] + min - x[i];
            error += weights[i] * diff * diff;
        }
        return error;
    };
    Fit best{range / kLevels, low, 0.0f};
    const float firstInverse = 1.0f / best.scale;
    for (int64_t i = 0; i < n; ++i) levels[i] = quantizeLevel(x[i], firstInverse, low);
    best.error = errorOf(best.scale, best.min);
    for (int step = 0; step <= 20; ++step) {
        const float inverse = (-1.0f + 0.1f * static_cast<float>(step) + kLevels) / range;
        float sumL = 0, sumL2 = 0, sumXL = 0;
        for (int64_t i = 0; i < n; ++i) {
            const float l = quantizeLevel(x[i], inverse, low);
            levels[i] = l;
            sumL += weights[i] * l;
            sumL2 += weights[i] * l * l;
            sumXL += weights[i] * l * x[i];
        }
        const float det = sumW * sumL2 - sumL * sumL;
        if (!(det > 0)) continue;
        float scale = (sumW * sumXL - sumX * sumL) / det;
        float min = (sumL2 * sumX - sumL * sumXL) / det;
        if (min > 0) {  // the format's mins are <= 0: refit the scale alone
            min = 0;
            scale = sumXL / sumL2;
        }
        if (const float error = errorOf(scale, min); error < best.error) best = {scale, min, error};
    }
    return best;
}

// searchScaleMin for the 8 sub-blocks of one full super-block (256 values) at once, lane k being sub-block k: each
// lane does the scalar search's arithmetic in its order (no FMA at the baseline level), so the fits are the same
// bit for bit, but every step runs over 8 sub-blocks side by side, which the compiler turns into SIMD.
void searchScaleMins(const float* x, Fit fits[kQ4SubBlocksPerSuper]) {
    constexpr int64_t kLanes = kQ4SubBlocksPerSuper, n = kQ4SubBlock;
    float xt[n][kLanes];  // xt[i][k] = value i of sub-block k
    for (int64_t k = 0; k < kLanes; ++k) {
        for (int64_t i = 0; i < n; ++i) xt[i][k] = x[k * n + i];
    }
    float low[kLanes], high[kLanes], squares[kLanes];
    for (int64_t k = 0; k < kLanes; ++k) low[k] = high[k] = xt[0][k], squares[k] = 0;
    for (int64_t i = 0; i < n; ++i) {
        for (int64_t k = 0; k < kLanes; ++k) {
            low[k] = minOf(low[k], xt[i][k]);
            high[k] = maxOf(high[k], xt[i][k]);
            squares[k] += xt[i][k] * xt[i][k];
        }
    }
    float weights[n][kLanes], sumW[kLanes], sumX[kLanes], range[kLanes], rms[kLanes];
    for (int64_t k = 0; k < kLanes; ++k) {
        low[k] = minOf(low[k], 0.0f);
        rms[k] = std::sqrt(squares[k] / static_cast<float>(n));
        range[k] = high[k] - low[k];
        sumW[k] = sumX[k] = 0;
    }
    for (int64_t i = 0; i < n; ++i) {
        for (int64_t k = 0; k < kLanes; ++k) {
            weights[i][k] = rms[k] + std::fabs(xt[i][k]);
            sumW[k] += weights[i][k];
            sumX[k] += weights[i][k] * xt[i][k];
        }
    }
    // The levels of one grid per lane, and Σ weights · (scale · l + min - x)² for them, in index order.
    float levels[n][kLanes], error[kLanes];
    const auto errorOf = [&](const float* scale, const float* min) {
        for (int64_t k = 0; k < kLanes; ++k) error[k] = 0;
        for (int64_t i = 0; i < n; ++i) {
            for (int64_t k = 0; k < kLanes; ++k) {
                const float diff = scale[k] * levels[i][k] + min[k] - xt[i][k];
                error[k] += weights[i][k] * diff * diff;
            }
        }
    };
    float bestScale[kLanes], bestMin[kLanes], bestError[kLanes], inverse[kLanes];
    for (int64_t k = 0; k < kLanes; ++k) {
        bestScale[k] = range[k] / kLevels;
        bestMin[k] = low[k];
        inverse[k] = 1.0f / bestScale[k];
    }
    for (int64_t i = 0; i < n; ++i) {
        for (int64_t k = 0; k < kLanes; ++k) levels[i][k] = quantizeLevel(xt[i][k], inverse[k], low[k]);
    }
    errorOf(bestScale, bestMin);
    for (int64_t k = 0; k < kLanes; ++k) bestError[k] = error[k];
    for (int step = 0; step <= 20; ++step) {
        float sumL[kLanes], sumL2[kLanes], sumXL[kLanes], scale[kLanes], min[kLanes], det[kLanes];
        for (int64_t k = 0; k < kLanes; ++k) {
            inverse[k] = (-1.0f + 0.1f * static_cast<float>(step) + kLevels) / range[k];
            sumL[k] = sumL2[k] = sumXL[k] = 0;
        }
        for (int64_t i = 0; i < n; ++i) {
            for (int64_t k = 0; k < kLanes; ++k) {
                const float l = quantizeLevel(xt[i][k], inverse[k], low[k]);
                levels[i][k] = l;
                sumL[k] += weights[i][k] * l;
                sumL2[k] += weights[i][k] * l * l;
                sumXL[k] += weights[i][k] * l * xt[i][k];
            }
        }
        for (int64_t k = 0; k < kLanes; ++k) {
            det[k] = sumW[k] * sumL2[k] - sumL[k] * sumL[k];
            const float fitScale = (sumW[k] * sumXL[k] - sumX[k] * sumL[k]) / det[k];
            const float fitMin = (sumL2[k] * sumX[k] - sumL[k] * sumXL[k]) / det[k];
            // the format's mins are <= 0: refit the scale alone
            min[k] = fitMin > 0 ? 0.0f : fitMin;
            scale[k] = fitMin > 0 ? sumXL[k] / sumL2[k] : fitScale;
        }
        errorOf(scale, min);
        for (int64_t k = 0; k < kLanes; ++k) {
            const bool better = det[k] > 0 && error[k] < bestError[k];
            bestScale[k] = better ? scale[k] : bestScale[k];
            bestMin[k] = better ? min[k] : bestMin[k];
            bestError[k] = better ? error[k] : bestError[k];
        }
    }
    for (int64_t k = 0; k < kLanes; ++k) {
        fits[k] = high[k] > low[k] ? Fit{bestScale[k], bestMin[k], bestError[k]} : Fit{0.0f, low[k], 0.0f};
    }
}

// sc = round(63 · v / max) capped at 63, and the f16 unit max / 63; false when the unit overflows f16.
bool sixBitScales(const float* values, int64_t count, uint8_t* out, uint16_t& unit) {
    float top = 0;
    for (int64_t k = 0; k < count; ++k) top = std::max(top, values[k]);
    unit = floatToF16(top / kSubScaleMax);
    if (!std::isfinite(f16ToFloat(unit))) return false;
    const float inverse = top > 0 ? kSubScaleMax / top : 0.0f;
    for (int64_t k = 0; k < kQ4SubBlocksPerSuper; ++k) {
        out[k] =
            k < count ? static_cast<uint8_t>(std::min<float>(kSubScaleMax, std::nearbyint(inverse * values[k]))) : 0;
    }
    return true;
}

}  // namespace

Q4SubScales decodeQ4Header(const uint8_t* header) {
    const float d = f16ToFloat(readU16(header)), dmin = f16ToFloat(readU16(header + 2));
    const uint32_t high = readU32(header + 12);
    Q4SubScales s;
    for (int k = 0; k < kQ4SubBlocksPerSuper; ++k) {
        const uint8_t low = header[4 + k];
        const auto sc = static_cast<float>((low & 15) | ((high >> (4 * k)) & 3) << 4);
        const auto m = static_cast<float>((low >> 4) | ((high >> (4 * k + 2)) & 3) << 4);
        s.scale[k] = d * sc;
        s.min[k] = dmin * m;
    }
    return s;
}

void encodeQ4Header(uint16_t d, uint16_t dmin, const uint8_t sc[kQ4SubBlocksPerSuper],
                    const uint8_t m[kQ4SubBlocksPerSuper], uint8_t* header) {
    header[0] = static_cast<uint8_t>(d);
    header[1] = static_cast<uint8_t>(d >> 8);
    header[2] = static_cast<uint8_t>(dmin);
    header[3] = static_cast<uint8_t>(dmin >> 8);
    uint32_t high = 0;
    for (int k = 0; k < kQ4SubBlocksPerSuper; ++k) {
        header[4 + k] = static_cast<uint8_t>((sc[k] & 15) | (m[k] & 15) << 4);
        high |= static_cast<uint32_t>((sc[k] >> 4) & 3) << (4 * k) | static_cast<uint32_t>((m[k] >> 4) & 3)
                                                                         << (4 * k + 2);
    }
    for (int b = 0; b < 4; ++b) header[12 + b] = static_cast<uint8_t>(high >> (8 * b));
}

bool quantizeQ4Row(const float* w, int64_t in, uint8_t* nibbles, uint8_t* headers) {
    if (in <= 0) return in == 0;
    for (int64_t i = 0; i < in; ++i) {
        if (!std::isfinite(w[i])) return false;
    }
    std::memset(nibbles, 0, static_cast<std::size_t>(q4RowBytes(in)));
    for (int64_t s = 0; s < q4SuperBlocks(in); ++s) {
        const int64_t first = s * kQ4SubBlocksPerSuper;
        const int64_t count = std::min(kQ4SubBlocksPerSuper, q4SubBlocks(in) - first);
        float scales[kQ4SubBlocksPerSuper], negMins[kQ4SubBlocksPerSuper];
        Fit fits[kQ4SubBlocksPerSuper];
        if (s * kQ4SuperBlock + kQ4SuperBlock <= in) {
            searchScaleMins(w + s * kQ4SuperBlock, fits);
        } else {  // a row's short last super-block
            for (int64_t k = 0; k < count; ++k) {
                const int64_t begin = (first + k) * kQ4SubBlock;
                fits[k] = searchScaleMin(w + begin, std::min(kQ4SubBlock, in - begin));
            }
        }
        for (int64_t k = 0; k < count; ++k) {
            scales[k] = fits[k].scale;
            negMins[k] = -fits[k].min;
        }
        uint8_t sc[kQ4SubBlocksPerSuper], m[kQ4SubBlocksPerSuper];
        uint16_t d = 0, dmin = 0;
        if (!sixBitScales(scales, count, sc, d) || !sixBitScales(negMins, count, m, dmin)) return false;
        uint8_t* header = headers + s * kQ4HeaderBytes;
        encodeQ4Header(d, dmin, sc, m, header);
        // q again, with the scales and mins as stored.
        const Q4SubScales stored = decodeQ4Header(header);
        for (int64_t k = 0; k < count; ++k) {
            const float scale = stored.scale[k], inverse = scale > 0 ? 1.0f / scale : 0.0f;
            const int64_t begin = (first + k) * kQ4SubBlock, end = std::min(in, begin + kQ4SubBlock);
            for (int64_t i = begin; i < end; ++i) {
                const auto q = static_cast<uint8_t>(quantizeLevel(w[i], inverse, -stored.min[k]));
                nibbles[i / 2] |= static_cast<uint8_t>(i % 2 == 0 ? q : q << 4);
            }
        }
    }
    return true;
}

void dequantizeQ4Rows(const uint8_t* nibbles, const uint8_t* headers, int64_t in, int64_t rows, float* dst) {
    for (int64_t r = 0; r < rows; ++r) {
        const uint8_t* row = nibbles + r * q4RowBytes(in);
        for (int64_t s = 0; s < q4SuperBlocks(in); ++s) {
            const Q4SubScales scales = decodeQ4Header(headers + (r * q4SuperBlocks(in) + s) * kQ4HeaderBytes);
            const int64_t end = std::min(in, (s + 1) * kQ4SuperBlock);
            for (int64_t i = s * kQ4SuperBlock; i < end; ++i) {
                const int q = i % 2 == 0 ? row[i / 2] & 15 : row[i / 2] >> 4;
                const int64_t k = (i / kQ4SubBlock) % kQ4SubBlocksPerSuper;
                dst[r * in + i] = scales.scale[k] * static_cast<float>(q) - scales.min[k];
            }
        }
    }
}

}  // namespace rgemma
