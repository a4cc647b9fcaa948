// q4_avx2.cpp — the Q4K kernels for AVX2 + FMA + F16C (q4_format.h): the decode matvec on prepared activations
// (1 to kQ4MaxColumns columns, nibbles unpacked in registers) and the row dequantizers into f32 or bf16 tiles for the
// prefill GEMMs. Compiled with -mavx2 -mfma -mf16c (kernels/CMakeLists.txt); internal linkage except the table's
// entries (kernels_avx2.h), see matmul_avx2.cpp for why.
//
// Matvec: a row at a time (one sequential stream, as dotRowI8), per super-block its 8 scales and mins decoded into
// two vectors, per 32 bytes (64 values, two sub-blocks) one 256-bit load whose 8 words are masked 8 times: nibble n
// of word k is value 8k + n, which prepareQ4Activations put at x[8n + k] times 2^-4n, so each step is a mask, a
// conversion and a product with 8 consecutive floats (three instructions per 8 weights). Lanes 0-3 belong to the first
// sub-block and 4-7 to the second, so the pair's scales are one permuted vector. The integer nibbles convert exactly,
// and scale · q is exact in f32 (q4_format.h): the only roundings are the f32 sums, as in the scalar reference
// (q4_scalar.h), in another order.
#include <immintrin.h>

#include <cstdint>
#include <cstring>

#include "kernels/avx2_helpers.h"
#include "kernels/kernels_avx2.h"
#include "kernels/q4_scalar.h"

namespace rgemma {

namespace {

constexpr int64_t kGroupValues = 64;  // values per 32-byte load
constexpr int64_t kGroupBytes = 32;
constexpr int64_t kGroupsPerSuper = kQ4SuperBlock / kGroupValues;

// As matmul_avx2.cpp's decode kernels: ask for the weights 4 KiB ahead of the reads.
constexpr int64_t kPrefetchBytes = 4096;
inline void prefetchLine(const void* base, int64_t offset) {
    const auto at = reinterpret_cast<std::uintptr_t>(base) + static_cast<std::uintptr_t>(offset);
    _mm_prefetch(reinterpret_cast<const char*>(at), _MM_HINT_T0);
}

// A header's 8 sub-block scales and mins (decodeQ4Header's values: f16 units times exact 6-bit integers).
struct SubScales {
    __m256 scale, min;
};
inline SubScales loadSubScales(const uint8_t* header) {
    uint32_t units, high;
    std::memcpy(&units, header, 4);
    std::memcpy(&high, header + 12, 4);
    const __m128 unit = _mm_cvtph_ps(_mm_cvtsi32_si128(static_cast<int>(units)));  // d, dmin, 0, 0
    const __m256i low = _mm256_cvtepu8_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(header + 4)));
    const __m256i highBits =
        _mm256_srlv_epi32(_mm256_set1_epi32(static_cast<int>(high)), _mm256_setr_epi32(0, 4, 8, 12, 16, 20, 24, 28));
    const __m256i three = _mm256_set1_epi32(3);
    const __m256i sc = _mm256_or_si256(_mm256_and_si256(low, _mm256_set1_epi32(15)),
                                       _mm256_slli_epi32(_mm256_and_si256(highBits, three), 4));
    const __m256i m = _mm256_or_si256(_mm256_srli_epi32(low, 4),
                                      _mm256_slli_epi32(_mm256_and_si256(_mm256_srli_epi32(highBits, 2), three), 4));
    return {_mm256_mul_ps(_mm256_cvtepi32_ps(sc), _mm256_broadcastss_ps(unit)),
            _mm256_mul_ps(_mm256_cvtepi32_ps(m), _mm256_broadcastss_ps(_mm_movehdup_ps(unit)))};
}

// The masks of nibbles 0-6 in place, 8 lanes each. Loaded from memory: built with _mm256_set1_epi32, GCC 12
// rematerializes each of them in the loop (movabs, vmovq, vpbroadcastq: three instructions per mask per group).
struct NibbleMasks {
    alignas(32) uint32_t lanes[7][8];
};
constexpr NibbleMasks makeNibbleMasks() {
    NibbleMasks masks{};
    for (int n = 0; n < 7; ++n) {
        for (int k = 0; k < 8; ++k) masks.lanes[n][k] = 15u << 4 * n;
    }
    return masks;
}
constexpr NibbleMasks kNibbleMasks = makeNibbleMasks();

