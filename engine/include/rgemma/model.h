// rgemma/model.h — a loaded RecurrentGemma checkpoint (weights memory-mapped, used in place) and its forward pass.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "rgemma/checkpoint.h"
#include "rgemma/config.h"
#include "rgemma/dtype.h"
#include "rgemma/error.h"
#include "rgemma/runtime.h"
#include "rgemma/state.h"
#include "rgemma/tokenizer.h"

namespace rgemma {

struct ModelWeights;

// What a UI shows about a model.
struct ModelInfo {
    std::filesystem::path directory;
    std::string name;            // the folder's name
    DType dtype = DType::F32;    // dtype of the embedding (the bulk of the weights)
    int64_t parameterCount = 0;  // tied embedding counted once
    uint64_t weightBytes = 0;    // bytes of tensor data in the files
    uint64_t stateBytes = 0;     // bytes of one conversation state in memory
    std::string fingerprint;     // 32 hex digits identifying config + weights; state files are bound to it
};

// The largest batch whose dense products run the decode matvec column by column (Model::forwardBatch): on the 2-core
// AVX2 machine it matched or beat the prefill GEMM up to 8 columns (whose packing a few tokens cannot amortize), and
// it keeps each sequence's numbers those of its decode alone; larger batches take the GEMM.
inline constexpr int64_t kMaxDecodeColumns = 8;

// Which logits a forward call returns.
enum class LogitsMode {
    None,          // only update the state (prefilling history)
    Last,          // the last fed position: [vocab]
    AllPositions,  // every fed position: [tokens, vocab]
};

class Model {
  public:
    // Loads config.json and the safetensors weights of `dir`, validating everything.
    static Result<std::unique_ptr<Model>> load(const std::filesystem::path& dir);
    ~Model();

    const ModelConfig& config() const { return m_config; }
    const ModelInfo& info() const { return m_info; }
    State newState() const { return State(m_config); }

    // Feeds `tokens` at positions state.position.. and advances the state. Chunked calls give the same numbers
    // as one call over the concatenation. One token takes the decode path (matrix-vector); more take the prefill
    // path (matrix-matrix, in chunks that bound the scratch memory). Checks that every id is in the vocabulary
    // and that the state belongs to this model's shape. `cancel`, if set, is checked between chunks; on
    // cancellation the state is left consistent at a chunk boundary.
    Result<void> forward(Runtime& runtime, State& state, std::span<const TokenId> tokens, LogitsMode mode,
                         std::vector<float>& logits, const std::atomic<bool>* cancel = nullptr) const;

    // One decode step of a batch: sequence b feeds tokens[b] into *states[b] at that state's own position, and row b
    // of `logits` [B, vocab] is its. The dense products read each weight once for the whole batch: up to
    // kMaxDecodeColumns sequences, where the weights' plan has a decode matvec at the kernel level in force, it runs
    // column by column on each tile of weights while the tile is in cache, and each sequence's logits are exactly those
    // of forward() on it alone; larger batches, f16 weights and the portable level take the prefill products on the B
    // rows at runtime.prefillPrecision(), equal to forward() up to their summation order. The recurrence and the
    // attention run per sequence. The states must be distinct and belong to this model; on an error no state changed.
    Result<void> forwardBatch(Runtime& runtime, std::span<State* const> states, std::span<const TokenId> tokens,
                              std::vector<float>& logits) const;

    // The checkpoint's files and tensors as stored (`rgemma inspect`).
    const CheckpointFiles& checkpoint() const { return *m_checkpoint; }

    // Internal, for tests and tools.
    const ModelWeights& weights() const { return *m_weights; }
    const WeightStore& store() const { return m_checkpoint->store(); }

  private:
    Model() = default;
    ModelConfig m_config;
    ModelInfo m_info;
    std::unique_ptr<CheckpointFiles> m_checkpoint;
    std::unique_ptr<ModelWeights> m_weights;
};

}  // namespace rgemma
