// chat_file_layout.h — the .rgchat byte layout shared by the writer and the reader (docs/rgchat-format.md): the
// magic, the preamble's offsets, the section tags and the fixed sizes the reader bounds counts with.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace chat_file::layout {

inline constexpr std::string_view kMagic{"RGCHAT\0\0", 8};
inline constexpr std::size_t kVersionOffset = 8;        // u32
inline constexpr std::size_t kLengthOffset = 12;        // u64 total file length, checksum included
inline constexpr std::size_t kSectionCountOffset = 20;  // u32
inline constexpr std::size_t kPreambleBytes = 24;
inline constexpr std::size_t kSectionHeaderBytes = 12;  // u32 tag, u64 payload length
inline constexpr std::size_t kChecksumBytes = 8;        // u64 XXH64 (seed 0) of every byte before it

// Section tags as u32 little-endian: the four ASCII letters in file order.
constexpr uint32_t tag(const char (&name)[5]) {
    return uint32_t(uint8_t(name[0])) | uint32_t(uint8_t(name[1])) << 8 | uint32_t(uint8_t(name[2])) << 16 |
           uint32_t(uint8_t(name[3])) << 24;
}
inline constexpr uint32_t kChatTag = tag("CHAT");
inline constexpr uint32_t kMessagesTag = tag("MSGS");
inline constexpr uint32_t kAttachmentsTag = tag("ATCH");
inline constexpr uint32_t kStateTag = tag("STAT");
inline constexpr uint32_t kFixedSections = 3;  // CHAT, MSGS, ATCH; then one STAT per state

// The smallest encoding of one record, so a count can be checked against the bytes present before it is used.
inline constexpr std::size_t kMinMessageBytes = 4 + 1 + 8 + 4 + 4 + 4;  // parent, role, time, 2 strings, tokens
inline constexpr std::size_t kMinAttachmentBytes = 4 + 4 + 4 + 4;       // message, 3 strings
inline constexpr std::size_t kMinSettingBytes = 4 + 4;                  // 2 strings

inline constexpr std::array<std::string_view, 5> kStopReasons{"", "end", "length", "stopped", "error"};
inline constexpr std::size_t kMaxSettingKeyBytes = 64;
inline constexpr std::size_t kMaxNameBytes = 255;       // attachment names and types
inline constexpr int64_t kMaxTimeMs = 253402300799999;  // 9999-12-31T23:59:59.999Z

}  // namespace chat_file::layout
