// reply_flow.cpp — ReplyFlow: the user's actions that start a reply, the engine's signals while it runs, and
// storing it (or keeping it until the database takes it).
#include "reply_flow.h"

#include <utility>

#include "conversation_list_model.h"
#include "data_folder.h"
#include "markdown_text.h"
#include "message_model.h"
#include "preferences.h"

namespace {

constexpr int kSaveRetryMs = 5000;

// A new conversation is titled by its first words, as read: Markdown's marks ("# ", "**", "`") left out.
QString titleFrom(const QString& text) {
    QString title = plainTextOf(text).simplified();
    if (title.size() > 48) title = title.left(47).trimmed() + u'…';
    return title;
}

// The text as it is stored and fed to the model: lone surrogates (which only a QString can hold) become U+FFFD, as
// they would on the way to UTF-8 anyway; stored as they are, SQLite would pair them with their neighbours.
QString storableText(const QString& text) { return QString::fromUtf8(text.toUtf8()).trimmed(); }

}  // namespace

ReplyFlow::ReplyFlow(ChatEngine& engine, DataFolder& data, MessageModel& messages, ConversationListModel& conversations,
                     const Preferences& preferences, QObject* parent)
    : QObject(parent),
      m_engine(engine),
      m_data(data),
      m_messages(messages),
      m_conversations(conversations),
      m_preferences(preferences) {
    connect(&engine, &ChatEngine::textAppended, this, &ReplyFlow::onTextAppended);
    connect(&engine, &ChatEngine::stateRebuilding, this, &ReplyFlow::onStateRebuilding);
    connect(&engine, &ChatEngine::promptProgress, this, &ReplyFlow::onPromptProgress);
    connect(&engine, &ChatEngine::replyFinished, this, &ReplyFlow::onReplyFinished);
    connect(&engine, &ChatEngine::replyFailed, this, &ReplyFlow::onReplyFailed);
    m_saveRetryTimer.setInterval(kSaveRetryMs);
    connect(&m_saveRetryTimer, &QTimer::timeout, this, &ReplyFlow::saveUnsavedReply);
}

bool ReplyFlow::shown(qint64 conversationId) const {
    return conversationId != 0 && m_messages.conversationId() == conversationId;
}

void ReplyFlow::show(qint64 conversationId) {
    std::optional<StoredMessage> unsaved;
    if (m_unsavedReply) {
        unsaved.emplace();
        unsaved->conversationId = m_unsavedReply->conversationId;
        unsaved->parentId = m_unsavedReply->userMessageId;
        unsaved->role = MessageRole::Model;
        unsaved->content = m_unsavedReply->text;
        unsaved->tokens = m_unsavedReply->tokens;
        unsaved->stopReason = m_unsavedReply->stopReason;
    }
    m_messages.load(m_data.store(), conversationId, unsaved);
    m_streamingRow = -1;
    if (m_active && m_active->conversationId == conversationId) showStreamingReply();
}

void ReplyFlow::showStreamingReply() {
    // The reply streams right after its user message: an older reply to it (regenerate) leaves the view meanwhile.
    const int userRow = m_messages.rowOfMessage(m_active->userMessageId);
    if (userRow >= 0) m_messages.truncateFrom(userRow + 1);
    m_streamingRow = m_messages.appendStreamingReply();
    if (!m_active->text.isEmpty()) m_messages.appendText(m_streamingRow, m_active->text);
}

bool ReplyFlow::saveUnsavedReply() {
    ConversationStore* store = m_data.store();
    if (!store || !m_unsavedReply) return true;
    const FinishedReply pending = *m_unsavedReply;
    const qint64 replyId = store->addReply(pending);
    // Refused again: try later. Unless its user message is gone for good: then there is nothing to attach it to.
    if (replyId == 0 && store->message(pending.userMessageId)) return false;
    m_unsavedReply.reset();
    m_saveRetryTimer.stop();
    if (replyId == 0) return true;
    if (shown(pending.conversationId)) show(pending.conversationId);
    m_conversations.conversationChanged(pending.conversationId);
    emit notice(tr("The reply that could not be saved is saved now."));
    return true;
}

bool ReplyFlow::ensureSaved() {
    if (saveUnsavedReply()) return true;
    emit notice(tr("Nothing can be saved right now: %1. The conversation stays as it is here; free some disk space "
                   "or make the data folder writable, and the reply that is not saved yet will be saved.")
                    .arg(m_data.store()->lastError()));
    return false;
}

