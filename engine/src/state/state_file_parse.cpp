// state_file_parse.cpp — reads a state file's bytes without trusting any of them: every length is checked
// against the bytes that remain and against fixed bounds before it is used, and every error names the file,
// the offset and the part of the file it was reading.
#include <bit>
#include <cstring>
#include <optional>

#include "io/xxhash64.h"
#include "state/state_file_format.h"

namespace rgemma::state_format {

namespace {

static_assert(std::endian::native == std::endian::little, "state files are little-endian, read in place");

std::string hex64(uint64_t value) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out(16, '0');
    for (int i = 15; i >= 0; --i, value >>= 4) out[static_cast<std::size_t>(i)] = kDigits[value & 0xF];
    return out;
}

// A cursor over the file's bytes. `what` names the part being read, for the error message.
class Reader {
  public:
    Reader(std::string_view bytes, const std::string& source) : m_bytes(bytes), m_source(source) {}

    uint64_t offset() const { return m_offset; }
    uint64_t remaining() const { return m_bytes.size() - m_offset; }

    tl::unexpected<Error> error(const std::string& what) const { return errorAt(m_offset, what); }
    tl::unexpected<Error> errorAt(uint64_t offset, const std::string& what) const {
        return makeError(ErrorCode::InvalidState,
                         "state file '" + m_source + "': " + what + " (at offset " + std::to_string(offset) + ")");
    }

    // The next `size` bytes, or nullopt if fewer remain.
    std::optional<std::string_view> take(uint64_t size) {
        if (size > remaining()) return std::nullopt;
        const std::string_view piece = m_bytes.substr(m_offset, size);
        m_offset += size;
        return piece;
    }

    template <class T>
    Result<T> read(const std::string& what) {
        const auto piece = take(sizeof(T));
        if (!piece) return error("truncated in " + what);
        T value;
        std::memcpy(&value, piece->data(), sizeof(T));
        return value;
    }

