// chat_controller.cpp — ChatController: set-up, the model, conversations (open, rename, delete, undo), copy and
// export. The generation flow (send, regenerate, edit, worker results) is in chat_generation.cpp.
#include "chat_controller.h"

#include <QClipboard>
#include <QCoreApplication>
#include <QDateTime>
#include <QDesktopServices>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QGuiApplication>
#include <QLocale>
#include <QSaveFile>
#include <QSet>

#include "demo_model.h"
#include "markdown_text.h"
#include "thread_handoff.h"

namespace {

// Renames a damaged database to <name>.corrupt-<UTC time>, with its WAL and shared-memory files (they belong to it:
// left behind, SQLite would replay that WAL into the new database). Returns the new name, or "" if any rename
// failed, in which case nothing more is touched.
QString setAsideDamagedDatabase(const QString& path) {
    const QString aside = path + QStringLiteral(".corrupt-") +
                          QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd-HHmmss-zzz"));
    for (const QString& suffix : {QStringLiteral("-wal"), QStringLiteral("-shm")}) {
        if (QFile::exists(path + suffix) && !QFile::rename(path + suffix, aside + suffix)) return {};
    }
    return QFile::rename(path, aside) ? aside : QString();
}

// State files no message names any more (their conversation was deleted and purged, the app was killed between
// saving a state and storing its reply) and the temporary files of saves killed half way: nothing will read them.
// Runs at start, before any generation, so no save is in flight; the single-instance lock keeps other copies out.
void removeOrphanStateFiles(const QString& directory, const ConversationStore& store) {
    const std::optional<QStringList> referenced = store.referencedStateFiles();
    if (!referenced) return;
    const QSet<QString> keep(referenced->begin(), referenced->end());
    QDir states(directory);
    const QStringList candidates =
        states.entryList({QStringLiteral("*.rgstate"), QStringLiteral("*.rgstate.tmp-*")}, QDir::Files | QDir::Hidden);
    for (const QString& name : candidates) {
        if (!keep.contains(name)) QFile::remove(states.filePath(name));
    }
}

}  // namespace

ChatController::ChatController(const QString& dataDirectory, QSettings* settings, QObject* parent)
    : QObject(parent), m_dataDirectory(dataDirectory), m_preferences(settings) {
    registerEngineWorkerTypes();
    QDir().mkpath(stateDirectory());
    const QString databasePath = QDir(dataDirectory).filePath(QStringLiteral("conversations.sqlite3"));
    const QString connection = QStringLiteral("chat-%1").arg(reinterpret_cast<quintptr>(this));
    QString error;
    ConversationStore::OpenError reason = ConversationStore::OpenError::None;
    m_store = ConversationStore::open(databasePath, connection, &error, &reason);
    if (!m_store &&
        (reason == ConversationStore::OpenError::NotADatabase || reason == ConversationStore::OpenError::Corrupt)) {
        // Damaged: kept aside (never deleted, never overwritten), and a new database started so the app works.
        const QString aside = setAsideDamagedDatabase(databasePath);
        if (!aside.isEmpty()) {
            const QString damage = error;
            m_store = ConversationStore::open(databasePath, connection, &error, &reason);
            if (m_store) {
                m_notice = tr("Your conversations could not be read (%1). The damaged file was kept as %2 and a new, "
                              "empty one was started.")
                               .arg(damage, QDir::toNativeSeparators(aside));
            }
        }
    }
    if (!m_store) {
        m_storageError = tr("Your conversations could not be opened: %1. The file was left untouched; nothing "
                            "will be saved until this is resolved.")
                             .arg(error);
    } else {
        m_store->purgeDeleted();  // an undo is only offered within a session
        // Not after a damaged database was set aside: its messages still name their states.
        if (m_notice.isEmpty()) removeOrphanStateFiles(stateDirectory(), *m_store);
        m_conversations.setStore(&*m_store);
    }

    m_worker = new EngineWorker;
    m_worker->moveToThread(&m_engineThread);
    // The engine thread's last act, seen by the wait() in the destructor (thread_handoff.h).
    connect(&m_engineThread, &QThread::finished, [] { handOff(); });
    connect(this, &ChatController::requestLoadModel, m_worker, &EngineWorker::loadModel);
    connect(this, &ChatController::requestGenerate, m_worker, &EngineWorker::generate);
    connect(this, &ChatController::requestThreads, m_worker, &EngineWorker::setThreads);
    connect(this, &ChatController::requestFastPrefill, m_worker, &EngineWorker::setFastPrefill);
    connect(m_worker, &EngineWorker::modelLoaded, this, &ChatController::onModelLoaded);
    connect(m_worker, &EngineWorker::modelLoadFailed, this, &ChatController::onModelLoadFailed);
    connect(m_worker, &EngineWorker::textAppended, this, &ChatController::onTextAppended);
    connect(m_worker, &EngineWorker::stateRebuilding, this, &ChatController::onStateRebuilding);
    connect(m_worker, &EngineWorker::generationFinished, this, &ChatController::onGenerationFinished);
    connect(m_worker, &EngineWorker::generationFailed, this, &ChatController::onGenerationFailed);
    m_engineThread.setObjectName(QStringLiteral("engine"));
    m_engineThread.start();

    connect(&m_preferences, &Preferences::changed, this, [this] {
        if (m_preferences.threads() != m_appliedThreads) {
            m_appliedThreads = m_preferences.threads();
            handOff();
            emit requestThreads(m_appliedThreads);
        }
        if (m_preferences.fastPrefill() != m_appliedFastPrefill) {
            m_appliedFastPrefill = m_preferences.fastPrefill();
            handOff();
            emit requestFastPrefill(m_appliedFastPrefill);
        }
    });
    m_appliedThreads = m_preferences.threads();
    m_appliedFastPrefill = m_preferences.fastPrefill();
    handOff();
    emit requestFastPrefill(m_appliedFastPrefill);

    m_saveRetryTimer.setInterval(5000);
    connect(&m_saveRetryTimer, &QTimer::timeout, this, &ChatController::saveUnsavedReply);
}

