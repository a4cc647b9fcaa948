// reply_flow.h — ReplyFlow: the life of a reply. Send, regenerate and edit become a store write plus one engine
// request; the reply streams into the message view while its conversation is shown; what the engine returns is
// stored; a reply the database refused stays on screen and is written again every few seconds until it is saved.
// Knows nothing of the window or the controller: it is given an engine, the data folder, the views it updates and
// the preferences it reads.
#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QString>
#include <QTimer>
#include <optional>

#include "chat_engine.h"
#include "conversation_store.h"

class ConversationListModel;
class DataFolder;
class MessageModel;
class Preferences;

class ReplyFlow : public QObject {
    Q_OBJECT

  public:
    // Everything is borrowed and must outlive the flow.
    ReplyFlow(ChatEngine& engine, DataFolder& data, MessageModel& messages, ConversationListModel& conversations,
              const Preferences& preferences, QObject* parent = nullptr);

    bool generating() const { return m_active.has_value(); }
    qint64 generatingConversationId() const { return m_active ? m_active->conversationId : 0; }
    double tokensPerSecond() const { return m_tokensPerSecond; }
    // The running reply's prompt: tokens read of the total (0 of 0 before the engine says), and the seconds it
    // should still take at the speed so far (< 0 while unknown).
    qint64 promptTokensDone() const { return m_promptDone; }
    qint64 promptTokensTotal() const { return m_promptTotal; }
    double promptSecondsLeft() const;
    // Replies are asked for only while a model is ready.
    void setModelReady(bool ready) { m_modelReady = ready; }
    // How often a refused reply is written again (5 s unless told).
    void setSaveRetryInterval(int milliseconds) { m_saveRetryTimer.setInterval(milliseconds); }

    // Stores `text` as the next user message of `conversationId` (0: a new conversation, titled by the text, which
    // conversationCreated announces) and asks for its reply. False if nothing was taken (nothing to send, a reply
    // running, nothing can be saved): the caller then keeps the text.
    bool send(qint64 conversationId, const QString& text);
    // A new alternative of the last reply of `conversationId`, or a reply to its last message if that has none.
    void regenerate(qint64 conversationId);
    // A sibling of user message `messageId` with `text` (both branches stay), and its reply.
    void edit(qint64 messageId, const QString& text);
    // Shows the alternative `delta` places from message `messageId` among its siblings; false if there is none.
    bool switchAlternative(qint64 messageId, int delta);
    // Stops the running reply at its next token; what it said so far is stored like any other reply.
    void stop();
    // Loads `conversationId` into the message view: its current branch, the refused reply if it continues it, and
    // the reply streaming into it, if any.
    void show(qint64 conversationId);
    // Writes the refused reply again; true when none is left waiting.
    bool saveUnsavedReply();

  signals:
    void generatingChanged();
    void tokensPerSecondChanged();
    void promptProgressChanged();
    // Something the user should read (translated).
    void notice(const QString& text);
    // A notice given before no longer applies (the state it announced being rebuilt is rebuilt).
    void noticeWithdrawn(const QString& text);
    void conversationCreated(qint64 conversationId);
    // A reply ended and was stored as `messageId`; 0 when it was not (the database refused it, or it was stopped
    // before there was anything to store).
    void replyStored(qint64 conversationId, qint64 messageId);

  private:
    // The reply in flight: where it goes.
    struct ActiveReply {
        qint64 requestId = 0;
        qint64 conversationId = 0;
        qint64 userMessageId = 0;
        QString stateFileName;  // the name the state after it is saved under, and kept in the engine's memory as
        QString text;           // the reply so far, to show it again if the user comes back to this conversation
    };

    // Asks the engine for the reply to the stored user message `userMessageId`.
    void startReply(qint64 userMessageId, const QString& userText);
    // The running reply's row in the view, after its user message, with the text so far.
    void showStreamingReply();
    void onTextAppended(qint64 requestId, const QString& text, double tokensPerSecond);
    void onStateRebuilding(qint64 requestId, const QString& reason);
    void onPromptProgress(qint64 requestId, qint64 done, qint64 total);
    // The prompt's progress back to nothing, and the rebuild notice, if any, withdrawn.
    void endPrompt();
    void onReplyFinished(const GenerationResult& result);
    void onReplyFailed(qint64 requestId, const QString& message);
    // Stores a finished reply; keeps it for the retry timer if the database refuses it. Returns its id, or 0.
    qint64 store(const FinishedReply& reply);
    // saveUnsavedReply(), telling the user why nothing new can be stored when it fails.
    bool ensureSaved();
    bool shown(qint64 conversationId) const;

    ChatEngine& m_engine;
    DataFolder& m_data;
    MessageModel& m_messages;
    ConversationListModel& m_conversations;
    const Preferences& m_preferences;
    bool m_modelReady = false;
    std::optional<ActiveReply> m_active;
    qint64 m_nextRequestId = 1;
    int m_streamingRow = -1;
    double m_tokensPerSecond = 0;
    qint64 m_promptDone = 0;
    qint64 m_promptTotal = 0;
    qint64 m_promptFirstDone = 0;  // the count when the clock started
    QElapsedTimer m_promptClock;   // since the first progress of this prompt
    QString m_rebuildNotice;       // the notice of a rebuild in progress
    // The reply the database refused (disk full, read-only folder): shown, kept here, and written again by
    // m_saveRetryTimer and before the next write (a turn must not be stored before the reply it follows). At most
    // one: no reply starts while it waits.
    std::optional<FinishedReply> m_unsavedReply;
    QTimer m_saveRetryTimer;
};
