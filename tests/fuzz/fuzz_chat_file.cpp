// tests/fuzz/fuzz_chat_file.cpp — libFuzzer target: a .rgchat conversation file (docs/rgchat-format.md) read with
// readChatFile. Each input is tried as is and "repaired" (its length field and checksum rewritten to match), so
// that mutations reach the section checks behind the checksum. An accepted file must write back to the same bytes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>

#include "chat_file.h"
#include "io/xxhash64.h"

namespace {

void check(const std::string& bytes) {
    const auto chat = chat_file::readChatFile(bytes);
    if (chat && chat_file::writeChatFile(*chat) != bytes) std::abort();  // the reader accepted what it misread
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string bytes(reinterpret_cast<const char*>(data), size);
    check(bytes);
    constexpr std::size_t kLengthOffset = 12;
    if (bytes.size() < 32) return 0;
    const uint64_t length = bytes.size();
    std::memcpy(bytes.data() + kLengthOffset, &length, sizeof length);
    const std::size_t body = bytes.size() - 8;
    const uint64_t checksum = rgemma::xxh64(bytes.data(), body);
    std::memcpy(bytes.data() + body, &checksum, sizeof checksum);
    check(bytes);
    return 0;
}
