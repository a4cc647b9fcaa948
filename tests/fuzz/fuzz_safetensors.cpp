// tests/fuzz/fuzz_safetensors.cpp — libFuzzer target: parseSafetensors on arbitrary bytes, i.e. a .safetensors
// file the user picked. Any crash, leak, hang or sanitizer report is a bug; so is a view outside the bytes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>

#include "io/safetensors.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const auto bytes = std::as_bytes(std::span<const uint8_t>(data, size));
    const auto tensors = rgemma::parseSafetensors(bytes, "fuzz.safetensors");
    if (!tensors) return 0;
    const auto* begin = reinterpret_cast<const std::byte*>(data);
    for (const auto& tensor : *tensors) {
        const auto* first = static_cast<const std::byte*>(tensor.data);
        if (tensor.byteSize > 0 && (first < begin || first + tensor.byteSize > begin + size)) std::abort();
        if (tensor.numel() < 0) std::abort();
    }
    return 0;
}
