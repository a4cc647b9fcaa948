// net/server/prompt_render.cpp — messages to turns (consecutive messages of one role joined by a blank line, as
// the app joins a system prompt to its message), turns to ids.
#include "prompt_render.h"

#include <string>

#include "token_prefix_hash.h"

namespace rcserver {

namespace {

struct Turn {
    bool user = true;
    std::string text;
};

std::string trimmed(const std::string& text) {
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) return {};
    return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

void joinInto(std::string& into, const std::string& text) {
    if (!into.empty()) into += "\n\n";
    into += text;
}

tl::expected<std::vector<Turn>, ApiError> toTurns(const std::vector<ChatMessage>& messages) {
    std::vector<Turn> turns;
    std::string system;  // waiting for the next user turn
    for (const ChatMessage& message : messages) {
        switch (message.role) {
            case ChatMessage::Role::System:
                if (const std::string text = trimmed(message.content); !text.empty()) joinInto(system, text);
                break;
            case ChatMessage::Role::User: {
                std::string text = system;
                system.clear();
                joinInto(text, message.content);
                if (!turns.empty() && turns.back().user) {
                    joinInto(turns.back().text, text);
                } else {
                    turns.push_back({true, std::move(text)});
                }
                break;
            }
            case ChatMessage::Role::Assistant:
                if (turns.empty()) {
                    return tl::unexpected(ApiError{400,
                                                   "messages: the conversation must start with a user message "
                                                   "(after any system messages)",
                                                   "messages"});
                }
                if (!turns.back().user) {
                    joinInto(turns.back().text, message.content);
                } else {
                    turns.push_back({false, message.content});
                }
                break;
        }
    }
    if (turns.empty() || !turns.back().user || !system.empty()) {
        return tl::unexpected(ApiError{400, "messages: the last message must be from the user", "messages"});
    }
    return turns;
}

tl::expected<std::vector<rgemma::TokenId>, ApiError> renderChat(const rgemma::Tokenizer& tokenizer,
                                                                const std::vector<ChatMessage>& messages,
                                                                const ReplyMemory& replies, TurnEncodings& encodings) {
    auto turns = toTurns(messages);
    if (!turns) return tl::unexpected(turns.error());
    std::vector<rgemma::TokenId> ids;
    uint64_t hash = kEmptyIdsHash;  // idsHash(ids), kept up to date
    auto append = [&](const std::vector<rgemma::TokenId>& more) {
        for (rgemma::TokenId id : more) hash = extendIdsHash(hash, id);
        ids.insert(ids.end(), more.begin(), more.end());
    };
    for (const Turn& turn : *turns) {
        if (!turn.user) {
            const std::vector<rgemma::TokenId>* known = replies.find(hash, turn.text);
            append(known ? *known : tokenizer.encode(turn.text));
        } else {
            // The first turn starts with BOS; a later one closes the reply before it.
            append(encodings.userTurn(tokenizer, turn.text, ids.empty()));
        }
    }
    return ids;
}

}  // namespace

tl::expected<std::vector<rgemma::TokenId>, ApiError> renderPrompt(const rgemma::Tokenizer& tokenizer,
                                                                  const CompletionRequest& request,
                                                                  const ReplyMemory& replies, TurnEncodings& turns) {
    if (request.endpoint == Endpoint::ChatCompletions) return renderChat(tokenizer, request.messages, replies, turns);
    if (!request.promptIds) {
        std::vector<rgemma::TokenId> ids{tokenizer.bos()};
        const std::vector<rgemma::TokenId> text = tokenizer.encode(request.prompt);
        ids.insert(ids.end(), text.begin(), text.end());
        return ids;
    }
    for (std::size_t i = 0; i < request.promptIds->size(); ++i) {
        if ((*request.promptIds)[i] >= tokenizer.vocabSize()) {
            return tl::unexpected(
                ApiError{400,
                         "prompt[" + std::to_string(i) + "]: token id " + std::to_string((*request.promptIds)[i]) +
                             " is not in the vocabulary (0 to " + std::to_string(tokenizer.vocabSize() - 1) + ")",
                         "prompt"});
        }
    }
    return *request.promptIds;
}

}  // namespace rcserver
