// xxhash64.h — XXH64, the 64-bit non-cryptographic hash of the xxHash family, written from its published
// specification (xxhash.h / doc/xxhash_spec.md): used for the model fingerprint and the state file's checksum.
// It catches corruption and tells models apart; it is not a defence against a forger (nothing here is).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "rgemma/file_io.h"  // the one-call xxh64

namespace rgemma {

// Streaming XXH64: update() in any pieces gives the same digest as one call over their concatenation.
class Xxh64 {
  public:
    explicit Xxh64(uint64_t seed = 0);
    void update(const void* data, std::size_t size);
    void update(std::string_view bytes) { update(bytes.data(), bytes.size()); }
    uint64_t digest() const;

  private:
    uint64_t m_acc[4];
    uint64_t m_seed;
    uint64_t m_total = 0;
    unsigned char m_buffer[32];
    std::size_t m_buffered = 0;
};

inline uint64_t xxh64(std::string_view bytes, uint64_t seed = 0) { return xxh64(bytes.data(), bytes.size(), seed); }

}  // namespace rgemma
