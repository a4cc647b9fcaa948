// tests/fuzz/fuzz_state_file.cpp — libFuzzer target: a conversation's state file (engine/STATE_FORMAT.md) read
// back, with inspectStateBytes (no model) and deserializeState against the golden tiny-f32 model, loaded once.
// Each input is tried as is and "repaired": its length field and checksum rewritten to match, so that mutations
// reach the header and section checks behind the checksum (a hostile file can carry a valid checksum too).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>

#include "io/xxhash64.h"
#include "rgemma/model.h"
#include "rgemma/state_file.h"
#include "state/state_file_format.h"

namespace {

const rgemma::Model* gModel = nullptr;

void check(std::string_view bytes) {
    const auto info = rgemma::inspectStateBytes(bytes, "fuzz.rgstate");
    auto state = rgemma::deserializeState(bytes, *gModel, "fuzz.rgstate");
    if (!state) return;
    if (!info) std::abort();  // the model-bound parser accepted what the container check refused
    // An accepted state is one of this model, at the position its header says, and can be saved again.
    if (!state->matches(gModel->config()) || state->position != info->position) std::abort();
    if (rgemma::serializeState(*state, *gModel).empty()) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    static auto model = rgemma::Model::load(RC_TEST_DATA_DIR "/tiny-f32");
    if (!model) {
        std::fprintf(stderr, "cannot load the golden model: %s\n", model.error().message.c_str());
        std::abort();
    }
    gModel = model->get();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string bytes(reinterpret_cast<const char*>(data), size);
    check(bytes);
    constexpr std::size_t kLengthOffset = 12;
    if (bytes.size() < rgemma::state_format::kPreambleBytes + rgemma::state_format::kChecksumBytes) return 0;
    const uint64_t length = bytes.size();
    std::memcpy(bytes.data() + kLengthOffset, &length, sizeof length);
    const std::size_t body = bytes.size() - rgemma::state_format::kChecksumBytes;
    const uint64_t checksum = rgemma::xxh64(bytes.data(), body);
    std::memcpy(bytes.data() + body, &checksum, sizeof checksum);
    check(bytes);
    return 0;
}
