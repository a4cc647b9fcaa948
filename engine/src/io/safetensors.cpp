// engine/src/io/safetensors.cpp — strict parsing of one .safetensors image. The input is untrusted (users download
// checkpoints; the parser is fuzzed): every size is checked before it is used, nothing is read outside `bytes`.
#include "io/safetensors.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>

#include "rgemma/dtype.h"

namespace rgemma {

namespace {

using nlohmann::json;

// Real headers are tens of KiB (about 30 KiB for the 2B); the bound keeps a hostile length from driving allocation.
constexpr uint64_t kMaxHeaderBytes = 100ull << 20;
// Tensor names are echoed in error messages; a hostile name must not make a megabyte-long message.
constexpr std::size_t kMaxNameInMessage = 200;

// The other dtypes the safetensors format defines: recognised so the message can say "unsupported", not "unknown".
constexpr std::string_view kOtherSafetensorsDtypes[] = {"BOOL",    "I16", "U16",     "I32",     "U32",
                                                        "I64",     "U64", "F64",     "F8_E4M3", "F8_E5M2",
                                                        "F8_E8M0", "F4",  "F6_E2M3", "F6_E3M2", "C64"};

std::string clip(std::string_view text) {
    if (text.size() <= kMaxNameInMessage) return std::string(text);
    return std::string(text.substr(0, kMaxNameInMessage)) + "...";
}

tl::unexpected<Error> fileError(const std::string& source, const std::string& what) {
    return makeError(ErrorCode::InvalidCheckpoint, source + ": " + what);
}

tl::unexpected<Error> tensorError(const std::string& source, std::string_view name, const std::string& what) {
    return makeError(ErrorCode::InvalidCheckpoint, source + ": tensor '" + clip(name) + "': " + what);
}

std::string shapeText(const std::vector<int64_t>& shape) {
    std::string text = "[";
    for (std::size_t i = 0; i < shape.size(); ++i) {
        if (i > 0) text += ", ";
        text += std::to_string(shape[i]);
    }
    return text + "]";
}

std::string offsetsText(uint64_t begin, uint64_t end) {
    return "data_offsets [" + std::to_string(begin) + ", " + std::to_string(end) + "]";
}

// A JSON value for an error message, shortened (it may be a huge hostile array).
std::string valueText(const json& value) {
    try {
        return clip(value.dump());
    } catch (const std::exception&) {
        return "(unprintable)";
    }
}

Result<DType> parseDtype(const json& entry, const std::string& source, const std::string& name) {
    const auto it = entry.find("dtype");
    if (it == entry.end()) return tensorError(source, name, "missing 'dtype'");
    if (!it->is_string()) return tensorError(source, name, "'dtype' must be a string, found " + valueText(*it));
    const auto& text = it->get_ref<const std::string&>();
    if (const auto dtype = dtypeFromName(text)) return *dtype;
    const bool known = std::find(std::begin(kOtherSafetensorsDtypes), std::end(kOtherSafetensorsDtypes), text) !=
                       std::end(kOtherSafetensorsDtypes);
    return tensorError(source, name,
                       std::string(known ? "unsupported" : "unknown") + " dtype '" + clip(text) +
                           "' (supported: F32, BF16, F16, and I8 and U8 as rgemma quantize writes them)");
}

// Dimensions must be non-negative integers whose running product fits in int64 (TensorView::numel relies on it).
Result<std::vector<int64_t>> parseShape(const json& entry, const std::string& source, const std::string& name) {
    const auto it = entry.find("shape");
    if (it == entry.end()) return tensorError(source, name, "missing 'shape'");
    if (!it->is_array()) return tensorError(source, name, "'shape' must be an array, found " + valueText(*it));
    std::vector<int64_t> shape;
    shape.reserve(it->size());
    uint64_t product = 1;
    for (const json& dim : *it) {
        if (dim.is_number_integer() && !dim.is_number_unsigned()) {
            return tensorError(source, name, "shape " + valueText(*it) + " has a negative dimension");
        }
        if (!dim.is_number_unsigned()) {
            return tensorError(source, name, "shape " + valueText(*it) + " has a dimension that is not an integer");
        }
        const uint64_t value = dim.get<uint64_t>();
        constexpr auto kMaxCount = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
        if (value > kMaxCount || (value != 0 && product > kMaxCount / value)) {
            return tensorError(source, name, "shape " + valueText(*it) + " element count overflows");
        }
        product *= value;
        shape.push_back(static_cast<int64_t>(value));
    }
    return shape;
}

struct Offsets {
    uint64_t begin = 0;
    uint64_t end = 0;
};

Result<Offsets> parseOffsets(const json& entry, const std::string& source, const std::string& name) {
    const auto it = entry.find("data_offsets");
    if (it == entry.end()) return tensorError(source, name, "missing 'data_offsets'");
    if (!it->is_array() || it->size() != 2 || !(*it)[0].is_number_unsigned() || !(*it)[1].is_number_unsigned()) {
        return tensorError(source, name,
                           "'data_offsets' must be two non-negative integers [begin, end], found " + valueText(*it));
    }
    return Offsets{(*it)[0].get<uint64_t>(), (*it)[1].get<uint64_t>()};
}

// One header entry, checked against the data region.
Result<TensorView> parseEntry(const std::string& name, const json& entry, std::span<const std::byte> data,
                              const std::string& source) {
    if (!entry.is_object()) return tensorError(source, name, "entry must be an object, found " + valueText(entry));
    auto dtype = parseDtype(entry, source, name);
    if (!dtype) return tl::unexpected(dtype.error());
    auto shape = parseShape(entry, source, name);
    if (!shape) return tl::unexpected(shape.error());
    const auto offsets = parseOffsets(entry, source, name);
    if (!offsets) return tl::unexpected(offsets.error());

    const auto [begin, end] = *offsets;
    if (begin > end) return tensorError(source, name, offsetsText(begin, end) + " begin after end");
    if (end > data.size()) {
        return tensorError(
            source, name,
            offsetsText(begin, end) + " end past the data region (size " + std::to_string(data.size()) + " bytes)");
    }
    uint64_t count = 1;
    for (const int64_t dim : *shape) count *= static_cast<uint64_t>(dim);  // parseShape bounded the product
    uint64_t expected = 0;
    const bool overflow = __builtin_mul_overflow(count, static_cast<uint64_t>(dtypeSize(*dtype)), &expected);
    if (overflow || end - begin != expected) {
        return tensorError(source, name,
                           offsetsText(begin, end) + " hold " + std::to_string(end - begin) + " bytes but " +
                               std::string(dtypeName(*dtype)) + " " + shapeText(*shape) + " needs " +
                               (overflow ? std::string("more than 2^64") : std::to_string(expected)));
    }
    return TensorView{name, *dtype, std::move(*shape), data.data() + begin, end - begin};
}

// Sorted by start, each non-empty range must begin at or after the furthest end seen so far.
Result<void> checkNoOverlap(const std::vector<TensorView>& tensors, const std::byte* dataStart,
                            const std::string& source) {
    std::vector<const TensorView*> order;
    for (const auto& t : tensors) {
        if (t.byteSize > 0) order.push_back(&t);
    }
    std::sort(order.begin(), order.end(), [](const TensorView* a, const TensorView* b) { return a->data < b->data; });
    const TensorView* furthest = nullptr;
    for (const TensorView* t : order) {
        const auto* start = static_cast<const std::byte*>(t->data);
        if (furthest != nullptr) {
            const auto* furthestEnd = static_cast<const std::byte*>(furthest->data) + furthest->byteSize;
            if (start < furthestEnd) {
                const auto offset = static_cast<uint64_t>(start - dataStart);
                return tensorError(
                    source, t->name,
                    offsetsText(offset, offset + t->byteSize) + " overlap tensor '" + clip(furthest->name) + "'");
            }
            if (start + t->byteSize > furthestEnd) furthest = t;
        } else {
            furthest = t;
        }
    }
    return {};
}

// U8 tensors hold 4-bit matrices (docs/checkpoint-format.md §7), whose byte layout has a version: a file with any
// must name the one this engine reads in its metadata, so that another layout is refused rather than misread.
Result<void> checkQ4LayoutVersion(const std::vector<TensorView>& tensors, const std::optional<std::string>& version,
                                  const std::string& source) {
    const auto u8 =
        std::find_if(tensors.begin(), tensors.end(), [](const TensorView& t) { return t.dtype == DType::U8; });
    if (u8 == tensors.end() || version == kQ4LayoutVersion) return {};
    const std::string found = version ? "'" + clip(*version) + "'" : std::string("none");
    return tensorError(source, u8->name,
                       "U8 (4-bit) tensors need the 4-bit layout version " + std::string(kQ4LayoutVersion) +
                           " in __metadata__ \"" + std::string(kQ4LayoutKey) + "\", found " + found);
}

Result<std::vector<TensorView>> parseHeader(const json& header, std::span<const std::byte> data,
                                            const std::string& source) {
    if (!header.is_object()) return fileError(source, "header is not a JSON object");
    std::vector<TensorView> tensors;
    tensors.reserve(header.size());
    std::optional<std::string> q4Version;
    for (const auto& [name, entry] : header.items()) {
        if (name == "__metadata__") {
            // Free-form string pairs ({"format": "pt"}); checked for shape, and only the 4-bit layout's version read.
            const bool ok = entry.is_object() &&
                            std::all_of(entry.begin(), entry.end(), [](const json& v) { return v.is_string(); });
            if (!ok) return fileError(source, "'__metadata__' must be an object of strings");
            if (const auto version = entry.find(std::string(kQ4LayoutKey)); version != entry.end()) {
                q4Version = version->get<std::string>();
            }
            continue;
        }
        auto tensor = parseEntry(name, entry, data, source);
        if (!tensor) return tl::unexpected(tensor.error());
        tensors.push_back(std::move(*tensor));
    }
    if (auto ok = checkNoOverlap(tensors, data.data(), source); !ok) return tl::unexpected(ok.error());
    if (auto ok = checkQ4LayoutVersion(tensors, q4Version, source); !ok) return tl::unexpected(ok.error());
    return tensors;
}

}  // namespace

Result<std::vector<TensorView>> parseSafetensors(std::span<const std::byte> bytes, const std::string& source) {
    if (bytes.size() < 8) {
        return fileError(source, "file is " + std::to_string(bytes.size()) +
                                     " bytes, too short for the 8-byte header length (truncated?)");
    }
    uint64_t headerLength = 0;
    for (int i = 7; i >= 0; --i) headerLength = (headerLength << 8) | std::to_integer<uint64_t>(bytes[i]);
    if (headerLength > kMaxHeaderBytes) {
        return fileError(source, "header length " + std::to_string(headerLength) + " exceeds the limit of " +
                                     std::to_string(kMaxHeaderBytes) + " bytes");
    }
    if (headerLength > bytes.size() - 8) {
        return fileError(source, "header length " + std::to_string(headerLength) + " runs past the end of the file (" +
                                     std::to_string(bytes.size()) + " bytes; truncated?)");
    }
    const auto* headerStart = reinterpret_cast<const char*>(bytes.data() + 8);
    const std::span<const std::byte> data = bytes.subspan(8 + headerLength);
    // nlohmann stops at a NUL as if the input ended there, so a tail after one would be silently ignored.
    if (std::memchr(headerStart, 0, headerLength) != nullptr) return fileError(source, "header contains a NUL byte");
    try {
        const json header = json::parse(headerStart, headerStart + headerLength, nullptr, false);
        if (header.is_discarded()) return fileError(source, "header is not valid JSON");
        return parseHeader(header, data, source);
    } catch (const std::exception& e) {  // allocation failure on a huge header; nlohmann itself is told not to throw
        return fileError(source, std::string("cannot parse header: ") + e.what());
    }
}

Result<SafetensorsFile> SafetensorsFile::open(const std::filesystem::path& path) {
    auto file = MappedFile::open(path);
    if (!file) return tl::unexpected(file.error());
    auto tensors = parseSafetensors(std::span<const std::byte>(file->data(), file->size()), path.string());
    if (!tensors) return tl::unexpected(tensors.error());
    return SafetensorsFile{std::move(*file), std::move(*tensors)};
}

}  // namespace rgemma