  private:
    std::string_view m_bytes;
    const std::string& m_source;
    uint64_t m_offset = 0;
};

// Declares `const type var` read from `reader`, or returns the read's error from the enclosing function.
#define RG_READ(var, type, reader, what)                        \
    auto var##Read_ = (reader).read<type>(what);                \
    if (!var##Read_) return tl::unexpected(var##Read_.error()); \
    const type var = *var##Read_

// Magic, version, declared length and checksum: whether these are the intact bytes of a state file at all.
Result<void> checkContainer(std::string_view bytes, const std::string& source, StateFileInfo& info) {
    auto fail = [&](const std::string& what) {
        return makeError(ErrorCode::InvalidState, "state file '" + source + "': " + what);
    };
    if (bytes.size() < kMagic.size()) {
        if (kMagic.substr(0, bytes.size()) == bytes) {
            return fail("truncated: " + std::to_string(bytes.size()) + " bytes, shorter than the header");
        }
        return fail("not a state file (no RGSTATE magic)");
    }
    if (bytes.substr(0, kMagic.size()) != kMagic) return fail("not a state file (no RGSTATE magic)");
    if (bytes.size() < kPreambleBytes) {
        return fail("truncated: " + std::to_string(bytes.size()) + " bytes, shorter than the header");
    }
    std::memcpy(&info.formatVersion, bytes.data() + 8, 4);
    if (info.formatVersion != kStateFormatVersion) {
        return fail("format version " + std::to_string(info.formatVersion) + ", but this engine reads version " +
                    std::to_string(kStateFormatVersion));
    }
    uint64_t declared = 0;
    std::memcpy(&declared, bytes.data() + 12, 8);
    if (bytes.size() < declared) {
        return fail("truncated: " + std::to_string(bytes.size()) + " of the " + std::to_string(declared) +
                    " bytes its header declares");
    }
    if (bytes.size() > declared) {
        return fail(std::to_string(bytes.size()) + " bytes, but its header declares " + std::to_string(declared) +
                    (declared < kPreambleBytes + kChecksumBytes ? " (corrupt length field)" : " (trailing data)"));
    }
    if (declared < kPreambleBytes + kChecksumBytes) {
        return fail("corrupt length field: " + std::to_string(declared) + " bytes is too short for a state file");
    }
    const std::string_view content = bytes.substr(0, bytes.size() - kChecksumBytes);
    std::memcpy(&info.checksum, bytes.data() + content.size(), kChecksumBytes);
    const uint64_t computed = xxh64(content);
    if (computed != info.checksum) {
        return fail("checksum mismatch (stored " + hex64(info.checksum) + ", computed " + hex64(computed) +
                    "): the file is corrupt");
    }
    info.fileBytes = bytes.size();
    return {};
}

Result<std::string_view> readText(Reader& in, std::size_t maxBytes, const std::string& what) {
    RG_READ(length, uint16_t, in, what + " length");
    if (length == 0 || length > maxBytes) {
        return in.error(what + " length " + std::to_string(length) + " is out of range [1, " +
                        std::to_string(maxBytes) + "]");
    }
    const auto text = in.take(length);
    if (!text) return in.error("truncated in " + what);
    for (const char c : *text) {
        if (c < 0x20 || c > 0x7E) return in.error(what + " holds a non-printable byte");
    }
    return *text;
}

Result<uint32_t> readDimension(Reader& in, const std::string& what, uint32_t min, uint32_t max) {
    RG_READ(value, uint32_t, in, what);
    if (value < min || value > max) {
        return in.errorAt(in.offset() - 4, what + " " + std::to_string(value) + " is out of range [" +
                                               std::to_string(min) + ", " + std::to_string(max) + "]");
    }
    return value;
}

// Declares `const uint32_t var` read and range-checked, or returns the error from the enclosing function.
#define RG_DIMENSION(var, reader, what, min, max)                   \
    auto var##Dim_ = readDimension((reader), (what), (min), (max)); \
    if (!var##Dim_) return tl::unexpected(var##Dim_.error());       \
    const uint32_t var = *var##Dim_

Result<uint32_t> readHeader(Reader& in, StateFileInfo& info) {
    in.take(kPreambleBytes);  // checked by checkContainer
    auto engine = readText(in, kMaxEngineVersionBytes, "engine version");
    if (!engine) return tl::unexpected(engine.error());
    info.engineVersion = std::string(*engine);
    auto fingerprint = readText(in, kFingerprintBytes, "model fingerprint");
    if (!fingerprint) return tl::unexpected(fingerprint.error());
    if (fingerprint->size() != kFingerprintBytes) return in.error("model fingerprint is not 32 hex digits");
    info.modelFingerprint = std::string(*fingerprint);
    RG_READ(position, int64_t, in, "position");
    if (position < 0 || position > kMaxPosition) {
        return in.errorAt(in.offset() - 8, "position " + std::to_string(position) + " is out of range");
    }
    info.position = position;
    RG_DIMENSION(layers, in, "layer count", 1, kMaxLayers);
    RG_DIMENSION(window, in, "attention window", 1, kMaxDimension);
    RG_DIMENSION(headDim, in, "head_dim", 1, kMaxDimension);
    RG_DIMENSION(lruWidth, in, "lru_width", 1, kMaxDimension);
    RG_DIMENSION(convWidth, in, "conv1d_width", 1, 64);
    info.layers = layers;
    info.attentionWindow = window;
    info.headDim = headDim;
    info.lruWidth = lruWidth;
    info.convWidth = convWidth;
    info.attentionSlotsStored = std::min<int64_t>(position, window);
    return layers;
}

// One section; its dimensions must be the header's, so the payload size is known before it is taken.
Result<Section> readSection(Reader& in, const StateFileInfo& info, uint32_t index) {
    Section section;
    section.offset = in.offset();
    const std::string name = "section of layer " + std::to_string(index);
    RG_READ(tag, uint32_t, in, name);
    RG_READ(layer, uint32_t, in, name);
    if (layer != index) return in.errorAt(section.offset, name + " is labelled layer " + std::to_string(layer));
    uint32_t expectedRows = 0, expectedWidth = 0;
    if (tag == kRecurrentTag) {
        section.type = BlockType::Recurrent;
        expectedRows = static_cast<uint32_t>(info.convWidth - 1);
        expectedWidth = static_cast<uint32_t>(info.lruWidth);
    } else if (tag == kAttentionTag) {
        section.type = BlockType::Attention;
        expectedRows = static_cast<uint32_t>(info.attentionSlotsStored);
        expectedWidth = static_cast<uint32_t>(info.headDim);
    } else {
        return in.errorAt(section.offset, name + " has an unknown type tag 0x" + hex64(tag).substr(8));
    }
    const std::string kind = std::string(blockTypeName(section.type)) + " " + name;
    RG_DIMENSION(rows, in, kind + ": row count", expectedRows, expectedRows);
    RG_DIMENSION(width, in, kind + ": row width", expectedWidth, expectedWidth);
    section.rows = rows;
    section.width = width;
    // Both dimensions are at most 2^20, so these products cannot overflow.
    const uint64_t firstBytes = uint64_t{rows} * width * sizeof(float);
    const uint64_t secondBytes =
        (section.type == BlockType::Recurrent ? uint64_t{width} : firstBytes / sizeof(float)) * sizeof(float);
    if (firstBytes + secondBytes > in.remaining()) {
        return in.error("truncated in " + kind + ": its data needs " + std::to_string(firstBytes + secondBytes) +
                        " bytes, " + std::to_string(in.remaining()) + " remain");
    }
    section.first = *in.take(firstBytes);
    section.second = *in.take(secondBytes);
    return section;
}

#undef RG_DIMENSION
#undef RG_READ

}  // namespace

Result<ParsedStateFile> parseStateFile(std::string_view bytes, const std::string& source) {
    ParsedStateFile parsed;
    if (auto ok = checkContainer(bytes, source, parsed.info); !ok) return tl::unexpected(ok.error());
    Reader in(bytes.substr(0, bytes.size() - kChecksumBytes), source);
    auto layers = readHeader(in, parsed.info);
    if (!layers) return tl::unexpected(layers.error());
    // A section is at least its 16-byte preamble: a count beyond that is a lie, caught before the reserve.
    if (uint64_t{*layers} * 16 > in.remaining()) {
        return in.error("layer count " + std::to_string(*layers) + " does not fit in the " +
                        std::to_string(in.remaining()) + " bytes that remain");
    }
    parsed.sections.reserve(*layers);
    for (uint32_t i = 0; i < *layers; ++i) {
        auto section = readSection(in, parsed.info, i);
        if (!section) return tl::unexpected(section.error());
        (section->type == BlockType::Recurrent ? parsed.info.recurrentLayers : parsed.info.attentionLayers) += 1;
        parsed.sections.push_back(*section);
    }
    if (in.remaining() != 0) {
        return in.error(std::to_string(in.remaining()) + " unexpected bytes after the last section");
    }
    return parsed;
}

}  // namespace rgemma::state_format
