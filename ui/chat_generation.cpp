// chat_generation.cpp — ChatController's generation flow: send, regenerate, edit and switch branches, turning
// each into a store write plus one worker request, and storing the worker's results.
#include <QDir>
#include <QFile>
#include <QUuid>

#include "chat_controller.h"
#include "thread_handoff.h"

namespace {

// A new conversation is titled by its first words.
QString titleFrom(const QString& text) {
    QString title = text.simplified();
    if (title.size() > 48) title = title.left(47).trimmed() + u'…';
    return title;
}

// The text as it is stored and fed to the model: lone surrogates (which only a QString can hold) become U+FFFD, as
// they would on the way to UTF-8 anyway; stored as they are, SQLite would pair them with their neighbours.
QString storableText(const QString& text) { return QString::fromUtf8(text.toUtf8()).trimmed(); }

}  // namespace

QVector<qint32> ChatController::historyUpTo(qint64 messageId) const {
    QVector<qint32> tokens;
    if (messageId == 0) return tokens;
    // The path of the branch that ends at messageId: walk up from it.
    QList<StoredMessage> chain;
    for (qint64 id = messageId; id != 0;) {
        const auto message = m_store->message(id);
        if (!message) break;
        chain.prepend(*message);
        id = message->parentId;
    }
    for (const StoredMessage& message : chain) tokens += message.tokens;
    return tokens;
}

void ChatController::showMessages(qint64 conversationId) {
    std::optional<StoredMessage> unsaved;
    if (m_unsavedReply) {
        unsaved.emplace();
        unsaved->conversationId = m_unsavedReply->reply.conversationId;
        unsaved->parentId = m_unsavedReply->reply.userMessageId;
        unsaved->role = MessageRole::Model;
        unsaved->content = m_unsavedReply->reply.text;
        unsaved->tokens = m_unsavedReply->reply.tokens;
        unsaved->stopReason = m_unsavedReply->reply.stopReason;
    }
    m_messages.load(m_store ? &*m_store : nullptr, conversationId, unsaved);
}

bool ChatController::saveUnsavedReply() {
    if (!m_store || !m_unsavedReply) return true;
    const UnsavedReply pending = *m_unsavedReply;
    const qint64 replyId = m_store->addReply(pending.reply);
    // Refused again: try later. Unless its user message is gone for good: then there is nothing to attach it to.
    if (replyId == 0 && m_store->message(pending.reply.userMessageId)) return false;
    m_unsavedReply.reset();
    m_saveRetryTimer.stop();
    if (replyId == 0) return true;
    if (m_worker) m_worker->bindState(pending.requestId, replyId);
    if (m_currentConversation == pending.reply.conversationId) showMessages(m_currentConversation);
    m_conversations.conversationChanged(pending.reply.conversationId);
    setNotice(tr("The reply that could not be saved is saved now."));
    return true;
}

bool ChatController::ensureSaved() {
    if (saveUnsavedReply()) return true;
    setNotice(tr("Nothing can be saved right now: %1. The conversation stays as it is here; free some disk space or "
                 "make the data folder writable, and the reply that is not saved yet will be saved.")
                  .arg(m_store->lastError()));
    return false;
}

bool ChatController::send(const QString& text) {
    const QString message = storableText(text);
    if (message.isEmpty() || m_active) return false;
    if (!m_store) {
        setNotice(m_storageError);
        return false;
    }
    if (m_modelStatus != ModelStatus::Ready) {
        setNotice(tr("Open a model first."));
        return false;
    }
    if (!ensureSaved()) return false;
    if (m_currentConversation == 0) {
        m_currentConversation = m_store->createConversation(titleFrom(message));
        if (m_currentConversation == 0) {
            setNotice(tr("The chat could not be saved: %1").arg(m_store->lastError()));
            return false;
        }
        emit currentConversationChanged();
    } else if (currentTitle().isEmpty()) {
        m_store->renameConversation(m_currentConversation, titleFrom(message));
    }
    const QList<StoredMessage> path = m_store->currentPath(m_currentConversation);
    if (!path.isEmpty() && path.last().role == MessageRole::User) {
        setNotice(tr("The last message has no reply yet: use Reply, or edit it."));
        return false;
    }
    const qint64 parent = path.isEmpty() ? 0 : path.last().id;
    // The user's words are stored before anything else happens, so they are never lost.
    const qint64 userId = m_store->addMessage(m_currentConversation, parent, MessageRole::User, message, {});
    if (userId == 0) {
        setNotice(tr("The message could not be saved: %1").arg(m_store->lastError()));
        return false;
    }
    showMessages(m_currentConversation);
    m_conversations.conversationChanged(m_currentConversation);
    startGeneration(userId, message);
    return true;
}

void ChatController::regenerate() {
    if (m_active || !m_store || m_currentConversation == 0 || m_modelStatus != ModelStatus::Ready) return;
    if (!ensureSaved()) return;
    const QList<StoredMessage> path = m_store->currentPath(m_currentConversation);
    if (path.isEmpty()) return;
    // The reply to regenerate is the last one; a user message without a reply (a failed or stopped turn) gets one.
    const StoredMessage user = path.last().role == MessageRole::User ? path.last() : path.value(path.size() - 2);
    if (user.role != MessageRole::User || user.id == 0) return;
    // Show the user message as the leaf while the new alternative streams; the old reply stays in the store.
    m_store->selectBranch(user.id);
    showMessages(m_currentConversation);
    startGeneration(user.id, user.content);
}

