// rgemma/dtype.h — element types a checkpoint tensor may be stored in.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace rgemma {

enum class DType { F32, BF16, F16 };

// Bytes per element.
std::size_t dtypeSize(DType dtype);
// The safetensors spelling: "F32", "BF16", "F16".
std::string_view dtypeName(DType dtype);
std::optional<DType> dtypeFromName(std::string_view name);

}  // namespace rgemma
