// chat_commands.cpp — ChatCommands: listing, exporting (one chat or all, one file each) and importing, with the text
// the command prints; and the JSON that carries a request and its result over the single-instance socket.
#include "chat_commands.h"

#include <QDir>
#include <QJsonDocument>
#include <QJsonObject>

#include "data_folder.h"

namespace {

const QString kKind = QStringLiteral("kind");
const QString kId = QStringLiteral("id");
const QString kFormat = QStringLiteral("format");
const QString kPath = QStringLiteral("path");

const char* const kKindNames[] = {"list-chats", "export-chat", "export-all", "import"};

ChatCommandResult failed(const QString& error) { return {1, {}, error, 0}; }

ChatCommandResult listChats(const DataFolder& data) {
    const ConversationStore& store = *data.store();
    const int count = store.conversationCount({});
    QString out;
    for (const ConversationSummary& chat : store.conversations({}, 0, count)) {
        out += QStringLiteral("%1\t%2\t%3\n")
                   .arg(chat.id)
                   .arg(chat.updatedAt.toUTC().toString(Qt::ISODate), chat.title.simplified());
    }
    return {0, out, {}, 0};
}

ChatCommandResult exportAll(const DataFolder& data, const ChatCommand& command) {
    if (!QDir().mkpath(command.path))
        return failed(ChatCommands::tr("Cannot create the folder %1.").arg(QDir::toNativeSeparators(command.path)));
    const ConversationStore& store = *data.store();
    const int count = store.conversationCount({});
    QString out;
    for (const ConversationSummary& chat : store.conversations({}, 0, count)) {
        const QString file =
            QDir(command.path)
                .filePath(QStringLiteral("chat-%1.%2").arg(chat.id).arg(ChatTransfer::suffix(command.format)));
        if (const QString error = ChatTransfer::exportChat(data, chat.id, command.format, file); !error.isEmpty())
            return {1, out, error, 0};
        out += QDir::toNativeSeparators(file) + u'\n';
    }
    return {0, out, {}, 0};
}

}  // namespace

QByteArray ChatCommand::toJson() const {
    return QJsonDocument(QJsonObject{{kKind, QLatin1String(kKindNames[int(kind)])},
                                     {kId, QString::number(id)},
                                     {kFormat, ChatTransfer::suffix(format)},
                                     {kPath, path}})
        .toJson(QJsonDocument::Compact);
}

std::optional<ChatCommand> ChatCommand::fromJson(const QByteArray& json) {
    const QJsonObject object = QJsonDocument::fromJson(json).object();
    ChatCommand command;
    const QString kind = object.value(kKind).toString();
    int k = 0;
    while (k < 4 && kind != QLatin1String(kKindNames[k])) ++k;
    if (k == 4) return std::nullopt;
    command.kind = Kind(k);
    bool ok = false;
    command.id = object.value(kId).toString().toLongLong(&ok);
    const auto format = ChatTransfer::formatNamed(object.value(kFormat).toString());
    if (!ok || !format) return std::nullopt;
    command.format = *format;
    command.path = object.value(kPath).toString();
    return command;
}

QByteArray ChatCommandResult::toJson() const {
    return QJsonDocument(QJsonObject{{QStringLiteral("exit"), exitCode},
                                     {QStringLiteral("output"), output},
                                     {QStringLiteral("error"), error}})
        .toJson(QJsonDocument::Compact);
}

std::optional<ChatCommandResult> ChatCommandResult::fromJson(const QByteArray& json) {
    const QJsonObject object = QJsonDocument::fromJson(json).object();
    if (!object.value(QStringLiteral("exit")).isDouble()) return std::nullopt;
    return ChatCommandResult{object.value(QStringLiteral("exit")).toInt(),
                             object.value(QStringLiteral("output")).toString(),
                             object.value(QStringLiteral("error")).toString(), 0};
}

ChatCommandResult ChatCommands::run(const ChatCommand& command, DataFolder& data, const QString& loadedFingerprint) {
    if (!data.store()) return failed(data.storageError());
    switch (command.kind) {
        case ChatCommand::Kind::ListChats:
            return listChats(data);
        case ChatCommand::Kind::ExportChat:
            if (const QString error = ChatTransfer::exportChat(data, command.id, command.format, command.path);
                !error.isEmpty())
                return failed(error);
            return {0, QDir::toNativeSeparators(command.path) + u'\n', {}, 0};
        case ChatCommand::Kind::ExportAll:
            return exportAll(data, command);
        case ChatCommand::Kind::Import:
            break;
    }
    const auto imported = ChatTransfer::importChat(data, command.path, loadedFingerprint);
    if (!imported) return failed(imported.error());
    return {0, imported->report + u'\n', {}, imported->conversationId};
}

QByteArray ChatCommands::answer(const QByteArray& request, DataFolder& data, const QString& loadedFingerprint,
                                qint64* importedId) {
    const auto command = ChatCommand::fromJson(request);
    if (!command) return failed(tr("The running Recurrent Chat did not understand the request.")).toJson();
    const ChatCommandResult result = run(*command, data, loadedFingerprint);
    if (importedId) *importedId = result.importedId;
    return result.toJson();
}
