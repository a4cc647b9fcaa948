// quantize.cpp — the quantized checkpoint writer (rgemma/checkpoint.h): int8 (the checkpoint table's dense matrices
// and embedding get absmax scales per 32 values) or mixed 4-bit (Q4K for the dense matrices past the first layer,
// int8 for the rest); rows quantized in parallel, and every tensor is streamed to one safetensors file so the float
// checkpoint is never held in memory.
#include <oneapi/tbb/parallel_for.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <set>
#include <string>
#include <system_error>
#include <vector>

#include "checkpoint/checkpoint_schema.h"
#include "io/dtype_convert.h"
#include "io/safetensors.h"
#include "io/safetensors_writer.h"
#include "io/weight_store.h"
#include "kernels/q4_format.h"
#include "rgemma/checkpoint.h"

namespace rgemma {

namespace {

// One output tensor: where its bytes come from.
struct Entry {
    const TensorView* source;
    enum class Kind { Copy, Values, Scales, Q4Nibbles, Q4Headers } kind;
    SafetensorsEntry stored;
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

// A Q4K matrix's nibbles and headers (kernels/q4_format.h), rows [r0, r1) quantized in parallel; false when a row
// cannot be (a value that is not finite, units past f16).
bool quantizeQ4Rows(const TensorView& tensor, int64_t r0, int64_t r1, uint8_t* nibbles, uint8_t* headers) {
    const int64_t width = tensor.shape[1];
    const int64_t rowBytes = q4RowBytes(width), headerBytes = q4SuperBlocks(width) * kQ4HeaderBytes;
    std::atomic<bool> ok = true;
    tbb::parallel_for(r0, r1, [&](int64_t r) {
        std::vector<float> row(static_cast<std::size_t>(width));
        convertToFloat(tensor.dtype, tensor.rowPtr(r, width), row.data(), width);
        if (!quantizeQ4Row(row.data(), width, nibbles + (r - r0) * rowBytes, headers + (r - r0) * headerBytes)) {
            ok = false;
        }
    });
    return ok;
}

// The headers of the last Q4K matrix written: its "<name>_scale" follows it in name order, so it is quantized once.
struct Q4HeaderCache {
    const TensorView* tensor = nullptr;
    std::vector<uint8_t> headers;
};

Result<void> writeQ4Tensor(SafetensorsWriter& file, const Entry& entry, Q4HeaderCache& cache) {
    const TensorView& tensor = *entry.source;
    const int64_t rows = tensor.shape[0], width = tensor.shape[1];
    const auto headerBytes = static_cast<std::size_t>(q4SuperBlocks(width) * kQ4HeaderBytes);
    if (entry.kind == Entry::Kind::Q4Headers && cache.tensor == &tensor) {
        return file.write(cache.headers.data(), cache.headers.size());
    }
    constexpr int64_t kChunkBytes = 64 << 20;
    const int64_t chunk = std::max<int64_t>(1, kChunkBytes / std::max<int64_t>(width, 1));
    const auto rowBytes = static_cast<std::size_t>(q4RowBytes(width));
    std::vector<uint8_t> nibbles(static_cast<std::size_t>(std::min(rows, chunk)) * rowBytes);
    cache.tensor = nullptr;
    cache.headers.assign(static_cast<std::size_t>(rows) * headerBytes, 0);
    for (int64_t r0 = 0; r0 < rows; r0 += chunk) {
        const int64_t r1 = std::min(rows, r0 + chunk);
        uint8_t* headers = cache.headers.data() + static_cast<std::size_t>(r0) * headerBytes;
        if (!quantizeQ4Rows(tensor, r0, r1, nibbles.data(), headers)) {
            return makeError(
                ErrorCode::InvalidCheckpoint,
                "tensor '" + tensor.name + "' cannot be 4-bit: it holds a value that is not finite or beyond ~6e7");
        }
        if (entry.kind == Entry::Kind::Q4Nibbles) {
            if (auto written = file.write(nibbles.data(), static_cast<std::size_t>(r1 - r0) * rowBytes); !written) {
                return written;
            }
        }
    }
    cache.tensor = &tensor;
    if (entry.kind == Entry::Kind::Q4Headers) return file.write(cache.headers.data(), cache.headers.size());
    return {};
}

// Counts the bytes written for the caller's progress callback; false once the caller asked to stop.
struct ProgressCounter {
    const QuantizeProgress& callback;
    uint64_t total = 0;
    uint64_t done = 0;
    bool add(uint64_t bytes) {
        done += bytes;
        return !callback || callback(done, total);
    }
};

Result<void> cancelled() { return makeError(ErrorCode::Cancelled, "the quantized copy was cancelled"); }

Result<void> writeTensor(SafetensorsWriter& file, const Entry& entry, Q4HeaderCache& cache, ProgressCounter& progress) {
    const TensorView& tensor = *entry.source;
    if (entry.kind == Entry::Kind::Copy || entry.kind == Entry::Kind::Q4Nibbles ||
        entry.kind == Entry::Kind::Q4Headers) {
        auto written = entry.kind == Entry::Kind::Copy ? file.write(tensor.data, tensor.byteSize)
                                                       : writeQ4Tensor(file, entry, cache);
        if (written && !progress.add(entry.stored.bytes)) return cancelled();
        return written;
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
        const std::size_t bytes = entry.kind == Entry::Kind::Values
                                      ? static_cast<std::size_t>((r1 - r0) * width)
                                      : static_cast<std::size_t>((r1 - r0) * i8Blocks(width)) * 4;
        auto written =
            entry.kind == Entry::Kind::Values ? file.write(q.data(), bytes) : file.write(scales.data(), bytes);
        if (!written) return written;
        if (!progress.add(bytes)) return cancelled();
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

// Whether `name` (a dense layer's weight) becomes Q4K in the mixed 4-bit scheme: all but the first layer's, whose
// error reaches every later layer (docs/checkpoint-format.md §7).
bool mixedQ4(const std::string& name) { return !name.starts_with("model.layers.0."); }

// The checkpoint as it will be written, sorted by name: the table's quantizable matrices stored as floats become I8
// and their scales (Q4K: the dense layers' past the first become U8 nibbles and headers), the tied output layer is
// dropped, everything else (the other roles, matrices already quantized, tensors the table does not know) is copied.
std::vector<Entry> plan(const ModelConfig& config, const WeightStore& store, QuantizeFormat format,
                        QuantizeReport& report) {
    std::set<std::string, std::less<>> quantizable, q4;
    for (const TensorSpec& spec : checkpointTensors(config)) {
        if (isQuantizable(spec.role)) quantizable.insert(spec.name);
        if (format == QuantizeFormat::Q4K && isQ4Quantizable(spec.role) && mixedQ4(spec.name)) q4.insert(spec.name);
    }
    std::vector<Entry> entries;
    for (const TensorView* tensor : store.tensors()) {
        if (tensor->name == kTiedOutputTensor) continue;
        report.bytesIn += tensor->byteSize;
        const bool floats = !hasBlockScales(tensor->dtype) && tensor->dtype != DType::U8;
        if (q4.contains(tensor->name) && floats) {
            const auto nibbles = q4NibbleShape(tensor->shape), headers = q4HeaderShape(tensor->shape);
            entries.push_back({tensor,
                               Entry::Kind::Q4Nibbles,
                               {tensor->name, "U8", nibbles, static_cast<uint64_t>(nibbles[0] * nibbles[1])}});
            entries.push_back({tensor,
                               Entry::Kind::Q4Headers,
                               {blockScaleName(tensor->name), "U8", headers,
                                static_cast<uint64_t>(headers[0] * headers[1] * headers[2])}});
            ++report.q4Tensors;
        } else if (quantizable.contains(tensor->name) && floats) {
            const auto scaleShape = blockScaleShape(tensor->shape);
            entries.push_back({tensor,
                               Entry::Kind::Values,
                               {tensor->name, "I8", tensor->shape, static_cast<uint64_t>(tensor->numel())}});
            entries.push_back({tensor,
                               Entry::Kind::Scales,
                               {blockScaleName(tensor->name), "F32", scaleShape,
                                static_cast<uint64_t>(scaleShape[0] * scaleShape[1]) * sizeof(float)}});
            ++report.quantizedTensors;
        } else {
            entries.push_back({tensor,
                               Entry::Kind::Copy,
                               {tensor->name, std::string(dtypeName(tensor->dtype)), tensor->shape, tensor->byteSize}});
            ++report.copiedTensors;
        }
    }
    std::sort(entries.begin(), entries.end(),
              [](const Entry& a, const Entry& b) { return a.stored.name < b.stored.name; });
    for (const Entry& entry : entries) report.bytesOut += entry.stored.bytes;
    return entries;
}

}  // namespace

Result<QuantizeReport> quantizeCheckpoint(const std::filesystem::path& dir, const std::filesystem::path& outDir,
                                          QuantizeFormat format, const QuantizeProgress& progress) {
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
    // Only a checkpoint the engine loads is worth converting: the same checks as Model::load.
    auto config = loadModelConfig(dir / "config.json");
    if (!config) return tl::unexpected(config.error());
    auto store = WeightStore::open(dir);
    if (!store) return tl::unexpected(store.error());
    if (auto bound = bindModelWeights(*config, *store); !bound) return tl::unexpected(bound.error());
    std::filesystem::create_directories(outDir, ec);
    if (ec) return tl::unexpected(ioError(outDir, ec.message()));

    QuantizeReport report;
    const std::vector<Entry> entries = plan(*config, *store, format, report);
    std::vector<SafetensorsEntry> stored;
    for (const Entry& entry : entries) stored.push_back(entry.stored);
    SafetensorsMetadata metadata{{"quantization", "int8, absmax scales per 32 values of a row in <name>_scale"}};
    if (format == QuantizeFormat::Q4K) {
        metadata = {{"quantization",
                     "mixed 4-bit: Q4K (U8 nibbles, U8 <name>_scale headers) for the dense layers "
                     "past layer 0, int8 for the embedding and layer 0"},
                    {std::string(kQ4LayoutKey), std::string(kQ4LayoutVersion)}};
    }
    auto file = SafetensorsWriter::create(outDir / "model.safetensors", stored, metadata);
    if (!file) return tl::unexpected(file.error());
    Q4HeaderCache cache;
    ProgressCounter counter{progress, report.bytesOut};
    for (const Entry& entry : entries) {
        if (auto written = writeTensor(*file, entry, cache, counter); !written) return tl::unexpected(written.error());
    }
    if (auto finished = file->finish(); !finished) return tl::unexpected(finished.error());
    if (auto copied = copyOtherFiles(dir, outDir); !copied) return tl::unexpected(copied.error());
    return report;
}

}  // namespace rgemma
