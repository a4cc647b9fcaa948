// threaded_engine.h — ThreadedEngine: the real ChatEngine. An EngineWorker owns the model on a thread of its own
// and runs the replies one after another, in the order they were asked for; calls reach it as queued signals and
// its results come back as queued signals (each event owns copies of its arguments, destroyed on the thread that
// receives it). A reply is stopped through a flag that travels with its request, so stopping needs no lock and no
// lookup on the engine thread.
#pragma once

#include <QHash>
#include <QThread>
#include <atomic>
#include <memory>

#include "chat_engine.h"

class EngineWorker;

// A reply's stop flag: the GUI thread raises it, the engine thread reads it once per token.
using StopFlag = std::shared_ptr<std::atomic<bool>>;
Q_DECLARE_METATYPE(StopFlag)

class ThreadedEngine final : public ChatEngine {
    Q_OBJECT

  public:
    explicit ThreadedEngine(QObject* parent = nullptr);
    ~ThreadedEngine() override;  // shuts down first if nobody did

    void loadModel(const QString& directory) override;
    void setThreads(int threads) override;
    void setFastPrefill(bool fast) override;
    void startReply(const GenerationRequest& request) override;
    void stopReply(qint64 requestId) override;
    void shutDown() override;
    qint64 tokensFed() const override { return m_tokensFed.load(); }
    void setServerStates(const ServerStateSettings& settings) override;
    void startCompletion(const rcserver::CompletionJob& job, const QString& fingerprint,
                         const std::shared_ptr<rcserver::JobControl>& control) override;

    // Takes over what the engine thread handed off with a queued call (thread_handoff.h), then delivers it.
    bool event(QEvent* event) override;

  signals:
    // To the worker, queued: the engine thread runs them in the order they were sent.
    void workerLoadModel(const QString& directory, QPrivateSignal);
    void workerSetThreads(int threads, QPrivateSignal);
    void workerSetFastPrefill(bool fast, QPrivateSignal);
    void workerGenerate(const GenerationRequest& request, const StopFlag& stop, QPrivateSignal);
    void workerSetServerStates(const ServerStateSettings& settings, QPrivateSignal);
    void workerComplete(const rcserver::CompletionJob& job, const QString& fingerprint,
                        const std::shared_ptr<rcserver::JobControl>& control, QPrivateSignal);
    void workerQuit(QPrivateSignal);

  private:
    std::atomic<qint64> m_tokensFed{0};  // the worker adds to it; it outlives the worker
    QThread m_thread;
    EngineWorker* m_worker = nullptr;  // lives on m_thread; deleted by shutDown() once that has finished
    // The stop flag of every reply asked for and not ended yet, shared with the engine thread's copy of its request.
    QHash<qint64, StopFlag> m_stopFlags;
    // The same for the server's completions not ended yet.
    QHash<quint64, std::shared_ptr<rcserver::JobControl>> m_completionControls;
};
