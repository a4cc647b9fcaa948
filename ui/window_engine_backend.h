// window_engine_backend.h — WindowEngineBackend: the local API server's CompletionBackend over the window's
// ChatEngine, so that the server's completions and the window's replies share one engine thread and one queue. The
// server serves whatever model the window has loaded: 503 while one loads, and a clear error when none is.
#pragma once

#include <QHash>
#include <memory>

#include "chat_engine.h"
#include "completion_backend.h"

class WindowEngineBackend final : public rcserver::CompletionBackend {
    Q_OBJECT

  public:
    // `engine` must outlive the backend. `model` and `loading`: what the engine has now (the server may be turned
    // on long after the model loaded).
    WindowEngineBackend(ChatEngine& engine, const LoadedModelInfo& model, bool loading, QObject* parent = nullptr);
    // Stops every job it started; their ends are still delivered by the engine, to nobody.
    ~WindowEngineBackend() override;

    rcserver::BackendStatus status() const override { return m_status; }
    QString failure() const override { return m_failure; }
    rcserver::ModelDescription model() const override { return m_model; }
    const rgemma::Tokenizer* tokenizer() const override {
        return m_status == rcserver::BackendStatus::Ready ? m_tokenizer.get() : nullptr;
    }
    void start(const rcserver::CompletionJob& job) override;
    void stop(quint64 id) override;

  private:
    void setModel(const LoadedModelInfo& info);
    void setStatus(rcserver::BackendStatus status, const QString& failure);

    ChatEngine& m_engine;
    rcserver::BackendStatus m_status = rcserver::BackendStatus::Failed;
    QString m_failure;
    rcserver::ModelDescription m_model;
    std::shared_ptr<const rgemma::Tokenizer> m_tokenizer;
    QString m_fingerprint;
    bool m_hadModel = false;  // a failed load leaves the model before, if any, in place
    struct Job {
        quint64 serverId = 0;
        std::shared_ptr<rcserver::JobControl> control;
    };
    // By the engine's id: the server's ids are its own, and another server (one being turned off) may share the
    // engine.
    QHash<quint64, Job> m_jobs;
    QHash<quint64, quint64> m_engineIds;  // server id -> engine id
};