ChatController::~ChatController() {
    // Stop a running generation at its next token, then let the engine thread finish its event loop.
    m_worker->requestStop(m_active ? m_active->requestId : 0);
    m_engineThread.quit();
    m_engineThread.wait();
    takeOver();  // everything the engine thread did
    // Deleted here, its thread finished: QObject's destructor then disconnects from this object on this thread.
    delete m_worker;
    m_worker = nullptr;
    // The stopped generation's result is queued to this thread: store it now, so that closing the window while a
    // reply streams keeps the reply so far (and its state file) like Stop does.
    if (m_active) QCoreApplication::sendPostedEvents(this, QEvent::MetaCall);
    if (m_store && !saveUnsavedReply()) {
        qWarning("recurrent-chat: a reply could not be saved: %s", qPrintable(m_store->lastError()));
    }
}

bool ChatController::event(QEvent* event) {
    takeOver();  // a queued call from the engine thread: its arguments were handed off before it was posted
    return QObject::event(event);
}

QString ChatController::stateDirectory() const { return QDir(m_dataDirectory).filePath(QStringLiteral("states")); }

QString ChatController::currentTitle() const {
    if (!m_store || m_currentConversation == 0) return {};
    const auto summary = m_store->conversation(m_currentConversation);
    return summary ? summary->title : QString();
}

