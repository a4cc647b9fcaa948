// chat_file_read.cpp — readChatFile: the preamble and checksum, then each section through a bounds-checked cursor.
// Every count is checked against the bytes left before it is used, every index against what it points to, every
// string as UTF-8; the states are checked as state files of the declared model, at their branch's length.
#include <algorithm>
#include <cstring>
#include <set>

#include "chat_file.h"
#include "chat_file_layout.h"
#include "rgemma/file_io.h"
#include "rgemma/state_file.h"

namespace chat_file {
namespace {

using Fail = tl::unexpected<ReadError>;

Fail fail(std::string message) { return Fail(ReadError{std::move(message)}); }

// Reads one section's payload; every error names the section and the file offset.
class Cursor {
  public:
    Cursor(std::string_view bytes, std::size_t fileOffset, std::string section)
        : m_bytes(bytes), m_fileOffset(fileOffset), m_section(std::move(section)) {}

    std::size_t left() const { return m_bytes.size() - m_pos; }
    bool done() const { return m_pos == m_bytes.size(); }

    template <typename T>
    bool read(T& value, const char* what) {
        if (left() < sizeof value) return error(what, "truncated");
        std::memcpy(&value, m_bytes.data() + m_pos, sizeof value);
        m_pos += sizeof value;
        return true;
    }
    bool readString(std::string& text, const char* what) {
        uint32_t length = 0;
        if (!read(length, what)) return false;
        if (length > left()) {
            return error(what,
                         "declares " + std::to_string(length) + " bytes but " + std::to_string(left()) + " are left");
        }
        text.assign(m_bytes.substr(m_pos, length));
        if (!isValidUtf8(text)) return error(what, "is not valid UTF-8");
        m_pos += length;
        return true;
    }
    std::string_view rest() {
        const std::string_view all = m_bytes.substr(m_pos);
        m_pos = m_bytes.size();
        return all;
    }
    // Records an error about `what` at the current offset; always false.
    bool error(const char* what, const std::string& problem) {
        if (m_error.empty()) {
            m_error =
                m_section + " section, offset " + std::to_string(m_fileOffset + m_pos) + ": " + what + " " + problem;
        }
        return false;
    }
    Fail failure() const { return fail(m_error); }

