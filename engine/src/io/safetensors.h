// safetensors.h — parse and validate one .safetensors file, exposing its tensors as views into the mapping.
#pragma once

#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "io/mapped_file.h"
#include "io/tensor_view.h"
#include "rgemma/error.h"

namespace rgemma {

// The __metadata__ entry that names the layout of a file's U8 (4-bit) tensors, and the one version this engine reads
// (docs/checkpoint-format.md §7).
inline constexpr std::string_view kQ4LayoutKey = "rgemma_q4k";
inline constexpr std::string_view kQ4LayoutVersion = "1";

// Validates a safetensors image held in memory: 8-byte LE header length (bounded by the file and by a sane
// maximum), valid JSON object, known dtypes, shapes of non-negative dims, data_offsets inside the data region,
// byte length == dtype size x shape product, no two tensors overlapping, and U8 tensors only in a file whose
// __metadata__ names the 4-bit layout version kQ4LayoutVersion. `source` names the file in errors.
// The returned views point into `bytes`.
Result<std::vector<TensorView>> parseSafetensors(std::span<const std::byte> bytes, const std::string& source);

// One mapped .safetensors file and its tensors.
struct SafetensorsFile {
    MappedFile file;
    std::vector<TensorView> tensors;

    static Result<SafetensorsFile> open(const std::filesystem::path& path);
};

}  // namespace rgemma
