// engine_worker.h — EngineWorker: owns the loaded model on the engine thread and runs one reply at a time. Its
// owner, ThreadedEngine, calls it only on that thread (as queued calls, in the order they were made) and hears
// from it only through queued signals; a reply is stopped through the flag that came with its request. Text
// reaches the GUI in batches (at most one textAppended every 40 ms), never one signal per token.
#pragma once

// oneTBB must never see Qt's `emit` macro: this header includes only the engine's public headers (through
// engine_types.h), which do not include oneTBB.
#include <QObject>
#include <QString>
#include <atomic>
#include <memory>

#include "completion_backend.h"
#include "engine_types.h"

class EngineWorker : public QObject {
    Q_OBJECT

  public:
    // `tokensFed` counts every token fed to the model; it must outlive the worker.
    explicit EngineWorker(std::atomic<qint64>& tokensFed, QObject* parent = nullptr);
    ~EngineWorker() override;

    // Takes over what the GUI thread handed off with a queued call (thread_handoff.h), then delivers it.
    bool event(QEvent* event) override;

    // Loads `directory` (config.json, safetensors, tokenizer.model). On success the kept states are dropped; on
    // failure the model loaded before, if any, stays.
    void loadModel(const QString& directory);
    // Recreates the runtime with `threads` threads (<= 0: all); applies from the next reply on.
    void setThreads(int threads);
    // Prompts in bf16 dot products (rgemma::PrefillPrecision::Fast) or exact f32 arithmetic; Fast until told.
    void setFastPrefill(bool fast);
    // Produces one reply; see GenerationRequest. `stop` is read once per token (or feed chunk): raised before the
    // reply starts, it ends at once having fed nothing. Ends in exactly one generationFinished or generationFailed.
    void generate(const GenerationRequest& request, const std::atomic<bool>& stop);
    // Where the local API server keeps its states (ServerCompletions).
    void setServerStates(const ServerStateSettings& settings);
    // Runs a completion of the local API server whole (ServerCompletions); see ChatEngine::startCompletion. Ends in
    // exactly one completionFinished.
    void complete(const rcserver::CompletionJob& job, const QString& fingerprint,
                  const std::shared_ptr<rcserver::JobControl>& control);

  signals:
    void modelLoading(const QString& directory);
    void modelLoaded(const LoadedModelInfo& info);
    void modelLoadFailed(const QString& directory, const QString& message);
    void generationStarted(qint64 requestId);
    void stateRebuilding(qint64 requestId, const QString& reason);
    void textAppended(qint64 requestId, const QString& text, double tokensPerSecond);
    void promptProgress(qint64 requestId, qint64 done, qint64 total);
    void generationFinished(const GenerationResult& result);
    void generationFailed(qint64 requestId, const QString& message);
    void completionStarted(quint64 id, qint64 promptTokens, qint64 cachedTokens);
    void completionText(quint64 id, int choice, const QByteArray& utf8);
    void completionFinished(const rcserver::CompletionOutcome& outcome);

  private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};
