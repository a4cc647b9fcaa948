// engine/src/text/tokenizer.cpp — Tokenizer (sentencepiece 0.1.97 behind a pimpl: loading that never aborts, an encoder
// that keeps invalid UTF-8 byte for byte) and StreamingDecoder (text of generated ids as it becomes complete).
#include "rgemma/tokenizer.h"

#include <sentencepiece_processor.h>

#include <array>
#include <cassert>
#include <cstdio>
#include <fstream>
#include <system_error>

namespace rgemma {

struct Tokenizer::Impl {
    sentencepiece::SentencePieceProcessor processor;
    int32_t vocabSize = 0;
    TokenId bos = -1;
    TokenId eos = -1;
    TokenId pad = -1;
    std::optional<TokenId> startOfTurn;
    std::optional<TokenId> endOfTurn;
    std::array<TokenId, 256> bytePieces{};  // the id of "<0xHH>" per byte value, -1 if missing
    bool hasAllBytePieces = false;

    Result<void> resolveIds();
    std::vector<TokenId> encodeValid(std::string_view text) const;
    int byteValue(TokenId id) const;  // the byte of a byte piece, -1 for any other id
    std::size_t pendingCount(std::span<const TokenId> ids) const;
};

namespace {

// A real tokenizer.model is a few MB (Gemma's 256k vocabulary: 4.2 MB); anything far larger is not one, and reading
// it whole would only waste memory.
constexpr std::uintmax_t kMaxTokenizerBytes = 64u << 20;

// The length of the well-formed UTF-8 sequence at the start of `text`, or 0 if it is not one. Same rules as
// sentencepiece's DecodeUTF8: no overlong forms, no surrogates, nothing above U+10FFFF.
std::size_t validSequenceLength(std::string_view text) {
    const auto byteAt = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
    const unsigned char lead = byteAt(0);
    if (lead < 0x80) return 1;
    std::size_t length = 0;
    char32_t codePoint = 0;
    char32_t smallest = 0;
    if ((lead & 0xE0) == 0xC0) {
        length = 2, codePoint = lead & 0x1F, smallest = 0x80;
    } else if ((lead & 0xF0) == 0xE0) {
        length = 3, codePoint = lead & 0x0F, smallest = 0x800;
    } else if ((lead & 0xF8) == 0xF0) {
        length = 4, codePoint = lead & 0x07, smallest = 0x10000;
    } else {
        return 0;
    }
    if (text.size() < length) return 0;
    for (std::size_t i = 1; i < length; ++i) {
        if ((byteAt(i) & 0xC0) != 0x80) return 0;
        codePoint = (codePoint << 6) | (byteAt(i) & 0x3F);
    }
    if (codePoint < smallest || codePoint > 0x10FFFF || (codePoint >= 0xD800 && codePoint <= 0xDFFF)) return 0;
    return length;
}

bool isValidUtf8(std::string_view text) {
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t length = validSequenceLength(text.substr(i));
        if (length == 0) return false;
        i += length;
    }
    return true;
}

// The id of `piece` if the vocabulary really has it: sentencepiece answers unk_id for unknown pieces.
std::optional<TokenId> findPiece(const sentencepiece::SentencePieceProcessor& processor, std::string_view piece) {
    const int id = processor.PieceToId(piece);
    if (id < 0 || id >= processor.GetPieceSize()) return std::nullopt;
    if (id == processor.unk_id() && processor.IdToPiece(id) != piece) return std::nullopt;
    return id;
}

std::string bytePieceName(int byte) {
    char name[8];
    std::snprintf(name, sizeof name, "<0x%02X>", byte);
    return name;
}

}  // namespace

