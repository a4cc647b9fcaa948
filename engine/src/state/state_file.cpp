// state_file.cpp — a State to and from the bytes of a state file (layout: STATE_FORMAT.md), checked against the
// model it is loaded for, and the file operations around it (atomic save, bounded read).
#include "rgemma/state_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "io/xxhash64.h"
#include "rgemma/file_io.h"
#include "state/state_file_format.h"

namespace rgemma {

namespace {

using namespace state_format;

// A state file read without a model is only inspected, never kept: this bounds what a hostile path can make us
// read. The 9B's full state is 52 MB.
constexpr uint64_t kMaxInspectBytes = uint64_t{256} << 20;

uint64_t filledSlots(int64_t position, int64_t window) { return static_cast<uint64_t>(std::min(position, window)); }

// The largest file `config` can have: the header at its longest plus every section full.
uint64_t maxFileBytes(const ModelConfig& config) {
    uint64_t bytes = kPreambleBytes + 2 + kMaxEngineVersionBytes + 2 + kFingerprintBytes + 8 + 5 * 4 + kChecksumBytes;
    for (BlockType type : config.blocks) {
        const auto floats = type == BlockType::Recurrent ? config.convWidth * config.lruWidth
                                                         : 2 * config.attentionWindow * config.headDim;
        bytes += 16 + static_cast<uint64_t>(floats) * sizeof(float);
    }
    return bytes;
}

tl::unexpected<Error> stateError(const std::string& source, const std::string& what) {
    return makeError(ErrorCode::InvalidState, "state file '" + source + "': " + what);
}

// Whether the header's shape is the model's: compared before any section is copied into a State.
Result<void> checkAgainstModel(const StateFileInfo& info, const Model& model, const std::string& source) {
    if (info.modelFingerprint != model.info().fingerprint) {
        return stateError(source, "belongs to another model (fingerprint " + info.modelFingerprint +
                                      "; the loaded model '" + model.info().name + "' is " + model.info().fingerprint +
                                      ")");
    }
    const ModelConfig& c = model.config();
    const struct {
        const char* name;
        int64_t file, model;
    } dimensions[] = {{"layer count", info.layers, c.numLayers},
                      {"attention window", info.attentionWindow, c.attentionWindow},
                      {"head_dim", info.headDim, c.headDim},
                      {"lru_width", info.lruWidth, c.lruWidth},
                      {"conv1d_width", info.convWidth, c.convWidth}};
    for (const auto& d : dimensions) {
        if (d.file != d.model) {
            return stateError(source, std::string(d.name) + " is " + std::to_string(d.file) + " but the model's is " +
                                          std::to_string(d.model));
        }
    }
    if (static_cast<int64_t>(c.blocks.size()) != info.layers) {
        return stateError(source, "the model's config has an inconsistent layer list");
    }
    return {};
}

void copyFloats(std::string_view bytes, float* destination) { std::memcpy(destination, bytes.data(), bytes.size()); }

Result<std::string> readFileBounded(const std::filesystem::path& path, uint64_t maxBytes) {
    auto ioError = [&](const char* what, int errnoValue) {
        return makeError(ErrorCode::Io,
                         "cannot " + std::string(what) + " '" + path.string() + "': " + std::strerror(errnoValue));
    };
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return ioError("open", errno);
    struct Closer {
        int fd;
        ~Closer() { ::close(fd); }
    } closer{fd};
    struct stat status {};
    if (::fstat(fd, &status) != 0) return ioError("stat", errno);
    if (!S_ISREG(status.st_mode)) return makeError(ErrorCode::Io, "cannot read '" + path.string() + "': not a file");
    const auto size = static_cast<uint64_t>(status.st_size);
    if (size > maxBytes) {
        return stateError(path.string(), std::to_string(size) + " bytes, more than the limit of " +
                                             std::to_string(maxBytes) + " for a state file here");
    }
    std::string bytes(size, '\0');
    std::size_t done = 0;
    while (done < size) {
        const ssize_t got = ::read(fd, bytes.data() + done, size - done);
        if (got < 0 && errno == EINTR) continue;
        if (got < 0) return ioError("read", errno);
        if (got == 0) break;  // shrank while we read: parse what is there, which reports the truncation
        done += static_cast<std::size_t>(got);
    }
    bytes.resize(done);
    return bytes;
}

}  // namespace

std::string serializeState(const State& state, const Model& model) {
    const ModelConfig& config = model.config();
    if (!state.matches(config)) return {};
    std::string out;
    out.reserve(maxFileBytes(config));
    Writer w(out);
    const std::string_view engineVersion = RGEMMA_VERSION;
    const std::string& fingerprint = model.info().fingerprint;
    w.raw(kMagic.data(), kMagic.size());
    w.u32(kStateFormatVersion);
    w.u64(0);  // file length, patched below
    w.u16(static_cast<uint16_t>(engineVersion.size()));
    w.raw(engineVersion.data(), engineVersion.size());
    w.u16(static_cast<uint16_t>(fingerprint.size()));
    w.raw(fingerprint.data(), fingerprint.size());
    w.i64(state.position);
    for (int64_t value :
         {config.numLayers, config.attentionWindow, config.headDim, config.lruWidth, config.convWidth}) {
        w.u32(static_cast<uint32_t>(value));
    }
    const uint64_t slots = filledSlots(state.position, config.attentionWindow);
    for (std::size_t i = 0; i < state.layers.size(); ++i) {
        const LayerState& layer = state.layers[i];
        if (layer.type == BlockType::Recurrent) {
            w.u32(kRecurrentTag);
            w.u32(static_cast<uint32_t>(i));
            w.u32(static_cast<uint32_t>(config.convWidth - 1));
            w.u32(static_cast<uint32_t>(config.lruWidth));
            w.floats(layer.recurrent.conv.data(), layer.recurrent.conv.size());
            w.floats(layer.recurrent.h.data(), layer.recurrent.h.size());
        } else {
            // Slots 0..slots-1 are the filled ones: the ring fills from slot 0 and is full once position >= W.
            w.u32(kAttentionTag);
            w.u32(static_cast<uint32_t>(i));
            w.u32(static_cast<uint32_t>(slots));
            w.u32(static_cast<uint32_t>(config.headDim));
            w.floats(layer.attention.keys.data(), slots * static_cast<uint64_t>(config.headDim));
            w.floats(layer.attention.values.data(), slots * static_cast<uint64_t>(config.headDim));
        }
    }
    const uint64_t length = out.size() + kChecksumBytes;
    std::memcpy(out.data() + 12, &length, sizeof length);
    w.u64(xxh64(out));
    return out;
}

Result<State> deserializeState(std::string_view bytes, const Model& model, const std::string& source) {
    auto parsed = parseStateFile(bytes, source);
    if (!parsed) return tl::unexpected(parsed.error());
    if (auto ok = checkAgainstModel(parsed->info, model, source); !ok) return tl::unexpected(ok.error());
    const ModelConfig& config = model.config();
    for (std::size_t i = 0; i < parsed->sections.size(); ++i) {
        if (parsed->sections[i].type != config.blocks[i]) {
            return stateError(source, "layer " + std::to_string(i) + " is " +
                                          std::string(blockTypeName(parsed->sections[i].type)) + " in the file but " +
                                          std::string(blockTypeName(config.blocks[i])) + " in the model (at offset " +
                                          std::to_string(parsed->sections[i].offset) + ")");
        }
    }
    // Every size below is now the model's own (the parser checked each section against the header, and the
    // header against the model), so the State is allocated by the config, never by the file.
    State state = model.newState();
    state.position = parsed->info.position;
    for (std::size_t i = 0; i < parsed->sections.size(); ++i) {
        const Section& section = parsed->sections[i];
        LayerState& layer = state.layers[i];
        if (section.type == BlockType::Recurrent) {
            copyFloats(section.first, layer.recurrent.conv.data());
            copyFloats(section.second, layer.recurrent.h.data());
        } else {
            copyFloats(section.first, layer.attention.keys.data());
            copyFloats(section.second, layer.attention.values.data());
        }
    }
    return state;
}

Result<StateFileInfo> inspectStateBytes(std::string_view bytes, const std::string& source) {
    auto parsed = parseStateFile(bytes, source);
    if (!parsed) return tl::unexpected(parsed.error());
    return parsed->info;
}

Result<void> saveStateFile(const std::filesystem::path& path, const State& state, const Model& model) {
    if (!state.matches(model.config())) {
        return makeError(ErrorCode::InvalidState,
                         "cannot save '" + path.string() + "': the state does not belong to this model's layout");
    }
    return writeFileAtomically(path, serializeState(state, model));
}

Result<State> loadStateFile(const std::filesystem::path& path, const Model& model) {
    auto bytes = readFileBounded(path, maxFileBytes(model.config()));
    if (!bytes) return tl::unexpected(bytes.error());
    return deserializeState(*bytes, model, path.string());
}

Result<StateFileInfo> inspectStateFile(const std::filesystem::path& path) {
    auto bytes = readFileBounded(path, kMaxInspectBytes);
    if (!bytes) return tl::unexpected(bytes.error());
    return inspectStateBytes(*bytes, path.string());
}

}  // namespace rgemma
