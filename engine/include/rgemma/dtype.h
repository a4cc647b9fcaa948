// rgemma/dtype.h — element types a checkpoint tensor may be stored in.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace rgemma {

// I8 holds quantized matrices (`rgemma quantize`): a matrix [rows, in] comes with an F32 tensor "<name>_scale"
// [rows, i8Blocks(in)], and W[r, i] = q[r, i] · scale[r, i / kI8BlockSize].
enum class DType { F32, BF16, F16, I8 };
inline constexpr int64_t kI8BlockSize = 32;

// Blocks of kI8BlockSize values in a row of `in` (the last one shorter when kI8BlockSize does not divide `in`).
constexpr int64_t i8Blocks(int64_t in) { return (in + kI8BlockSize - 1) / kI8BlockSize; }

// Whether a matrix stored in `dtype` comes with block scales "<name>_scale" [rows, i8Blocks(in)] (I8): only the roles
// that may be quantized (dense matrices, the embedding) may have such a dtype.
bool hasBlockScales(DType dtype);

// Bytes per element.
std::size_t dtypeSize(DType dtype);
// The safetensors spelling: "F32", "BF16", "F16", "I8".
std::string_view dtypeName(DType dtype);
std::optional<DType> dtypeFromName(std::string_view name);

}  // namespace rgemma
