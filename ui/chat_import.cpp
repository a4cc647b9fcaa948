// chat_import.cpp — ChatTransfer's import side: the file's size checked before it is read, the whole file
// validated (chat_file), its states written under new names (readImport, any thread), then the conversation in one
// transaction naming them (finishImport, the database's thread). A failure at any step removes the states already
// written, so nothing of a refused import remains.
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

// The file validated whole, its states written under new names; removed again unless the import went through.
struct ChatTransfer::PreparedImport {
    chat_file::ChatFile chat;
    QString stateDirectory;
    QStringList stateNames;
    bool inserted = false;

    PreparedImport() = default;
    PreparedImport(const PreparedImport&) = delete;
    PreparedImport& operator=(const PreparedImport&) = delete;
    ~PreparedImport() {
        if (!inserted) removeStates();
    }
    void removeStates() {
        for (const QString& name : std::as_const(stateNames)) QFile::remove(QDir(stateDirectory).filePath(name));
        stateNames.clear();
    }
};

tl::expected<std::shared_ptr<ChatTransfer::PreparedImport>, QString> ChatTransfer::readImport(
    const QString& path, const QString& stateDirectory) {
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

    auto prepared = std::make_shared<PreparedImport>();
    prepared->chat = std::move(*chat);
    prepared->stateDirectory = stateDirectory;
    for (chat_file::StateBlob& state : prepared->chat.states) {
        const QString name = DataFolder::newStateFileName();
        const auto written = chat_file::writeFileAtomically(
            QFile::encodeName(QDir(stateDirectory).filePath(name)).toStdString(), state.bytes);
        if (!written) return tl::unexpected(tr("The chat could not be imported: %1").arg(qs(written.error().message)));
        prepared->stateNames.append(name);
        std::string().swap(state.bytes);  // on disk now: the import need not carry it to the GUI thread
    }
    return prepared;
}

tl::expected<ChatTransfer::Imported, QString> ChatTransfer::importChat(DataFolder& data, const QString& path,
                                                                       const QString& loadedFingerprint) {
    if (!data.store()) return tl::unexpected(data.storageError());
    auto prepared = readImport(path, data.stateDirectory());
    if (!prepared) return tl::unexpected(prepared.error());
    return finishImport(data, **prepared, loadedFingerprint);
}

tl::expected<ChatTransfer::Imported, QString> ChatTransfer::finishImport(DataFolder& data, PreparedImport& prepared,
                                                                         const QString& loadedFingerprint) {
    ConversationStore* store = data.store();
    if (!store) return tl::unexpected(data.storageError());
    const chat_file::ChatFile& chat = prepared.chat;
    const qint64 id = store->insertConversation(conversationOf(chat, prepared.stateNames));
    if (id == 0) {
        prepared.removeStates();
        return tl::unexpected(tr("The chat could not be imported: %1").arg(store->lastError()));
    }
    prepared.inserted = true;

    Imported result;
    result.conversationId = id;
    result.title = qs(chat.title);
    result.messages = int(chat.messages.size());
    const QString fingerprint = qs(chat.modelFingerprint);
    result.resumesInstantly = !chat.states.empty() && fingerprint == loadedFingerprint;
    const QString what =
        tr("Imported “%1” as chat %2 (%n message(s)).", nullptr, result.messages).arg(result.title).arg(id);
    if (chat.states.empty()) {
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
