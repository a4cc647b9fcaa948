// chat_controller.cpp — ChatController: the wiring of its parts, the model's status, and the conversations
// themselves (open, rename, delete and undo, system prompt, statistics). Export and import:
// chat_controller_transfer.cpp.
#include "chat_controller.h"

#include <QDesktopServices>
#include <QDir>
#include <QFileInfo>
#include <QLocale>

#include "chat_commands.h"
#include "demo_model.h"
#include "thread_job.h"

ChatController::ChatController(const QString& dataDirectory, QSettings* settings, ChatEngine& engine, QObject* parent)
    : QObject(parent),
      m_preferences(settings),
      m_models(dataDirectory, settings, &m_preferences),
      m_data(dataDirectory),
      m_engine(engine),
      m_replies(engine, m_data, m_messages, m_conversations, m_preferences),
      m_server(m_preferences, engine, QDir(dataDirectory).filePath(QStringLiteral("server-states"))) {
    if (m_data.store()) m_conversations.setStore(m_data.store());

    connect(&engine, &ChatEngine::modelLoaded, this, &ChatController::onModelLoaded);
    connect(&engine, &ChatEngine::modelLoadFailed, this, &ChatController::onModelLoadFailed);
    connect(&m_replies, &ReplyFlow::generatingChanged, this, &ChatController::generatingChanged);
    connect(&m_replies, &ReplyFlow::tokensPerSecondChanged, this, &ChatController::statsChanged);
    connect(&m_replies, &ReplyFlow::notice, this, &ChatController::setNotice);
    connect(&m_replies, &ReplyFlow::noticeWithdrawn, this, [this](const QString& text) {
        if (m_notice == text) setNotice(QString());
    });
    connect(&m_replies, &ReplyFlow::promptProgressChanged, this, &ChatController::promptProgressChanged);
    connect(&m_replies, &ReplyFlow::conversationCreated, this, [this](qint64 id) {
        m_currentConversation = id;
        emit currentConversationChanged();
    });
    connect(&m_replies, &ReplyFlow::replyStored, this, [this](qint64 conversationId, qint64 messageId) {
        updateStats();
        emit replyStored(conversationId, messageId);
    });
    connect(&m_preferences, &Preferences::threadsChanged, this,
            [this] { m_engine.setThreads(m_preferences.threads()); });
    connect(&m_preferences, &Preferences::fastPrefillChanged, this,
            [this] { m_engine.setFastPrefill(m_preferences.fastPrefill()); });
    engine.setThreads(m_preferences.threads());
    engine.setFastPrefill(m_preferences.fastPrefill());
}

ChatController::~ChatController() {
    // Every reply ends now: the one streaming is stored with what it said so far, like Stop does.
    m_engine.shutDown();
    if (m_data.store() && !m_replies.saveUnsavedReply()) {
        qWarning("recurrent-chat: a reply could not be saved: %s", qPrintable(m_data.store()->lastError()));
    }
}

QString ChatController::currentTitle() const {
    if (!m_data.store() || m_currentConversation == 0) return {};
    const auto summary = m_data.store()->conversation(m_currentConversation);
    return summary ? summary->title : QString();
}

QString ChatController::currentSystemPrompt() const {
    if (!m_data.store() || m_currentConversation == 0) return {};
    const auto summary = m_data.store()->conversation(m_currentConversation);
    return summary ? summary->systemPrompt : QString();
}

QString ChatController::modelTitle() const {
    switch (m_modelStatus) {
        case ModelStatus::Ready:
            return m_demoModel ? tr("Demo model") : m_modelInfo.name;
        case ModelStatus::Loading:
            return tr("Loading model…");
        case ModelStatus::Failed:
            return tr("The model could not be loaded");
        case ModelStatus::None:
            break;
    }
    return tr("No model loaded");
}