Result<void> Tokenizer::Impl::resolveIds() {
    const auto special = [&](int fromModel, std::string_view piece) -> std::optional<TokenId> {
        if (fromModel >= 0) return fromModel;
        return findPiece(processor, piece);
    };
    const auto bos = special(processor.bos_id(), "<bos>");
    const auto eos = special(processor.eos_id(), "<eos>");
    if (!bos || !eos) return makeError(ErrorCode::InvalidTokenizer, "the vocabulary has no <bos> or no <eos> piece");
    this->bos = *bos;
    this->eos = *eos;
    pad = special(processor.pad_id(), "<pad>").value_or(-1);
    startOfTurn = findPiece(processor, "<start_of_turn>");
    endOfTurn = findPiece(processor, "<end_of_turn>");

    hasAllBytePieces = true;
    for (int byte = 0; byte < 256; ++byte) {
        const auto id = findPiece(processor, bytePieceName(byte));
        const bool usable = id && processor.IsByte(*id);
        bytePieces[byte] = usable ? *id : -1;
        hasAllBytePieces = hasAllBytePieces && usable;
    }
    return {};
}

int Tokenizer::Impl::byteValue(TokenId id) const {
    if (id < 0 || id >= vocabSize || !processor.IsByte(id)) return -1;
    // Byte pieces are named "<0xHH>" (sentencepiece's PieceToByte reads them the same way).
    const std::string& name = processor.IdToPiece(id);
    unsigned value = 0;
    if (name.size() != 6 || std::sscanf(name.c_str(), "<0x%2X>", &value) != 1 || value > 0xFF) return -1;
    return static_cast<int>(value);
}

std::vector<TokenId> Tokenizer::Impl::encodeValid(std::string_view text) const {
    std::vector<int> ids;
    try {
        if (!processor.Encode(text, &ids).ok()) ids.clear();
    } catch (...) {  // sentencepiece reports errors as Status, but an allocation can still throw
        ids.clear();
    }
    return {ids.begin(), ids.end()};
}

Tokenizer::Tokenizer(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
Tokenizer::Tokenizer(Tokenizer&&) noexcept = default;
Tokenizer& Tokenizer::operator=(Tokenizer&&) noexcept = default;
Tokenizer::~Tokenizer() = default;

Result<Tokenizer> Tokenizer::load(const std::filesystem::path& modelFile) {
    const std::string name = modelFile.string();
    std::error_code error;
    const std::uintmax_t size = std::filesystem::file_size(modelFile, error);
    if (error) return makeError(ErrorCode::Io, "cannot read tokenizer " + name + ": " + error.message());
    if (size > kMaxTokenizerBytes) {
        return makeError(ErrorCode::InvalidTokenizer,
                         name + ": " + std::to_string(size) + " bytes is too large for a tokenizer model");
    }
    std::string bytes(static_cast<std::size_t>(size), '\0');
    std::ifstream in(modelFile, std::ios::binary);
    if (!in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()))) {
        return makeError(ErrorCode::Io, "cannot read tokenizer " + name);
    }
    auto tokenizer = fromBytes(bytes);
    if (!tokenizer) return makeError(tokenizer.error().code, name + ": " + tokenizer.error().message);
    return tokenizer;
}

Result<Tokenizer> Tokenizer::fromBytes(std::string_view serializedProto) {
    if (serializedProto.empty()) return makeError(ErrorCode::InvalidTokenizer, "the tokenizer model is empty");
    auto impl = std::make_unique<Impl>();
    sentencepiece::util::Status status;
    try {
        status = impl->processor.LoadFromSerializedProto(serializedProto);
    } catch (...) {
        return makeError(ErrorCode::InvalidTokenizer, "not a sentencepiece model (loading it threw)");
    }
    if (!status.ok()) {
        return makeError(ErrorCode::InvalidTokenizer, "not a sentencepiece model (" + status.ToString() + ")");
    }
    impl->vocabSize = impl->processor.GetPieceSize();
    if (impl->vocabSize <= 0) return makeError(ErrorCode::InvalidTokenizer, "the tokenizer model has no pieces");
    if (auto resolved = impl->resolveIds(); !resolved) return tl::unexpected(resolved.error());
    return Tokenizer(std::move(impl));
}