  private:
    std::string_view m_bytes;
    std::size_t m_fileOffset;
    std::string m_section;
    std::size_t m_pos = 0;
    std::string m_error;
};

struct Counts {
    uint32_t messages = 0;
    uint32_t attachments = 0;
    uint32_t states = 0;
};

bool isFingerprint(std::string_view text) {
    return text.empty() || (text.size() == 32 && std::all_of(text.begin(), text.end(), [](char c) {
                                return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
                            }));
}

bool isSettingKey(std::string_view key) {
    return !key.empty() && key.size() <= layout::kMaxSettingKeyBytes && std::all_of(key.begin(), key.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
    });
}

bool isTime(int64_t ms) { return ms >= 0 && ms <= layout::kMaxTimeMs; }

bool readChatSection(Cursor& in, ChatFile& chat, Counts& counts) {
    uint32_t settings = 0;
    if (!in.readString(chat.title, "the title") || !in.readString(chat.systemPrompt, "the system prompt") ||
        !in.read(chat.createdAtMs, "the creation time") || !in.read(chat.updatedAtMs, "the update time") ||
        !in.readString(chat.modelFingerprint, "the model fingerprint") ||
        !in.readString(chat.modelName, "the model name") || !in.read(settings, "the settings count"))
        return false;
    if (!isTime(chat.createdAtMs) || !isTime(chat.updatedAtMs)) return in.error("a time", "is out of range");
    if (!isFingerprint(chat.modelFingerprint)) return in.error("the model fingerprint", "is not 32 hex digits");
    if (settings > in.left() / layout::kMinSettingBytes)
        return in.error("the settings count", std::to_string(settings) + " is more than the section can hold");
    std::set<std::string> keys;
    for (uint32_t i = 0; i < settings; ++i) {
        std::string key;
        std::string value;
        if (!in.readString(key, "a setting's name") || !in.readString(value, "a setting's value")) return false;
        if (!isSettingKey(key)) return in.error("a setting's name", "is not a lowercase identifier");
        if (!keys.insert(key).second) return in.error("the setting", "\"" + key + "\" appears twice");
        chat.settings.emplace_back(std::move(key), std::move(value));
    }
    if (!in.read(counts.messages, "the message count") || !in.read(chat.currentLeaf, "the current message") ||
        !in.read(counts.attachments, "the attachment count") || !in.read(counts.states, "the state count"))
        return false;
    if (!in.done()) return in.error("the section", "has " + std::to_string(in.left()) + " bytes too many");
    if ((counts.messages == 0) != (chat.currentLeaf == kNoIndex) ||
        (counts.messages > 0 && chat.currentLeaf >= counts.messages))
        return in.error("the current message", "is not one of the " + std::to_string(counts.messages) + " messages");
    if (counts.states > counts.messages) return in.error("the state count", "is larger than the message count");
    if (counts.states > 0 && chat.modelFingerprint.empty())
        return in.error("the model fingerprint", "is missing although the file has states");
    return true;
}

bool readMessage(Cursor& in, std::size_t index, const std::vector<Message>& earlier, Message& message) {
    uint8_t role = 0;
    uint32_t tokens = 0;
    if (!in.read(message.parent, "a message's parent") || !in.read(role, "a message's role") ||
        !in.read(message.createdAtMs, "a message's time") || !in.readString(message.content, "a message's text") ||
        !in.readString(message.stopReason, "a message's stop reason") || !in.read(tokens, "a message's token count"))
        return false;
    if (role > uint8_t(Role::Model)) return in.error("a message's role", std::to_string(role) + " is unknown");
    message.role = Role(role);
    if (!isTime(message.createdAtMs)) return in.error("a message's time", "is out of range");
    if (message.parent != kNoIndex && message.parent >= index)
        return in.error("a message's parent", "is not an earlier message");
    // User and model messages alternate down every branch, from a user message at the root.
    const Role expectedRole =
        message.parent == kNoIndex || earlier[message.parent].role == Role::Model ? Role::User : Role::Model;
    if (message.role != expectedRole) return in.error("a message's role", "breaks the alternation of turns");
    const auto& reasons = layout::kStopReasons;
    if (std::find(reasons.begin(), reasons.end(), message.stopReason) == reasons.end() ||
        (message.role == Role::User && !message.stopReason.empty()))
        return in.error("a message's stop reason", "\"" + message.stopReason + "\" is unknown");
    if (tokens > in.left() / sizeof(int32_t))
        return in.error("a message's token count", std::to_string(tokens) + " is more than the section can hold");
    message.tokens.resize(tokens);
    for (int32_t& token : message.tokens) {
        if (!in.read(token, "a token")) return false;
        if (token < 0) return in.error("a token", "is negative");
    }
    return true;
}

bool readMessages(Cursor& in, ChatFile& chat, const Counts& counts) {
    if (counts.messages > in.left() / layout::kMinMessageBytes)
        return in.error("the message count", std::to_string(counts.messages) + " is more than the section can hold");
    chat.messages.resize(counts.messages);
    for (uint32_t i = 0; i < counts.messages; ++i)
        if (!readMessage(in, i, chat.messages, chat.messages[i])) return false;
    if (!in.done()) return in.error("the section", "has " + std::to_string(in.left()) + " bytes too many");
    return true;
}

bool readAttachments(Cursor& in, ChatFile& chat, const Counts& counts) {
    if (counts.attachments > in.left() / layout::kMinAttachmentBytes)
        return in.error("the attachment count",
                        std::to_string(counts.attachments) + " is more than the section can hold");
    chat.attachments.resize(counts.attachments);
    uint32_t previous = 0;
    for (Attachment& attachment : chat.attachments) {
        if (!in.read(attachment.message, "an attachment's message") ||
            !in.readString(attachment.name, "an attachment's name") ||
            !in.readString(attachment.type, "an attachment's type") ||
            !in.readString(attachment.text, "an attachment's text"))
            return false;
        if (attachment.message >= chat.messages.size() || attachment.message < previous ||
            chat.messages[attachment.message].role != Role::User)
            return in.error("an attachment's message", "is not a user message in file order");
        previous = attachment.message;
        if (attachment.name.empty() || attachment.name.size() > layout::kMaxNameBytes ||
            attachment.name.find_first_of(std::string_view("/\0", 2)) != std::string::npos)
            return in.error("an attachment's name", "is empty, too long or names a folder");
        const auto printable = [](char c) { return c > ' ' && c <= '~'; };
        if (attachment.type.size() > layout::kMaxNameBytes || attachment.type.find('/') == std::string::npos ||
            !std::all_of(attachment.type.begin(), attachment.type.end(), printable))
            return in.error("an attachment's type", "is not a MIME type");
    }
    if (!in.done()) return in.error("the section", "has " + std::to_string(in.left()) + " bytes too many");
    return true;
}

// The number of tokens on the branch from the root to `index`, included: a state after that message has consumed
// exactly these.
int64_t branchTokens(const ChatFile& chat, uint32_t index) {
    int64_t total = 0;
    for (uint32_t i = index; i != kNoIndex; i = chat.messages[i].parent) total += chat.messages[i].tokens.size();
    return total;
}

bool readState(Cursor& in, ChatFile& chat, std::size_t number) {
    StateBlob state;
    if (!in.read(state.message, "the state's message")) return false;
    const uint32_t previous = chat.states.empty() ? 0 : chat.states.back().message + 1;
    if (state.message >= chat.messages.size() || state.message < previous ||
        chat.messages[state.message].role != Role::Model)
        return in.error("the state's message", "is not a model message in file order, once");
    state.bytes.assign(in.rest());
    const auto info = rgemma::inspectStateBytes(state.bytes, "state " + std::to_string(number));
    if (!info) return in.error("the state", "is not a valid state file: " + info.error().message);
    if (info->modelFingerprint != chat.modelFingerprint)
        return in.error("the state", "belongs to model " + info->modelFingerprint + ", not to the file's model " +
                                         chat.modelFingerprint);
    const int64_t expected = branchTokens(chat, state.message);
    if (info->position != expected)
        return in.error("the state", "is at position " + std::to_string(info->position) + " but its branch has " +
                                         std::to_string(expected) + " tokens");
    chat.states.push_back(std::move(state));
    return true;
}

template <typename T>
T load(std::string_view bytes, std::size_t offset) {
    T value;
    std::memcpy(&value, bytes.data() + offset, sizeof value);
    return value;
}

// Magic, version, length and checksum: what is checked before any section is parsed.
tl::expected<uint32_t, ReadError> checkPreamble(std::string_view bytes) {
    if (bytes.size() > kMaxFileBytes)
        return fail("the file has " + std::to_string(bytes.size()) + " bytes; at most " +
                    std::to_string(kMaxFileBytes) + " are read");
    if (bytes.size() < layout::kPreambleBytes + layout::kChecksumBytes || bytes.substr(0, 8) != layout::kMagic)
        return fail("not a Recurrent Chat conversation file (no RGCHAT header)");
    const auto version = load<uint32_t>(bytes, layout::kVersionOffset);
    if (version != kFormatVersion)
        return fail("format version " + std::to_string(version) + ", but this version reads version " +
                    std::to_string(kFormatVersion));
    const auto length = load<uint64_t>(bytes, layout::kLengthOffset);
    if (length > bytes.size())
        return fail("truncated: " + std::to_string(bytes.size()) + " of the " + std::to_string(length) + " bytes");
    if (length < bytes.size())
        return fail("the file declares " + std::to_string(length) + " bytes but has " + std::to_string(bytes.size()));
    const std::size_t body = bytes.size() - layout::kChecksumBytes;
    if (rgemma::xxh64(bytes.data(), body) != load<uint64_t>(bytes, body))
        return fail("checksum mismatch: the file is damaged");
    return load<uint32_t>(bytes, layout::kSectionCountOffset);
}

}  // namespace

