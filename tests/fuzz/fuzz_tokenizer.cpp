// tests/fuzz/fuzz_tokenizer.cpp — libFuzzer target: Tokenizer::fromBytes on arbitrary bytes, i.e. a
// checkpoint's tokenizer.model handed to sentencepiece; an accepted one is then used for a round trip.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "rgemma/tokenizer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    auto tokenizer = rgemma::Tokenizer::fromBytes(bytes);
    if (!tokenizer) return 0;
    const std::vector<rgemma::TokenId> ids = tokenizer->encode("Hello, <start_of_turn>world\xff\xfe \xc3");
    (void)tokenizer->decode(ids);
    rgemma::StreamingDecoder decoder(*tokenizer);
    for (const rgemma::TokenId id : ids) (void)decoder.push(id);
    (void)decoder.flush();
    (void)tokenizer->piece(tokenizer->vocabSize() - 1);
    (void)tokenizer->pieceId("<end_of_turn>");
    return 0;
}
