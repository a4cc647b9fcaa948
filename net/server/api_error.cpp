// net/server/api_error.cpp — error bodies.
#include "api_error.h"

#include <nlohmann/json.hpp>

namespace rcserver {

namespace {

const char* codeForStatus(int status) {
    switch (status) {
        case 401:
            return "invalid_api_key";
        case 404:
            return "not_found";
        case 405:
            return "method_not_allowed";
        case 408:
            return "request_timeout";
        case 413:
            return "request_too_large";
        case 431:
            return "headers_too_large";
        case 501:
            return "not_implemented";
        case 503:
            return "unavailable";
        case 505:
            return "http_version_not_supported";
        default:
            return "";
    }
}

}  // namespace

QByteArray errorJson(const ApiError& error) {
    const std::string code = error.code.empty() ? codeForStatus(error.status) : error.code;
    const nlohmann::json body = {{"error",
                                  {{"message", error.message},
                                   {"type", error.status >= 500 ? "server_error" : "invalid_request_error"},
                                   {"param", error.param.empty() ? nlohmann::json() : nlohmann::json(error.param)},
                                   {"code", code.empty() ? nlohmann::json() : nlohmann::json(code)}}}};
    return QByteArray::fromStdString(body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

QByteArray httpErrorJson(int status, const QByteArray& message) {
    return errorJson(ApiError{status, message.toStdString(), {}, {}});
}

}  // namespace rcserver
