// avx512_helpers.h — small AVX-512 helpers shared by the AVX-512 kernel files (lane masks, horizontal sums).
// Include only from files compiled with AVX-512 flags: everything here has internal linkage (see matmul_avx2.cpp
// for why).
#pragma once

#include <immintrin.h>

#include <cstdint>

namespace rgemma {
namespace {

// Every lane. Several intrinsics are used in their zero-masked form with this mask: the plain ones start from
// _mm512_undefined_*(), which GCC 12 reports as an uninitialized read (GCC bug 105593).
constexpr auto kAll = static_cast<__mmask16>(0xFFFF);

// The first `count` (< 16) lanes.
inline __mmask16 firstLanes(int64_t count) { return static_cast<__mmask16>((1u << count) - 1u); }

// Lanes [0, left) of one 16-lane vector; none when left <= 0.
inline __mmask16 laneMask(int64_t left) { return left >= 16 ? kAll : left <= 0 ? 0 : firstLanes(left); }

// The 16 lanes folded pairwise with `op8` (two 8-lane halves) and then `op4` (4, 2, 1 lanes), as
// _mm512_reduce_add_ps does; that intrinsic's extract trips the GCC 12 warning above.
template <typename Op8, typename Op4>
inline float foldLanes(__m512 v, Op8 op8, Op4 op4) {
    const __m256 halves = op8(_mm512_maskz_extractf32x8_ps(0xFF, v, 0), _mm512_maskz_extractf32x8_ps(0xFF, v, 1));
    __m128 s = op4(_mm256_castps256_ps128(halves), _mm256_extractf128_ps(halves, 1));
    s = op4(s, _mm_movehl_ps(s, s));
    s = op4(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

// Σ of the 16 lanes.
inline float horizontalSum(__m512 v) {
    return foldLanes(
        v, [](__m256 a, __m256 b) { return _mm256_add_ps(a, b); }, [](__m128 a, __m128 b) { return _mm_add_ps(a, b); });
}

// The largest of the 16 lanes.
inline float horizontalMax(__m512 v) {
    return foldLanes(
        v, [](__m256 a, __m256 b) { return _mm256_max_ps(a, b); }, [](__m128 a, __m128 b) { return _mm_max_ps(a, b); });
}

// Asks for the cache lines of `bytes` bytes from `offset` bytes past `base`, ahead of use. A prefetch never faults,
// so the range may lie past the end of the data (the address is computed as an integer, never as a pointer past it).
inline void prefetchLines(const void* base, int64_t offset, int64_t bytes) {
    const auto start = reinterpret_cast<std::uintptr_t>(base) + static_cast<std::uintptr_t>(offset);
    for (int64_t at = 0; at < bytes; at += 64) {
        _mm_prefetch(reinterpret_cast<const char*>(start + static_cast<std::uintptr_t>(at)), _MM_HINT_T0);
    }
}

}  // namespace
}  // namespace rgemma
