// chat_import.cpp — ChatTransfer's import side: the file's size checked before it is read, the whole file
// validated (chat_file), its states written under new names, then the conversation in one transaction naming
// them. A failure at any step removes the states already written, so nothing of a refused import remains.
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStringList>

#include "chat_file_bridge.h"
#include "data_folder.h"

namespace {

QString qs(const std::string& text) { return QString::fromStdString(text); }

}  // namespace

NewConversation conversationOf(const chat_file::ChatFile& chat, const QStringList& stateNames) {
    NewConversation out;
    out.title = qs(chat.title);
    out.systemPrompt = qs(chat.systemPrompt);
    out.createdAt = QDateTime::fromMSecsSinceEpoch(chat.createdAtMs, Qt::UTC);
    out.currentLeaf = chat.currentLeaf == chat_file::kNoIndex ? -1 : qsizetype(chat.currentLeaf);
    for (const chat_file::Message& m : chat.messages) {
        StoredMessage message;
        message.parentId = m.parent == chat_file::kNoIndex ? -1 : qint64(m.parent);
        message.role = m.role == chat_file::Role::Model ? MessageRole::Model : MessageRole::User;
        message.content = qs(m.content);
        message.tokens = QVector<qint32>(m.tokens.begin(), m.tokens.end());
        message.createdAt = QDateTime::fromMSecsSinceEpoch(m.createdAtMs, Qt::UTC);
        message.stopReason = qs(m.stopReason);
        out.messages.append(message);
    }
    for (qsizetype i = 0; i < stateNames.size(); ++i) {
        StoredMessage& message = out.messages[chat.states[i].message];
        message.stateFile = stateNames.at(i);
        message.modelFingerprint = qs(chat.modelFingerprint);
    }
    return out;
}

namespace {

void removeStates(const DataFolder& data, const QStringList& names) {
    for (const QString& name : names) QFile::remove(data.statePath(name));
}

}  // namespace

tl::expected<ChatTransfer::Imported, QString> ChatTransfer::importChat(DataFolder& data, const QString& path,
                                                                       const QString& loadedFingerprint) {
    ConversationStore* store = data.store();
    if (!store) return tl::unexpected(data.storageError());
    const QString shown = QDir::toNativeSeparators(path);
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) return tl::unexpected(tr("Cannot read %1: %2").arg(shown, file.errorString()));
    if (quint64(file.size()) > chat_file::kMaxFileBytes)
        return tl::unexpected(tr("%1 is too large to import: %2 MB; a conversation file may have at most %3 MB.")
                                  .arg(shown)
                                  .arg(file.size() / 1000000)
                                  .arg(chat_file::kMaxFileBytes / 1000000));
    const QByteArray bytes = file.readAll();
    if (bytes.size() != file.size()) return tl::unexpected(tr("Cannot read %1: %2").arg(shown, file.errorString()));
    auto chat = chat_file::readChatFile(std::string_view(bytes.constData(), bytes.size()));
    if (!chat)
        return tl::unexpected(
            tr("%1 is not a conversation file this version can import: %2").arg(shown, qs(chat.error().message)));

    QStringList stateNames;
    for (const chat_file::StateBlob& state : chat->states) {
        const QString name = DataFolder::newStateFileName();
        const auto written =
            chat_file::writeFileAtomically(QFile::encodeName(data.statePath(name)).toStdString(), state.bytes);
        if (!written) {
            removeStates(data, stateNames);
            return tl::unexpected(tr("The chat could not be imported: %1").arg(qs(written.error().message)));
        }
        stateNames.append(name);
    }
    const qint64 id = store->insertConversation(conversationOf(*chat, stateNames));
    if (id == 0) {
        removeStates(data, stateNames);
        return tl::unexpected(tr("The chat could not be imported: %1").arg(store->lastError()));
    }

    Imported result;
    result.conversationId = id;
    result.title = qs(chat->title);
    result.messages = int(chat->messages.size());
    const QString fingerprint = qs(chat->modelFingerprint);
    result.resumesInstantly = !chat->states.empty() && fingerprint == loadedFingerprint;
    const QString what =
        tr("Imported “%1” as chat %2 (%n message(s)).", nullptr, result.messages).arg(result.title).arg(id);
    if (chat->states.empty()) {
        result.report = what + u' ' +
                        tr("The file has no model state: the transcript is processed before the next "
                           "reply.");
    } else if (result.resumesInstantly) {
        result.report = what + u' ' + tr("Its model state was saved with the loaded model: it continues instantly.");
    } else if (loadedFingerprint.isEmpty()) {
        result.report = what + u' ' +
                        tr("It continues instantly with the model it was saved with (fingerprint %1); "
                           "with other weights its transcript is processed again before the next "
                           "reply.")
                            .arg(fingerprint);
    } else {
        result.report = what + u' ' +
                        tr("Its model state was saved with other weights (fingerprint %1): its "
                           "transcript is processed again before the next reply.")
                            .arg(fingerprint);
    }
    return result;
}
