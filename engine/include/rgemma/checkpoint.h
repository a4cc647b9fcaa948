// rgemma/checkpoint.h — a checkpoint folder's weights as stored, and the checkpoints the engine writes: the files and
// tensors (`rgemma inspect`) and their fingerprint, an int8 or 4-bit copy (`rgemma quantize`), and random weights in a
// config's shapes (`rgemma make-random`). What a folder must hold: docs/checkpoint-format.md.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "rgemma/config.h"
#include "rgemma/dtype.h"
#include "rgemma/error.h"

namespace rgemma {

class WeightStore;

// The token embedding, which is also the output layer, and the tied copy of it a checkpoint may carry (never read).
inline constexpr std::string_view kEmbeddingTensor = "model.embed_tokens.weight";
inline constexpr std::string_view kTiedOutputTensor = "lm_head.weight";

// One tensor as stored.
struct TensorSummary {
    std::string name;
    DType dtype = DType::F32;
    std::vector<int64_t> shape;  // row-major, as in the file
    int64_t elements = 0;
    uint64_t bytes = 0;
};

// The safetensors files of a checkpoint folder, mapped and validated (docs/checkpoint-format.md §1, §4), not yet
// bound to a config.
class CheckpointFiles {
  public:
    // model.safetensors, or the shards model.safetensors.index.json names.
    static Result<CheckpointFiles> open(const std::filesystem::path& dir);
    CheckpointFiles(CheckpointFiles&&) noexcept;
    CheckpointFiles& operator=(CheckpointFiles&&) noexcept;
    ~CheckpointFiles();

    const std::vector<std::filesystem::path>& files() const;
    std::vector<TensorSummary> tensors() const;  // sorted by name
    uint64_t totalBytes() const;                 // the tensors' bytes
    // The fingerprint of a model of these weights and `config` (ModelInfo::fingerprint, which state files are bound
    // to): a hash of the config, every tensor's name, dtype and shape, and samples of its bytes (about 20 pages per
    // tensor, so milliseconds even for a 17 GB checkpoint).
    std::string fingerprint(const ModelConfig& config) const;

    // Internal: for the engine and its tests.
    const WeightStore& store() const { return *m_store; }

  private:
    explicit CheckpointFiles(std::unique_ptr<WeightStore> store);
    std::unique_ptr<WeightStore> m_store;
};

// The shard files a model.safetensors.index.json names (the values of its weight_map), sorted, each once. `source`
// names the file in error messages.
Result<std::vector<std::string>> indexShardFiles(std::string_view indexJson, const std::string& source);

struct QuantizeReport {
    int64_t quantizedTensors = 0;  // matrices written as I8
    int64_t q4Tensors = 0;         // matrices written as Q4K (4-bit)
    int64_t copiedTensors = 0;     // tensors written as stored (norms, biases, conv, RG-LRU gates)
    uint64_t bytesIn = 0;          // tensor bytes read
    uint64_t bytesOut = 0;         // tensor bytes written
};

// What `rgemma quantize --to` writes. Int8: every dense matrix and the embedding as I8 (§5). Q4K, the mixed 4-bit
// scheme: the dense matrices past the first layer in 4 bits (§7), the embedding (also the output layer) and the first
// layer's matrices as Int8 writes them.
enum class QuantizeFormat { Int8, Q4K };

// Writes into `outDir` (created, or an empty folder; must not be `dir`) one model.safetensors in which the matrices
// `format` names are quantized: I8 with an F32 "<name>_scale" [rows, ceil(in / 32)] (per block of 32 values of a
// row, scale = max|w| / 127 and q = round(w / scale)), or Q4K as U8 nibbles [rows, ceil(in / 2)] with U8 headers
// "<name>_scale" [rows, ceil(in / 256), 16] (kernels/q4_format.h). Matrices stored quantized already and the other
// tensors are copied as stored, a tied lm_head.weight is dropped, and every other file of `dir` (config.json, the
// tokenizer) is copied (docs/checkpoint-format.md §5, §7). Streams, never holding a tensor in memory. `progress`
// (may be empty) is told the tensor bytes written so far and the total after each tensor or chunk of rows; when it
// returns false the copy stops with ErrorCode::Cancelled (what was written of `outDir` stays: the caller removes it).
using QuantizeProgress = std::function<bool(uint64_t bytesWritten, uint64_t bytesTotal)>;
Result<QuantizeReport> quantizeCheckpoint(const std::filesystem::path& dir, const std::filesystem::path& outDir,
                                          QuantizeFormat format, const QuantizeProgress& progress = {});
inline Result<QuantizeReport> quantizeCheckpointInt8(const std::filesystem::path& dir,
                                                     const std::filesystem::path& outDir,
                                                     const QuantizeProgress& progress = {}) {
    return quantizeCheckpoint(dir, outDir, QuantizeFormat::Int8, progress);
}

// Writes the weights of `config` into `dir` as `dtype` (F32 or BF16) safetensors: one model.safetensors, or shards of
// at most kMaxShardBytes (a single larger tensor gets a shard of its own) with model.safetensors.index.json.
// Values come from a xorshift generator seeded by `seed` and each tensor's name: dense weights and biases ~N(0, 0.02),
// norm scales ~N(0, 0.1), conv taps ~N(0, 0.1), rg_lru.recurrent_param ~U(-6, 1). Streams in small chunks, never
// holding a tensor in memory. `progress` (may be empty) is told each file written.
inline constexpr uint64_t kMaxShardBytes = 2'000'000'000;
Result<void> writeRandomWeights(const ModelConfig& config, DType dtype, uint64_t seed, const std::filesystem::path& dir,
                                const std::function<void(const std::string& file, uint64_t bytes)>& progress);

}  // namespace rgemma
