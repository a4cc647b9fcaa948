// rgemma/tokenizer.h — the sentencepiece tokenizer of a checkpoint (tokenizer.model), behind a pimpl.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "rgemma/error.h"

namespace rgemma {

using TokenId = int32_t;

class Tokenizer {
  public:
    static Result<Tokenizer> load(const std::filesystem::path& modelFile);
    // From the bytes of a serialized sentencepiece ModelProto (what tokenizer.model holds).
    static Result<Tokenizer> fromBytes(std::string_view serializedProto);

    Tokenizer(Tokenizer&&) noexcept;
    Tokenizer& operator=(Tokenizer&&) noexcept;
    ~Tokenizer();

    // Text -> ids, no BOS (the caller adds it once per conversation). User-defined pieces such as
    // <start_of_turn> are matched inside the text; control pieces written as text (<bos>) are not.
    // Invalid UTF-8 is encoded byte by byte through byte fallback, never rejected.
    std::vector<TokenId> encode(std::string_view text) const;
    // Ids -> text. Control tokens decode to nothing; invalid UTF-8 from byte pieces becomes U+FFFD.
    // Out-of-range ids are skipped.
    std::string decode(std::span<const TokenId> ids) const;

    std::string piece(TokenId id) const;  // "" for out-of-range ids
    std::optional<TokenId> pieceId(std::string_view piece) const;
    int32_t vocabSize() const;

    TokenId bos() const;
    TokenId eos() const;
    TokenId pad() const;                         // -1 if the vocabulary has no <pad>
    std::optional<TokenId> startOfTurn() const;  // the id of "<start_of_turn>", if the vocabulary has it
    std::optional<TokenId> endOfTurn() const;    // the id of "<end_of_turn>"

  private:
    friend class StreamingDecoder;  // it needs to know which ids are byte pieces
    struct Impl;
    explicit Tokenizer(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

// Turns generated ids into text as they come: returns only the text that is complete so far, holding back a
// trailing partial UTF-8 sequence (byte-fallback pieces) until the bytes that complete it arrive. The pieces
// returned by push() and flush() always concatenate to exactly decode(all ids), and each is valid UTF-8.
// The tokenizer must outlive the decoder and stay where it is (not moved from).
class StreamingDecoder {
  public:
    explicit StreamingDecoder(const Tokenizer& tokenizer);
    // Appends one id, returns the newly completed text (possibly empty).
    std::string push(TokenId id);
    // Everything still held back (a dangling partial sequence becomes U+FFFD); the decoder then starts afresh.
    std::string flush();

  private:
    std::string takeNewText(std::string text);
    void moveAnchor(std::size_t stableCount);

    const Tokenizer* m_tokenizer;
    std::vector<TokenId> m_ids;  // ids since the anchor, a point after which the text decodes on its own
    std::string m_emitted;       // decode of m_ids but the held-back tail: returned already
};

}  // namespace rgemma
