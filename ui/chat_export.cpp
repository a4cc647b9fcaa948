// chat_export.cpp — ChatTransfer's export side: a conversation as Markdown, JSON or a .rgchat file (its messages
// from the store, its states read from states/ and kept only if they are sound).
#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include "chat_file_bridge.h"
#include "data_folder.h"
#include "rgemma/state_file.h"

namespace {

QString isoTime(const QDateTime& time) { return time.toUTC().toString(Qt::ISODateWithMs); }

// A state file's bytes if it is sound and belongs to the chat: the fingerprint given (or any, when "") and the
// branch's length in tokens. A missing or damaged file is left out: states are a cache, the import rebuilds them.
std::optional<std::string> soundState(const DataFolder& data, const StoredMessage& message, int64_t branchTokens,
                                      const std::string& fingerprint) {
    if (message.stateFile.isEmpty()) return std::nullopt;
    QFile file(data.statePath(message.stateFile));
    if (!file.open(QIODevice::ReadOnly)) return std::nullopt;
    const QByteArray bytes = file.readAll();
    std::string raw(bytes.constData(), bytes.size());
    const auto info = rgemma::inspectStateBytes(raw, message.stateFile.toStdString());
    if (!info || info->position != branchTokens) return std::nullopt;
    if (!fingerprint.empty() && info->modelFingerprint != fingerprint) return std::nullopt;
    return raw;
}

}  // namespace

chat_file::ChatFile chatFileOf(const DataFolder& data, const ConversationSummary& summary,
                               const QList<StoredMessage>& messages, const ChatExportOptions& options) {
    chat_file::ChatFile chat;
    chat.title = summary.title.toStdString();
    chat.systemPrompt = summary.systemPrompt.toStdString();
    chat.createdAtMs = summary.createdAt.toMSecsSinceEpoch();
    chat.updatedAtMs = summary.updatedAt.toMSecsSinceEpoch();
    chat.modelName = options.modelName.toStdString();
    QHash<qint64, uint32_t> index;
    QVector<int64_t> branchTokens;
    for (const StoredMessage& m : messages) {
        chat_file::Message out;
        out.parent = m.parentId == 0 ? chat_file::kNoIndex : index.value(m.parentId, chat_file::kNoIndex);
        out.role = m.role == MessageRole::Model ? chat_file::Role::Model : chat_file::Role::User;
        out.createdAtMs = m.createdAt.toMSecsSinceEpoch();
        out.content = m.content.toStdString();
        out.stopReason = m.role == MessageRole::Model ? m.stopReason.toStdString() : std::string();
        out.tokens.assign(m.tokens.begin(), m.tokens.end());
        branchTokens.append((out.parent == chat_file::kNoIndex ? 0 : branchTokens.at(out.parent)) + m.tokens.size());
        index.insert(m.id, uint32_t(chat.messages.size()));
        if (m.id == summary.currentLeafId) chat.currentLeaf = uint32_t(chat.messages.size());
        chat.messages.push_back(std::move(out));
    }
    if (options.transcriptOnly) return chat;
    // The state at the end of the current branch decides the model; the others are kept only if they share it.
    uint32_t last = chat.currentLeaf;
    while (last != chat_file::kNoIndex && messages.at(last).stateFile.isEmpty()) last = chat.messages[last].parent;
    if (last == chat_file::kNoIndex) return chat;
    const auto end = soundState(data, messages.at(last), branchTokens.at(last), {});
    if (!end) return chat;
    chat.modelFingerprint = messages.at(last).modelFingerprint.toStdString();
    if (auto info = rgemma::inspectStateBytes(*end, {})) chat.modelFingerprint = info->modelFingerprint;
    for (uint32_t i = 0; i < chat.messages.size(); ++i) {
        if (i == last) {
            chat.states.push_back({i, *end});
        } else if (options.everyState && chat.messages[i].role == chat_file::Role::Model) {
            if (auto bytes = soundState(data, messages.at(i), branchTokens.at(i), chat.modelFingerprint))
                chat.states.push_back({i, std::move(*bytes)});
        }
    }
    return chat;
}

std::optional<ChatTransfer::Format> ChatTransfer::formatNamed(const QString& name) {
    const QString lower = name.toLower();
    if (lower == QLatin1String("rgchat")) return Format::RgChat;
    if (lower == QLatin1String("md") || lower == QLatin1String("markdown")) return Format::Markdown;
    if (lower == QLatin1String("json")) return Format::Json;
    return std::nullopt;
}

