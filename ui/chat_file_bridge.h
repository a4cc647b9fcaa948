// chat_file_bridge.h — between the store's types and the .rgchat data of ui/chat_file (plain C++): for
// chat_export.cpp, chat_import.cpp and starting_points.cpp only.
#pragma once

#include <QList>
#include <QStringList>

#include "chat_file.h"
#include "chat_transfer.h"
#include "conversation_store.h"

class DataFolder;

// The conversation `summary` with `messages` (every branch, or one; parents first) as .rgchat data. States are read
// from `data`'s state files and kept if sound: the one at the end of the summary's current leaf's branch, and with
// `options.everyState` every reply's; none with `options.transcriptOnly`.
chat_file::ChatFile chatFileOf(const DataFolder& data, const ConversationSummary& summary,
                               const QList<StoredMessage>& messages, const ChatExportOptions& options);
// The .rgchat data as a conversation to insert; `stateNames[i]` is the file the i-th state was written to.
NewConversation conversationOf(const chat_file::ChatFile& chat, const QStringList& stateNames);