// Nibble n of each 32-bit word of v, as 8 floats of q · 2^4n (n < 7: masked in place, the prepared x carries
// 2^-4n) or q (n = 7: shifted down, which needs no mask).
template <int n>
inline __m256 nibble(__m256i v) {
    if constexpr (n == 7) {
        return _mm256_cvtepi32_ps(_mm256_srli_epi32(v, 28));
    } else {
        const __m256i mask = _mm256_load_si256(reinterpret_cast<const __m256i*>(kNibbleMasks.lanes[n]));
        return _mm256_cvtepi32_ps(_mm256_and_si256(v, mask));
    }
}

// One group of 64 values into acc, for up to 4 columns: per column the 8 products summed in f32 (one column: in two
// chains, to hide the FMA latency; more columns are independent chains already), then times the pair's scales.
template <int kColumns, int n>
inline void nibbleProducts(__m256i v, const float* const x[kColumns], int64_t at, __m256 sums[kColumns][2]) {
    const __m256 level = nibble<n>(v);
    constexpr int chain = kColumns == 1 ? n % 2 : 0;
#pragma GCC unroll 4
    for (int c = 0; c < kColumns; ++c) {
        sums[c][chain] = _mm256_fmadd_ps(level, _mm256_loadu_ps(x[c] + at + 8 * n), sums[c][chain]);
    }
}
template <int kColumns>
inline void groupFewColumns(__m256i v, __m256 scales, const float* const x[kColumns], int64_t at,
                            __m256 acc[kColumns]) {
    __m256 sums[kColumns][2];
#pragma GCC unroll 4
    for (int c = 0; c < kColumns; ++c) sums[c][0] = sums[c][1] = _mm256_setzero_ps();
    nibbleProducts<kColumns, 0>(v, x, at, sums);
    nibbleProducts<kColumns, 1>(v, x, at, sums);
    nibbleProducts<kColumns, 2>(v, x, at, sums);
    nibbleProducts<kColumns, 3>(v, x, at, sums);
    nibbleProducts<kColumns, 4>(v, x, at, sums);
    nibbleProducts<kColumns, 5>(v, x, at, sums);
    nibbleProducts<kColumns, 6>(v, x, at, sums);
    nibbleProducts<kColumns, 7>(v, x, at, sums);
#pragma GCC unroll 4
    for (int c = 0; c < kColumns; ++c) {
        const __m256 sum = kColumns == 1 ? _mm256_add_ps(sums[c][0], sums[c][1]) : sums[c][0];
        acc[c] = _mm256_fmadd_ps(sum, scales, acc[c]);
    }
}

// The same for more columns, where 2 · kColumns running sums would not fit the 16 registers: each nibble vector
// times the scales once (exact), then one product per column straight into its accumulator.
template <int kColumns, int n>
inline void nibbleColumns(__m256i v, __m256 scales, const float* const x[kColumns], int64_t at, __m256 acc[kColumns]) {
    const __m256 scaled = _mm256_mul_ps(nibble<n>(v), scales);
#pragma GCC unroll 8
    for (int c = 0; c < kColumns; ++c) acc[c] = _mm256_fmadd_ps(scaled, _mm256_loadu_ps(x[c] + at + 8 * n), acc[c]);
}
template <int kColumns>
inline void groupManyColumns(__m256i v, __m256 scales, const float* const x[kColumns], int64_t at,
                             __m256 acc[kColumns]) {
    nibbleColumns<kColumns, 0>(v, scales, x, at, acc);
    nibbleColumns<kColumns, 1>(v, scales, x, at, acc);
    nibbleColumns<kColumns, 2>(v, scales, x, at, acc);
    nibbleColumns<kColumns, 3>(v, scales, x, at, acc);
    nibbleColumns<kColumns, 4>(v, scales, x, at, acc);
    nibbleColumns<kColumns, 5>(v, scales, x, at, acc);
    nibbleColumns<kColumns, 6>(v, scales, x, at, acc);
    nibbleColumns<kColumns, 7>(v, scales, x, at, acc);
}

// The 32 bytes of group g of a row of `rowBytes` bytes; the row's last, short group is copied into `tail` (zeros
// past the row: their x is 0), so no read passes the row.
inline __m256i loadGroup(const uint8_t* row, int64_t g, int64_t rowBytes, uint8_t tail[kGroupBytes]) {
    const int64_t at = g * kGroupBytes;
    if (at + kGroupBytes <= rowBytes) return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(row + at));
    std::memset(tail, 0, kGroupBytes);
    std::memcpy(tail, row + at, static_cast<std::size_t>(rowBytes - at));
    return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(tail));
}

