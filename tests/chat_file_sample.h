// chat_file_sample.h — what the .rgchat tests share: a small conversation with two branches, an attachment and two
// real states of a golden model, and the byte surgery that makes hostile files of it (a forger fixes the length and
// the checksum, so the checks behind them are reached).
#pragma once

#include <cstring>
#include <string>

#include "chat_file.h"
#include "io/xxhash64.h"
#include "state_test_support.h"

namespace rctest {

// user 0 → model 1 → user 2 → model 3 (the current leaf) | model 4 (an alternative reply to 2). States after 1 and
// 3, made by `model` from tokens of the right count (8 and 14).
inline chat_file::ChatFile sampleChat(const rgemma::Model& model) {
    using chat_file::Role;
    chat_file::ChatFile chat;
    chat.title = "Größen – sizes ✓";
    chat.systemPrompt = "Answer briefly.";
    chat.createdAtMs = 1765000000000;
    chat.updatedAtMs = 1765000009000;
    chat.modelFingerprint = model.info().fingerprint;
    chat.modelName = model.info().name;
    chat.settings = {{"temperature", "0.7"}, {"max_new_tokens", "256"}};
    chat.messages = {
        {chat_file::kNoIndex, Role::User, 1765000001000, "Hello", "", {2, 10, 11, 12, 13}},
        {0, Role::Model, 1765000002000, "Hi!", "end", {20, 21, 22}},
        {1, Role::User, 1765000003000, "Summarize the file", "", {30, 31, 32, 33}},
        {2, Role::Model, 1765000004000, "It is short.", "end", {40, 41}},
        {2, Role::Model, 1765000005000, "Short.", "length", {50, 51, 52}},
    };
    chat.currentLeaf = 3;
    chat.attachments = {{2, "notes.md", "text/markdown", "# Notes\nshort"}};
    chat.states = {{1, stateBytes(model, 8)}, {3, stateBytes(model, 14)}};
    return chat;
}

// Rewrites the declared length and the checksum to match `bytes`, as a forger would.
inline void repair(std::string& bytes) {
    if (bytes.size() < 32) return;
    const uint64_t length = bytes.size();
    std::memcpy(bytes.data() + 12, &length, sizeof length);
    const std::size_t body = bytes.size() - 8;
    const uint64_t checksum = rgemma::xxh64(bytes.data(), body);
    std::memcpy(bytes.data() + body, &checksum, sizeof checksum);
}

template <typename T>
void poke(std::string& bytes, std::size_t offset, T value) {
    std::memcpy(bytes.data() + offset, &value, sizeof value);
}

// Offsets in a file written from `chat` (docs/rgchat-format.md): the CHAT payload starts after the preamble and
// the section header.
inline constexpr std::size_t kChatPayload = 24 + 12;
inline std::size_t messageCountOffset(const chat_file::ChatFile& chat) {
    std::size_t at = kChatPayload + 4 + chat.title.size() + 4 + chat.systemPrompt.size() + 16 + 4 +
                     chat.modelFingerprint.size() + 4 + chat.modelName.size() + 4;
    for (const auto& [key, value] : chat.settings) at += 8 + key.size() + value.size();
    return at;
}
inline std::size_t settingsCountOffset(const chat_file::ChatFile& chat) {
    return kChatPayload + 4 + chat.title.size() + 4 + chat.systemPrompt.size() + 16 + 4 + chat.modelFingerprint.size() +
           4 + chat.modelName.size();
}
// The start of the MSGS payload.
inline std::size_t messagesPayload(const chat_file::ChatFile& chat) { return messageCountOffset(chat) + 16 + 12; }
// The first message's token count.
inline std::size_t firstTokenCountOffset(const chat_file::ChatFile& chat) {
    const auto& m = chat.messages.front();
    return messagesPayload(chat) + 4 + 1 + 8 + 4 + m.content.size() + 4 + m.stopReason.size();
}

}  // namespace rctest
