// net/server/queued_engine_backend.h — the CompletionBackend of `rgemma serve`: an EngineQueue on a thread of its
// own, loading the model in the background (status Loading until it is ready).
#pragma once

#include <QHash>
#include <QThread>
#include <memory>

#include "completion_backend.h"
#include "engine_queue.h"

namespace rcserver {

class QueuedEngineBackend final : public CompletionBackend {
    Q_OBJECT

  public:
    explicit QueuedEngineBackend(EngineSettings settings, QObject* parent = nullptr);
    // Stops every job and waits for the engine thread (at most the unit it is running).
    ~QueuedEngineBackend() override;

    // Starts loading the model on the engine thread; statusChanged follows.
    void load();

    BackendStatus status() const override { return m_status; }
    QString failure() const override { return m_failure; }
    ModelDescription model() const override { return m_model; }
    const rgemma::Tokenizer* tokenizer() const override { return m_tokenizer.get(); }
    void start(const CompletionJob& job) override;
    void stop(quint64 id) override;

    // Stops every job (shutdown); `finished` follows for each.
    void stopAll();
    int runningJobs() const { return static_cast<int>(m_controls.size()); }
    // A problem with the kept-state folder found at load ("" if none): the server then keeps states in memory only.
    QString stateWarning() const { return m_stateWarning; }

  private:
    QThread m_thread;
    EngineQueue* m_queue;  // lives on m_thread, deleted there when it ends
    BackendStatus m_status = BackendStatus::Loading;
    QString m_failure;
    QString m_stateWarning;
    ModelDescription m_model;
    std::shared_ptr<const rgemma::Tokenizer> m_tokenizer;
    QHash<quint64, std::shared_ptr<JobControl>> m_controls;  // running or waiting jobs
};

}  // namespace rcserver
