// random_tokenizer.cpp — writes a sentencepiece ModelProto by hand (protobuf wire format), mirroring the layout of
// Gemma's tokenizer (ref: tests/data/*/tokenizer.model, a small Gemma-style model) at any vocabulary size.
#include "random_tokenizer.h"

#include <bit>
#include <cstdio>
#include <string_view>
#include <vector>

namespace rgemma::cli {

namespace {

// sentencepiece_model.proto: ModelProto.SentencePiece.Type
enum PieceType { kNormal = 1, kUnknown = 2, kControl = 3, kUserDefined = 4, kByte = 6 };

// Protobuf wire format: varint keys (field << 3 | wire type), varints, fixed32 and length-delimited fields.
class Proto {
  public:
    void varint(uint64_t value) {
        while (value >= 0x80) {
            m_bytes += static_cast<char>((value & 0x7F) | 0x80);
            value >>= 7;
        }
        m_bytes += static_cast<char>(value);
    }
    void integer(int field, uint64_t value) {
        varint(static_cast<uint64_t>(field) << 3);
        varint(value);
    }
    void fixed32(int field, float value) {
        varint(static_cast<uint64_t>(field) << 3 | 5);
        const auto bits = std::bit_cast<uint32_t>(value);
        for (int i = 0; i < 4; ++i) m_bytes += static_cast<char>((bits >> (8 * i)) & 0xFF);
    }
    void bytes(int field, std::string_view value) {
        varint(static_cast<uint64_t>(field) << 3 | 2);
        varint(value.size());
        m_bytes += value;
    }
    const std::string& data() const { return m_bytes; }

  private:
    std::string m_bytes;
};

struct Piece {
    std::string text;
    PieceType type;
};

const std::string_view kSpace = "\xE2\x96\x81";  // U+2581, sentencepiece's visible space

std::vector<Piece> specialPieces() {
    std::vector<Piece> pieces{{"<pad>", kControl},      {"<eos>", kControl},      {"<bos>", kControl},
                              {"<unk>", kUnknown},      {"<mask>", kUserDefined}, {"<2mass>", kUserDefined},
                              {"[@BOS@]", kUserDefined}};
    for (int i = 0; i <= 98; ++i) pieces.push_back({"<unused" + std::to_string(i) + ">", kUserDefined});
    pieces.push_back({"<start_of_turn>", kUserDefined});  // 106, as in Gemma
    pieces.push_back({"<end_of_turn>", kUserDefined});    // 107
    for (int n = 1; n <= 31; ++n) pieces.push_back({std::string(static_cast<std::size_t>(n), '\n'), kUserDefined});
    for (int n = 2; n <= 31; ++n) {
        std::string run;
        for (int i = 0; i < n; ++i) run += kSpace;
        pieces.push_back({run, kUserDefined});
    }
    for (int byte = 0; byte < 256; ++byte) {
        char name[8];
        std::snprintf(name, sizeof name, "<0x%02X>", byte);
        pieces.push_back({name, kByte});
    }
    return pieces;
}

// Ordinary pieces, most frequent first: the visible space and printable ASCII, then ever longer groups of
// lowercase letters with and without a leading space. Each group is its prefix plus one letter, both already
// pieces, so BPE can build every one of them.
void appendNormalPieces(std::vector<Piece>& pieces, std::size_t count) {
    pieces.push_back({std::string(kSpace), kNormal});
    for (char c = '!'; c <= '~' && pieces.size() < count; ++c) pieces.push_back({std::string(1, c), kNormal});
    static constexpr std::string_view kLetters = "etaoinshrdlcumwfgypbvkjxqz";
    std::vector<std::string> previous{""};
    while (pieces.size() < count) {
        std::vector<std::string> next;
        for (const std::string& prefix : previous) {
            for (char letter : kLetters) next.push_back(prefix + letter);
        }
        for (const std::string& group : next) {
            if (pieces.size() >= count) break;
            if (group.size() > 1) pieces.push_back({group, kNormal});
            if (pieces.size() < count) pieces.push_back({std::string(kSpace) + group, kNormal});
        }
        previous = std::move(next);
    }
}

}  // namespace

std::string buildTokenizerModel(int64_t vocabSize) {
    std::vector<Piece> pieces = specialPieces();
    appendNormalPieces(pieces, static_cast<std::size_t>(vocabSize));

    Proto model;
    float score = 0.0f;
    for (const Piece& piece : pieces) {
        Proto entry;
        entry.bytes(1, piece.text);
        // BPE merges the pair whose result has the highest score: earlier ordinary pieces win.
        entry.fixed32(2, piece.type == kNormal ? score-- : 0.0f);
        if (piece.type != kNormal) entry.integer(3, piece.type);
        model.bytes(1, entry.data());
    }

    Proto trainer;  // TrainerSpec: what the processor reads of it at encode time
    trainer.bytes(2, "rgemma-random-tokenizer");
    trainer.integer(3, 2);  // model_type: BPE
    trainer.integer(4, static_cast<uint64_t>(vocabSize));
    trainer.integer(25, 1);  // split_digits
    trainer.integer(35, 1);  // byte_fallback
    trainer.integer(40, 3);  // unk_id
    trainer.integer(41, 2);  // bos_id
    trainer.integer(42, 1);  // eos_id
    trainer.integer(43, 0);  // pad_id
    trainer.bytes(45, "<unk>");
    trainer.bytes(46, "<bos>");
    trainer.bytes(47, "<eos>");
    trainer.bytes(48, "<pad>");
    model.bytes(2, trainer.data());

    Proto normalizer;  // Gemma: no normalization, no dummy prefix, spaces kept as they are
    normalizer.bytes(1, "identity");
    normalizer.integer(3, 0);  // add_dummy_prefix
    normalizer.integer(4, 0);  // remove_extra_whitespaces
    model.bytes(3, normalizer.data());
    return model.data();
}

}  // namespace rgemma::cli
