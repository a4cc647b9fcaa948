// tests/fuzz/fuzz_tokenizer_text.cpp — libFuzzer target: the golden tokenizer on hostile text (invalid UTF-8,
// NULs, control pieces written as text) and on arbitrary ids: encode, decode, and the streaming decoder, whose
// pieces must concatenate to decode() and each be valid UTF-8.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "rgemma/tokenizer.h"

namespace {

const rgemma::Tokenizer* gTokenizer = nullptr;

bool validUtf8(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size()) {
        const auto c = static_cast<unsigned char>(s[i]);
        const std::size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        if (n == 0 || i + n > s.size()) return false;
        for (std::size_t k = 1; k < n; ++k) {
            if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
        }
        i += n;
    }
    return true;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    static auto tokenizer = rgemma::Tokenizer::load(RC_TEST_DATA_DIR "/tiny-f32/tokenizer.model");
    if (!tokenizer) {
        std::fprintf(stderr, "cannot load the golden tokenizer: %s\n", tokenizer.error().message.c_str());
        std::abort();
    }
    gTokenizer = &*tokenizer;
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const std::vector<rgemma::TokenId> encoded = gTokenizer->encode(text);
    (void)gTokenizer->decode(encoded);

    // The same bytes read as ids (any value, out of range included), through both decoders.
    std::vector<rgemma::TokenId> ids(size / sizeof(rgemma::TokenId));
    if (!ids.empty()) std::memcpy(ids.data(), data, ids.size() * sizeof(rgemma::TokenId));
    for (auto& id : ids) {
        if (id >= 0 || id < -4) id = id % (gTokenizer->vocabSize() + 8);  // mostly in range, some not
    }
    const std::string whole = gTokenizer->decode(ids);
    rgemma::StreamingDecoder decoder(*gTokenizer);
    std::string streamed;
    for (const rgemma::TokenId id : ids) {
        const std::string piece = decoder.push(id);
        if (!validUtf8(piece)) std::abort();
        streamed += piece;
    }
    const std::string tail = decoder.flush();
    if (!validUtf8(tail)) std::abort();
    if (streamed + tail != whole) std::abort();
    return 0;
}
