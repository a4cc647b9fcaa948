// chat_transfer.h — ChatTransfer: a conversation out of the data folder into a file and back: .rgchat (every
// branch, the system prompt, the model states: docs/rgchat-format.md), or its current branch as Markdown or JSON.
// An import is validated whole before anything is written, and lands in one transaction.
#pragma once

#include <QByteArray>
#include <QCoreApplication>
#include <QList>
#include <QString>
#include <memory>
#include <optional>
#include <tl/expected.hpp>

#include "conversation_store.h"

class DataFolder;

// Outside the class: a nested struct with default member initializers cannot be a default argument of its class.
struct ChatExportOptions {
    bool everyState = false;      // .rgchat: every message's state, not only the one at the end of the current branch
    QString modelName;            // .rgchat: the model's name, for the reader's information
    bool transcriptOnly = false;  // .rgchat without any state
};

class ChatTransfer {
    Q_DECLARE_TR_FUNCTIONS(ChatTransfer)

  public:
    enum class Format { RgChat, Markdown, Json };
    // "rgchat", "md" (or "markdown"), "json"; nullopt for anything else.
    static std::optional<Format> formatNamed(const QString& name);
    // "rgchat", "md", "json": the file suffix an export gets.
    static QString suffix(Format format);

    // The current branch as Markdown: the title as a heading, then each message under who said it.
    static QString markdown(const QString& title, const QList<StoredMessage>& path);
    // The current branch as a JSON document (its fields in docs/rgchat-format.md).
    static QByteArray json(const ConversationSummary& conversation, const QList<StoredMessage>& path);

    using ExportOptions = ChatExportOptions;
    // Writes conversation `id` to `path` (replaced atomically). "" on success, else a translated error.
    static QString exportChat(const DataFolder& data, qint64 id, Format format, const QString& path,
                              const ExportOptions& options = {});

    struct Imported {
        qint64 conversationId = 0;
        QString title;
        int messages = 0;
        bool resumesInstantly = false;  // its state belongs to `loadedFingerprint`'s model
        QString report;                 // translated: what was imported, and whether the state can be used as is
    };
    // Imports the .rgchat file `path` as a new conversation. `loadedFingerprint` is the model the app runs ("" if
    // none): the report says whether the chat resumes instantly or its transcript is processed again. On any error
    // (translated) nothing is changed: no row, no state file. importChat() is readImport() then finishImport().
    static tl::expected<Imported, QString> importChat(DataFolder& data, const QString& path,
                                                      const QString& loadedFingerprint);

    // An import in two steps, so that a large file is read on a worker thread (a ThreadJob). A PreparedImport is
    // the file validated whole and its states written into states/ under new names; dropped without
    // finishImport(), it removes those states again.
    struct PreparedImport;
    using PreparedImportResult = tl::expected<std::shared_ptr<PreparedImport>, QString>;
    // Reads and validates the .rgchat file `path` and writes its states into `stateDirectory`. Touches no database
    // and no shared object: any thread may run it.
    static PreparedImportResult readImport(const QString& path, const QString& stateDirectory);
    // Inserts `prepared` as a new conversation in one transaction, on the database's (the GUI) thread. On failure
    // (translated) nothing of it remains.
    static tl::expected<Imported, QString> finishImport(DataFolder& data, PreparedImport& prepared,
                                                        const QString& loadedFingerprint);

    // A file name for conversation `id` titled `title` exported as `format`: the title without the characters
    // file systems refuse, shortened, else "chat-<id>"; with the format's suffix.
    static QString exportFileName(const QString& title, qint64 id, Format format);
};
