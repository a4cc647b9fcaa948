// compare_inputs.h — what `rgemma compare` feeds both models: seeded random prompts, or the tokens of a real text
// cut into windows (so quality is measured on the kind of input the model was trained on).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <random>
#include <utility>
#include <vector>

#include "rgemma/config.h"
#include "rgemma/error.h"
#include "rgemma/tokenizer.h"

namespace rgemma::cli {

// One prompt, fed to both models from a fresh state: ids[0] is <bos>; next[p], when the prompt comes from a text,
// is the id that position p predicts (the text's token after ids[0..p]), so next.size() == ids.size(); empty for
// random ids, which have no "right" next id. scored[p] says whether position p counts (empty: every one does).
struct ComparePrompt {
    std::vector<TokenId> ids;
    std::vector<TokenId> next;
    std::vector<bool> scored;
};

// Which positions of a text count: all, or only those that predict a token of a model turn (the reply and its
// <end_of_turn>, what a chat model is trained to predict; its user turns are context it never learned to write).
enum class TextScore { All, Replies };

// <bos> then `length - 1` ids drawn uniformly from the ordinary ids (from all, in a toy vocabulary of no more than
// the special ones), from one generator so prompt k depends only on the seed.
ComparePrompt randomPrompt(std::mt19937_64& random, int64_t length, const ModelConfig& config);

// How a text is cut and scored.
struct TextCut {
    int64_t window = 128;              // tokens per window at most
    TextScore score = TextScore::All;  // which positions count
    bool paragraphs = false;           // each paragraph (text between blank lines) a document of its own
};

// A text as tokens, cut into windows: each document (the whole text, or each paragraph) is encoded on its own and
// cut into windows of cut.window tokens, the last one what is left. A window is fed from a fresh state as <bos>
// followed by all its tokens but the last, so that its positions predict its tokens, the first from <bos> alone.
struct TextWindows {
    std::vector<TokenId> tokens;                       // every document's, one after the other
    std::vector<bool> scored;                          // per token: whether predicting it counts
    std::vector<std::pair<int64_t, int64_t>> windows;  // [begin, end) in tokens
    int64_t count() const { return static_cast<int64_t>(windows.size()); }
    ComparePrompt prompt(int64_t k, TokenId bos) const;
};

// Reads `file` (at most kMaxTextBytes; any bytes: invalid UTF-8 goes through byte fallback) and encodes it. Fails,
// naming the file, when it cannot be read, is too large, has no tokens (or, scoring replies, no model turn), or gives
// an id outside `vocabSize`.
inline constexpr std::uintmax_t kMaxTextBytes = 64u << 20;
Result<TextWindows> readTextWindows(const std::filesystem::path& file, const Tokenizer& tokenizer, const TextCut& cut,
                                    int64_t vocabSize);

}  // namespace rgemma::cli
