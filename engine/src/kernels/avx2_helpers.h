// avx2_helpers.h — small AVX2 helpers shared by the AVX2 kernel files (lane masks, horizontal sums, storing 8 values
// as f32 or bf16 with a tail). Include only from files compiled with AVX2 flags: everything here has internal linkage
// (see matmul_avx2.cpp for why).
#pragma once

#include <immintrin.h>

#include <cstdint>
#include <cstring>

namespace rgemma {
namespace {

// Lanes [0, left) of an 8-lane vector as a maskload/maskstore mask (all lanes from 8 on, none at <= 0).
inline __m256i laneMask(int64_t left) {
    const int count = left >= 8 ? 8 : left <= 0 ? 0 : static_cast<int>(left);
    return _mm256_cmpgt_epi32(_mm256_set1_epi32(count), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}

// Widens 8 bf16 to f32 exactly: the bf16 bits are the high half of the f32 bits.
inline __m256 loadBf16(const uint16_t* p) {
    const __m128i half = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    return _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_cvtepu16_epi32(half), 16));
}

// One bf16 widened to f32, exactly.
inline float bf16Value(uint16_t bits) {
    const uint32_t widened = static_cast<uint32_t>(bits) << 16;
    float f;
    std::memcpy(&f, &widened, sizeof f);
    return f;
}

// 8 weights of a row as f32, whatever their stored type (the kernels are templates over it).
inline __m256 load8(const float* p) { return _mm256_loadu_ps(p); }
inline __m256 load8(const uint16_t* p) { return loadBf16(p); }
inline __m256 load8(const int8_t* p) {
    return _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(p))));
}
inline float toFloat(float v) { return v; }
inline float toFloat(uint16_t bits) { return bf16Value(bits); }

inline float horizontalSum(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

inline float horizontalMax(__m256 v) {
    __m128 s = _mm_max_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_max_ps(s, _mm_movehl_ps(s, s));
    s = _mm_max_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

// The first min(left, 8) lanes of v stored at dst as f32.
inline void storeF32(float* dst, int64_t left, __m256 v) { _mm256_maskstore_ps(dst, laneMask(left), v); }

// The same rounded to nearest even bf16 (finite values): add 0x7FFF plus the kept part's lowest bit, keep the high
// half; as matmul_avx512.cpp's dequantizeI8Bf16.
inline void storeBf16(uint16_t* dst, int64_t left, __m256 v) {
    const __m256i bits = _mm256_castps_si256(v);
    const __m256i odd = _mm256_and_si256(_mm256_srli_epi32(bits, 16), _mm256_set1_epi32(1));
    const __m256i rounded =
        _mm256_srli_epi32(_mm256_add_epi32(bits, _mm256_add_epi32(odd, _mm256_set1_epi32(0x7FFF))), 16);
    // The high halves, now < 2^16, packed to 16 bits: values 0-3 from the low 128 bits, 4-7 from the high.
    const __m128i halves = _mm_packus_epi32(_mm256_castsi256_si128(rounded), _mm256_extracti128_si256(rounded, 1));
    if (left >= 8) {
        _mm_storeu_si128(reinterpret_cast<__m128i*>(dst), halves);
    } else {
        alignas(16) uint16_t buffer[8];
        _mm_store_si128(reinterpret_cast<__m128i*>(buffer), halves);
        std::memcpy(dst, buffer, static_cast<std::size_t>(left) * sizeof(uint16_t));
    }
}

}  // namespace
}  // namespace rgemma
