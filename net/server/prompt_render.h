// net/server/prompt_render.h — a request's prompt as token ids. Chat messages are rendered in the Gemma chat format
// exactly as the app feeds a conversation (rgemma/chat_format.h): system text goes in front of the next user turn
// (Gemma has no system role), each assistant reply is the ids the server generated for it when it remembers them,
// and the prompt ends with an open model turn.
#pragma once

#include <tl/expected.hpp>
#include <vector>

#include "api_error.h"
#include "completion_request.h"
#include "reply_memory.h"
#include "rgemma/tokenizer.h"
#include "turn_encodings.h"

namespace rcserver {

tl::expected<std::vector<rgemma::TokenId>, ApiError> renderPrompt(const rgemma::Tokenizer& tokenizer,
                                                                  const CompletionRequest& request,
                                                                  const ReplyMemory& replies, TurnEncodings& turns);

}  // namespace rcserver