// The scales of sub-blocks 2p (lanes 0-3) and 2p + 1 (lanes 4-7): group p of a super-block.
template <int p>
inline __m256 pairScales(__m256 scales) {
    return _mm256_permutevar8x32_ps(
        scales, _mm256_setr_epi32(2 * p, 2 * p, 2 * p, 2 * p, 2 * p + 1, 2 * p + 1, 2 * p + 1, 2 * p + 1));
}
inline __m256 pairScales(__m256 scales, int64_t p) {
    const __m256i pair =
        _mm256_add_epi32(_mm256_setr_epi32(0, 0, 0, 0, 1, 1, 1, 1), _mm256_set1_epi32(static_cast<int>(2 * p)));
    return _mm256_permutevar8x32_ps(scales, pair);
}

template <int kColumns>
inline void group(__m256i v, __m256 scales, const float* const x[kColumns], int64_t at, __m256 acc[kColumns]) {
    if constexpr (kColumns <= 4) {
        groupFewColumns<kColumns>(v, scales, x, at, acc);
    } else {
        groupManyColumns<kColumns>(v, scales, x, at, acc);
    }
}

// One row's super-block s: its 4 groups (all inside the row when `whole`; else as many as the row has, the last
// one through loadGroup's copy), then its mins.
template <int kColumns, bool whole>
inline void superBlock(const uint8_t* row, const uint8_t* headers, int64_t in, int64_t s,
                       const float* const x[kColumns], int64_t sums, __m256 acc[kColumns]) {
    const uint8_t* header = headers + s * kQ4HeaderBytes;
    const uint8_t* bytes = row + s * (kQ4SuperBlock / 2);
    prefetchLine(bytes, kPrefetchBytes);
    prefetchLine(bytes, kPrefetchBytes + 64);
    prefetchLine(header, kPrefetchBytes / 8);
    const SubScales sub = loadSubScales(header);
    const int64_t at = s * kQ4SuperBlock;
    if constexpr (whole) {
        const auto load = [bytes](int p) {
            return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(bytes + p * kGroupBytes));
        };
        group<kColumns>(load(0), pairScales<0>(sub.scale), x, at, acc);
        group<kColumns>(load(1), pairScales<1>(sub.scale), x, at + kGroupValues, acc);
        group<kColumns>(load(2), pairScales<2>(sub.scale), x, at + 2 * kGroupValues, acc);
        group<kColumns>(load(3), pairScales<3>(sub.scale), x, at + 3 * kGroupValues, acc);
    } else {
        alignas(32) uint8_t tail[kGroupBytes];
        const int64_t groups = (in - at + kGroupValues - 1) / kGroupValues;
        for (int64_t p = 0; p < groups; ++p) {
            const int64_t g = s * kGroupsPerSuper + p;
            group<kColumns>(loadGroup(row, g, q4RowBytes(in), tail), pairScales(sub.scale, p), x, g * kGroupValues,
                            acc);
        }
    }
#pragma GCC unroll 8
    for (int c = 0; c < kColumns; ++c) {
        acc[c] = _mm256_fnmadd_ps(sub.min, _mm256_loadu_ps(x[c] + sums + s * kQ4SubBlocksPerSuper), acc[c]);
    }
}

// Σ over one row for each column, into y[c · ldy]. The mins' term goes into the same accumulators (- min_j · sum_j).
template <int kColumns>
void dotRow(const uint8_t* row, const uint8_t* headers, int64_t in, const float* prepared, float* y, int64_t ldy) {
    const int64_t supers = q4SuperBlocks(in), whole = in / kQ4SuperBlock;
    const int64_t stride = q4PreparedFloats(in), sums = q4PreparedSumsOffset(in);
    const float* x[kColumns];
#pragma GCC unroll 8
    for (int c = 0; c < kColumns; ++c) x[c] = prepared + c * stride;
    __m256 acc[kColumns];
#pragma GCC unroll 8
    for (int c = 0; c < kColumns; ++c) acc[c] = _mm256_setzero_ps();
    for (int64_t s = 0; s < whole; ++s) superBlock<kColumns, true>(row, headers, in, s, x, sums, acc);
    if (whole < supers) superBlock<kColumns, false>(row, headers, in, whole, x, sums, acc);
#pragma GCC unroll 8
    for (int c = 0; c < kColumns; ++c) y[c * ldy] = horizontalSum(acc[c]);
}

template <int kColumns>
void matvecRows(const uint8_t* q, const uint8_t* headers, int64_t in, int64_t rowBegin, int64_t rowEnd,
                const float* prepared, float* y, int64_t ldy) {
    const int64_t supers = q4SuperBlocks(in);
    for (int64_t r = rowBegin; r < rowEnd; ++r) {
        dotRow<kColumns>(q + r * q4RowBytes(in), headers + r * supers * kQ4HeaderBytes, in, prepared, y + r - rowBegin,
                         ldy);
    }
}