bool ReplyFlow::send(qint64 conversationId, const QString& text) {
    const QString message = storableText(text);
    if (message.isEmpty() || m_active) return false;
    ConversationStore* store = m_data.store();
    if (!store) {
        emit notice(m_data.storageError());
        return false;
    }
    if (!m_modelReady) {
        emit notice(tr("Open a model first."));
        return false;
    }
    if (!ensureSaved()) return false;
    if (conversationId == 0) {
        conversationId = store->createConversation(titleFrom(message));
        if (conversationId == 0) {
            emit notice(tr("The chat could not be saved: %1").arg(store->lastError()));
            return false;
        }
        emit conversationCreated(conversationId);
    } else if (const auto summary = store->conversation(conversationId); summary && summary->title.isEmpty()) {
        store->renameConversation(conversationId, titleFrom(message));
    }
    const QList<StoredMessage> path = store->currentPath(conversationId);
    if (!path.isEmpty() && path.last().role == MessageRole::User) {
        emit notice(tr("The last message has no reply yet: use Reply, or edit it."));
        return false;
    }
    const qint64 parent = path.isEmpty() ? 0 : path.last().id;
    // The user's words are stored before anything else happens, so they are never lost.
    const qint64 userId = store->addMessage(conversationId, parent, MessageRole::User, message, {});
    if (userId == 0) {
        emit notice(tr("The message could not be saved: %1").arg(store->lastError()));
        return false;
    }
    show(conversationId);
    m_conversations.conversationChanged(conversationId);
    startReply(userId, message);
    return true;
}

void ReplyFlow::regenerate(qint64 conversationId) {
    ConversationStore* store = m_data.store();
    if (m_active || !store || conversationId == 0 || !m_modelReady) return;
    if (!ensureSaved()) return;
    const QList<StoredMessage> path = store->currentPath(conversationId);
    if (path.isEmpty()) return;
    // The reply to regenerate is the last one; a user message without a reply (a failed or stopped turn) gets one.
    const StoredMessage user = path.last().role == MessageRole::User ? path.last() : path.value(path.size() - 2);
    if (user.role != MessageRole::User || user.id == 0) return;
    // The new alternative streams in the old reply's place; the old reply stays in the store.
    store->selectBranch(user.id);
    show(conversationId);
    startReply(user.id, user.content);
}

void ReplyFlow::edit(qint64 messageId, const QString& text) {
    const QString message = storableText(text);
    ConversationStore* store = m_data.store();
    if (m_active || !store || message.isEmpty() || !m_modelReady) return;
    if (!ensureSaved()) return;
    const auto original = store->message(messageId);
    if (!original || original->role != MessageRole::User) return;
    // The edit is a sibling of the original: both branches stay reachable with the arrows.
    const qint64 userId =
        store->addMessage(original->conversationId, original->parentId, MessageRole::User, message, {});
    if (userId == 0) {
        emit notice(tr("The message could not be saved: %1").arg(store->lastError()));
        return;
    }
    show(original->conversationId);
    startReply(userId, message);
}

bool ReplyFlow::switchAlternative(qint64 messageId, int delta) {
    ConversationStore* store = m_data.store();
    if (m_active || !store) return false;
    const auto message = store->message(messageId);
    if (!message) return false;
    const QList<qint64> siblings = store->siblings(messageId);
    const qsizetype target = siblings.indexOf(messageId) + delta;
    if (target < 0 || target >= siblings.size()) return false;
    store->selectBranch(siblings[target]);
    show(message->conversationId);
    return true;
}

void ReplyFlow::startReply(qint64 userMessageId, const QString& userText) {
    ConversationStore& store = *m_data.store();
    // One read for the whole branch: the user message, the reply it follows and the transcript before it.
    const QList<StoredMessage> path = store.pathTo(userMessageId);
    Q_ASSERT(!path.isEmpty() && path.last().id == userMessageId);
    const StoredMessage& user = path.last();

    GenerationRequest request;
    request.requestId = m_nextRequestId++;
    request.firstTurn = path.size() == 1;
    if (!request.firstTurn && !path.at(path.size() - 2).stateFile.isEmpty()) {
        request.parentStateFile = m_data.statePath(path.at(path.size() - 2).stateFile);
    }
    for (qsizetype i = 0; i + 1 < path.size(); ++i) request.historyTokens += path.at(i).tokens;
    request.userText = userText;
    if (request.firstTurn) {
        // Gemma has no system role: the system prompt is prepended to the first user turn.
        const auto conversation = store.conversation(user.conversationId);
        const QString systemPrompt = conversation ? conversation->systemPrompt.trimmed() : QString();
        if (!systemPrompt.isEmpty()) request.userText = systemPrompt + QStringLiteral("\n\n") + userText;
    }
    request.sampling = m_preferences.samplerSettings();
    request.maxNewTokens = m_preferences.maxNewTokens();
    const QString stateFileName = DataFolder::newStateFileName();
    request.stateFileOut = m_data.statePath(stateFileName);

    m_active = ActiveReply{request.requestId, user.conversationId, userMessageId, stateFileName, {}};
    m_tokensPerSecond = 0;
    if (shown(user.conversationId)) showStreamingReply();
    emit generatingChanged();
    emit tokensPerSecondChanged();
    m_engine.startReply(request);
}

