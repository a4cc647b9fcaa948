// net/server/openai_json.cpp — response shapes (ref: OpenAI API reference, "The chat completion object", "The chat
// completion chunk object", "The completion object"). Text is ours and valid UTF-8; dump() replaces anything else
// rather than throw.
#include "openai_json.h"

#include <nlohmann/json.hpp>

namespace rcserver {

namespace {

using nlohmann::json;

QByteArray dumped(const json& value) {
    return QByteArray::fromStdString(value.dump(-1, ' ', false, json::error_handler_t::replace));
}

QByteArray event(const json& value) { return "data: " + dumped(value) + "\n\n"; }

bool isChat(const ResponseMeta& meta) { return meta.endpoint == Endpoint::ChatCompletions; }

json finishValue(FinishReason reason) {
    // A cancelled choice is never seen by its client; "stop" keeps the field within what the SDKs know.
    return reason == FinishReason::Length ? "length" : "stop";
}

json usage(const CompletionOutcome& outcome) {
    int64_t completion = 0;
    for (const ChoiceResult& choice : outcome.choices) completion += choice.completionTokens;
    return {{"prompt_tokens", outcome.promptTokens},
            {"completion_tokens", completion},
            {"total_tokens", outcome.promptTokens + completion},
            {"prompt_tokens_details", {{"cached_tokens", outcome.cachedTokens}}}};
}

json envelope(const ResponseMeta& meta, bool chunk) {
    const char* object = isChat(meta) ? (chunk ? "chat.completion.chunk" : "chat.completion") : "text_completion";
    return {{"id", meta.id},
            {"object", object},
            {"created", meta.created},
            {"model", meta.model},
            {"system_fingerprint", meta.fingerprint}};
}

QByteArray chunkEvent(const ResponseMeta& meta, int choice, const json& delta, const json& finish,
                      bool withUsageField) {
    json body = envelope(meta, true);
    json entry = {{"index", choice}, {"logprobs", nullptr}, {"finish_reason", finish}};
    if (isChat(meta)) {
        entry["delta"] = delta;
    } else {
        entry["text"] = delta.value("content", "");
    }
    body["choices"] = json::array({entry});
    if (withUsageField) body["usage"] = nullptr;
    return event(body);
}

}  // namespace

QByteArray completionJson(const ResponseMeta& meta, const CompletionOutcome& outcome) {
    json body = envelope(meta, false);
    json choices = json::array();
    for (const ChoiceResult& choice : outcome.choices) {
        json entry = {{"index", choice.index}, {"logprobs", nullptr}, {"finish_reason", finishValue(choice.finish)}};
        if (isChat(meta)) {
            entry["message"] = {{"role", "assistant"}, {"content", choice.text}, {"refusal", nullptr}};
        } else {
            entry["text"] = choice.text;
        }
        choices.push_back(entry);
    }
    body["choices"] = choices;
    body["usage"] = usage(outcome);
    return dumped(body);
}

QByteArray roleChunkEvent(const ResponseMeta& meta, int choice, bool withUsageField) {
    return chunkEvent(meta, choice, {{"role", "assistant"}, {"content", ""}}, nullptr, withUsageField);
}

QByteArray textChunkEvent(const ResponseMeta& meta, int choice, const QByteArray& text, bool withUsageField) {
    return chunkEvent(meta, choice, {{"content", text.toStdString()}}, nullptr, withUsageField);
}

QByteArray finishChunkEvent(const ResponseMeta& meta, int choice, FinishReason reason, bool withUsageField) {
    return chunkEvent(meta, choice, json::object(), finishValue(reason), withUsageField);
}

QByteArray usageChunkEvent(const ResponseMeta& meta, const CompletionOutcome& outcome) {
    json body = envelope(meta, true);
    body["choices"] = json::array();
    body["usage"] = usage(outcome);
    return event(body);
}

QByteArray errorEvent(const QByteArray& errorBody) { return "data: " + errorBody + "\n\n"; }

QByteArray doneEvent() { return "data: [DONE]\n\n"; }

QByteArray modelJson(const ModelDescription& model) {
    return dumped({{"id", model.name.toStdString()},
                   {"object", "model"},
                   {"created", model.loadedAt},
                   {"owned_by", "recurrent-chat"}});
}

QByteArray modelListJson(const ModelDescription& model) {
    return dumped({{"object", "list"}, {"data", json::array({json::parse(modelJson(model).toStdString())})}});
}

}  // namespace rcserver
