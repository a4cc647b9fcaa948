// tests/fuzz/fuzz_q4_checkpoint.cpp — libFuzzer target: a 4-bit (Q4K) checkpoint's model.safetensors on arbitrary
// bytes, loaded with a small fixed config (q4_config.json: 3 layers, rows of 40 and 72 values, so that every 4-bit
// matrix has short super-blocks and sub-blocks, and a seed under fuzz.sh's 64 KiB) and, where it loads, run: a prefill
// of 3 tokens and a decode step at every kernel level the CPU has. Its parser, binder (U8 layout version, nibble and
// header shapes) and kernels on hostile headers are outside data too. Any crash, hang or sanitizer report is a bug;
// non-finite logits are not.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <vector>

#include "kernels/matmul_kernels.h"
#include "rgemma/model.h"
#include "rgemma/runtime.h"
#include "runtime/runtime_impl.h"

namespace {

std::filesystem::path gDir;

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    gDir = std::filesystem::temp_directory_path() / ("fuzz_q4_checkpoint." + std::to_string(::getpid()));
    std::filesystem::create_directories(gDir);
    std::filesystem::copy_file(RC_FUZZ_DIR "/q4_config.json", gDir / "config.json",
                               std::filesystem::copy_options::overwrite_existing);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    {
        std::ofstream file(gDir / "model.safetensors", std::ios::binary | std::ios::trunc);
        file.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
        if (!file) std::abort();
    }
    auto model = rgemma::Model::load(gDir);
    if (!model) return 0;
    const std::vector<rgemma::TokenId> prompt{2, 7, 30};  // ids below q4_config.json's vocab_size (32)
    rgemma::Runtime runtime(1);
    for (rgemma::Isa isa : {rgemma::Isa::Portable, rgemma::Isa::Avx2, rgemma::Isa::Avx512}) {
        if (!rgemma::isaSupported(isa)) continue;
        runtime.impl().kernels = &rgemma::matmulKernels(isa);
        rgemma::State state = (*model)->newState();
        std::vector<float> logits;
        if (!(*model)->forward(runtime, state, prompt, rgemma::LogitsMode::AllPositions, logits)) std::abort();
        if (!(*model)->forward(runtime, state, std::span(prompt).first(1), rgemma::LogitsMode::Last, logits)) {
            std::abort();
        }
    }
    return 0;
}