void ReplyFlow::stop() {
    if (m_active) m_engine.stopReply(m_active->requestId);
}

void ReplyFlow::onTextAppended(qint64 requestId, const QString& text, double tokensPerSecond) {
    if (!m_active || m_active->requestId != requestId) return;
    endPrompt();
    m_active->text += text;
    m_tokensPerSecond = tokensPerSecond;
    if (shown(m_active->conversationId) && m_streamingRow >= 0) m_messages.appendText(m_streamingRow, text);
    emit tokensPerSecondChanged();
}

void ReplyFlow::onStateRebuilding(qint64 requestId, const QString& reason) {
    if (!m_active || m_active->requestId != requestId) return;
    m_rebuildNotice = tr("Rebuilding this conversation's model state from its transcript (%1).").arg(reason);
    emit notice(m_rebuildNotice);
}

void ReplyFlow::onPromptProgress(qint64 requestId, qint64 done, qint64 total) {
    if (!m_active || m_active->requestId != requestId) return;
    if (!m_promptClock.isValid()) {
        m_promptClock.start();
        m_promptFirstDone = done;
    }
    m_promptDone = done;
    m_promptTotal = total;
    emit promptProgressChanged();
}

double ReplyFlow::promptSecondsLeft() const {
    const qint64 read = m_promptDone - m_promptFirstDone;
    if (!m_promptClock.isValid() || read <= 0 || m_promptTotal <= m_promptDone) return -1;
    const double seconds = m_promptClock.elapsed() / 1000.0;
    return seconds * static_cast<double>(m_promptTotal - m_promptDone) / static_cast<double>(read);
}

void ReplyFlow::endPrompt() {
    if (!m_rebuildNotice.isEmpty()) emit noticeWithdrawn(std::exchange(m_rebuildNotice, QString()));
    if (m_promptTotal == 0 && !m_promptClock.isValid()) return;
    m_promptDone = m_promptTotal = m_promptFirstDone = 0;
    m_promptClock.invalidate();
    emit promptProgressChanged();
}

qint64 ReplyFlow::store(const FinishedReply& reply) {
    Q_ASSERT(!m_unsavedReply);  // a reply starts only once the one before it is saved
    ConversationStore& store = *m_data.store();
    const qint64 replyId = store.addReply(reply);
    if (replyId == 0) {
        m_unsavedReply = reply;
        m_saveRetryTimer.start();
        emit notice(tr("The reply could not be saved: %1. It stays here and will be saved as soon as the disk "
                       "allows.")
                        .arg(store.lastError()));
    }
    return replyId;
}

void ReplyFlow::onReplyFinished(const GenerationResult& result) {
    if (!m_active || m_active->requestId != result.requestId) return;
    const ActiveReply done = *m_active;
    endPrompt();
    m_active.reset();
    if (!result.stateSaveError.isEmpty()) {
        emit notice(tr("The conversation's state could not be saved (%1); it will be rebuilt when needed.")
                        .arg(result.stateSaveError));
    }
    qint64 replyId = 0;
    // Stopped before the user's turn was fed: there is no reply to store; the user message stays the leaf.
    if (m_data.store() && (result.stateKept || !result.replyTokens.isEmpty())) {
        FinishedReply reply;
        reply.conversationId = done.conversationId;
        reply.userMessageId = done.userMessageId;
        reply.userTokens = result.userTokens;
        reply.text = result.text;
        reply.tokens = result.replyTokens;
        reply.stopReason = result.stopReason;
        // The state is named even if its file could not be written: the engine keeps it in memory under that
        // name, so the next turn continues from there; after a restart the missing file is rebuilt.
        if (result.stateKept) {
            reply.stateFile = done.stateFileName;
            reply.modelFingerprint = result.modelFingerprint;
        }
        replyId = store(reply);
    }
    m_tokensPerSecond = result.tokensPerSecond;
    if (shown(done.conversationId)) show(done.conversationId);
    m_streamingRow = -1;
    m_conversations.conversationChanged(done.conversationId);
    emit tokensPerSecondChanged();
    emit generatingChanged();
    emit replyStored(done.conversationId, replyId);
}

void ReplyFlow::onReplyFailed(qint64 requestId, const QString& message) {
    if (!m_active || m_active->requestId != requestId) return;
    const qint64 conversation = m_active->conversationId;
    endPrompt();
    m_active.reset();
    m_streamingRow = -1;
    if (shown(conversation)) show(conversation);
    emit notice(tr("The reply failed: %1").arg(message));
    emit generatingChanged();
}