void ChatController::editMessage(int row, const QString& text) {
    const QString message = storableText(text);
    if (m_active || !m_store || message.isEmpty() || m_modelStatus != ModelStatus::Ready) return;
    if (!ensureSaved()) return;
    const auto original = m_store->message(m_messages.messageIdAt(row));
    if (!original || original->role != MessageRole::User) return;
    // The edit is a sibling of the original: both branches stay reachable with the arrows.
    const qint64 userId =
        m_store->addMessage(original->conversationId, original->parentId, MessageRole::User, message, {});
    if (userId == 0) {
        setNotice(tr("The message could not be saved: %1").arg(m_store->lastError()));
        return;
    }
    showMessages(m_currentConversation);
    startGeneration(userId, message);
}

void ChatController::switchAlternative(int row, int delta) {
    if (m_active || !m_store) return;
    const qint64 id = m_messages.messageIdAt(row);
    const QList<qint64> siblings = m_store->siblings(id);
    const qsizetype target = siblings.indexOf(id) + delta;
    if (target < 0 || target >= siblings.size()) return;
    m_store->selectBranch(siblings[target]);
    showMessages(m_currentConversation);
    updateStats();
}

void ChatController::startGeneration(qint64 userMessageId, const QString& userText) {
    const auto user = m_store->message(userMessageId);
    Q_ASSERT(user);
    const auto parent = user->parentId != 0 ? m_store->message(user->parentId) : std::nullopt;

    GenerationRequest request;
    request.requestId = m_nextRequestId++;
    request.conversationId = user->conversationId;
    request.parentMessageId = user->parentId;
    request.firstTurn = user->parentId == 0;
    if (parent && !parent->stateFile.isEmpty()) {
        request.parentStateFile = QDir(stateDirectory()).filePath(parent->stateFile);
    }
    request.historyTokens = historyUpTo(user->parentId);
    const QString systemPrompt = m_store->conversation(user->conversationId)->systemPrompt.trimmed();
    // Gemma has no system role: the system prompt is prepended to the first user turn.
    request.userText =
        request.firstTurn && !systemPrompt.isEmpty() ? systemPrompt + QStringLiteral("\n\n") + userText : userText;
    request.sampling = m_preferences.samplerSettings();
    request.maxNewTokens = m_preferences.maxNewTokens();
    request.stateFileOut =
        QDir(stateDirectory())
            .filePath(QUuid::createUuid().toString(QUuid::WithoutBraces) + QStringLiteral(".rgstate"));

    m_active = ActiveGeneration{request.requestId, request.conversationId, userMessageId, {}};
    m_tokensPerSecond = 0;
    if (m_currentConversation == request.conversationId) m_streamingRow = m_messages.appendStreamingReply();
    emit generatingChanged();
    emit statsChanged();
    handOff();
    emit requestGenerate(request);
}

void ChatController::stop() {
    if (m_active) m_worker->requestStop(m_active->requestId);
}

void ChatController::onTextAppended(qint64 requestId, const QString& text, double tokensPerSecond) {
    if (!m_active || m_active->requestId != requestId) return;
    m_active->text += text;
    m_tokensPerSecond = tokensPerSecond;
    if (m_currentConversation == m_active->conversationId && m_streamingRow >= 0) {
        m_messages.appendText(m_streamingRow, text);
    }
    emit statsChanged();
}

void ChatController::onStateRebuilding(qint64 requestId, const QString& reason) {
    if (!m_active || m_active->requestId != requestId) return;
    setNotice(tr("Rebuilding this conversation's model state from its transcript (%1).").arg(reason));
}

void ChatController::onGenerationFinished(const GenerationResult& result) {
    if (!m_active || m_active->requestId != result.requestId) return;
    const ActiveGeneration done = *m_active;
    m_active.reset();
    qint64 replyId = 0;
    // Stopped before the user's turn was fed: there is no reply to store; the user message stays the leaf.
    const bool hasReply = result.stateKept || !result.replyTokens.isEmpty();
    if (!result.stateSaveError.isEmpty()) {
        setNotice(tr("The conversation's state could not be saved (%1); it will be rebuilt when needed.")
                      .arg(result.stateSaveError));
    }
    if (m_store && hasReply) {
        FinishedReply reply;
        reply.conversationId = done.conversationId;
        reply.userMessageId = done.userMessageId;
        reply.userTokens = result.userTokens;
        reply.text = result.text;
        reply.tokens = result.replyTokens;
        reply.stopReason = result.stopReason;
        if (!result.stateFile.isEmpty()) {
            reply.stateFile = QFileInfo(result.stateFile).fileName();
            reply.modelFingerprint = m_modelInfo.fingerprint;
        }
        Q_ASSERT(!m_unsavedReply);  // a generation starts only once the earlier reply is saved
        replyId = m_store->addReply(reply);
        if (replyId != 0) {
            if (m_worker) m_worker->bindState(result.requestId, replyId);  // null: the app is closing
        } else {
            m_unsavedReply = UnsavedReply{result.requestId, reply};
            m_saveRetryTimer.start();
            setNotice(tr("The reply could not be saved: %1. It stays here and will be saved as soon as the disk "
                         "allows.")
                          .arg(m_store->lastError()));
        }
    }
    m_tokensPerSecond = result.tokensPerSecond;
    if (m_currentConversation == done.conversationId) showMessages(done.conversationId);
    m_streamingRow = -1;
    m_conversations.conversationChanged(done.conversationId);
    updateStats();
    emit generatingChanged();
    emit replyStored(done.conversationId, replyId);
}

void ChatController::onGenerationFailed(qint64 requestId, const QString& message) {
    if (!m_active || m_active->requestId != requestId) return;
    const qint64 conversation = m_active->conversationId;
    m_active.reset();
    m_streamingRow = -1;
    if (m_currentConversation == conversation && m_store) showMessages(conversation);
    setNotice(tr("The reply failed: %1").arg(message));
    emit generatingChanged();
}