QString ChatController::modelSubtitle() const {
    switch (m_modelStatus) {
        case ModelStatus::Failed:
            return m_modelError;
        case ModelStatus::Ready:
            if (!m_demoModel) return modelDetails();
            return tr(
                "A tiny demo model trained by this project: it adds two numbers, defines words (often wrongly) "
                "and tells fortunes. For real answers, download RecurrentGemma from Hugging Face and use Open "
                "model.");
        case ModelStatus::None:
        case ModelStatus::Loading:
            break;
    }
    return tr("Choose a Hugging Face RecurrentGemma folder (config.json, *.safetensors, tokenizer.model).");
}

QString ChatController::modelDetails() const {
    const QLocale locale;
    const double parameters = double(m_modelInfo.parameterCount);
    const QString count = parameters >= 1e9
                              ? tr("%1 billion parameters").arg(locale.toString(parameters / 1e9, 'f', 2))
                              : tr("%1 million parameters").arg(locale.toString(parameters / 1e6, 'f', 2));
    return tr("%1, %2, %3 on disk, state %4")
        .arg(count, m_modelInfo.dtype, locale.formattedDataSize(m_modelInfo.weightBytes),
             locale.formattedDataSize(m_modelInfo.stateBytes));
}

void ChatController::retranslate() {
    emit modelChanged();
    emit databaseNoticeChanged();
    m_conversations.retranslate();
    m_models.retranslate();
}

void ChatController::setModelStatus(ModelStatus status) {
    m_modelStatus = status;
    m_replies.setModelReady(status == ModelStatus::Ready);
    emit modelChanged();
}

void ChatController::loadModel(const QString& directory) {
    if (directory.isEmpty()) return;
    stop();
    m_modelError.clear();
    setModelStatus(ModelStatus::Loading);
    m_engine.loadModel(directory);
}

void ChatController::loadModelUrl(const QUrl& folder) { loadModel(folder.toLocalFile()); }

void ChatController::useDemoModel() { loadModel(demoModelDirectory()); }

QString ChatController::demoModelDirectory() {
    const auto demo = rgemma::findDemoModel();
    return demo ? QString::fromStdString(demo->string()) : QString();
}

bool ChatController::canUseDemoModel() const {
    return !demoModelDirectory().isEmpty() && !(m_modelLoaded && m_demoModel);
}

void ChatController::onModelLoaded(const LoadedModelInfo& info) {
    m_modelInfo = info;
    m_modelLoaded = true;
    m_lastLoadFailed = false;
    const QString demo = demoModelDirectory();
    m_demoModel =
        !demo.isEmpty() && QFileInfo(demo).canonicalFilePath() == QFileInfo(info.directory).canonicalFilePath();
    // The demo is the default, not a choice: remembering its path would pin an old copy after an upgrade.
    m_preferences.setModelDirectory(m_demoModel ? QString() : info.directory);
    if (!m_loadFailureNotice.isEmpty() && m_notice == m_loadFailureNotice) setNotice(QString());
    m_loadFailureNotice.clear();
    setModelStatus(ModelStatus::Ready);
}

// The engine keeps the model it had when a load fails (ChatEngine::loadModel): the window stays usable with it,
// and the banner says why the new one was refused.
void ChatController::onModelLoadFailed(const QString& directory, const QString& message) {
    m_lastLoadFailed = true;
    m_modelError = tr("%1: %2").arg(QDir::toNativeSeparators(directory), message);
    if (!m_modelLoaded) {
        setModelStatus(ModelStatus::Failed);
        return;
    }
    setModelStatus(ModelStatus::Ready);
    m_loadFailureNotice = tr("The model in %1 could not be loaded, so %2 stays in use. %3")
                              .arg(QDir::toNativeSeparators(directory), modelTitle(), message);
    setNotice(m_loadFailureNotice);
}

void ChatController::newConversation() {
    m_currentConversation = 0;
    m_messages.clear();
    updateStats();
    emit currentConversationChanged();
}

void ChatController::openConversation(qint64 id) {
    if (!m_data.store() || !m_data.store()->conversation(id)) return;
    showConversation(id);
}

