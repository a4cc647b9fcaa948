// random_weights.cpp — writeRandomWeights (rgemma/checkpoint.h): the tensors of a RecurrentGemma checkpoint
// (docs/checkpoint-format.md §3) filled with seeded random values and streamed into sharded safetensors files.
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>
#include <nlohmann/json.hpp>
#include <vector>

#include "io/dtype_convert.h"
#include "io/xxhash64.h"
#include "rgemma/checkpoint.h"

namespace rgemma {

namespace {

struct Init {
    enum Kind { Normal, Uniform } kind = Normal;
    float a = 0.0f;  // Normal: standard deviation; Uniform: low end
    float b = 0.0f;  // Uniform: high end
};

struct PlannedTensor {
    std::string name;
    std::vector<int64_t> shape;
    Init init;

    uint64_t count() const {
        uint64_t n = 1;
        for (int64_t d : shape) n *= static_cast<uint64_t>(d);
        return n;
    }
};

constexpr Init kWeight{Init::Normal, 0.02f};
constexpr Init kScale{Init::Normal, 0.1f};

// ref: docs/checkpoint-format.md §3, in the order save_pretrained writes them (layer by layer).
std::vector<PlannedTensor> planTensors(const ModelConfig& c) {
    const int64_t d = c.hiddenSize, lru = c.lruWidth, heads = c.numHeads, block = c.lruWidth / c.numHeads;
    const int64_t qWidth = c.numHeads * c.headDim, kv = c.numKvHeads * c.headDim, f = c.mlpWidth;
    std::vector<PlannedTensor> plan{{"model.embed_tokens.weight", {c.vocabSize, d}, kWeight}};
    auto add = [&](const std::string& name, std::vector<int64_t> shape, Init init = kWeight) {
        plan.push_back({name, std::move(shape), init});
    };
    for (int64_t i = 0; i < c.numLayers; ++i) {
        const std::string p = "model.layers." + std::to_string(i) + ".";
        add(p + "temporal_pre_norm.weight", {d}, kScale);
        if (c.blocks[static_cast<std::size_t>(i)] == BlockType::Recurrent) {
            const std::string t = p + "temporal_block.";
            for (const char* linear : {"linear_y", "linear_x"}) {
                add(t + linear + ".weight", {lru, d});
                add(t + linear + ".bias", {lru});
            }
            add(t + "linear_out.weight", {d, lru});
            add(t + "linear_out.bias", {d});
            add(t + "conv_1d.weight", {lru, 1, c.convWidth}, kScale);
            add(t + "conv_1d.bias", {lru});
            add(t + "rg_lru.recurrent_param", {lru}, {Init::Uniform, -6.0f, 1.0f});  // as the golden cases
            for (const char* gate : {"input_gate", "recurrent_gate"}) {
                add(t + "rg_lru." + gate + "_weight", {heads, block, block});
                add(t + "rg_lru." + gate + "_bias", {heads, block});
            }
        } else {
            const std::string t = p + "temporal_block.";
            add(t + "q_proj.weight", {qWidth, d});
            add(t + "k_proj.weight", {kv, d});
            add(t + "v_proj.weight", {kv, d});
            add(t + "o_proj.weight", {d, qWidth});
            add(t + "o_proj.bias", {d});
        }
        add(p + "channel_pre_norm.weight", {d}, kScale);
        for (const char* linear : {"gate_proj", "up_proj"}) {
            add(p + "mlp_block." + linear + ".weight", {f, d});
            add(p + "mlp_block." + linear + ".bias", {f});
        }
        add(p + "mlp_block.down_proj.weight", {d, f});
        add(p + "mlp_block.down_proj.bias", {d});
    }
    add("model.final_norm.weight", {d}, kScale);
    return plan;
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

struct FileCloser {
    void operator()(std::FILE* f) const { std::fclose(f); }
};

tl::unexpected<Error> writeError(const std::filesystem::path& path, int errnoValue) {
    return makeError(ErrorCode::Io, "cannot write '" + path.string() + "': " + std::strerror(errnoValue));
}

// Streams one tensor's values in chunks of a fixed size.
bool writeTensor(std::FILE* out, const PlannedTensor& tensor, DType dtype, uint64_t seed) {
    constexpr uint64_t kChunk = 1 << 20;
    Random random(xxh64(tensor.name, seed));
    std::vector<float> values(kChunk);
    std::vector<uint16_t> halves(dtype == DType::BF16 ? kChunk : 0);
    for (uint64_t done = 0, total = tensor.count(); done < total;) {
        const uint64_t n = std::min(kChunk, total - done);
        for (uint64_t i = 0; i < n; ++i) {
            values[i] = tensor.init.kind == Init::Normal
                            ? tensor.init.a * random.normal()
                            : tensor.init.a + (tensor.init.b - tensor.init.a) * random.uniform();
        }
        if (dtype == DType::BF16) {
            for (uint64_t i = 0; i < n; ++i) halves[i] = floatToBf16(values[i]);
            if (std::fwrite(halves.data(), 2, n, out) != n) return false;
        } else if (std::fwrite(values.data(), 4, n, out) != n) {
            return false;
        }
        done += n;
    }
    return true;
}

std::string headerJson(const std::vector<const PlannedTensor*>& tensors, DType dtype) {
    nlohmann::ordered_json header;
    header["__metadata__"] = {{"format", "pt"}};
    uint64_t offset = 0;
    for (const PlannedTensor* tensor : tensors) {
        const uint64_t bytes = tensor->count() * dtypeSize(dtype);
        header[tensor->name] = {{"dtype", std::string(dtypeName(dtype))},
                                {"shape", tensor->shape},
                                {"data_offsets", {offset, offset + bytes}}};
        offset += bytes;
    }
    std::string text = header.dump();
    text.append((8 - text.size() % 8) % 8, ' ');  // data starts 8-aligned, as safetensors writers do
    return text;
}

Result<uint64_t> writeShard(const std::filesystem::path& path, const std::vector<const PlannedTensor*>& tensors,
                            DType dtype, uint64_t seed) {
    std::unique_ptr<std::FILE, FileCloser> out(std::fopen(path.c_str(), "wb"));
    if (!out) return writeError(path, errno);
    std::setvbuf(out.get(), nullptr, _IOFBF, 1 << 22);
    const std::string header = headerJson(tensors, dtype);
    const uint64_t length = header.size();
    bool ok = std::fwrite(&length, 8, 1, out.get()) == 1 && std::fwrite(header.data(), 1, length, out.get()) == length;
    for (std::size_t i = 0; ok && i < tensors.size(); ++i) ok = writeTensor(out.get(), *tensors[i], dtype, seed);
    const int error = errno;
    if (!ok) return writeError(path, error != 0 ? error : EIO);
    if (std::fclose(out.release()) != 0) return writeError(path, errno);
    uint64_t bytes = 8 + length;
    for (const PlannedTensor* tensor : tensors) bytes += tensor->count() * dtypeSize(dtype);
    return bytes;
}

}  // namespace

Result<void> writeRandomWeights(const ModelConfig& config, DType dtype, uint64_t seed, const std::filesystem::path& dir,
                                const std::function<void(const std::string& file, uint64_t bytes)>& progress) {
    const std::vector<PlannedTensor> plan = planTensors(config);
    std::vector<std::vector<const PlannedTensor*>> shards(1);
    uint64_t shardBytes = 0, totalBytes = 0;
    for (const PlannedTensor& tensor : plan) {
        const uint64_t bytes = tensor.count() * dtypeSize(dtype);
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
        for (const PlannedTensor* tensor : shards[s]) weightMap[tensor->name] = file;
    }
    if (shards.size() == 1) return {};

    const nlohmann::ordered_json index{{"metadata", {{"total_size", totalBytes}}}, {"weight_map", weightMap}};
    const std::filesystem::path indexPath = dir / "model.safetensors.index.json";
    std::unique_ptr<std::FILE, FileCloser> out(std::fopen(indexPath.c_str(), "wb"));
    const std::string text = index.dump(2) + "\n";
    if (!out || std::fwrite(text.data(), 1, text.size(), out.get()) != text.size()) return writeError(indexPath, errno);
    if (std::fclose(out.release()) != 0) return writeError(indexPath, errno);
    return {};
}

}  // namespace rgemma
