// engine_worker.h — EngineWorker: owns the loaded model on its own thread and runs one generation at a time.
// The GUI thread talks to it only through queued signals and slots (and the thread-safe requestStop() and
// tokensPrefilled()); it never runs model code and never waits for it. Text reaches the GUI in batches (at most
// one textAppended every 40 ms), never one signal per token.
//
// Use: create it, moveToThread(engineThread), connect, start the thread. Requests are slots, so they run in the
// order sent, one after the other; a request sent while another runs waits in the thread's event queue (the GUI
// normally sends the next one only after generationFinished/generationFailed). Shutting down: requestStop(), then
// quit() and wait() the thread; the worker may be deleted on that thread (QThread::finished -> deleteLater) or
// after wait() returned.
#pragma once

// oneTBB must never see Qt's `emit` macro: this header includes only the engine's public headers (through
// engine_types.h), which do not include oneTBB.
#include <QObject>
#include <QString>
#include <memory>

#include "engine_types.h"

class EngineWorker : public QObject {
    Q_OBJECT
  public:
    explicit EngineWorker(QObject* parent = nullptr);
    ~EngineWorker() override;

    // Thread-safe. Stops request `requestId` at its next token (or feed chunk): the one running, or one still
    // waiting in the queue, which then finishes at once. Either way it ends in generationFinished with stopReason
    // "stopped" and the reply so far (whose state is kept and saved like any other). requestId 0: whatever request
    // is running now, if any. Model loading cannot be stopped.
    void requestStop(qint64 requestId = 0);
    // Thread-safe. Every token this worker has fed to the model since it was created: rebuilt history, user turns
    // and replies. It proves a resumed conversation re-processes only the new turn.
    qint64 tokensPrefilled() const;
    // Thread-safe (call it directly). The reply of request `requestId` was stored as message `messageId`: its
    // cached state becomes the state after that message, so a request with parentMessageId == messageId continues
    // from memory. Takes effect before the next request starts.
    void bindState(qint64 requestId, qint64 messageId);

    // Takes over what the GUI thread handed off with a queued call (thread_handoff.h), then delivers it.
    bool event(QEvent* event) override;

  public slots:
    // Loads `directory` (config.json, safetensors, tokenizer.model) with a runtime of `threads` threads (<= 0: all
    // hardware threads). On success the cached states are dropped; on failure the model loaded before, if any, stays.
    void loadModel(const QString& directory, int threads);
    // Recreates the runtime with `threads` threads (<= 0: all); applies from the next request on.
    void setThreads(int threads);
    // Prompts in bf16 dot products (rgemma::PrefillPrecision::Fast) or exact f32 arithmetic; Fast until told.
    void setFastPrefill(bool fast);
    // Produces one reply; see GenerationRequest. Ends in exactly one generationFinished or generationFailed.
    void generate(const GenerationRequest& request);
    // Forgets the cached states of a conversation (e.g. after it was deleted).
    void dropState(qint64 conversationId);

  signals:
    void modelLoading(const QString& directory);
    void modelLoaded(const LoadedModelInfo& info);
    // `message` is translated and says what is wrong (missing folder, damaged weights, bad tokenizer...).
    void modelLoadFailed(const QString& directory, const QString& message);
    void generationStarted(qint64 requestId);
    // The parent state was not cached and its state file was unusable (`reason`, translated: missing, another
    // model, an older engine, damaged), so the transcript is being re-fed. Comes before any textAppended.
    void stateRebuilding(qint64 requestId, const QString& reason);
    // A batch of the reply's text: append it. Also the decoding speed so far.
    void textAppended(qint64 requestId, const QString& text, double tokensPerSecond);
    void generationFinished(const GenerationResult& result);
    // `message` is translated. No state was kept or saved for this request.
    void generationFailed(qint64 requestId, const QString& message);

  private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};
