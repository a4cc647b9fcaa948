// model_fingerprint.cpp — the canonical serialization a model's fingerprint hashes: config fields in a fixed
// order, then each tensor (sorted by name) with its metadata and sampled content. Change kFingerprintVersion
// whenever what is hashed changes, so that old state files are rejected rather than matched by accident.
#include "state/model_fingerprint.h"

#include <sys/mman.h>
#include <unistd.h>

#include <bit>
#include <cstdint>
#include <cstring>

#include "io/xxhash64.h"

namespace rgemma {

namespace {

constexpr std::string_view kFingerprintVersion = "rgemma-model-fingerprint-1";
constexpr uint64_t kEdgeBytes = 4096;   // hashed at each end of a tensor
constexpr uint64_t kSampleBytes = 256;  // one interior sample
constexpr uint64_t kSamples = 16;       // interior samples, evenly spaced between the two edges

// Feeds both halves of the 128-bit hash the same canonical bytes.
class CanonicalHasher {
  public:
    void bytes(const void* data, std::size_t size) {
        m_low.update(data, size);
        m_high.update(data, size);
    }
    void u64(uint64_t value) { bytes(&value, sizeof value); }  // little-endian: see xxhash64.cpp
    void i64(int64_t value) { u64(static_cast<uint64_t>(value)); }
    void f32(float value) { u64(std::bit_cast<uint32_t>(value)); }
    // Length-prefixed, so that ("ab", "c") and ("a", "bc") differ.
    void text(std::string_view value) {
        u64(value.size());
        bytes(value.data(), value.size());
    }

    std::string hex() const {
        static constexpr char kDigits[] = "0123456789abcdef";
        std::string out;
        for (uint64_t half : {m_high.digest(), m_low.digest()}) {
            for (int shift = 60; shift >= 0; shift -= 4) out += kDigits[(half >> shift) & 0xF];
        }
        return out;
    }

  private:
    Xxh64 m_low{0x5265637572726e74ull};  // two unrelated seeds make two independent 64-bit hashes
    Xxh64 m_high{0x4772696666696e21ull};
};

void hashConfig(CanonicalHasher& h, const ModelConfig& c) {
    for (int64_t value : {c.vocabSize, c.hiddenSize, c.lruWidth, c.numHeads, c.headDim, c.numKvHeads, c.mlpWidth,
                          c.numLayers, c.attentionWindow, c.convWidth}) {
        h.i64(value);
    }
    h.u64(c.blocks.size());
    for (BlockType type : c.blocks) h.text(blockTypeName(type));
    for (float value : {c.logitsSoftCap, c.rmsNormEps, c.ropeTheta, c.partialRotaryFactor}) h.f32(value);
    h.u64(c.embedScaleBySqrtDim ? 1 : 0);
    for (int32_t id : {c.bosId, c.eosId, c.padId}) h.i64(id);
}

// Calls `use(offset, size)` for each byte range of a tensor that the fingerprint reads, in order.
template <class Use>
void forEachSample(uint64_t size, Use&& use) {
    if (size <= 2 * kEdgeBytes + kSamples * kSampleBytes) {
        use(0, size);
        return;
    }
    use(0, kEdgeBytes);
    const uint64_t interior = size - 2 * kEdgeBytes - kSampleBytes;
    for (uint64_t i = 1; i <= kSamples; ++i) use(kEdgeBytes + interior * i / (kSamples + 1), kSampleBytes);
    use(size - kEdgeBytes, kEdgeBytes);
}

// On a cold start each sample is a page fault that waits for the disk, one at a time: thousands of them for a
// 2B checkpoint. Announcing every range first lets the kernel read them all at once. Only a hint: errors (memory
// that is not a file mapping) are ignored.
void prefetch(const TensorView& tensor) {
    static const auto kPage = static_cast<uintptr_t>(::sysconf(_SC_PAGESIZE));
    const auto base = reinterpret_cast<uintptr_t>(tensor.data);
    forEachSample(tensor.byteSize, [&](uint64_t offset, uint64_t size) {
        const uintptr_t first = (base + offset) & ~(kPage - 1);
        ::madvise(reinterpret_cast<void*>(first), base + offset + size - first, MADV_WILLNEED);
    });
}

void hashTensor(CanonicalHasher& h, const TensorView& tensor) {
    h.text(tensor.name);
    h.text(dtypeName(tensor.dtype));
    h.u64(tensor.shape.size());
    for (int64_t dim : tensor.shape) h.i64(dim);
    h.u64(tensor.byteSize);
    const auto* data = static_cast<const std::byte*>(tensor.data);
    forEachSample(tensor.byteSize, [&](uint64_t offset, uint64_t size) { h.bytes(data + offset, size); });
}

}  // namespace

std::string computeModelFingerprint(const ModelConfig& config, const WeightStore& store) {
    CanonicalHasher h;
    h.text(kFingerprintVersion);
    hashConfig(h, config);
    const std::vector<const TensorView*> tensors = store.tensors();  // sorted by name: independent of the sharding
    for (const TensorView* tensor : tensors) prefetch(*tensor);
    h.u64(tensors.size());
    for (const TensorView* tensor : tensors) hashTensor(h, *tensor);
    return h.hex();
}

}  // namespace rgemma
