// chat_engine.h — ChatEngine: what the app asks of an engine: load a model, start replies, stop them, count the
// tokens fed. The real one runs the model on its own thread (ThreadedEngine); UI tests give the app a scripted
// one (tests/fake_engine.h). Shaped for several replies at once (the window's, and the local API server's
// completions: every reply is named by its id), though today's real engine runs them one after another, the
// window's replies and the server's completions in one queue, first asked first served.
#pragma once

#include <QByteArray>
#include <QObject>
#include <QString>
#include <memory>

#include "completion_backend.h"  // CompletionOutcome as a metatype
#include "completion_types.h"
#include "engine_types.h"

Q_DECLARE_METATYPE(rcserver::CompletionJob)
Q_DECLARE_METATYPE(std::shared_ptr<rcserver::JobControl>)

class ChatEngine : public QObject {
    Q_OBJECT

  public:
    explicit ChatEngine(QObject* parent = nullptr);

    // Every call is made on the thread this object lives in, and every signal arrives there, always later than the
    // call that caused it (never from inside it), except in shutDown(). No call waits for the model but shutDown().

    // Loads a Hugging Face RecurrentGemma folder; ends in modelLoaded or modelLoadFailed. On success the states kept
    // in memory go with the old model; on failure the model loaded before, if any, stays.
    virtual void loadModel(const QString& directory) = 0;
    // The runtime's threads (<= 0: all hardware threads), from the next reply on.
    virtual void setThreads(int threads) = 0;
    // Prompts in bf16 dot products (rgemma::PrefillPrecision::Fast) or in exact f32 arithmetic; Fast until told.
    virtual void setFastPrefill(bool fast) = 0;

    // Starts reply `request.requestId` (> 0, unique; see GenerationRequest). Replies asked for while others run wait
    // their turn, first asked first served. Each ends in exactly one replyFinished or replyFailed.
    virtual void startReply(const GenerationRequest& request) = 0;
    // Stops a reply at its next token (or feed chunk): it ends in replyFinished with stopReason "stopped" and the
    // reply so far, whose state is kept and saved like any other. One still waiting ends as soon as its turn comes,
    // having fed nothing. An id that is unknown or has ended is ignored.
    virtual void stopReply(qint64 requestId) = 0;
    // Stops every reply and returns once each has ended: their replyFinished/replyFailed are emitted before it
    // returns. Afterwards the engine takes no more requests. For closing the app without losing a reply.
    virtual void shutDown() = 0;

    // Every token fed to the model so far (rebuilt history, user turns, replies): proves that a resumed
    // conversation re-processes only its new turn. Any thread may read it.
    virtual qint64 tokensFed() const = 0;

    // The local API server's completions (net/server's CompletionJob), in the same queue as the replies.
    // Where the server keeps its states; applies from the next completion on.
    virtual void setServerStates(const ServerStateSettings& settings) = 0;
    // Starts `job` (its id from newCompletionId()); its prompt was tokenized for the model `fingerprint`: if another
    // model is loaded by its turn, it fails. `control` stops it at its next token or prompt slice. Ends in exactly
    // one completionFinished, whose error is non-empty if it failed.
    virtual void startCompletion(const rcserver::CompletionJob& job, const QString& fingerprint,
                                 const std::shared_ptr<rcserver::JobControl>& control) = 0;
    // An id no completion of this engine has had.
    quint64 newCompletionId() { return ++m_lastCompletionId; }

  signals:
    // A load began (after every reply asked for before it, which run on the model loaded before).
    void modelLoading(const QString& directory);
    void modelLoaded(const LoadedModelInfo& info);
    // `message` is translated and says what is wrong (missing folder, damaged weights, bad tokenizer...).
    void modelLoadFailed(const QString& directory, const QString& message);
    // The reply left the queue and runs now.
    void replyStarted(qint64 requestId);
    // Neither memory nor the parent's state file had a usable state (`reason`, translated: missing, another
    // model, an older engine, damaged), so the transcript is being fed again. Comes before any textAppended.
    void stateRebuilding(qint64 requestId, const QString& reason);
    // How far the prompt has been read: `done` of `total` tokens (the user turn, plus the history when it is being
    // rebuilt). Comes once at 0 when the feeding starts, at most every 100 ms while it goes on, and once when all is
    // fed, before the reply's first text: the long wait on common CPUs, shown as progress.
    void promptProgress(qint64 requestId, qint64 done, qint64 total);
    // A batch of the reply's text (at most one every 40 ms, never one per token), and the decoding speed so far.
    void textAppended(qint64 requestId, const QString& text, double tokensPerSecond);
    void replyFinished(const GenerationResult& result);
    // `message` is translated. No state was kept or saved for this reply.
    void replyFailed(qint64 requestId, const QString& message);
    // A completion left the queue and its prompt was looked up: `cachedTokens` of it resumed from a kept state.
    void completionStarted(quint64 id, qint64 promptTokens, qint64 cachedTokens);
    // The next piece of one choice's text, whole UTF-8 characters.
    void completionText(quint64 id, int choice, const QByteArray& utf8);
    void completionFinished(const rcserver::CompletionOutcome& outcome);

  private:
    quint64 m_lastCompletionId = 0;
};