QString ChatController::currentSystemPrompt() const {
    if (!m_store || m_currentConversation == 0) return {};
    const auto summary = m_store->conversation(m_currentConversation);
    return summary ? summary->systemPrompt : QString();
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

QString ChatController::formatBytes(qint64 bytes) const { return QLocale().formattedDataSize(bytes); }

void ChatController::retranslate() {
    emit modelChanged();
    m_conversations.retranslate();
}

void ChatController::loadModel(const QString& directory) {
    if (directory.isEmpty()) return;
    if (m_active) stop();
    m_modelStatus = ModelStatus::Loading;
    m_modelError.clear();
    emit modelChanged();
    handOff();
    emit requestLoadModel(directory, m_preferences.threads());
}

void ChatController::loadModelUrl(const QUrl& folder) { loadModel(folder.toLocalFile()); }

QString ChatController::demoModelDirectory() {
    const auto demo = rgemma::findDemoModel();
    return demo ? QString::fromStdString(demo->string()) : QString();
}

void ChatController::onModelLoaded(const LoadedModelInfo& info) {
    m_modelInfo = info;
    m_modelStatus = ModelStatus::Ready;
    const QString demo = demoModelDirectory();
    m_demoModel =
        !demo.isEmpty() && QFileInfo(demo).canonicalFilePath() == QFileInfo(info.directory).canonicalFilePath();
    // The demo is the default, not a choice: remembering its path would pin an old copy after an upgrade.
    m_preferences.setModelDirectory(m_demoModel ? QString() : info.directory);
    emit modelChanged();
}

void ChatController::onModelLoadFailed(const QString& directory, const QString& message) {
    m_modelStatus = ModelStatus::Failed;
    m_modelError = tr("%1: %2").arg(QDir::toNativeSeparators(directory), message);
    emit modelChanged();
}

void ChatController::newConversation() {
    m_currentConversation = 0;
    m_messages.clear();
    m_streamingRow = -1;
    updateStats();
    emit currentConversationChanged();
}

void ChatController::openConversation(qint64 id) {
    if (!m_store || !m_store->conversation(id)) return;
    showConversation(id);
}

void ChatController::showConversation(qint64 id) {
    m_currentConversation = id;
    showMessages(id);
    m_streamingRow = -1;
    // Coming back to the conversation that is still replying: show the reply so far and keep streaming into it.
    if (m_active && m_active->conversationId == id) {
        m_streamingRow = m_messages.appendStreamingReply();
        m_messages.appendText(m_streamingRow, m_active->text);
    }
    updateStats();
    emit currentConversationChanged();
}

void ChatController::renameConversation(qint64 id, const QString& title) {
    if (!m_store || title.trimmed().isEmpty()) return;
    if (!m_store->renameConversation(id, title.trimmed())) {
        setNotice(tr("The chat could not be renamed: %1").arg(m_store->lastError()));
        return;
    }
    m_conversations.conversationChanged(id);
    if (id == m_currentConversation) emit currentConversationChanged();
}

void ChatController::deleteConversation(qint64 id) {
    if (!m_store) return;
    if (m_active && m_active->conversationId == id) stop();
    if (!m_store->deleteConversation(id)) {
        setNotice(tr("The chat could not be deleted: %1").arg(m_store->lastError()));
        return;
    }
    m_lastDeleted = id;
    emit undoChanged();
    m_conversations.conversationChanged(id);
    if (id == m_currentConversation) newConversation();
}

void ChatController::undoDelete() {
    if (!m_store || m_lastDeleted == 0) return;
    if (!m_store->restoreConversation(m_lastDeleted)) {
        setNotice(tr("The chat could not be restored: %1").arg(m_store->lastError()));
    }
    m_conversations.conversationChanged(m_lastDeleted);
    m_lastDeleted = 0;
    emit undoChanged();
}

void ChatController::setSystemPrompt(const QString& text) {
    if (!m_store) return;
    if (m_currentConversation == 0) {
        if (text.trimmed().isEmpty()) return;
        m_currentConversation = m_store->createConversation(QString());
        m_conversations.conversationChanged(m_currentConversation);
    }
    if (!m_store->setSystemPrompt(m_currentConversation, text)) {
        setNotice(tr("The system prompt could not be saved: %1").arg(m_store->lastError()));
    }
    emit currentConversationChanged();
}

void ChatController::copyMessage(int row) { QGuiApplication::clipboard()->setText(m_messages.contentAt(row)); }

void ChatController::copyCode(int row) {
    const QString code = codeBlocks(m_messages.contentAt(row));
    QGuiApplication::clipboard()->setText(code.isEmpty() ? m_messages.contentAt(row) : code);
}

QString ChatController::renderableMarkdown(const QString& content) const { return ::renderableMarkdown(content); }

bool ChatController::rendersAsMarkdown(const QString& content) const { return ::rendersAsMarkdown(content); }

void ChatController::openLink(const QString& link) const {
    const QUrl url(link);
    if (url.scheme() == u"https" || url.scheme() == u"http" || url.scheme() == u"mailto") {
        QDesktopServices::openUrl(url);
    }
}

bool ChatController::exportConversation(const QUrl& file) {
    if (!m_store || m_currentConversation == 0) return false;
    QString text = QStringLiteral("# %1\n\n").arg(currentTitle());
    for (const StoredMessage& message : m_store->currentPath(m_currentConversation)) {
        text += (message.role == MessageRole::User ? tr("**You:**") : tr("**Model:**")) + QStringLiteral("\n\n") +
                message.content + QStringLiteral("\n\n");
    }
    QSaveFile out(file.isLocalFile() ? file.toLocalFile() : file.toString());
    if (!out.open(QIODevice::WriteOnly) || out.write(text.toUtf8()) < 0 || !out.commit()) {
        setNotice(tr("The chat could not be exported: %1").arg(out.errorString()));
        return false;
    }
    return true;
}

void ChatController::setNotice(const QString& text) {
    m_notice = text;
    emit noticeChanged();
}

void ChatController::dismissNotice() { setNotice(QString()); }

void ChatController::updateStats() {
    m_conversationTokens = 0;
    m_stateBytesOnDisk = 0;
    if (m_store && m_currentConversation != 0) {
        const QList<StoredMessage> path = m_store->currentPath(m_currentConversation);
        for (const StoredMessage& message : path) m_conversationTokens += message.tokens.size();
        for (auto it = path.crbegin(); it != path.crend(); ++it) {
            if (!it->stateFile.isEmpty()) {
                m_stateBytesOnDisk = QFileInfo(QDir(stateDirectory()).filePath(it->stateFile)).size();
                break;
            }
        }
    }
    emit statsChanged();
}
