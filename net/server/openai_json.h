// net/server/openai_json.h — the JSON bodies OpenAI's clients expect: chat.completion and text_completion objects,
// their streamed chunks (Server-Sent Events), usage, the model list.
#pragma once

#include <QByteArray>
#include <QString>
#include <cstdint>
#include <string>

#include "completion_backend.h"
#include "completion_request.h"

namespace rcserver {

// What every object of one response repeats.
struct ResponseMeta {
    Endpoint endpoint = Endpoint::ChatCompletions;
    std::string id;       // "chatcmpl-…" or "cmpl-…"
    int64_t created = 0;  // seconds since the epoch
    std::string model;
    std::string fingerprint;  // system_fingerprint
};

// The whole response of a request that did not stream.
QByteArray completionJson(const ResponseMeta& meta, const CompletionOutcome& outcome);

// One SSE event ("data: …\n\n") per call. The first chunk of a chat choice carries the role; text chunks its text;
// the last its finish reason. `withUsageField`: stream_options.include_usage asked for "usage": null on each.
QByteArray roleChunkEvent(const ResponseMeta& meta, int choice, bool withUsageField);
QByteArray textChunkEvent(const ResponseMeta& meta, int choice, const QByteArray& text, bool withUsageField);
QByteArray finishChunkEvent(const ResponseMeta& meta, int choice, FinishReason reason, bool withUsageField);
QByteArray usageChunkEvent(const ResponseMeta& meta, const CompletionOutcome& outcome);
QByteArray errorEvent(const QByteArray& errorBody);
QByteArray doneEvent();

QByteArray modelListJson(const ModelDescription& model);
QByteArray modelJson(const ModelDescription& model);

}  // namespace rcserver