std::vector<TokenId> Tokenizer::encode(std::string_view text) const {
    // sentencepiece would turn each invalid byte into U+FFFD; we keep the bytes themselves (byte-fallback pieces),
    // so only well-formed runs reach it. Without byte pieces there is nothing better than its replacement.
    if (!m_impl->hasAllBytePieces || isValidUtf8(text)) return m_impl->encodeValid(text);
    std::vector<TokenId> ids;
    std::size_t runStart = 0;
    const auto flushRun = [&](std::size_t end) {
        if (end == runStart) return;
        const auto run = m_impl->encodeValid(text.substr(runStart, end - runStart));
        ids.insert(ids.end(), run.begin(), run.end());
    };
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t length = validSequenceLength(text.substr(i));
        if (length > 0) {
            i += length;
            continue;
        }
        flushRun(i);
        ids.push_back(m_impl->bytePieces[static_cast<unsigned char>(text[i])]);
        runStart = ++i;
    }
    flushRun(text.size());
    return ids;
}

std::string Tokenizer::decode(std::span<const TokenId> ids) const {
    std::vector<int> valid;
    valid.reserve(ids.size());
    for (TokenId id : ids) {
        if (id >= 0 && id < m_impl->vocabSize) valid.push_back(id);
    }
    std::string text;
    try {
        if (!m_impl->processor.Decode(valid, &text).ok()) text.clear();
    } catch (...) {  // as in encode: only an allocation failure can get here
        text.clear();
    }
    return text;
}

std::string Tokenizer::piece(TokenId id) const {
    if (id < 0 || id >= m_impl->vocabSize) return {};
    return m_impl->processor.IdToPiece(id);
}

std::optional<TokenId> Tokenizer::pieceId(std::string_view piece) const { return findPiece(m_impl->processor, piece); }

int32_t Tokenizer::vocabSize() const { return m_impl->vocabSize; }
TokenId Tokenizer::bos() const { return m_impl->bos; }
TokenId Tokenizer::eos() const { return m_impl->eos; }
TokenId Tokenizer::pad() const { return m_impl->pad; }
std::optional<TokenId> Tokenizer::startOfTurn() const { return m_impl->startOfTurn; }
std::optional<TokenId> Tokenizer::endOfTurn() const { return m_impl->endOfTurn; }

// --- StreamingDecoder ---------------------------------------------------------------------------------------------
//
// sentencepiece decodes left to right, so the decode of a prefix of the ids is a prefix of the decode of all of them,
// with one exception: consecutive byte pieces are decoded together as UTF-8, and a sequence cut short at the end
// shows as U+FFFD until its remaining bytes arrive. So each push decodes the ids but such a tail and returns what
// that text adds. To keep a push O(window) rather than O(reply), the ids before an anchor are dropped once the text
// after the anchor decodes the same on its own (moveAnchor).

namespace {
// The window of ids since the anchor that triggers moving the anchor, and how many ids stay after the new one.
constexpr std::size_t kAnchorWindow = 64;
constexpr std::size_t kIdsAfterAnchor = 8;

// The number of continuation bytes the UTF-8 sequence begun by `lead` needs; 0 if `lead` cannot begin one.
int continuationBytesNeeded(int lead) {
    if (lead >= 0xC2 && lead <= 0xDF) return 1;
    if (lead >= 0xE0 && lead <= 0xEF) return 2;
    if (lead >= 0xF0 && lead <= 0xF4) return 3;
    return 0;
}
}  // namespace

