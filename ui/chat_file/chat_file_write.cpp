// chat_file_write.cpp — writeChatFile: a ChatFile as .rgchat bytes, little-endian, sections in their fixed order,
// the length and checksum filled in last.
#include <bit>
#include <cstring>

#include "chat_file.h"
#include "chat_file_layout.h"
#include "rgemma/file_io.h"

namespace chat_file {
namespace {

static_assert(std::endian::native == std::endian::little, "the format is little-endian, as every target we build");

class Writer {
  public:
    template <typename T>
    void put(T value) {
        const auto at = m_bytes.size();
        m_bytes.resize(at + sizeof value);
        std::memcpy(m_bytes.data() + at, &value, sizeof value);
    }
    void putString(std::string_view text) {
        put(uint32_t(text.size()));
        m_bytes.append(text);
    }
    void putRaw(std::string_view bytes) { m_bytes.append(bytes); }
    // Starts a section; endSection() fills in its payload length.
    void beginSection(uint32_t tag) {
        put(tag);
        m_sectionStart = m_bytes.size();
        put(uint64_t(0));
    }
    void endSection() {
        const uint64_t length = m_bytes.size() - m_sectionStart - sizeof(uint64_t);
        std::memcpy(m_bytes.data() + m_sectionStart, &length, sizeof length);
    }
    std::string& bytes() { return m_bytes; }

  private:
    std::string m_bytes;
    std::size_t m_sectionStart = 0;
};

void writeChat(Writer& out, const ChatFile& chat) {
    out.beginSection(layout::kChatTag);
    out.putString(chat.title);
    out.putString(chat.systemPrompt);
    out.put(chat.createdAtMs);
    out.put(chat.updatedAtMs);
    out.putString(chat.modelFingerprint);
    out.putString(chat.modelName);
    out.put(uint32_t(chat.settings.size()));
    for (const auto& [key, value] : chat.settings) {
        out.putString(key);
        out.putString(value);
    }
    out.put(uint32_t(chat.messages.size()));
    out.put(chat.currentLeaf);
    out.put(uint32_t(chat.attachments.size()));
    out.put(uint32_t(chat.states.size()));
    out.endSection();
}

void writeMessages(Writer& out, const ChatFile& chat) {
    out.beginSection(layout::kMessagesTag);
    for (const Message& message : chat.messages) {
        out.put(message.parent);
        out.put(uint8_t(message.role));
        out.put(message.createdAtMs);
        out.putString(message.content);
        out.putString(message.stopReason);
        out.put(uint32_t(message.tokens.size()));
        for (const int32_t token : message.tokens) out.put(token);
    }
    out.endSection();
}

void writeAttachments(Writer& out, const ChatFile& chat) {
    out.beginSection(layout::kAttachmentsTag);
    for (const Attachment& attachment : chat.attachments) {
        out.put(attachment.message);
        out.putString(attachment.name);
        out.putString(attachment.type);
        out.putString(attachment.text);
    }
    out.endSection();
}

}  // namespace

std::string writeChatFile(const ChatFile& chat) {
    Writer out;
    out.putRaw(layout::kMagic);
    out.put(kFormatVersion);
    out.put(uint64_t(0));  // the length, filled in below
    out.put(uint32_t(layout::kFixedSections + chat.states.size()));
    writeChat(out, chat);
    writeMessages(out, chat);
    writeAttachments(out, chat);
    for (const StateBlob& state : chat.states) {
        out.beginSection(layout::kStateTag);
        out.put(state.message);
        out.putRaw(state.bytes);
        out.endSection();
    }
    std::string& bytes = out.bytes();
    const uint64_t length = bytes.size() + layout::kChecksumBytes;
    std::memcpy(bytes.data() + layout::kLengthOffset, &length, sizeof length);
    const uint64_t checksum = rgemma::xxh64(bytes.data(), bytes.size());
    out.put(checksum);
    return std::move(bytes);
}

}  // namespace chat_file

namespace chat_file {

tl::expected<void, ReadError> writeFileAtomically(const std::filesystem::path& path, std::string_view bytes) {
    auto written = rgemma::writeFileAtomically(path, bytes);
    if (!written) return tl::unexpected(ReadError{written.error().message});
    return {};
}

}  // namespace chat_file
