// xxhash64.cpp — XXH64 (ref: xxHash doc/xxhash_spec.md "XXH64 Algorithm Description"): four 64-bit lanes over
// 32-byte stripes, then the tail in 8-, 4- and 1-byte steps, then the avalanche.
#include "io/xxhash64.h"

#include <algorithm>
#include <bit>
#include <cstring>

namespace rgemma {

namespace {

static_assert(std::endian::native == std::endian::little, "XXH64 reads lanes little-endian");

constexpr uint64_t kPrime1 = 0x9E3779B185EBCA87ull;
constexpr uint64_t kPrime2 = 0xC2B2AE3D27D4EB4Full;
constexpr uint64_t kPrime3 = 0x165667B19E3779F9ull;
constexpr uint64_t kPrime4 = 0x85EBCA77C2B2AE63ull;
constexpr uint64_t kPrime5 = 0x27D4EB2F165667C5ull;

uint64_t read64(const unsigned char* p) {
    uint64_t v;
    std::memcpy(&v, p, sizeof v);
    return v;
}

uint32_t read32(const unsigned char* p) {
    uint32_t v;
    std::memcpy(&v, p, sizeof v);
    return v;
}

uint64_t round(uint64_t acc, uint64_t input) {
    acc += input * kPrime2;
    return std::rotl(acc, 31) * kPrime1;
}

uint64_t mergeRound(uint64_t acc, uint64_t lane) {
    acc ^= round(0, lane);
    return acc * kPrime1 + kPrime4;
}

void consumeStripe(uint64_t (&acc)[4], const unsigned char* p) {
    for (int i = 0; i < 4; ++i) acc[i] = round(acc[i], read64(p + 8 * i));
}

}  // namespace

Xxh64::Xxh64(uint64_t seed)
    : m_acc{seed + kPrime1 + kPrime2, seed + kPrime2, seed, seed - kPrime1}, m_seed(seed), m_buffer{} {}

void Xxh64::update(const void* data, std::size_t size) {
    const auto* p = static_cast<const unsigned char*>(data);
    m_total += size;
    if (m_buffered > 0) {
        const std::size_t take = std::min(size, sizeof m_buffer - m_buffered);
        std::memcpy(m_buffer + m_buffered, p, take);
        m_buffered += take;
        p += take;
        size -= take;
        if (m_buffered < sizeof m_buffer) return;
        consumeStripe(m_acc, m_buffer);
        m_buffered = 0;
    }
    for (; size >= 32; p += 32, size -= 32) consumeStripe(m_acc, p);
    std::memcpy(m_buffer, p, size);
    m_buffered = size;
}

uint64_t Xxh64::digest() const {
    uint64_t h;
    if (m_total >= 32) {
        h = std::rotl(m_acc[0], 1) + std::rotl(m_acc[1], 7) + std::rotl(m_acc[2], 12) + std::rotl(m_acc[3], 18);
        for (uint64_t lane : m_acc) h = mergeRound(h, lane);
    } else {
        h = m_seed + kPrime5;
    }
    h += m_total;

    const unsigned char* p = m_buffer;
    std::size_t left = m_buffered;
    for (; left >= 8; p += 8, left -= 8) {
        h ^= round(0, read64(p));
        h = std::rotl(h, 27) * kPrime1 + kPrime4;
    }
    if (left >= 4) {
        h ^= static_cast<uint64_t>(read32(p)) * kPrime1;
        h = std::rotl(h, 23) * kPrime2 + kPrime3;
        p += 4;
        left -= 4;
    }
    for (; left > 0; ++p, --left) {
        h ^= *p * kPrime5;
        h = std::rotl(h, 11) * kPrime1;
    }

    h ^= h >> 33;
    h *= kPrime2;
    h ^= h >> 29;
    h *= kPrime3;
    h ^= h >> 32;
    return h;
}

uint64_t xxh64(const void* data, std::size_t size, uint64_t seed) {
    Xxh64 hash(seed);
    hash.update(data, size);
    return hash.digest();
}

}  // namespace rgemma
