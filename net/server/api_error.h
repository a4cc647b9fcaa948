// net/server/api_error.h — the error every endpoint answers with, in the shape OpenAI's clients parse:
// {"error": {"message", "type", "param", "code"}}, and its HTTP status.
#pragma once

#include <QByteArray>
#include <string>

namespace rcserver {

struct ApiError {
    ApiError() = default;
    ApiError(int status_, std::string message_, std::string param_ = {}, std::string code_ = {})
        : status(status_), message(std::move(message_)), param(std::move(param_)), code(std::move(code_)) {}

    int status = 400;
    std::string message;
    std::string param;  // the request field at fault ("messages[2].content"); "" for none (null in the JSON)
    std::string code;   // a stable machine-readable word ("invalid_api_key"); "" for none
};

// The error's JSON body. `type` follows from the status: invalid_request_error for 4xx, server_error for 5xx.
QByteArray errorJson(const ApiError& error);
// An error of the HTTP layer itself (malformed request, timeout, limit) as an ApiError body.
QByteArray httpErrorJson(int status, const QByteArray& message);

}  // namespace rcserver
