// rgemma/dtype.h — element types a checkpoint tensor may be stored in.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace rgemma {

// I8 holds quantized matrices (`rgemma quantize`): a matrix [rows, in] comes with an F32 tensor "<name>_scale"
// [rows, i8Blocks(in)], and W[r, i] = q[r, i] · scale[r, i / kI8BlockSize].
// U8 is the raw bytes of a 4-bit matrix as stored (`rgemma quantize --to q4k`: its nibbles [rows, ceil(in / 2)] and
// "<name>_scale" U8 [rows, ceil(in / 256), 16], docs/checkpoint-format.md §7). Q4K is never in a file: it is the
// dtype of such a matrix once bound, a view [rows, in] of the nibbles (kernels/q4_format.h defines the values).
enum class DType { F32, BF16, F16, I8, U8, Q4K };
inline constexpr int64_t kI8BlockSize = 32;

// Blocks of kI8BlockSize values in a row of `in` (the last one shorter when kI8BlockSize does not divide `in`).
constexpr int64_t i8Blocks(int64_t in) { return (in + kI8BlockSize - 1) / kI8BlockSize; }

// Whether a matrix stored in `dtype` comes with block scales "<name>_scale" [rows, i8Blocks(in)] (I8): only the roles
// that may be quantized (dense matrices, the embedding) may have such a dtype.
bool hasBlockScales(DType dtype);

// Bytes per element (Q4K: 0, its rows are q4RowBytes(in) bytes of nibbles plus their headers).
std::size_t dtypeSize(DType dtype);
// The safetensors spelling: "F32", "BF16", "F16", "I8", "U8"; "Q4K" for the bound 4-bit view, which
// dtypeFromName does not read (no file holds it).
std::string_view dtypeName(DType dtype);
std::optional<DType> dtypeFromName(std::string_view name);

}  // namespace rgemma
