// rgemma/state_file.h — a conversation's State on disk: a versioned, checksummed file bound to the model it
// belongs to by a fingerprint of the config and the weights. Written atomically (temporary file in the same
// folder, fsync, rename), so a crash at any moment leaves the old file or the new one, never a torn one.
// The format is documented in engine/STATE_FORMAT.md.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "rgemma/error.h"
#include "rgemma/model.h"
#include "rgemma/state.h"

namespace rgemma {

// What a state file says about itself, readable without the model.
struct StateFileInfo {
    uint32_t formatVersion = 0;
    std::string engineVersion;     // of the engine that wrote it; informational
    std::string modelFingerprint;  // hex, as ModelInfo::fingerprint
    int64_t position = 0;
    int64_t layers = 0;
    int64_t recurrentLayers = 0;
    int64_t attentionLayers = 0;
    int64_t attentionSlotsStored = 0;  // per attention layer: min(position, window)
    int64_t attentionWindow = 0;       // the shape the state was saved for
    int64_t headDim = 0;
    int64_t lruWidth = 0;
    int64_t convWidth = 0;
    uint64_t checksum = 0;  // XXH64 of every byte before it
    uint64_t fileBytes = 0;
};

// The format version this engine writes and reads.
inline constexpr uint32_t kStateFormatVersion = 1;

// The state as the bytes of a state file; empty if `state` is not of `model`'s layout (State::matches).
std::string serializeState(const State& state, const Model& model);
// Parses and fully validates `bytes` against `model` (magic, version, fingerprint, sizes, checksum); never reads
// out of bounds or allocates by an unchecked size. `source` names the file in errors.
Result<State> deserializeState(std::string_view bytes, const Model& model, const std::string& source);
// Validates the container (magic, version, sizes, checksum) without a model.
Result<StateFileInfo> inspectStateBytes(std::string_view bytes, const std::string& source);

// Atomic write of serializeState(state, model) to `path`. Fails (InvalidState) if the state is not of the model's
// layout; a failed write (disk full) leaves the previous file in place and says why (Io).
Result<void> saveStateFile(const std::filesystem::path& path, const State& state, const Model& model);
// Reads and deserializes `path`. A missing file is an Io error whose message says "No such file or directory".
Result<State> loadStateFile(const std::filesystem::path& path, const Model& model);
Result<StateFileInfo> inspectStateFile(const std::filesystem::path& path);

}  // namespace rgemma
