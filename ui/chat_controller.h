// chat_controller.h — ChatController: what the window sees, and the wiring of the parts that do the work: the data
// folder (database, state files), the reply flow (send, stop, regenerate, edit), the engine it is given, the list
// models and the preferences. Itself it keeps only the conversation shown and the loaded model's status.
#pragma once

#include <QtQml/qqmlregistration.h>

#include <QObject>
#include <QString>
#include <QUrl>
#include <memory>

#include "chat_engine.h"
#include "chat_transfer.h"
#include "conversation_list_model.h"
#include "data_folder.h"
#include "local_server.h"
#include "message_model.h"
#include "model_list_model.h"
#include "preferences.h"
#include "reply_flow.h"

class ThreadJob;

class ChatController : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The controller is created by the application")

    Q_PROPERTY(ConversationListModel* conversations READ conversations CONSTANT)
    Q_PROPERTY(MessageModel* messages READ messages CONSTANT)
    Q_PROPERTY(Preferences* preferences READ preferences CONSTANT)
    Q_PROPERTY(LocalServer* server READ server CONSTANT)
    Q_PROPERTY(ModelListModel* models READ models CONSTANT)
    Q_PROPERTY(qint64 currentConversationId READ currentConversationId NOTIFY currentConversationChanged)
    Q_PROPERTY(QString currentTitle READ currentTitle NOTIFY currentConversationChanged)
    Q_PROPERTY(QString currentSystemPrompt READ currentSystemPrompt NOTIFY currentConversationChanged)
    Q_PROPERTY(ModelStatus modelStatus READ modelStatus NOTIFY modelChanged)
    Q_PROPERTY(QString modelTitle READ modelTitle NOTIFY modelChanged)
    Q_PROPERTY(QString modelSubtitle READ modelSubtitle NOTIFY modelChanged)
    // The demo model is installed and is not the loaded one; and the last load failed (the model before it, if
    // any, stays loaded): the model bar then offers the demo.
    Q_PROPERTY(bool canUseDemoModel READ canUseDemoModel NOTIFY modelChanged)
    Q_PROPERTY(bool lastLoadFailed READ lastLoadFailed NOTIFY modelChanged)
    Q_PROPERTY(bool generating READ generating NOTIFY generatingChanged)
    Q_PROPERTY(qint64 generatingConversationId READ generatingConversationId NOTIFY generatingChanged)
    Q_PROPERTY(double tokensPerSecond READ tokensPerSecond NOTIFY statsChanged)
    // The running reply's prompt: tokens read of the total, and the seconds left (< 0: not known yet).
    Q_PROPERTY(qint64 promptTokensDone READ promptTokensDone NOTIFY promptProgressChanged)
    Q_PROPERTY(qint64 promptTokensTotal READ promptTokensTotal NOTIFY promptProgressChanged)
    Q_PROPERTY(double promptSecondsLeft READ promptSecondsLeft NOTIFY promptProgressChanged)
    Q_PROPERTY(qint64 conversationTokens READ conversationTokens NOTIFY statsChanged)
    Q_PROPERTY(qint64 stateBytesInMemory READ stateBytesInMemory NOTIFY modelChanged)
    Q_PROPERTY(qint64 stateBytesOnDisk READ stateBytesOnDisk NOTIFY statsChanged)
    Q_PROPERTY(QString notice READ notice NOTIFY noticeChanged)
    Q_PROPERTY(QString storageError READ storageError CONSTANT)
    // A damaged database set aside at this start: what happened and what was recovered (the window shows it in a
    // dialog), and the kept file; both "" otherwise.
    Q_PROPERTY(QString databaseNotice READ databaseNotice NOTIFY databaseNoticeChanged)
    Q_PROPERTY(QString keptDatabaseFile READ keptDatabaseFile CONSTANT)
    Q_PROPERTY(bool canUndoDelete READ canUndoDelete NOTIFY undoChanged)
    Q_PROPERTY(bool importing READ importing NOTIFY importingChanged)

  public:
    enum class ModelStatus { None, Loading, Ready, Failed };
    Q_ENUM(ModelStatus)

    // `dataDirectory` holds conversations.sqlite3 and states/; `settings` backs the preferences. `engine` must
    // outlive the controller, which shuts it down when it goes (a reply still streaming is stored, as by Stop).
    ChatController(const QString& dataDirectory, QSettings* settings, ChatEngine& engine, QObject* parent = nullptr);
    ~ChatController() override;

    ConversationListModel* conversations() { return &m_conversations; }
    MessageModel* messages() { return &m_messages; }
    Preferences* preferences() { return &m_preferences; }
    LocalServer* server() { return &m_server; }
    ModelListModel* models() { return &m_models; }
    qint64 currentConversationId() const { return m_currentConversation; }
    QString currentTitle() const;
    QString currentSystemPrompt() const;
    ModelStatus modelStatus() const { return m_modelStatus; }
    // What the model bar says: the model's name (or what is happening instead), and its details or the error.
    QString modelTitle() const;
    QString modelSubtitle() const;
    // "3.50 million parameters, F32, 14 MB on disk, state 300 kB".
    QString modelDetails() const;
    // True while the built-in demo model (resources/demo-model) is the loaded one.
    bool demoModel() const { return m_demoModel; }
    // The demo model's folder, or "" if it is not installed.
    static QString demoModelDirectory();
    bool canUseDemoModel() const;
    bool lastLoadFailed() const { return m_lastLoadFailed; }
    bool generating() const { return m_replies.generating(); }
    qint64 generatingConversationId() const { return m_replies.generatingConversationId(); }
    double tokensPerSecond() const { return m_replies.tokensPerSecond(); }
    qint64 promptTokensDone() const { return m_replies.promptTokensDone(); }
    qint64 promptTokensTotal() const { return m_replies.promptTokensTotal(); }
    double promptSecondsLeft() const { return m_replies.promptSecondsLeft(); }
    qint64 conversationTokens() const { return m_conversationTokens; }
    qint64 stateBytesInMemory() const { return m_modelInfo.stateBytes; }
    qint64 stateBytesOnDisk() const { return m_stateBytesOnDisk; }
    QString notice() const { return m_notice; }
    QString storageError() const { return m_data.storageError(); }
    QString databaseNotice() const { return m_data.openingNotice(); }
    QString keptDatabaseFile() const { return m_data.keptDatabase(); }
    bool canUndoDelete() const { return m_lastDeleted != 0; }
    bool importing() const { return m_import != nullptr; }

    Q_INVOKABLE void loadModel(const QString& directory);
    Q_INVOKABLE void loadModelUrl(const QUrl& folder);
    Q_INVOKABLE void useDemoModel();
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
    // Messages are named by id, never by row: rows shift while a reply streams.
    Q_INVOKABLE void editMessage(qint64 messageId, const QString& text);
    Q_INVOKABLE void switchAlternative(qint64 messageId, int delta);
    // Export and import from the window (chat_controller_transfer.cpp). `format`: "rgchat", "md" or "json".
    // Where the file dialogs open: the folder of the last export or import, else Documents, else home.
    Q_INVOKABLE QUrl transferFolderUrl() const;
    // The file an export of chat `id` as `format` is offered: its title as a file name, in transferFolderUrl().
    Q_INVOKABLE QUrl exportFileUrl(qint64 id, const QString& format) const;
    // The file an export to `file` writes: `file` with the format's suffix added if it has none (native separators).
    Q_INVOKABLE QString exportPath(const QUrl& file, const QString& format) const;
    // Whether that file exists already (the window asks before replacing it).
    Q_INVOKABLE bool exportWouldReplace(const QUrl& file, const QString& format) const;
    // Writes chat `id` as `format` to exportPath(file, format); the notice says where it went, or why it did not.
    // False on failure.
    Q_INVOKABLE bool exportChat(qint64 id, const QUrl& file, const QString& format);
    // Starts importing the .rgchat `file` (read and checked on a thread of its own); false if an import runs
    // already. Once over, the imported chat is shown and the notice says what came in, or why nothing did.
    Q_INVOKABLE bool importChat(const QUrl& file);
    Q_INVOKABLE void dismissNotice();
    // Opens the folder of the kept damaged database in the file manager.
    Q_INVOKABLE void showKeptDatabase();
    // A chat command of the command line (ChatCommands' JSON request), run here because this instance holds the
    // data folder; the result as JSON. An imported chat appears in the list.
    QByteArray answerChatCommand(const QByteArray& request);
    // After a language change: announces again the texts built with tr() when read (the model bar, the
    // conversation list's dates), so that QML shows them in the new language.
    void retranslate();

  signals:
    void currentConversationChanged();
    void modelChanged();
    void generatingChanged();
    void statsChanged();
    void promptProgressChanged();
    void noticeChanged();
    void databaseNoticeChanged();  // only with the language
    void undoChanged();
    void importingChanged();
    // An import ended: the new conversation, or 0 and why not (translated).
    void importFinished(qint64 conversationId, const QString& error);
    // Emitted when a reply has ended and was stored as `messageId` (0: not stored; tests wait for it).
    void replyStored(qint64 conversationId, qint64 messageId);

  private:
    void onModelLoaded(const LoadedModelInfo& info);
    void onModelLoadFailed(const QString& directory, const QString& message);
    void setModelStatus(ModelStatus status);
    void showConversation(qint64 id);
    void updateStats();
    void setNotice(const QString& text);
    void onImportRead(ChatTransfer::PreparedImportResult prepared);
    QString transferFolder() const;

    Preferences m_preferences;
    ModelListModel m_models;  // the Models page: downloads and copies; the model it chooses loads by loadModel()
    DataFolder m_data;
    ConversationListModel m_conversations;
    MessageModel m_messages;
    ChatEngine& m_engine;
    ReplyFlow m_replies;
    LocalServer m_server;  // its kept states in server-states/ of the data folder, apart from the window's

    qint64 m_currentConversation = 0;
    qint64 m_lastDeleted = 0;
    ModelStatus m_modelStatus = ModelStatus::None;
    LoadedModelInfo m_modelInfo;
    QString m_modelError;
    bool m_demoModel = false;
    bool m_modelLoaded = false;  // the engine holds a model (m_modelInfo), which a failed load leaves in place
    bool m_lastLoadFailed = false;
    QString m_loadFailureNotice;  // withdrawn once another load succeeds
    qint64 m_conversationTokens = 0;
    qint64 m_stateBytesOnDisk = 0;
    QString m_notice;
    std::unique_ptr<ThreadJob> m_import;  // the import's reading, while it runs
    QString m_transferFolder;             // the folder of the last export or import
};
