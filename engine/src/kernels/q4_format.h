// q4_format.h — the 4-bit weight format "Q4K" (docs/checkpoint-format.md, "4-bit weights"): what its bytes mean, the
// quantizer that writes them and the scalar dequantizer that defines their values. The kernels (q4_scalar.h, the
// SIMD tables) and the checkpoint code share it.
//
// A matrix W [rows, in] is cut along each row into sub-blocks of 32 values (the last one may be shorter) and
// super-blocks of 8 sub-blocks (256 values; a row's last one may hold fewer sub-blocks). Per row:
//   nibbles  ceil(in / 2) bytes: value i is byte i / 2, low nibble for even i, high nibble for odd i; q in 0..15
//            (an odd row's last high nibble is 0)
//   headers  16 bytes per super-block s:
//              0-1   d     f16, little-endian      the sub-blocks' scale unit
//              2-3   dmin  f16                     the sub-blocks' min unit
//              4-11  byte k = (sc_k & 15) | (m_k & 15) << 4        sub-block 8s + k's 6-bit scale and min, low bits
//              12-15 u32 h: bits 4k..4k+1 = sc_k >> 4, bits 4k+2..4k+3 = m_k >> 4     their high bits
//            (slots past the row's last sub-block are 0)
// and W[r, i] = scale_j · q_i - min_j for sub-block j = i / 32, with scale_j = f32(d) · sc_j and min_j = f32(dmin) ·
// m_j: each product is exact in f32 (at most 11 + 6 + 4 significant bits), so the value is one rounding of the
// difference, the same with or without FMA.
#pragma once

#include <cstdint>

namespace rgemma {

inline constexpr int64_t kQ4SubBlock = 32;                                    // values per scale and min
inline constexpr int64_t kQ4SubBlocksPerSuper = 8;                            // sub-blocks per header
inline constexpr int64_t kQ4SuperBlock = kQ4SubBlock * kQ4SubBlocksPerSuper;  // 256 values per header
inline constexpr int64_t kQ4HeaderBytes = 16;

// Bytes of one row's nibbles, and super-blocks (headers) of one row.
inline int64_t q4RowBytes(int64_t in) { return (in + 1) / 2; }
inline int64_t q4SuperBlocks(int64_t in) { return (in + kQ4SuperBlock - 1) / kQ4SuperBlock; }
inline int64_t q4SubBlocks(int64_t in) { return (in + kQ4SubBlock - 1) / kQ4SubBlock; }

// One header decoded: the f32 scale and min of each of its 8 sub-blocks.
struct Q4SubScales {
    float scale[kQ4SubBlocksPerSuper];
    float min[kQ4SubBlocksPerSuper];
};
Q4SubScales decodeQ4Header(const uint8_t* header);
// The 6-bit integers and f16 units into a header's 16 bytes (sc, m in 0..63).
void encodeQ4Header(uint16_t d, uint16_t dmin, const uint8_t sc[kQ4SubBlocksPerSuper],
                    const uint8_t m[kQ4SubBlocksPerSuper], uint8_t* header);

// Quantizes one row w [in] into nibbles [q4RowBytes(in)] and headers [q4SuperBlocks(in) · 16]. Per sub-block, the
// scale and min (min <= 0) that minimise Σ (|w| + rms(w)) · (w - scale·q - min)² over a grid of 21 candidate
// scales, each refined by weighted least squares (llama.cpp's make_qkx2_quants, as its Q4_K uses it); then per
// super-block d = max scale / 63 and dmin = max |min| / 63 (rounded to f16), sc and m rounded to 6 bits, and q
// recomputed with the scales as stored. Returns false, writing nothing meaningful, when a value is not finite or the
// row's scales overflow f16 (|w| beyond ~6e7).
bool quantizeQ4Row(const float* w, int64_t in, uint8_t* nibbles, uint8_t* headers);

// `rows` rows dequantized as defined above: dst [rows, in] f32.
void dequantizeQ4Rows(const uint8_t* nibbles, const uint8_t* headers, int64_t in, int64_t rows, float* dst);

}  // namespace rgemma
