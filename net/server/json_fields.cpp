// net/server/json_fields.cpp — JSON input checks.
#include "json_fields.h"

#include <cmath>

namespace rcserver {

namespace {

constexpr int kMaxDepth = 64;

// The deepest nesting of arrays and objects, stopping early past kMaxDepth; strings are skipped (escapes too), so
// brackets inside them do not count. Malformed input is the parser's to report.
int nestingDepth(const QByteArray& text) {
    int depth = 0;
    int deepest = 0;
    bool inString = false;
    for (qsizetype i = 0; i < text.size() && deepest <= kMaxDepth; ++i) {
        const char c = text[i];
        if (inString) {
            if (c == '\\') {
                ++i;
            } else if (c == '"') {
                inString = false;
            }
        } else if (c == '"') {
            inString = true;
        } else if (c == '[' || c == '{') {
            deepest = std::max(deepest, ++depth);
        } else if (c == ']' || c == '}') {
            --depth;
        }
    }
    return deepest;
}

std::string numberText(double value) {
    if (value == std::floor(value) && std::fabs(value) < 1e15) return std::to_string(static_cast<int64_t>(value));
    char text[32];
    std::snprintf(text, sizeof text, "%g", value);
    return text;
}

}  // namespace

std::string jsonTypeName(const nlohmann::json& value) {
    switch (value.type()) {
        case nlohmann::json::value_t::null:
            return "null";
        case nlohmann::json::value_t::object:
            return "an object";
        case nlohmann::json::value_t::array:
            return "an array";
        case nlohmann::json::value_t::string:
            return "a string";
        case nlohmann::json::value_t::boolean:
            return "a boolean";
        default:
            return "a number";
    }
}

tl::expected<nlohmann::json, ApiError> parseJsonObject(const QByteArray& body) {
    if (body.trimmed().isEmpty()) return tl::unexpected(ApiError{400, "the request body is empty; send a JSON object"});
    if (nestingDepth(body) > kMaxDepth) {
        return tl::unexpected(
            ApiError{400, "the JSON body is nested more than " + std::to_string(kMaxDepth) + " levels deep"});
    }
    nlohmann::json value;
    try {
        value = nlohmann::json::parse(body.begin(), body.end());
    } catch (const nlohmann::json::exception& e) {
        // e.what() names the byte offset and what was expected there ("unexpected end of input").
        return tl::unexpected(ApiError{400, std::string("the request body is not valid JSON: ") + e.what()});
    }
    if (!value.is_object()) {
        return tl::unexpected(ApiError{400, "the request body must be a JSON object, not " + jsonTypeName(value)});
    }
    return value;
}

FieldReader::FieldReader(const nlohmann::json& object, std::string prefix)
    : m_object(object), m_prefix(std::move(prefix)) {}

const nlohmann::json* FieldReader::get(const char* name) const {
    const auto it = m_object.find(name);
    if (it == m_object.end() || it->is_null()) return nullptr;
    return &*it;
}

void FieldReader::fail(const std::string& field, const std::string& message) {
    if (!m_error) m_error = ApiError{400, path(field) + " " + message, path(field), {}};
}

void FieldReader::readBool(const char* name, bool& out) {
    const nlohmann::json* value = get(name);
    if (!value) return;
    if (!value->is_boolean()) return fail(name, "must be a boolean, not " + jsonTypeName(*value));
    out = value->get<bool>();
}

void FieldReader::readInteger(const char* name, int64_t min, int64_t max, int64_t& out) {
    const nlohmann::json* value = get(name);
    if (!value) return;
    const std::string range = "an integer from " + std::to_string(min) + " to " + std::to_string(max);
    if (!value->is_number()) return fail(name, "must be " + range + ", not " + jsonTypeName(*value));
    if (value->is_number_unsigned()) {
        const uint64_t v = value->get<uint64_t>();
        if (v > static_cast<uint64_t>(max) || static_cast<int64_t>(v) < min) return fail(name, "must be " + range);
        out = static_cast<int64_t>(v);
    } else if (value->is_number_integer()) {
        const int64_t v = value->get<int64_t>();
        if (v < min || v > max) return fail(name, "must be " + range);
        out = v;
    } else {
        const double v = value->get<double>();
        if (!std::isfinite(v) || v != std::floor(v)) return fail(name, "must be " + range + ", not " + numberText(v));
        if (v < static_cast<double>(min) || v > static_cast<double>(max)) return fail(name, "must be " + range);
        out = static_cast<int64_t>(v);
    }
}

void FieldReader::readInteger(const char* name, int32_t min, int32_t max, int32_t& out) {
    int64_t wide = out;
    readInteger(name, static_cast<int64_t>(min), static_cast<int64_t>(max), wide);
    if (ok()) out = static_cast<int32_t>(wide);
}

void FieldReader::readNumber(const char* name, double min, double max, float& out) {
    const nlohmann::json* value = get(name);
    if (!value) return;
    const std::string range = "a number from " + numberText(min) + " to " + numberText(max);
    if (!value->is_number()) return fail(name, "must be " + range + ", not " + jsonTypeName(*value));
    const double v = value->get<double>();
    if (!(v >= min && v <= max)) return fail(name, "must be " + range);
    out = static_cast<float>(v);
}

void FieldReader::readString(const char* name, std::string& out) {
    const nlohmann::json* value = get(name);
    if (!value) return;
    if (!value->is_string()) return fail(name, "must be a string, not " + jsonTypeName(*value));
    out = value->get<std::string>();
}

}  // namespace rcserver
