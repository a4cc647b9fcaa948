// engine/src/text/chat_format.cpp — the Gemma chat turns as text and as ids. ref: recurrentgemma common.py
// apply_it_formatter; the golden chat case (tests/data/*/golden.json "chat") pins the ids.
#include "rgemma/chat_format.h"

namespace rgemma {

namespace {
constexpr std::string_view kUserTurnStart = "<start_of_turn>user\n";
constexpr std::string_view kUserTurnEnd = "<end_of_turn>\n<start_of_turn>model\n";
// Closes the model's reply: its sampled <end_of_turn> is returned by generate but not fed.
constexpr std::string_view kModelTurnEnd = "<end_of_turn>\n";
}  // namespace

std::string formatUserTurn(std::string_view message) {
    std::string text;
    text.reserve(kUserTurnStart.size() + message.size() + kUserTurnEnd.size());
    text.append(kUserTurnStart).append(message).append(kUserTurnEnd);
    return text;
}

// The whole turn is encoded as one string, as the reference does: a message that contains "<start_of_turn>" gets
// the marker token, exactly like the official sampler and Hugging Face's template.
std::vector<TokenId> firstTurnTokens(const Tokenizer& tokenizer, std::string_view message) {
    std::vector<TokenId> ids{tokenizer.bos()};
    const std::vector<TokenId> turn = tokenizer.encode(formatUserTurn(message));
    ids.insert(ids.end(), turn.begin(), turn.end());
    return ids;
}

std::vector<TokenId> nextTurnTokens(const Tokenizer& tokenizer, std::string_view message) {
    std::string text(kModelTurnEnd);
    text += formatUserTurn(message);
    return tokenizer.encode(text);
}

bool isEndOfTurn(const Tokenizer& tokenizer, TokenId id) {
    return id == tokenizer.eos() || id == tokenizer.endOfTurn();
}

}  // namespace rgemma