QString ChatTransfer::suffix(Format format) {
    switch (format) {
        case Format::RgChat:
            return QStringLiteral("rgchat");
        case Format::Markdown:
            return QStringLiteral("md");
        case Format::Json:
            break;
    }
    return QStringLiteral("json");
}

QString ChatTransfer::exportFileName(const QString& title, qint64 id, Format format) {
    constexpr qsizetype kMaxLength = 80;  // characters of the title kept: names stay readable in a file dialog
    QString name;
    for (const QChar c : title.simplified()) {
        // Refused or special on Windows, macOS or Linux; control characters are gone with simplified() or here.
        if (c.category() == QChar::Other_Control || QStringLiteral("/\\:*?\"<>|").contains(c)) {
            name += u' ';
        } else {
            name += c;
        }
    }
    name = name.simplified();
    while (name.startsWith(u'.') || name.startsWith(u' ')) name.remove(0, 1);  // not a hidden file
    if (name.size() > kMaxLength) {
        name.truncate(kMaxLength);
        if (name.back().isHighSurrogate()) name.chop(1);
        name = name.trimmed();
    }
    while (name.endsWith(u'.')) name.chop(1);  // Windows drops trailing dots
    if (name.isEmpty()) name = QStringLiteral("chat-%1").arg(id);
    return name + u'.' + suffix(format);
}

QString ChatTransfer::markdown(const QString& title, const QList<StoredMessage>& path) {
    QString text = QStringLiteral("# %1\n\n").arg(title);
    for (const StoredMessage& message : path) {
        text += (message.role == MessageRole::User ? tr("**You:**") : tr("**Model:**")) + QStringLiteral("\n\n") +
                message.content + QStringLiteral("\n\n");
    }
    return text;
}

QByteArray ChatTransfer::json(const ConversationSummary& conversation, const QList<StoredMessage>& path) {
    QJsonArray messages;
    for (const StoredMessage& message : path) {
        messages.append(QJsonObject{{QStringLiteral("role"), ConversationStore::roleName(message.role)},
                                    {QStringLiteral("content"), message.content},
                                    {QStringLiteral("created_at"), isoTime(message.createdAt)}});
    }
    const QJsonObject root{{QStringLiteral("format"), QStringLiteral("recurrent-chat-transcript")},
                           {QStringLiteral("version"), 1},
                           {QStringLiteral("title"), conversation.title},
                           {QStringLiteral("system_prompt"), conversation.systemPrompt},
                           {QStringLiteral("created_at"), isoTime(conversation.createdAt)},
                           {QStringLiteral("updated_at"), isoTime(conversation.updatedAt)},
                           {QStringLiteral("messages"), messages}};
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

QString ChatTransfer::exportChat(const DataFolder& data, qint64 id, Format format, const QString& path,
                                 const ExportOptions& options) {
    const ConversationStore* store = data.store();
    if (!store) return data.storageError();
    const auto summary = store->conversation(id);
    if (!summary) return tr("There is no chat %1.").arg(id);
    std::string bytes;
    if (format == Format::RgChat) {
        const QList<StoredMessage> messages = store->allMessages(id);
        if (messages.isEmpty() && summary->currentLeafId != 0)
            return tr("The chat could not be read: %1").arg(store->lastError());
        bytes = chat_file::writeChatFile(chatFileOf(data, *summary, messages, options));
    } else {
        const QList<StoredMessage> path = store->currentPath(id);
        const QByteArray text = format == Format::Json ? json(*summary, path) : markdown(summary->title, path).toUtf8();
        bytes.assign(text.constData(), text.size());
    }
    if (bytes.size() > chat_file::kMaxFileBytes && format == Format::RgChat)
        return tr("The chat is too large to export: %1 MB, more than the %2 MB a conversation file may have.")
            .arg(bytes.size() / 1000000)
            .arg(chat_file::kMaxFileBytes / 1000000);
    if (auto written = chat_file::writeFileAtomically(QFile::encodeName(path).toStdString(), bytes); !written)
        return tr("The chat could not be exported: %1").arg(QString::fromStdString(written.error().message));
    return {};
}
