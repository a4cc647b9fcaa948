// net/server/completion_request.cpp — field checks. Sampling defaults are the engine's (SamplerSettings), as in the
// app and llama.cpp's server; temperature 0 (or top_p 0) means greedy.
#include "completion_request.h"

#include <limits>
#include <random>

#include "json_fields.h"
#include "rgemma/generate.h"

namespace rcserver {

namespace {

using nlohmann::json;

bool isEmptyArrayOrObject(const json& value) { return (value.is_array() || value.is_object()) && value.empty(); }

// Fields with a meaning this server cannot give: accepted only with the value that means "not used".
struct UnsupportedField {
    const char* name;
    bool (*isDefault)(const json& value, int32_t n);
    const char* why;
};

const UnsupportedField kUnsupported[] = {
    {"tools", [](const json& v, int32_t) { return isEmptyArrayOrObject(v); }, "tool calls are not supported"},
    {"functions", [](const json& v, int32_t) { return isEmptyArrayOrObject(v); }, "function calls are not supported"},
    {"tool_choice", [](const json& v, int32_t) { return v == "none" || v == "auto"; }, "tool calls are not supported"},
    {"function_call", [](const json& v, int32_t) { return v == "none" || v == "auto"; },
     "function calls are not supported"},
    {"response_format", [](const json& v, int32_t) { return v.is_object() && v.value("type", json()) == "text"; },
     "only {\"type\": \"text\"} is supported"},
    {"logprobs", [](const json& v, int32_t) { return v == false || v == 0; }, "log probabilities are not supported"},
    {"top_logprobs", [](const json& v, int32_t) { return v == 0; }, "log probabilities are not supported"},
    {"logit_bias", [](const json& v, int32_t) { return isEmptyArrayOrObject(v); }, "logit_bias is not supported"},
    {"audio", [](const json&, int32_t) { return false; }, "audio is not supported"},
    {"modalities", [](const json& v, int32_t) { return v == json::array({"text"}); }, "only [\"text\"] is supported"},
    {"prediction", [](const json&, int32_t) { return false; }, "predicted outputs are not supported"},
    {"web_search_options", [](const json&, int32_t) { return false; }, "web search is not supported"},
    {"reasoning_effort", [](const json&, int32_t) { return false; }, "this model does not reason separately"},
    {"echo", [](const json& v, int32_t) { return v == false; }, "echoing the prompt is not supported"},
    {"suffix", [](const json& v, int32_t) { return v == ""; }, "suffixes (insertion) are not supported"},
    {"best_of", [](const json& v, int32_t n) { return v == 1 || v == n; }, "best_of other than n is not supported"},
    {"presence_penalty", [](const json& v, int32_t) { return v == 0; },
     "presence_penalty is not supported; use repeat_penalty"},
    {"frequency_penalty", [](const json& v, int32_t) { return v == 0; },
     "frequency_penalty is not supported; use repeat_penalty"},
};

void rejectUnsupported(FieldReader& fields, int32_t n) {
    for (const UnsupportedField& field : kUnsupported) {
        const json* value = fields.get(field.name);
        if (value && !field.isDefault(*value, n))
            fields.fail(field.name, "is not supported here: " + std::string(field.why));
    }
}

void readStops(FieldReader& fields, std::vector<std::string>& stops) {
    const json* value = fields.get("stop");
    if (!value) return;
    if (value->is_string()) {
        stops.push_back(value->get<std::string>());
    } else if (value->is_array()) {
        if (value->size() > static_cast<std::size_t>(kMaxStops)) {
            return fields.fail("stop", "has more than " + std::to_string(kMaxStops) + " strings");
        }
        for (const json& item : *value) {
            if (!item.is_string()) return fields.fail("stop", "must hold strings, not " + jsonTypeName(item));
            stops.push_back(item.get<std::string>());
        }
    } else {
        return fields.fail("stop", "must be a string or an array of strings, not " + jsonTypeName(*value));
    }
    for (const std::string& stop : stops) {
        if (stop.size() > kMaxStopBytes) {
            return fields.fail("stop", "strings must be at most " + std::to_string(kMaxStopBytes) + " bytes long");
        }
    }
}

// Any JSON integer, negative ones by their two's-complement bits: clients send int64 seeds.
void readSeed(FieldReader& fields, uint64_t& seed) {
    const json* value = fields.get("seed");
    if (!value) {
        seed = std::random_device{}() | (static_cast<uint64_t>(std::random_device{}()) << 32);
        return;
    }
    if (value->is_number_unsigned()) {
        seed = value->get<uint64_t>();
    } else if (value->is_number_integer()) {
        seed = static_cast<uint64_t>(value->get<int64_t>());
    } else {
        fields.fail("seed", "must be an integer, not " + jsonTypeName(*value));
    }
}

void readSampling(FieldReader& fields, rgemma::SamplerSettings& s) {
    fields.readNumber("temperature", 0.0, 2.0, s.temperature);
    fields.readNumber("top_p", 0.0, 1.0, s.topP);
    fields.readInteger("top_k", 0, std::numeric_limits<int32_t>::max(), s.topK);
    fields.readNumber("min_p", 0.0, 1.0, s.minP);
    if (fields.ok() && !(s.minP < 1.0f)) fields.fail("min_p", "must be below 1");
    fields.readNumber("repeat_penalty", 1.0, 100.0, s.repeatPenalty);
    int32_t lastN = s.repeatWindow;
    const auto longestWindow = static_cast<int32_t>(rgemma::kRepeatWindowRange.max);
    fields.readInteger("repeat_last_n", -1, longestWindow, lastN);
    s.repeatWindow = lastN < 0 ? longestWindow : lastN;  // llama.cpp's -1: as far back as the sampler looks
    s.greedy = s.temperature == 0.0f || s.topP == 0.0f;
    if (s.greedy) s.topP = 1.0f;  // greedy ignores it; keeps validateSamplerSettings' range
    readSeed(fields, s.seed);
}

tl::expected<std::string, ApiError> messageContent(const json& message, const std::string& where, bool mayBeNull) {
    const auto it = message.find("content");
    if (it == message.end() || it->is_null()) {
        if (mayBeNull) return std::string();
        return tl::unexpected(ApiError{400, where + "content is missing", where + "content"});
    }
    if (it->is_string()) return it->get<std::string>();
    if (!it->is_array()) {
        return tl::unexpected(ApiError{
            400, where + "content must be a string or an array of parts, not " + jsonTypeName(*it), where + "content"});
    }
    std::string text;
    for (std::size_t i = 0; i < it->size(); ++i) {
        const json& part = (*it)[i];
        const std::string at = where + "content[" + std::to_string(i) + "]";
        if (!part.is_object() || part.value("type", json()) != "text" || !part.contains("text") ||
            !part["text"].is_string()) {
            const std::string type = part.is_object() && part.value("type", json()).is_string()
                                         ? "'" + part["type"].get<std::string>() + "'"
                                         : "without a type";
            return tl::unexpected(ApiError{400, at + ": only text parts are supported, not a part " + type, at});
        }
        if (!text.empty()) text += '\n';
        text += part["text"].get<std::string>();
    }
    return text;
}

tl::expected<std::vector<ChatMessage>, ApiError> readMessages(const json& body) {
    const auto it = body.find("messages");
    if (it == body.end() || !it->is_array() || it->empty()) {
        return tl::unexpected(ApiError{400, "messages must be a non-empty array of messages", "messages"});
    }
    std::vector<ChatMessage> messages;
    for (std::size_t i = 0; i < it->size(); ++i) {
        const json& item = (*it)[i];
        const std::string where = "messages[" + std::to_string(i) + "].";
        if (!item.is_object()) {
            return tl::unexpected(ApiError{400, where.substr(0, where.size() - 1) + " must be an object",
                                           where.substr(0, where.size() - 1)});
        }
        const json role = item.value("role", json());
        ChatMessage message;
        if (role == "system" || role == "developer") {
            message.role = ChatMessage::Role::System;
        } else if (role == "user") {
            message.role = ChatMessage::Role::User;
        } else if (role == "assistant") {
            message.role = ChatMessage::Role::Assistant;
            if (item.contains("tool_calls") && !item["tool_calls"].is_null() &&
                !isEmptyArrayOrObject(item["tool_calls"])) {
                return tl::unexpected(
                    ApiError{400, where + "tool_calls: tool calls are not supported", where + "tool_calls"});
            }
        } else {
            const std::string name = role.is_string() ? "'" + role.get<std::string>() + "'" : jsonTypeName(role);
            return tl::unexpected(
                ApiError{400, where + "role " + name + " is not supported (system, developer, user or assistant)",
                         where + "role"});
        }
        auto content = messageContent(item, where, message.role == ChatMessage::Role::Assistant);
        if (!content) return tl::unexpected(content.error());
        message.content = std::move(*content);
        messages.push_back(std::move(message));
    }
    return messages;
}

tl::expected<void, ApiError> readPrompt(const json& body, CompletionRequest& request) {
    const auto it = body.find("prompt");
    const ApiError wrong{400, "prompt must be a string, an array of one string, or an array of token ids", "prompt"};
    if (it == body.end() || it->is_null()) return tl::unexpected(ApiError{400, "prompt is missing", "prompt"});
    const json* prompt = &*it;
    if (prompt->is_array() && prompt->size() == 1 && ((*prompt)[0].is_string() || (*prompt)[0].is_array())) {
        prompt = &(*prompt)[0];  // a batch of one
    }
    if (prompt->is_string()) {
        request.prompt = prompt->get<std::string>();
        return {};
    }
    if (!prompt->is_array() || prompt->empty()) return tl::unexpected(wrong);
    std::vector<rgemma::TokenId> ids;
    for (const json& id : *prompt) {
        if (!id.is_number_integer() || id.get<int64_t>() < 0 ||
            id.get<int64_t>() > std::numeric_limits<int32_t>::max()) {
            return tl::unexpected(wrong);
        }
        ids.push_back(static_cast<rgemma::TokenId>(id.get<int64_t>()));
    }
    request.promptIds = std::move(ids);
    return {};
}

}  // namespace

tl::expected<CompletionRequest, ApiError> parseCompletionRequest(Endpoint endpoint, const QByteArray& body) {
    auto parsed = parseJsonObject(body);
    if (!parsed) return tl::unexpected(parsed.error());
    const json& object = *parsed;
    CompletionRequest request;
    request.endpoint = endpoint;
    request.maxTokens = rgemma::GenerateOptions{}.maxNewTokens;

    FieldReader fields(object);
    std::string model;
    fields.readString("model", model);  // any name is served by the loaded model
    fields.readBool("stream", request.stream);
    if (const json* options = fields.get("stream_options")) {
        if (!options->is_object()) {
            fields.fail("stream_options", "must be an object, not " + jsonTypeName(*options));
        } else {
            FieldReader streamFields(*options, "stream_options.");
            streamFields.readBool("include_usage", request.includeUsage);
            if (!streamFields.ok()) return tl::unexpected(streamFields.error());
        }
    }
    fields.readInteger("max_tokens", 1, kMaxCompletionTokens, request.maxTokens);
    fields.readInteger("max_completion_tokens", 1, kMaxCompletionTokens, request.maxTokens);
    fields.readInteger("n", 1, kMaxChoices, request.n);
    fields.readBool("ignore_eos", request.ignoreEos);
    readStops(fields, request.stops);
    readSampling(fields, request.sampling);
    if (fields.ok()) rejectUnsupported(fields, request.n);
    if (!fields.ok()) return tl::unexpected(fields.error());
    if (auto valid = rgemma::validateSamplerSettings(request.sampling); !valid) {
        return tl::unexpected(ApiError{400, valid.error().message});  // cannot happen after the ranges above
    }

    if (endpoint == Endpoint::ChatCompletions) {
        auto messages = readMessages(object);
        if (!messages) return tl::unexpected(messages.error());
        request.messages = std::move(*messages);
    } else if (auto prompt = readPrompt(object, request); !prompt) {
        return tl::unexpected(prompt.error());
    }
    return request;
}

}  // namespace rcserver
