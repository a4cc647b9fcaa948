// tests/safetensors_writer.h — builds .safetensors images for the loader tests (well-formed or deliberately broken)
// and writes checkpoint folders into temporary directories. The header is the engine's own writer's
// (io/safetensors_writer.h); only the broken images are forged here.
#pragma once

#include <QByteArray>
#include <QFile>
#include <QString>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "io/dtype_convert.h"
#include "io/safetensors_writer.h"
#include "io/tensor_view.h"
#include "io/weight_store.h"
#include "rgemma/dtype.h"

namespace rctest {

struct TensorBlob {
    std::string name;
    std::string dtype;  // safetensors spelling: "F32", "BF16", "F16", or anything for negative tests
    std::vector<int64_t> shape;
    QByteArray data;
};

// The header JSON for `tensors` laid out back to back in the given order, with `metadata` (if any).
inline std::string headerFor(const std::vector<TensorBlob>& tensors, const rgemma::SafetensorsMetadata& metadata = {}) {
    std::vector<rgemma::SafetensorsEntry> entries;
    for (const auto& t : tensors) entries.push_back({t.name, t.dtype, t.shape, static_cast<uint64_t>(t.data.size())});
    return rgemma::safetensorsHeader(entries, metadata);
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

inline QByteArray serializeSafetensors(const std::vector<TensorBlob>& tensors,
                                       const rgemma::SafetensorsMetadata& metadata = {}) {
    QByteArray data;
    for (const auto& t : tensors) data += t.data;
    return imageFor(headerFor(tensors, metadata), data);
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

// Writes into the folder `to` the F32 checkpoint of the folder `from` with every tensor rounded to F16, and copies its
// config.json (and tokenizer.model, where there is one): the F16 layout users meet. False if anything fails.
inline bool writeF16Copy(const QString& from, const QString& to) {
    auto store = rgemma::WeightStore::open(from.toStdString());
    if (!store) return false;
    std::vector<TensorBlob> blobs;
    for (const rgemma::TensorView* view : store->tensors()) {
        if (view->dtype != rgemma::DType::F32) return false;
        TensorBlob blob = blobOf(*view);
        const auto count = static_cast<std::size_t>(blob.data.size()) / 4;
        QByteArray halves(static_cast<qsizetype>(count * 2), Qt::Uninitialized);
        for (std::size_t i = 0; i < count; ++i) {
            float value;
            std::memcpy(&value, blob.data.constData() + i * 4, 4);
            const uint16_t half = rgemma::floatToF16(value);
            std::memcpy(halves.data() + i * 2, &half, 2);
        }
        blob.dtype = "F16";
        blob.data = halves;
        blobs.push_back(std::move(blob));
    }
    if (!writeFile(to + "/model.safetensors", serializeSafetensors(blobs))) return false;
    if (!QFile::copy(from + "/config.json", to + "/config.json")) return false;
    return !QFile::exists(from + "/tokenizer.model") || QFile::copy(from + "/tokenizer.model", to + "/tokenizer.model");
}

}  // namespace rctest
