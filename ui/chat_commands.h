// chat_commands.h — the command line's chat commands (--list-chats, --export-chat, --export-all, --import) as
// requests with results. Whoever holds the data folder runs them: the command itself when no window is running, else
// the running window, which receives them through its single-instance socket — one writer per database, always.
#pragma once

#include <QByteArray>
#include <QCoreApplication>
#include <QString>
#include <optional>

#include "chat_transfer.h"

class DataFolder;

struct ChatCommand {
    enum class Kind { ListChats, ExportChat, ExportAll, Import };
    Kind kind = Kind::ListChats;
    qint64 id = 0;                                               // ExportChat
    ChatTransfer::Format format = ChatTransfer::Format::RgChat;  // ExportChat, ExportAll
    QString path;  // absolute: the file or folder written (exports), or the file read (Import)

    // One line of JSON, for the socket.
    QByteArray toJson() const;
    static std::optional<ChatCommand> fromJson(const QByteArray& json);
};

struct ChatCommandResult {
    int exitCode = 0;       // 0 done, 1 failed
    QString output;         // for stdout (lines)
    QString error;          // for stderr, without the "error: " prefix; "" when done
    qint64 importedId = 0;  // Import: the new conversation

    QByteArray toJson() const;
    static std::optional<ChatCommandResult> fromJson(const QByteArray& json);
};

class ChatCommands {
    Q_DECLARE_TR_FUNCTIONS(ChatCommands)

  public:
    // Runs `command` on `data`. `loadedFingerprint`: the model the app runs, "" if none (Import's report).
    static ChatCommandResult run(const ChatCommand& command, DataFolder& data, const QString& loadedFingerprint);
    // The answer to a request received on the socket: runs it, or says it could not be read.
    static QByteArray answer(const QByteArray& request, DataFolder& data, const QString& loadedFingerprint,
                             qint64* importedId);
};
