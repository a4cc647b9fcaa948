// rgemma/dtype.h — element types a checkpoint tensor may be stored in.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace rgemma {

// I8 holds quantized matrices (`rgemma quantize`): a matrix [rows, in] comes with an F32 tensor "<name>_scale"
// [rows, ceil(in / kI8BlockSize)], and W[r, i] = q[r, i] · scale[r, i / kI8BlockSize].
enum class DType { F32, BF16, F16, I8 };
inline constexpr int64_t kI8BlockSize = 32;

// Bytes per element.
std::size_t dtypeSize(DType dtype);
// The safetensors spelling: "F32", "BF16", "F16", "I8".
std::string_view dtypeName(DType dtype);
std::optional<DType> dtypeFromName(std::string_view name);

}  // namespace rgemma
