// quantize.cpp — the int8 checkpoint writer: absmax scales per 32 values, rows quantized in parallel, tensors streamed
// to one safetensors file so the float checkpoint is never held in memory.
#include <oneapi/tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <system_error>
#include <vector>

#include "io/dtype_convert.h"
#include "io/weight_store.h"
#include "rgemma/checkpoint.h"

namespace rgemma {

namespace {

using json = nlohmann::json;

bool quantizable(const TensorView& tensor) {
    const std::string_view name = tensor.name;
    const std::string_view suffix = ".weight";
    return tensor.shape.size() == 2 && tensor.dtype != DType::I8 && name.size() > suffix.size() &&
           name.substr(name.size() - suffix.size()) == suffix;
}

// One output tensor: what it is and where its bytes come from.
struct Entry {
    std::string name;
    const TensorView* source;
    enum class Kind { Copy, Values, Scales } kind;
    DType dtype;
    std::vector<int64_t> shape;
    uint64_t bytes;
};

Error ioError(const std::filesystem::path& path, const std::string& what) {
    return Error{ErrorCode::Io, path.string() + ": " + what};
}

// Quantizes rows [r0, r1) of `tensor` into q (row-major) and its block scales ([rows, blocks], row-major): per
// block of 32, scale = max|w| / 127 and q = round(w / scale).
void quantizeRows(const TensorView& tensor, int64_t r0, int64_t r1, int8_t* q, float* scales) {
    const int64_t width = tensor.shape[1], blocks = i8Blocks(width);
    tbb::parallel_for(r0, r1, [&](int64_t r) {
        std::vector<float> row(static_cast<std::size_t>(width));
        convertToFloat(tensor.dtype, tensor.rowPtr(r, width), row.data(), width);
        int8_t* out = q + (r - r0) * width;
        for (int64_t b = 0; b < blocks; ++b) {
            const int64_t begin = b * kI8BlockSize, end = std::min(width, begin + kI8BlockSize);
            float absMax = 0.0f;
            for (int64_t i = begin; i < end; ++i)
                absMax = std::max(absMax, std::fabs(row[static_cast<std::size_t>(i)]));
            const float scale = absMax / 127.0f;
            for (int64_t i = begin; i < end; ++i) {
                const float level = scale > 0.0f ? std::nearbyint(row[static_cast<std::size_t>(i)] / scale) : 0.0f;
                out[i] = static_cast<int8_t>(std::clamp(level, -127.0f, 127.0f));
            }
            scales[(r - r0) * blocks + b] = scale;
        }
    });
}

Result<void> writeTensor(std::ofstream& file, const Entry& entry, const std::filesystem::path& path) {
    const TensorView& tensor = *entry.source;
    if (entry.kind == Entry::Kind::Copy) {
        file.write(static_cast<const char*>(tensor.data), static_cast<std::streamsize>(tensor.byteSize));
        return file ? Result<void>{} : tl::unexpected(ioError(path, "write failed"));
    }
    // Chunks of rows bound the memory; the scales pass recomputes them (cheap beside the write).
    constexpr int64_t kChunkBytes = 64 << 20;
    const int64_t rows = tensor.shape[0], width = tensor.shape[1];
    const int64_t chunk = std::max<int64_t>(1, kChunkBytes / std::max<int64_t>(width, 1));
    std::vector<int8_t> q(static_cast<std::size_t>(std::min(rows, chunk) * width));
    std::vector<float> scales(static_cast<std::size_t>(std::min(rows, chunk) * i8Blocks(width)));
    for (int64_t r0 = 0; r0 < rows; r0 += chunk) {
        const int64_t r1 = std::min(rows, r0 + chunk);
        quantizeRows(tensor, r0, r1, q.data(), scales.data());
        if (entry.kind == Entry::Kind::Values) {
            file.write(reinterpret_cast<const char*>(q.data()), static_cast<std::streamsize>((r1 - r0) * width));
        } else {
            file.write(reinterpret_cast<const char*>(scales.data()),
                       static_cast<std::streamsize>((r1 - r0) * i8Blocks(width) * static_cast<int64_t>(sizeof(float))));
        }
        if (!file) return tl::unexpected(ioError(path, "write failed"));
    }
    return {};
}

Result<void> copyOtherFiles(const std::filesystem::path& dir, const std::filesystem::path& outDir) {
    std::error_code ec;
    for (const auto& item : std::filesystem::directory_iterator(dir, ec)) {
        const std::string name = item.path().filename().string();
        if (!item.is_regular_file() || item.path().extension() == ".safetensors" ||
            name == "model.safetensors.index.json") {
            continue;
        }
        std::filesystem::copy_file(item.path(), outDir / name, std::filesystem::copy_options::overwrite_existing, ec);
        if (ec) return tl::unexpected(ioError(outDir / name, ec.message()));
    }
    if (ec) return tl::unexpected(ioError(dir, ec.message()));
    return {};
}

}  // namespace

Result<QuantizeReport> quantizeCheckpointInt8(const std::filesystem::path& dir, const std::filesystem::path& outDir) {
    std::error_code ec;
    if (std::filesystem::equivalent(dir, outDir, ec)) {
        return makeError(ErrorCode::InvalidArgument, "the output folder must differ from the input folder");
    }
    // A new or empty folder, as make-random wants: the copy never mixes with, or overwrites, other files.
    if (std::filesystem::exists(outDir, ec) &&
        (!std::filesystem::is_directory(outDir, ec) || !std::filesystem::is_empty(outDir, ec))) {
        std::string message = outDir.string();  // appended, not `"'" + …`: GCC 12 -O3 warns (-Wrestrict) on that
        message.insert(0, 1, '\'').append("' exists and is not an empty folder");
        return makeError(ErrorCode::Io, message);
    }
    auto store = WeightStore::open(dir);
    if (!store) return tl::unexpected(store.error());
    std::filesystem::create_directories(outDir, ec);
    if (ec) return tl::unexpected(ioError(outDir, ec.message()));

    QuantizeReport report;
    std::vector<Entry> entries;
    for (const TensorView* tensor : store->tensors()) {
        if (tensor->name == "lm_head.weight") continue;  // tied to the embedding
        report.bytesIn += tensor->byteSize;
        if (quantizable(*tensor)) {
            const int64_t rows = tensor->shape[0], blocks = i8Blocks(tensor->shape[1]);
            entries.push_back({tensor->name, tensor, Entry::Kind::Values, DType::I8, tensor->shape,
                               static_cast<uint64_t>(tensor->numel())});
            entries.push_back({tensor->name + "_scale",
                               tensor,
                               Entry::Kind::Scales,
                               DType::F32,
                               {rows, blocks},
                               static_cast<uint64_t>(rows * blocks) * sizeof(float)});
            ++report.quantizedTensors;
        } else {
            entries.push_back(
                {tensor->name, tensor, Entry::Kind::Copy, tensor->dtype, tensor->shape, tensor->byteSize});
            ++report.copiedTensors;
        }
    }
    // The data in name order, as the (sorted) JSON header lists it.
    std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) { return a.name < b.name; });
    json header = json::object();
    header["__metadata__"] = {{"format", "pt"},
                              {"quantization", "int8, absmax scales per 32 values of a row in <name>_scale"}};
    uint64_t offset = 0;
    for (const Entry& entry : entries) {
        header[entry.name] = {{"dtype", dtypeName(entry.dtype)},
                              {"shape", entry.shape},
                              {"data_offsets", {offset, offset + entry.bytes}}};
        offset += entry.bytes;
        report.bytesOut += entry.bytes;
    }
    std::string text = header.dump();
    text.append((8 - text.size() % 8) % 8, ' ');  // the data starts 8-byte aligned

    const std::filesystem::path path = outDir / "model.safetensors";
    std::ofstream file(path, std::ios::binary | std::ios::trunc);
    const uint64_t headerSize = text.size();
    file.write(reinterpret_cast<const char*>(&headerSize), sizeof headerSize);  // little-endian on x86-64
    file.write(text.data(), static_cast<std::streamsize>(text.size()));
    if (!file) return tl::unexpected(ioError(path, "cannot write"));
    for (const Entry& entry : entries) {
        if (auto written = writeTensor(file, entry, path); !written) return tl::unexpected(written.error());
    }
    file.close();
    if (!file) return tl::unexpected(ioError(path, "write failed"));
    if (auto copied = copyOtherFiles(dir, outDir); !copied) return tl::unexpected(copied.error());
    return report;
}

}  // namespace rgemma
