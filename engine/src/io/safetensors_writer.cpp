// safetensors_writer.cpp — the header as ordered JSON, and a buffered stream that checks it wrote what the header
// promised.
#include "io/safetensors_writer.h"

#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>

namespace rgemma {

std::string safetensorsHeader(std::span<const SafetensorsEntry> entries, const SafetensorsMetadata& metadata) {
    nlohmann::ordered_json header;
    header["__metadata__"] = {{"format", "pt"}};
    for (const auto& [key, value] : metadata) header["__metadata__"][key] = value;
    uint64_t offset = 0;
    for (const SafetensorsEntry& entry : entries) {
        header[entry.name] = {
            {"dtype", entry.dtype}, {"shape", entry.shape}, {"data_offsets", {offset, offset + entry.bytes}}};
        offset += entry.bytes;
    }
    // Names come from parsed files or from the schema, so they are valid UTF-8; replace rather than throw if not.
    std::string text = header.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
    text.append((8 - text.size() % 8) % 8, ' ');
    return text;
}

SafetensorsWriter::SafetensorsWriter(std::filesystem::path path, std::unique_ptr<std::FILE, Closer> file,
                                     uint64_t headerBytes, uint64_t dataBytes)
    : m_path(std::move(path)), m_file(std::move(file)), m_headerBytes(headerBytes), m_dataBytes(dataBytes) {}

Error SafetensorsWriter::writeError(int errnoValue) const {
    return Error{ErrorCode::Io, "cannot write '" + m_path.string() + "': " + std::strerror(errnoValue)};
}

Result<SafetensorsWriter> SafetensorsWriter::create(const std::filesystem::path& path,
                                                    std::span<const SafetensorsEntry> entries,
                                                    const SafetensorsMetadata& metadata) {
    const std::string header = safetensorsHeader(entries, metadata);
    uint64_t dataBytes = 0;
    for (const SafetensorsEntry& entry : entries) dataBytes += entry.bytes;
    std::unique_ptr<std::FILE, Closer> file(std::fopen(path.c_str(), "wb"));
    SafetensorsWriter writer(path, std::move(file), 8 + header.size(), dataBytes);
    if (!writer.m_file) return tl::unexpected(writer.writeError(errno));
    std::setvbuf(writer.m_file.get(), nullptr, _IOFBF, std::size_t{1} << 22);
    const uint64_t length = header.size();  // little-endian on x86-64, as the format wants
    if (std::fwrite(&length, 8, 1, writer.m_file.get()) != 1 ||
        std::fwrite(header.data(), 1, header.size(), writer.m_file.get()) != header.size()) {
        return tl::unexpected(writer.writeError(errno != 0 ? errno : EIO));
    }
    return writer;
}

Result<void> SafetensorsWriter::write(const void* data, std::size_t bytes) {
    if (m_written + bytes > m_dataBytes) {
        return makeError(ErrorCode::Io, "'" + m_path.string() + "': more data than its header lists");
    }
    if (std::fwrite(data, 1, bytes, m_file.get()) != bytes) return tl::unexpected(writeError(errno != 0 ? errno : EIO));
    m_written += bytes;
    return {};
}

Result<uint64_t> SafetensorsWriter::finish() {
    if (m_written != m_dataBytes) {
        return makeError(ErrorCode::Io, "'" + m_path.string() + "': " + std::to_string(m_written) + " of the " +
                                            std::to_string(m_dataBytes) + " bytes its header lists were written");
    }
    if (std::fclose(m_file.release()) != 0) return tl::unexpected(writeError(errno));
    return m_headerBytes + m_dataBytes;
}

}  // namespace rgemma
