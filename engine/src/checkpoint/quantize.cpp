// quantize.cpp — the int8 checkpoint writer (rgemma/checkpoint.h): the checkpoint table's dense matrices and
// embedding get absmax scales per 32 values, rows quantized in parallel, and every tensor is streamed to one
// safetensors file so the float checkpoint is never held in memory.
#include <oneapi/tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <string>
#include <system_error>
#include <vector>

#include "checkpoint/checkpoint_schema.h"
#include "io/dtype_convert.h"
#include "io/safetensors_writer.h"
#include "io/weight_store.h"
#include "rgemma/checkpoint.h"

namespace rgemma {

namespace {

// One output tensor: where its bytes come from.
struct Entry {
    const TensorView* source;
    enum class Kind { Copy, Values, Scales } kind;
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

Result<void> cancelled() { return makeError(ErrorCode::Cancelled, "the int8 copy was cancelled"); }

Result<void> writeTensor(SafetensorsWriter& file, const Entry& entry, ProgressCounter& progress) {
    const TensorView& tensor = *entry.source;
    if (entry.kind == Entry::Kind::Copy) {
        auto written = file.write(tensor.data, tensor.byteSize);
        if (written && !progress.add(tensor.byteSize)) return cancelled();
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

// The checkpoint as it will be written, sorted by name: the table's quantizable matrices stored as floats become I8
// and their scales, the tied output layer is dropped, everything else (the other roles, I8 matrices, tensors the
// table does not know) is copied.
std::vector<Entry> plan(const ModelConfig& config, const WeightStore& store, QuantizeReport& report) {
    std::set<std::string, std::less<>> quantizable;
    for (const TensorSpec& spec : checkpointTensors(config)) {
        if (isQuantizable(spec.role)) quantizable.insert(spec.name);
    }
    std::vector<Entry> entries;
    for (const TensorView* tensor : store.tensors()) {
        if (tensor->name == kTiedOutputTensor) continue;
        report.bytesIn += tensor->byteSize;
        if (quantizable.contains(tensor->name) && !hasBlockScales(tensor->dtype)) {
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

Result<QuantizeReport> quantizeCheckpointInt8(const std::filesystem::path& dir, const std::filesystem::path& outDir,
                                              const QuantizeProgress& progress) {
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
    const std::vector<Entry> entries = plan(*config, *store, report);
    std::vector<SafetensorsEntry> stored;
    for (const Entry& entry : entries) stored.push_back(entry.stored);
    auto file =
        SafetensorsWriter::create(outDir / "model.safetensors", stored,
                                  {{"quantization", "int8, absmax scales per 32 values of a row in <name>_scale"}});
    if (!file) return tl::unexpected(file.error());
    ProgressCounter counter{progress, report.bytesOut};
    for (const Entry& entry : entries) {
        if (auto written = writeTensor(*file, entry, counter); !written) return tl::unexpected(written.error());
    }
    if (auto finished = file->finish(); !finished) return tl::unexpected(finished.error());
    if (auto copied = copyOtherFiles(dir, outDir); !copied) return tl::unexpected(copied.error());
    return report;
}

}  // namespace rgemma
