// random_tokenizer.h — a Gemma-style sentencepiece tokenizer of any vocabulary size, for random checkpoints.
#pragma once

#include <cstdint>
#include <string>

namespace rgemma::cli {

// The bytes of a tokenizer.model (a serialized sentencepiece ModelProto, BPE with byte fallback) with exactly
// `vocabSize` pieces (>= 1000) laid out as Gemma's: <pad> <eos> <bos> <unk> at 0-3, <mask> and the <unusedN>
// pieces, <start_of_turn> 106, <end_of_turn> 107, newline and space runs, the 256 byte pieces, then printable
// ASCII and lowercase letter groups, so that any text encodes and every id decodes to something.
std::string buildTokenizerModel(int64_t vocabSize);

}  // namespace rgemma::cli
