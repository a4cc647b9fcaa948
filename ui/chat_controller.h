// chat_controller.h — ChatController: the GUI thread's side of the app. Owns the conversation store, the list
// models and the engine thread; turns user actions (send, stop, regenerate, edit, switch branch) into store
// writes and worker requests, and worker signals into model updates. QML sees only this object.
#pragma once

#include <QtQml/qqmlregistration.h>

#include <QObject>
#include <QPointer>
#include <QString>
#include <QThread>
#include <QTimer>
#include <QUrl>
#include <memory>
#include <optional>

#include "conversation_list_model.h"
#include "conversation_store.h"
#include "engine_worker.h"
#include "message_model.h"
#include "preferences.h"

class ChatController : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The controller is created by the application")

    Q_PROPERTY(ConversationListModel* conversations READ conversations CONSTANT)
    Q_PROPERTY(MessageModel* messages READ messages CONSTANT)
    Q_PROPERTY(Preferences* preferences READ preferences CONSTANT)
    Q_PROPERTY(qint64 currentConversationId READ currentConversationId NOTIFY currentConversationChanged)
    Q_PROPERTY(QString currentTitle READ currentTitle NOTIFY currentConversationChanged)
    Q_PROPERTY(QString currentSystemPrompt READ currentSystemPrompt NOTIFY currentConversationChanged)
    Q_PROPERTY(ModelStatus modelStatus READ modelStatus NOTIFY modelChanged)
    Q_PROPERTY(QString modelName READ modelName NOTIFY modelChanged)
    Q_PROPERTY(QString modelDetails READ modelDetails NOTIFY modelChanged)
    Q_PROPERTY(bool demoModel READ demoModel NOTIFY modelChanged)
    Q_PROPERTY(QString modelError READ modelError NOTIFY modelChanged)
    Q_PROPERTY(bool generating READ generating NOTIFY generatingChanged)
    Q_PROPERTY(qint64 generatingConversationId READ generatingConversationId NOTIFY generatingChanged)
    Q_PROPERTY(double tokensPerSecond READ tokensPerSecond NOTIFY statsChanged)
    Q_PROPERTY(qint64 conversationTokens READ conversationTokens NOTIFY statsChanged)
    Q_PROPERTY(qint64 stateBytesInMemory READ stateBytesInMemory NOTIFY modelChanged)
    Q_PROPERTY(qint64 stateBytesOnDisk READ stateBytesOnDisk NOTIFY statsChanged)
    Q_PROPERTY(QString notice READ notice NOTIFY noticeChanged)
    Q_PROPERTY(QString storageError READ storageError CONSTANT)
    Q_PROPERTY(bool canUndoDelete READ canUndoDelete NOTIFY undoChanged)

  public:
    enum class ModelStatus { None, Loading, Ready, Failed };
    Q_ENUM(ModelStatus)

    // `dataDirectory` holds conversations.sqlite3 and states/; `settings` backs the preferences.
    ChatController(const QString& dataDirectory, QSettings* settings, QObject* parent = nullptr);
    ~ChatController() override;

    ConversationListModel* conversations() { return &m_conversations; }
    MessageModel* messages() { return &m_messages; }
    Preferences* preferences() { return &m_preferences; }
    qint64 currentConversationId() const { return m_currentConversation; }
    QString currentTitle() const;
    QString currentSystemPrompt() const;
    ModelStatus modelStatus() const { return m_modelStatus; }
    QString modelName() const { return m_modelInfo.name; }
    QString modelDetails() const;
    // True while the built-in demo model (resources/demo-model) is the loaded one.
    bool demoModel() const { return m_demoModel; }
    // The demo model's folder, or "" if it is not installed.
    static QString demoModelDirectory();
    QString modelError() const { return m_modelError; }
    bool generating() const { return m_active.has_value(); }
    qint64 generatingConversationId() const { return m_active ? m_active->conversationId : 0; }
    double tokensPerSecond() const { return m_tokensPerSecond; }
    qint64 conversationTokens() const { return m_conversationTokens; }
    qint64 stateBytesInMemory() const { return m_modelInfo.stateBytes; }
    qint64 stateBytesOnDisk() const { return m_stateBytesOnDisk; }
    QString notice() const { return m_notice; }
    QString storageError() const { return m_storageError; }
    bool canUndoDelete() const { return m_lastDeleted != 0; }
    // For tests: the worker, to count prefilled tokens.
    EngineWorker* worker() const { return m_worker; }

    // Takes over what the engine thread handed off with a queued call (thread_handoff.h), then delivers it.
    bool event(QEvent* event) override;

    Q_INVOKABLE void loadModel(const QString& directory);
    Q_INVOKABLE void loadModelUrl(const QUrl& folder);
    Q_INVOKABLE void newConversation();
    Q_INVOKABLE void openConversation(qint64 id);
    Q_INVOKABLE void renameConversation(qint64 id, const QString& title);
    Q_INVOKABLE void deleteConversation(qint64 id);
    Q_INVOKABLE void undoDelete();
    Q_INVOKABLE void setSystemPrompt(const QString& text);
    // False if the message was not taken (nothing to send, a reply running, nothing can be saved): the composer then
    // keeps the text.
    Q_INVOKABLE bool send(const QString& text);
    Q_INVOKABLE void stop();
    Q_INVOKABLE void regenerate();
    Q_INVOKABLE void editMessage(int row, const QString& text);
    Q_INVOKABLE void switchAlternative(int row, int delta);
    Q_INVOKABLE void copyMessage(int row);
    Q_INVOKABLE void copyCode(int row);
    Q_INVOKABLE bool exportConversation(const QUrl& file);
    Q_INVOKABLE void dismissNotice();
    // Model text made safe for Qt's Markdown renderer (no HTML, no remote images).
    Q_INVOKABLE QString renderableMarkdown(const QString& content) const;
    // False for a message too long to render as Markdown quickly: the view shows it as plain text.
    Q_INVOKABLE bool rendersAsMarkdown(const QString& content) const;
    // Opens http(s) and mailto links in the user's browser; anything else is ignored.
    Q_INVOKABLE void openLink(const QString& link) const;
    // "14.0 KiB", "33.6 MiB": sizes as the user's locale writes them.
    Q_INVOKABLE QString formatBytes(qint64 bytes) const;
    // After a language change: announces again the texts built with tr() when read (the model details, the
    // conversation list's dates), so that QML shows them in the new language.
    void retranslate();

  signals:
    void currentConversationChanged();
    void modelChanged();
    void generatingChanged();
    void statsChanged();
    void noticeChanged();
    void undoChanged();
    // Emitted when a reply is complete and stored (tests wait for it).
    void replyStored(qint64 conversationId, qint64 messageId);

    // To the worker (queued).
    void requestLoadModel(const QString& directory, int threads);
    void requestGenerate(const GenerationRequest& request);
    void requestThreads(int threads);
    void requestFastPrefill(bool fast);

  private:
    // A generation in flight: where its reply goes.
    struct ActiveGeneration {
        qint64 requestId = 0;
        qint64 conversationId = 0;
        qint64 userMessageId = 0;
        QString text;  // the reply so far, to show it again if the user comes back to this conversation
    };

    void startGeneration(qint64 userMessageId, const QString& userText);
    void onModelLoaded(const LoadedModelInfo& info);
    void onModelLoadFailed(const QString& directory, const QString& message);
    void onTextAppended(qint64 requestId, const QString& text, double tokensPerSecond);
    void onStateRebuilding(qint64 requestId, const QString& reason);
    void onGenerationFinished(const GenerationResult& result);
    void onGenerationFailed(qint64 requestId, const QString& message);
    void showConversation(qint64 id);
    // Loads `conversationId`'s current path into the message view, with the unsaved reply if it is this one's.
    void showMessages(qint64 conversationId);
    // Writes the unsaved reply again; true when there is none left. Before any new write: a turn must not be stored
    // before the reply it follows.
    bool saveUnsavedReply();
    // saveUnsavedReply(), telling the user why nothing new can be stored when it fails.
    bool ensureSaved();
    void updateStats();
    void setNotice(const QString& text);
    QVector<qint32> historyUpTo(qint64 messageId) const;
    QString stateDirectory() const;

    QString m_dataDirectory;
    Preferences m_preferences;
    std::optional<ConversationStore> m_store;
    QString m_storageError;
    ConversationListModel m_conversations;
    MessageModel m_messages;
    QThread m_engineThread;
    EngineWorker* m_worker = nullptr;  // lives on m_engineThread; deleted by the destructor once it has finished

    qint64 m_currentConversation = 0;
    qint64 m_lastDeleted = 0;
    ModelStatus m_modelStatus = ModelStatus::None;
    LoadedModelInfo m_modelInfo;
    QString m_modelError;
    bool m_demoModel = false;
    std::optional<ActiveGeneration> m_active;
    // The reply the database refused (disk full, read-only folder): shown, kept here, and written again by
    // m_saveRetryTimer and before the next write. At most one: no generation starts while it waits.
    struct UnsavedReply {
        qint64 requestId = 0;  // to name the reply's cached state once it has an id
        FinishedReply reply;
    };
    std::optional<UnsavedReply> m_unsavedReply;
    QTimer m_saveRetryTimer;
    qint64 m_nextRequestId = 1;
    int m_streamingRow = -1;
    int m_appliedThreads = 0;
    bool m_appliedFastPrefill = true;
    double m_tokensPerSecond = 0;
    qint64 m_conversationTokens = 0;
    qint64 m_stateBytesOnDisk = 0;
    QString m_notice;
};
