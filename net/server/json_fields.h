// net/server/json_fields.h — parsing a request body as JSON (nesting bounded before the parser sees it) and
// reading its fields by type and range, the first problem kept as a 400 that names the field.
#pragma once

#include <QByteArray>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <tl/expected.hpp>

#include "api_error.h"

namespace rcserver {

// The body as a JSON object, or a 400 saying where it is malformed (truncated, not UTF-8, nested too deeply, not
// an object).
tl::expected<nlohmann::json, ApiError> parseJsonObject(const QByteArray& body);

class FieldReader {
  public:
    // `object` must be a JSON object; `prefix` names it in messages ("messages[3].").
    explicit FieldReader(const nlohmann::json& object, std::string prefix = {});

    // The field, or null when absent or JSON null (both mean "the default").
    const nlohmann::json* get(const char* name) const;

    // Each leaves `out` alone when the field is absent or null, and records a 400 when it has the wrong type or is
    // out of [min, max]. Integers accept integral floats (5.0); huge numbers are out of range, never wrapped.
    void readBool(const char* name, bool& out);
    void readInteger(const char* name, int64_t min, int64_t max, int64_t& out);
    void readInteger(const char* name, int32_t min, int32_t max, int32_t& out);
    void readNumber(const char* name, double min, double max, float& out);
    void readString(const char* name, std::string& out);

    void fail(const std::string& field, const std::string& message);
    bool ok() const { return !m_error; }
    const ApiError& error() const { return *m_error; }
    std::string path(const std::string& field) const { return m_prefix + field; }

  private:
    const nlohmann::json& m_object;
    std::string m_prefix;
    std::optional<ApiError> m_error;
};

// JSON type names for messages: "a string", "an array", ...
std::string jsonTypeName(const nlohmann::json& value);

}  // namespace rcserver