// dst[r, i] for `rows` rows: per sub-block its 16 bytes split into low and high nibbles, interleaved back into value
// order (unpack within each 128-bit half), widened 8 at a time and scaled: scale · q - min, one rounding as in
// dequantizeQ4Rows (the product is exact).
template <typename Store>
void dequantizeRows(const uint8_t* q, const uint8_t* headers, int64_t in, int64_t rows, Store store) {
    const int64_t rowBytes = q4RowBytes(in), supers = q4SuperBlocks(in), subBlocks = q4SubBlocks(in);
    const __m128i lowMask = _mm_set1_epi8(15);
    for (int64_t r = 0; r < rows; ++r) {
        const uint8_t* row = q + r * rowBytes;
        for (int64_t s = 0; s < supers; ++s) {
            const SubScales sub = loadSubScales(headers + (r * supers + s) * kQ4HeaderBytes);
            for (int64_t k = 0; k < kQ4SubBlocksPerSuper && s * kQ4SubBlocksPerSuper + k < subBlocks; ++k) {
                const int64_t begin = (s * kQ4SubBlocksPerSuper + k) * kQ4SubBlock, byte = begin / 2;
                alignas(16) uint8_t tail[16] = {};
                const uint8_t* bytes = row + byte;
                if (byte + 16 > rowBytes) {
                    std::memcpy(tail, bytes, static_cast<std::size_t>(rowBytes - byte));
                    bytes = tail;
                }
                const __m128i packed = _mm_loadu_si128(reinterpret_cast<const __m128i*>(bytes));
                const __m128i low = _mm_and_si128(packed, lowMask);
                const __m128i high = _mm_and_si128(_mm_srli_epi16(packed, 4), lowMask);
                const __m128i values[2] = {_mm_unpacklo_epi8(low, high), _mm_unpackhi_epi8(low, high)};
                const __m256 scale = _mm256_permutevar8x32_ps(sub.scale, _mm256_set1_epi32(static_cast<int>(k)));
                const __m256 min = _mm256_permutevar8x32_ps(sub.min, _mm256_set1_epi32(static_cast<int>(k)));
                for (int64_t j = 0; j < kQ4SubBlock && begin + j < in; j += 8) {
                    const __m128i eight = j % 16 == 0 ? values[j / 16] : _mm_srli_si128(values[j / 16], 8);
                    const __m256 level = _mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(eight));
                    store(r * in + begin + j, in - begin - j, _mm256_fmsub_ps(level, scale, min));
                }
            }
        }
    }
}

}  // namespace

void avx2::matvecQ4(const uint8_t* q, const uint8_t* headers, int64_t in, int64_t rowBegin, int64_t rowEnd,
                    const float* prepared, int64_t columns, float* y, int64_t ldy) {
    switch (columns) {
        case 1:
            return matvecRows<1>(q, headers, in, rowBegin, rowEnd, prepared, y, ldy);
        case 2:
            return matvecRows<2>(q, headers, in, rowBegin, rowEnd, prepared, y, ldy);
        case 3:
            return matvecRows<3>(q, headers, in, rowBegin, rowEnd, prepared, y, ldy);
        case 4:
            return matvecRows<4>(q, headers, in, rowBegin, rowEnd, prepared, y, ldy);
        case 5:
            return matvecRows<5>(q, headers, in, rowBegin, rowEnd, prepared, y, ldy);
        case 6:
            return matvecRows<6>(q, headers, in, rowBegin, rowEnd, prepared, y, ldy);
        case 7:
            return matvecRows<7>(q, headers, in, rowBegin, rowEnd, prepared, y, ldy);
        case 8:
            return matvecRows<8>(q, headers, in, rowBegin, rowEnd, prepared, y, ldy);
        default:
            return;  // columns is 1..kQ4MaxColumns by contract
    }
}

void avx2::dequantizeQ4(const uint8_t* q, const uint8_t* headers, int64_t in, int64_t rows, float* dst) {
    dequantizeRows(q, headers, in, rows, [dst](int64_t at, int64_t left, __m256 v) { storeF32(dst + at, left, v); });
}

void avx2::dequantizeQ4Bf16(const uint8_t* q, const uint8_t* headers, int64_t in, int64_t rows, uint16_t* dst) {
    dequantizeRows(q, headers, in, rows, [dst](int64_t at, int64_t left, __m256 v) { storeBf16(dst + at, left, v); });
}

}  // namespace rgemma
