// tests/safetensors_writer.h — builds .safetensors images for the loader tests (well-formed or deliberately broken)
// and writes checkpoint folders into temporary directories.
#pragma once

#include <QByteArray>
#include <QFile>
#include <QString>
#include <cstdint>
#include <string>
#include <vector>

#include "io/tensor_view.h"
#include "rgemma/dtype.h"

namespace rctest {

struct TensorBlob {
    std::string name;
    std::string dtype;  // safetensors spelling: "F32", "BF16", "F16", or anything for negative tests
    std::vector<int64_t> shape;
    QByteArray data;
};

inline std::string jsonString(const std::string& text) {
    std::string quoted = "\"";
    for (const char c : text) {
        if (c == '"' || c == '\\') quoted += '\\';
        quoted += c;
    }
    return quoted + "\"";
}

// The header JSON for `tensors` laid out back to back in the given order, as safetensors writers do.
inline std::string headerFor(const std::vector<TensorBlob>& tensors) {
    std::string header = R"({"__metadata__":{"format":"pt"})";
    uint64_t offset = 0;
    for (const auto& t : tensors) {
        header += "," + jsonString(t.name) + R"(:{"dtype":)" + jsonString(t.dtype) + R"(,"shape":[)";
        for (std::size_t i = 0; i < t.shape.size(); ++i) header += (i > 0 ? "," : "") + std::to_string(t.shape[i]);
        const auto end = offset + static_cast<uint64_t>(t.data.size());
        header += R"(],"data_offsets":[)" + std::to_string(offset) + "," + std::to_string(end) + "]}";
        offset = end;
    }
    return header + "}";
}

// An 8-byte little-endian header length (any value, to forge broken files) followed by `rest`.
inline QByteArray withLength(uint64_t headerLength, const QByteArray& rest) {
    QByteArray bytes(8, '\0');
    for (int i = 0; i < 8; ++i) bytes[i] = static_cast<char>((headerLength >> (8 * i)) & 0xFF);
    return bytes + rest;
}

// A complete image: the header's true length, the header, then `data`.
inline QByteArray imageFor(const std::string& header, const QByteArray& data) {
    return withLength(header.size(), QByteArray::fromStdString(header) + data);
}

inline QByteArray serializeSafetensors(const std::vector<TensorBlob>& tensors) {
    QByteArray data;
    for (const auto& t : tensors) data += t.data;
    return imageFor(headerFor(tensors), data);
}

inline bool writeFile(const QString& path, const QByteArray& bytes) {
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(bytes) == bytes.size();
}

// Copies a loaded tensor (its bytes included) so a test can re-serialize it, possibly altered.
inline TensorBlob blobOf(const rgemma::TensorView& view) {
    return {view.name, std::string(rgemma::dtypeName(view.dtype)), view.shape,
            QByteArray(static_cast<const char*>(view.data), static_cast<qsizetype>(view.byteSize))};
}

// Reads a whole file (golden checkpoints, configs).
inline QByteArray readAll(const QString& path) {
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

}  // namespace rctest
