// rgemma/chat_format.h — the Gemma chat format (ref: recurrentgemma common.py apply_it_formatter, HF Gemma
// chat template). A conversation is fed incrementally: the first user turn starts with BOS; each later turn
// closes the model's previous reply (whose <end_of_turn> was sampled but not fed) and opens a new model turn.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "rgemma/tokenizer.h"

namespace rgemma {

// "<start_of_turn>user\n{message}<end_of_turn>\n<start_of_turn>model\n"
std::string formatUserTurn(std::string_view message);

// BOS + encode(formatUserTurn(message)).
std::vector<TokenId> firstTurnTokens(const Tokenizer& tokenizer, std::string_view message);

// encode("<end_of_turn>\n" + formatUserTurn(message)): what to feed after the model's reply to continue.
std::vector<TokenId> nextTurnTokens(const Tokenizer& tokenizer, std::string_view message);

// True for <eos> and <end_of_turn>: generation of a reply stops there (the stop token is not fed).
bool isEndOfTurn(const Tokenizer& tokenizer, TokenId id);

}  // namespace rgemma
