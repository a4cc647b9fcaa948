// tensor_view.h — a read-only view of one tensor inside a memory-mapped checkpoint file, in its stored dtype.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "rgemma/dtype.h"

namespace rgemma {

struct TensorView {
    std::string name;  // the checkpoint's tensor name, for error messages
    DType dtype = DType::F32;
    std::vector<int64_t> shape;  // row-major, as in the file
    const void* data = nullptr;  // points into the mapping; valid while the owning WeightStore lives
    uint64_t byteSize = 0;

    int64_t numel() const;
    int64_t dim(std::size_t i) const { return shape.at(i); }
    // Row r of a 2-D (or flattened leading dims) tensor, raw bytes of the stored dtype.
    const void* rowPtr(int64_t r, int64_t rowLength) const;
};

// Whether stored floats at `data` can be read as floats in place (a safetensors offset need not be aligned).
inline bool isFloatAligned(const void* data) { return reinterpret_cast<std::uintptr_t>(data) % alignof(float) == 0; }

// Elements of `dtype` at `data` as floats read in place (f32, aligned), or null where they must be converted.
inline const float* floatsInPlace(DType dtype, const void* data) {
    return dtype == DType::F32 && isFloatAligned(data) ? static_cast<const float*>(data) : nullptr;
}

}  // namespace rgemma