tl::expected<ChatFile, ReadError> readChatFile(std::string_view bytes) {
    const auto sectionCount = checkPreamble(bytes);
    if (!sectionCount) return tl::unexpected(sectionCount.error());
    const std::string_view body = bytes.substr(0, bytes.size() - layout::kChecksumBytes);
    std::size_t offset = layout::kPreambleBytes;
    ChatFile chat;
    Counts counts;
    if (*sectionCount < layout::kFixedSections || *sectionCount - layout::kFixedSections > body.size())
        return fail("the section count " + std::to_string(*sectionCount) + " is impossible");
    for (uint32_t i = 0; i < *sectionCount; ++i) {
        if (i == layout::kFixedSections && *sectionCount - layout::kFixedSections != counts.states)
            return fail("the file has " + std::to_string(*sectionCount - layout::kFixedSections) +
                        " state sections but its chat declares " + std::to_string(counts.states));
        const uint32_t expected = i == 0   ? layout::kChatTag
                                  : i == 1 ? layout::kMessagesTag
                                  : i == 2 ? layout::kAttachmentsTag
                                           : layout::kStateTag;
        const std::string name(reinterpret_cast<const char*>(&expected), 4);
        if (body.size() - offset < layout::kSectionHeaderBytes)
            return fail("section " + std::to_string(i) + " (" + name + ") is missing at offset " +
                        std::to_string(offset));
        if (load<uint32_t>(body, offset) != expected)
            return fail("offset " + std::to_string(offset) + ": expected the " + name + " section");
        const auto length = load<uint64_t>(body, offset + 4);
        offset += layout::kSectionHeaderBytes;
        if (length > body.size() - offset)
            return fail("the " + name + " section declares " + std::to_string(length) + " bytes but " +
                        std::to_string(body.size() - offset) + " are left");
        Cursor in(body.substr(offset, length), offset, name);
        const bool ok = i == 0   ? readChatSection(in, chat, counts)
                        : i == 1 ? readMessages(in, chat, counts)
                        : i == 2 ? readAttachments(in, chat, counts)
                                 : readState(in, chat, i - layout::kFixedSections);
        if (!ok) return in.failure();
        offset += length;
    }
    if (*sectionCount == layout::kFixedSections && counts.states != 0)
        return fail("the chat declares " + std::to_string(counts.states) + " states but the file has none");
    if (offset != body.size()) return fail(std::to_string(body.size() - offset) + " bytes follow the last section");
    return chat;
}

}  // namespace chat_file