// How many trailing ids must wait: byte pieces forming the start of a UTF-8 sequence that more bytes could still
// complete. Only the last lead byte can begin one (any earlier lead is followed by a byte that is not a
// continuation). Leads whose code point would come out overlong or a surrogate also wait: a conservative answer
// only delays text, an eager one could emit U+FFFD that the next byte turns into a character.
std::size_t Tokenizer::Impl::pendingCount(std::span<const TokenId> ids) const {
    int continuations = 0;
    for (std::size_t i = ids.size(); i > 0 && continuations < 4; --i) {
        const int byte = byteValue(ids[i - 1]);
        if (byte < 0) return 0;  // a non-byte piece ends the run of bytes
        if ((byte & 0xC0) == 0x80) {
            ++continuations;
            continue;
        }
        const bool incomplete = continuations < continuationBytesNeeded(byte);
        return incomplete ? static_cast<std::size_t>(continuations) + 1 : 0;
    }
    return 0;
}

StreamingDecoder::StreamingDecoder(const Tokenizer& tokenizer) : m_tokenizer(&tokenizer) {}

std::string StreamingDecoder::push(TokenId id) {
    const Tokenizer::Impl& impl = *m_tokenizer->m_impl;
    if (id < 0 || id >= impl.vocabSize) return {};  // decode skips it as well
    m_ids.push_back(id);
    const std::size_t stableCount = m_ids.size() - impl.pendingCount(m_ids);
    std::string text = takeNewText(m_tokenizer->decode(std::span(m_ids).first(stableCount)));
    if (m_ids.size() >= kAnchorWindow) moveAnchor(stableCount);
    return text;
}

std::string StreamingDecoder::flush() {
    std::string text = takeNewText(m_tokenizer->decode(m_ids));
    m_ids.clear();
    m_emitted.clear();
    return text;
}

// Returns what `decoded` (the decode of the stable ids) adds to the text returned so far.
std::string StreamingDecoder::takeNewText(std::string decoded) {
    const bool extends = decoded.starts_with(m_emitted);
    // Left-to-right decoding guarantees it (see above). Were it ever false, returning nothing is the lesser harm:
    // text already shown cannot be taken back.
    assert(extends && "decoded text no longer starts with the text already returned");
    std::string added = extends ? decoded.substr(m_emitted.size()) : std::string();
    m_emitted = std::move(decoded);
    return added;
}

// Drops the ids before a cut point when what follows decodes the same on its own, so that decode(m_ids) keeps
// producing the same text from here on. That holds when no UTF-8 sequence straddles the cut, when the text before
// the cut is not empty and the first id after it decodes to something (sentencepiece's only other state is whether
// a leading "▁" is still to be stripped, which ends at the first non-empty text), and when the text splits at the
// cut exactly. If any check fails, a later push tries again one id further on.
void StreamingDecoder::moveAnchor(std::size_t stableCount) {
    const Tokenizer::Impl& impl = *m_tokenizer->m_impl;
    if (stableCount <= kIdsAfterAnchor) return;
    const std::span<const TokenId> ids(m_ids);
    // Only a continuation byte can extend a sequence that the ids before the cut leave open.
    const auto splitsSequence = [&](std::size_t cut) {
        const int byte = impl.byteValue(ids[cut]);
        const bool continuation = byte >= 0 && (byte & 0xC0) == 0x80;
        return continuation && impl.pendingCount(ids.first(cut)) != 0;
    };
    // A UTF-8 sequence has at most 4 bytes: backing up 3 ids reaches its start.
    std::size_t cut = stableCount - kIdsAfterAnchor;
    for (int step = 0; step < 3 && cut > 1 && splitsSequence(cut); ++step) --cut;
    if (splitsSequence(cut)) return;
    const std::string head = m_tokenizer->decode(ids.first(cut));
    const std::string first = m_tokenizer->decode(ids.subspan(cut, 1));
    if (head.empty() || first.empty()) return;
    std::string rest = m_tokenizer->decode(ids.subspan(cut, stableCount - cut));
    if (head.size() + rest.size() != m_emitted.size() || !m_emitted.starts_with(head) || !m_emitted.ends_with(rest)) {
        return;
    }
    m_ids.erase(m_ids.begin(), m_ids.begin() + static_cast<std::ptrdiff_t>(cut));
    m_emitted = std::move(rest);
}

}  // namespace rgemma
