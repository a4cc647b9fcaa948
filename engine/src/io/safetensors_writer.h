// safetensors_writer.h — the one safetensors writer (docs/checkpoint-format.md §4): the header of tensors laid out
// back to back, and a file streamed tensor by tensor. quantize.cpp and random_weights.cpp write with it; the tests
// build their images, well-formed or broken, from the same header.
#pragma once

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "rgemma/error.h"

namespace rgemma {

struct SafetensorsEntry {
    std::string name;
    std::string dtype;  // the safetensors spelling (dtypeName); a test may write any text
    std::vector<int64_t> shape;
    uint64_t bytes = 0;  // the length of its data
};

// "__metadata__" entries besides "format": "pt", in order.
using SafetensorsMetadata = std::vector<std::pair<std::string, std::string>>;

// The header JSON: "__metadata__" first, then `entries` in the given order, their data_offsets back to back from 0.
// Padded with spaces to a multiple of 8 bytes, so that the data (after the 8-byte length and the header) starts
// 8-byte aligned, as other safetensors writers do.
std::string safetensorsHeader(std::span<const SafetensorsEntry> entries, const SafetensorsMetadata& metadata = {});

// A .safetensors file written as a stream: the length and the header at creation, then the entries' data in order,
// in pieces of any size.
class SafetensorsWriter {
  public:
    static Result<SafetensorsWriter> create(const std::filesystem::path& path,
                                            std::span<const SafetensorsEntry> entries,
                                            const SafetensorsMetadata& metadata = {});
    // The next `bytes` of the data.
    Result<void> write(const void* data, std::size_t bytes);
    // Closes the file once exactly the entries' bytes are written; returns the file's size.
    Result<uint64_t> finish();

  private:
    struct Closer {
        void operator()(std::FILE* file) const { std::fclose(file); }
    };
    SafetensorsWriter(std::filesystem::path path, std::unique_ptr<std::FILE, Closer> file, uint64_t headerBytes,
                      uint64_t dataBytes);
    Error writeError(int errnoValue) const;

    std::filesystem::path m_path;
    std::unique_ptr<std::FILE, Closer> m_file;
    uint64_t m_headerBytes = 0;  // the length field and the header
    uint64_t m_dataBytes = 0;    // what the header promises
    uint64_t m_written = 0;      // data written so far
};

}  // namespace rgemma
