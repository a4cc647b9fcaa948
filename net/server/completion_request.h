// net/server/completion_request.h — the body of POST /v1/chat/completions or /v1/completions, checked field by field
// and turned into what a job needs. Fields OpenAI's SDKs send that change nothing here are ignored; a field this
// server cannot honour with a non-default value is a 400 that names it.
#pragma once

#include <QByteArray>
#include <cstdint>
#include <optional>
#include <string>
#include <tl/expected.hpp>
#include <vector>

#include "api_error.h"
#include "rgemma/sampler.h"
#include "rgemma/tokenizer.h"

namespace rcserver {

enum class Endpoint { ChatCompletions, Completions };

struct ChatMessage {
    enum class Role { System, User, Assistant };
    Role role = Role::User;
    std::string content;
};

struct CompletionRequest {
    Endpoint endpoint = Endpoint::ChatCompletions;
    std::vector<ChatMessage> messages;                      // chat
    std::string prompt;                                     // completions, as text
    std::optional<std::vector<rgemma::TokenId>> promptIds;  // completions, as token ids (BOS not added)
    bool stream = false;
    bool includeUsage = false;  // stream_options.include_usage
    int32_t maxTokens = 0;
    int32_t n = 1;
    std::vector<std::string> stops;
    rgemma::SamplerSettings sampling;  // the seed is the client's, or random
    bool ignoreEos = false;
};

// Request limits beyond the HTTP layer's.
inline constexpr int32_t kMaxChoices = 16;
inline constexpr int32_t kMaxStops = 16;
inline constexpr std::size_t kMaxStopBytes = 256;
inline constexpr int32_t kMaxCompletionTokens = 1'000'000;

tl::expected<CompletionRequest, ApiError> parseCompletionRequest(Endpoint endpoint, const QByteArray& body);

}  // namespace rcserver