void ChatController::showConversation(qint64 id) {
    m_currentConversation = id;
    m_replies.show(id);
    updateStats();
    emit currentConversationChanged();
}

void ChatController::renameConversation(qint64 id, const QString& title) {
    ConversationStore* store = m_data.store();
    if (!store || title.trimmed().isEmpty()) return;
    if (!store->renameConversation(id, title.trimmed())) {
        setNotice(tr("The chat could not be renamed: %1").arg(store->lastError()));
        return;
    }
    m_conversations.conversationChanged(id);
    if (id == m_currentConversation) emit currentConversationChanged();
}

void ChatController::deleteConversation(qint64 id) {
    ConversationStore* store = m_data.store();
    if (!store) return;
    if (m_replies.generatingConversationId() == id) stop();
    if (!store->deleteConversation(id)) {
        setNotice(tr("The chat could not be deleted: %1").arg(store->lastError()));
        return;
    }
    m_lastDeleted = id;
    emit undoChanged();
    m_conversations.conversationChanged(id);
    if (id == m_currentConversation) newConversation();
}

void ChatController::undoDelete() {
    ConversationStore* store = m_data.store();
    if (!store || m_lastDeleted == 0) return;
    if (!store->restoreConversation(m_lastDeleted)) {
        setNotice(tr("The chat could not be restored: %1").arg(store->lastError()));
    }
    m_conversations.conversationChanged(m_lastDeleted);
    m_lastDeleted = 0;
    emit undoChanged();
}

void ChatController::setSystemPrompt(const QString& text) {
    ConversationStore* store = m_data.store();
    if (!store) return;
    if (m_currentConversation == 0) {
        if (text.trimmed().isEmpty()) return;
        m_currentConversation = store->createConversation(QString());
        m_conversations.conversationChanged(m_currentConversation);
    }
    if (!store->setSystemPrompt(m_currentConversation, text)) {
        setNotice(tr("The system prompt could not be saved: %1").arg(store->lastError()));
    }
    emit currentConversationChanged();
}

bool ChatController::send(const QString& text) { return m_replies.send(m_currentConversation, text); }

void ChatController::stop() { m_replies.stop(); }

void ChatController::regenerate() { m_replies.regenerate(m_currentConversation); }

void ChatController::editMessage(qint64 messageId, const QString& text) { m_replies.edit(messageId, text); }

void ChatController::switchAlternative(qint64 messageId, int delta) {
    if (m_replies.switchAlternative(messageId, delta)) updateStats();
}

QByteArray ChatController::answerChatCommand(const QByteArray& request) {
    qint64 imported = 0;
    const QString fingerprint = m_modelStatus == ModelStatus::Ready ? m_modelInfo.fingerprint : QString();
    const QByteArray answer = ChatCommands::answer(request, m_data, fingerprint, &imported);
    if (imported != 0) m_conversations.conversationChanged(imported);
    return answer;
}

void ChatController::setNotice(const QString& text) {
    m_notice = text;
    emit noticeChanged();
}

void ChatController::dismissNotice() { setNotice(QString()); }

void ChatController::showKeptDatabase() {
    if (keptDatabaseFile().isEmpty()) return;
    QDesktopServices::openUrl(QUrl::fromLocalFile(QFileInfo(keptDatabaseFile()).absolutePath()));
}

void ChatController::updateStats() {
    m_conversationTokens = 0;
    m_stateBytesOnDisk = 0;
    if (m_data.store() && m_currentConversation != 0) {
        const QList<StoredMessage> path = m_data.store()->currentPath(m_currentConversation);
        for (const StoredMessage& message : path) m_conversationTokens += message.tokens.size();
        for (auto it = path.crbegin(); it != path.crend(); ++it) {
            if (!it->stateFile.isEmpty()) {
                m_stateBytesOnDisk = QFileInfo(m_data.statePath(it->stateFile)).size();
                break;
            }
        }
    }
    emit statsChanged();
}
