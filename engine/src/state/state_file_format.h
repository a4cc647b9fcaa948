// state_file_format.h — the byte layout of a state file (engine/STATE_FORMAT.md) and its model-independent parser.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "rgemma/config.h"
#include "rgemma/error.h"
#include "rgemma/state_file.h"

namespace rgemma::state_format {

inline constexpr std::string_view kMagic{"RGSTATE\0", 8};
inline constexpr uint32_t kRecurrentTag = 0x55434552;  // "RECU" in file order (little-endian u32)
inline constexpr uint32_t kAttentionTag = 0x4E545441;  // "ATTN"
inline constexpr std::size_t kChecksumBytes = 8;
// magic, version, file length: what must be read before the checksum can be checked.
inline constexpr std::size_t kPreambleBytes = 8 + 4 + 8;
// Bounds that keep a hostile header from describing absurd sizes, far above any RecurrentGemma (9B: 38 layers,
// window 2048, head_dim 256, lru 4096, conv 4).
inline constexpr uint32_t kMaxLayers = 4096;
inline constexpr uint32_t kMaxDimension = 1u << 20;
inline constexpr std::size_t kMaxEngineVersionBytes = 64;
inline constexpr std::size_t kFingerprintBytes = 32;
inline constexpr int64_t kMaxPosition = int64_t{1} << 48;

// One layer's section, its payload still in the file's bytes (not copied, possibly unaligned).
struct Section {
    BlockType type = BlockType::Recurrent;
    uint64_t offset = 0;      // of the section's tag in the file, for messages
    uint32_t rows = 0;        // recurrent: conv rows (conv_width - 1); attention: slots stored
    uint32_t width = 0;       // recurrent: lru_width; attention: head_dim
    std::string_view first;   // recurrent: conv [rows, width]; attention: keys [rows, width]  (f32 LE)
    std::string_view second;  // recurrent: h [width];          attention: values [rows, width]
};

struct ParsedStateFile {
    StateFileInfo info;
    std::vector<Section> sections;  // one per layer, in layer order
};

// Checks everything that can be checked without a model: magic, version, length, checksum, header bounds, and
// that each section has the header's dimensions and exactly the bytes they imply. Never reads out of bounds;
// the only allocation (the section list) is bounded by kMaxLayers and by the bytes present.
Result<ParsedStateFile> parseStateFile(std::string_view bytes, const std::string& source);

// Appends little-endian values to a byte string.
class Writer {
  public:
    explicit Writer(std::string& out) : m_out(out) {}
    void u16(uint16_t v) { raw(&v, sizeof v); }
    void u32(uint32_t v) { raw(&v, sizeof v); }
    void u64(uint64_t v) { raw(&v, sizeof v); }
    void i64(int64_t v) { raw(&v, sizeof v); }
    void floats(const float* v, std::size_t count) { raw(v, count * sizeof(float)); }
    void raw(const void* data, std::size_t size) { m_out.append(static_cast<const char*>(data), size); }

  private:
    std::string& m_out;
};

}  // namespace rgemma::state_format
