// starting_points.cpp — StartingPoints: the branch kept as a .rgchat transcript (chat_file_bridge.h), the state as a
// byte copy of the reply's state file (a fork: the file holds the whole state, so nothing is recomputed), each copy
// written atomically under a new name before the transaction that names it.
#include "starting_points.h"

#include <QFile>

#include "chat_file_bridge.h"
#include "data_folder.h"

namespace {

// Copies the state file `name` to a new name (bit for bit, atomically); the new name, or the reason it failed.
tl::expected<QString, QString> forkStateFile(const DataFolder& data, const QString& name) {
    QFile source(data.statePath(name));
    if (!source.open(QIODevice::ReadOnly)) return tl::unexpected(source.errorString());
    const QByteArray bytes = source.readAll();
    const QString copy = DataFolder::newStateFileName();
    const auto written = chat_file::writeFileAtomically(QFile::encodeName(data.statePath(copy)).toStdString(),
                                                        std::string_view(bytes.constData(), bytes.size()));
    if (!written) return tl::unexpected(QString::fromStdString(written.error().message));
    return copy;
}

}  // namespace

tl::expected<qint64, QString> StartingPoints::save(DataFolder& data, qint64 messageId, const QString& name) {
    ConversationStore* store = data.store();
    if (!store) return tl::unexpected(data.storageError());
    const QList<StoredMessage> path = store->pathTo(messageId);
    if (path.isEmpty() || path.last().role != MessageRole::Model)
        return tl::unexpected(tr("A starting point is saved at a reply; there is no reply %1.").arg(messageId));
    if (path.last().stateFile.isEmpty() || !QFile::exists(data.statePath(path.last().stateFile)))
        return tl::unexpected(tr("The state after this reply was not saved; send a message to save it first."));
    const auto conversation = store->conversation(path.last().conversationId);
    ConversationSummary summary;
    summary.title = name;
    summary.systemPrompt = conversation ? conversation->systemPrompt : QString();
    summary.createdAt = QDateTime::currentDateTimeUtc();
    summary.updatedAt = summary.createdAt;
    summary.currentLeafId = messageId;
    ChatExportOptions options;
    options.transcriptOnly = true;
    const std::string transcript = chat_file::writeChatFile(chatFileOf(data, summary, path, options));

    const auto state = forkStateFile(data, path.last().stateFile);
    if (!state) return tl::unexpected(tr("The starting point could not be saved: %1").arg(state.error()));
    StoredStartingPoint point;
    point.name = name;
    point.transcript = QByteArray(transcript.data(), qsizetype(transcript.size()));
    point.stateFile = *state;
    point.modelFingerprint = path.last().modelFingerprint;
    const qint64 id = store->addStartingPoint(point);
    if (id == 0) {
        QFile::remove(data.statePath(*state));
        return tl::unexpected(tr("The starting point could not be saved: %1").arg(store->lastError()));
    }
    return id;
}

QList<StartingPointInfo> StartingPoints::list(const DataFolder& data, const QString& loadedFingerprint) {
    QList<StartingPointInfo> points;
    if (!data.store()) return points;
    for (const StoredStartingPoint& p : data.store()->startingPoints()) {
        const bool hasState = !p.stateFile.isEmpty() && QFile::exists(data.statePath(p.stateFile));
        points.append({p.id, p.name, p.createdAt, p.modelFingerprint, hasState,
                       hasState && !loadedFingerprint.isEmpty() && p.modelFingerprint == loadedFingerprint});
    }
    return points;
}

tl::expected<void, QString> StartingPoints::rename(DataFolder& data, qint64 id, const QString& name) {
    if (!data.store()) return tl::unexpected(data.storageError());
    if (!data.store()->renameStartingPoint(id, name)) return tl::unexpected(data.store()->lastError());
    return {};
}

tl::expected<void, QString> StartingPoints::remove(DataFolder& data, qint64 id) {
    ConversationStore* store = data.store();
    if (!store) return tl::unexpected(data.storageError());
    const auto point = store->startingPoint(id);
    if (!point || !store->deleteStartingPoint(id)) return tl::unexpected(tr("No starting point %1.").arg(id));
    if (!point->stateFile.isEmpty()) QFile::remove(data.statePath(point->stateFile));
    return {};
}

tl::expected<qint64, QString> StartingPoints::newChat(DataFolder& data, qint64 id) {
    ConversationStore* store = data.store();
    if (!store) return tl::unexpected(data.storageError());
    const auto point = store->startingPoint(id);
    if (!point) return tl::unexpected(tr("No starting point %1.").arg(id));
    // Our own bytes, but read as strictly as a file from outside: a damaged database must not become a bad chat.
    const auto chat =
        chat_file::readChatFile(std::string_view(point->transcript.constData(), point->transcript.size()));
    if (!chat || chat->currentLeaf == chat_file::kNoIndex)
        return tl::unexpected(tr("The starting point “%1” is damaged: %2")
                                  .arg(point->name, chat ? QString() : QString::fromStdString(chat.error().message)));
    NewConversation conversation = conversationOf(*chat, {});
    conversation.title = point->name;
    conversation.createdAt = QDateTime::currentDateTimeUtc();
    // Without its state file (removed by hand) the chat still works: its first reply rebuilds the state.
    QString fork;
    if (!point->stateFile.isEmpty() && QFile::exists(data.statePath(point->stateFile))) {
        const auto copied = forkStateFile(data, point->stateFile);
        if (!copied) return tl::unexpected(tr("The chat could not be created: %1").arg(copied.error()));
        fork = *copied;
        StoredMessage& last = conversation.messages[conversation.currentLeaf];
        last.stateFile = fork;
        last.modelFingerprint = point->modelFingerprint;
    }
    const qint64 chatId = store->insertConversation(conversation);
    if (chatId == 0) {
        if (!fork.isEmpty()) QFile::remove(data.statePath(fork));
        return tl::unexpected(tr("The chat could not be created: %1").arg(store->lastError()));
    }
    return chatId;
}
