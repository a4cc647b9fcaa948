// random_weights.cpp — writeRandomWeights (rgemma/checkpoint.h): the tensors of the checkpoint table filled with
// seeded random values by role, streamed into sharded safetensors files.
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <vector>

#include "checkpoint/checkpoint_schema.h"
#include "io/dtype_convert.h"
#include "io/safetensors_writer.h"
#include "io/xxhash64.h"
#include "rgemma/checkpoint.h"

namespace rgemma {

namespace {

struct Init {
    enum Kind { Normal, Uniform } kind = Normal;
    float a = 0.0f;  // Normal: standard deviation; Uniform: low end
    float b = 0.0f;  // Uniform: high end
};

// Norm scales and conv taps ~N(0, 0.1), the a-param ~U(-6, 1) as in the golden cases, everything else ~N(0, 0.02).
Init initOf(TensorRole role) {
    switch (role) {
        case TensorRole::Norm:
        case TensorRole::ConvWeight:
            return {Init::Normal, 0.1f};
        case TensorRole::RecurrentParam:
            return {Init::Uniform, -6.0f, 1.0f};
        default:
            return {Init::Normal, 0.02f};
    }
}

uint64_t elements(const TensorSpec& tensor) {
    uint64_t n = 1;
    for (int64_t d : tensor.shape) n *= static_cast<uint64_t>(d);
    return n;
}

// xorshift64*: fast and good enough for weights nobody will read.
class Random {
  public:
    explicit Random(uint64_t seed) : m_state(seed | 1) {}
    uint64_t next() {
        m_state ^= m_state >> 12;
        m_state ^= m_state << 25;
        m_state ^= m_state >> 27;
        return m_state * 0x2545F4914F6CDD1Dull;
    }
    // Irwin-Hall: four 16-bit uniforms summed, centred and scaled to unit variance. Close enough to N(0, 1).
    float normal() {
        const uint64_t r = next();
        const float sum = static_cast<float>((r & 0xFFFF) + ((r >> 16) & 0xFFFF) + ((r >> 32) & 0xFFFF) + (r >> 48));
        return (sum * (1.0f / 65536.0f) - 2.0f) * 1.7320508f;
    }
    float uniform() { return static_cast<float>(next() >> 40) * (1.0f / 16777216.0f); }

  private:
    uint64_t m_state;
};

// Streams one tensor's values in chunks of a fixed size.
Result<void> writeTensor(SafetensorsWriter& out, const TensorSpec& tensor, DType dtype, uint64_t seed) {
    constexpr uint64_t kChunk = 1 << 20;
    const Init init = initOf(tensor.role);
    Random random(xxh64(tensor.name, seed));
    std::vector<float> values(kChunk);
    std::vector<uint16_t> halves(dtype == DType::BF16 ? kChunk : 0);
    for (uint64_t done = 0, total = elements(tensor); done < total;) {
        const uint64_t n = std::min(kChunk, total - done);
        for (uint64_t i = 0; i < n; ++i) {
            values[i] =
                init.kind == Init::Normal ? init.a * random.normal() : init.a + (init.b - init.a) * random.uniform();
        }
        Result<void> written;
        if (dtype == DType::BF16) {
            for (uint64_t i = 0; i < n; ++i) halves[i] = floatToBf16(values[i]);
            written = out.write(halves.data(), n * 2);
        } else {
            written = out.write(values.data(), n * 4);
        }
        if (!written) return written;
        done += n;
    }
    return {};
}

Result<uint64_t> writeShard(const std::filesystem::path& path, const std::vector<const TensorSpec*>& tensors,
                            DType dtype, uint64_t seed) {
    std::vector<SafetensorsEntry> entries;
    for (const TensorSpec* tensor : tensors) {
        entries.push_back(
            {tensor->name, std::string(dtypeName(dtype)), tensor->shape, elements(*tensor) * dtypeSize(dtype)});
    }
    auto out = SafetensorsWriter::create(path, entries);
    if (!out) return tl::unexpected(out.error());
    for (const TensorSpec* tensor : tensors) {
        if (auto written = writeTensor(*out, *tensor, dtype, seed); !written) return tl::unexpected(written.error());
    }
    return out->finish();
}

}  // namespace

Result<void> writeRandomWeights(const ModelConfig& config, DType dtype, uint64_t seed, const std::filesystem::path& dir,
                                const std::function<void(const std::string& file, uint64_t bytes)>& progress) {
    const std::vector<TensorSpec> tensors = checkpointTensors(config);
    std::vector<std::vector<const TensorSpec*>> shards(1);
    uint64_t shardBytes = 0, totalBytes = 0;
    for (const TensorSpec& tensor : tensors) {
        const uint64_t bytes = elements(tensor) * dtypeSize(dtype);
        if (!shards.back().empty() && shardBytes + bytes > kMaxShardBytes) {
            shards.emplace_back();
            shardBytes = 0;
        }
        shards.back().push_back(&tensor);
        shardBytes += bytes;
        totalBytes += bytes;
    }

    nlohmann::ordered_json weightMap;
    for (std::size_t s = 0; s < shards.size(); ++s) {
        char name[64];
        std::snprintf(name, sizeof name, "model-%05zu-of-%05zu.safetensors", s + 1, shards.size());
        const std::string file = shards.size() == 1 ? "model.safetensors" : name;
        auto written = writeShard(dir / file, shards[s], dtype, seed);
        if (!written) return tl::unexpected(written.error());
        if (progress) progress(file, *written);
        for (const TensorSpec* tensor : shards[s]) weightMap[tensor->name] = file;
    }
    if (shards.size() == 1) return {};

    const nlohmann::ordered_json index{{"metadata", {{"total_size", totalBytes}}}, {"weight_map", weightMap}};
    const std::filesystem::path indexPath = dir / "model.safetensors.index.json";
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> out(std::fopen(indexPath.c_str(), "wb"), std::fclose);
    const std::string text = index.dump(2) + "\n";
    if (!out || std::fwrite(text.data(), 1, text.size(), out.get()) != text.size() || std::fclose(out.release()) != 0) {
        return makeError(ErrorCode::Io, "cannot write '" + indexPath.string() + "'");
    }
    return {};
}

}  // namespace rgemma
