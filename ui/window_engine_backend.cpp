// window_engine_backend.cpp — the model's status as the server reports it, and completions handed to the engine
// under ids of the engine's own.
#include "window_engine_backend.h"

#include <QDateTime>

#include "backend_messages.h"

namespace {
// For the API's clients, in English like all of its messages.
const QString kNoModel = QString::fromLatin1(rcserver::backend_messages::kNoModel);
const QString kNoTokenizer = QString::fromLatin1(rcserver::backend_messages::kNoTokenizer);
}  // namespace

WindowEngineBackend::WindowEngineBackend(ChatEngine& engine, const LoadedModelInfo& model, bool loading,
                                         QObject* parent)
    : CompletionBackend(parent), m_engine(engine) {
    if (!model.fingerprint.isEmpty()) setModel(model);
    if (loading) {
        m_status = rcserver::BackendStatus::Loading;
    } else if (!m_hadModel) {
        m_failure = kNoModel;
    }
    connect(&engine, &ChatEngine::modelLoading, this,
            [this] { setStatus(rcserver::BackendStatus::Loading, QString()); });
    connect(&engine, &ChatEngine::modelLoaded, this, [this](const LoadedModelInfo& info) {
        setModel(info);
        emit statusChanged();
    });
    connect(&engine, &ChatEngine::modelLoadFailed, this, [this](const QString&, const QString& message) {
        if (m_hadModel) {
            setStatus(m_tokenizer ? rcserver::BackendStatus::Ready : rcserver::BackendStatus::Failed,
                      m_tokenizer ? QString() : kNoTokenizer);
        } else {
            setStatus(rcserver::BackendStatus::Failed, message);
        }
    });
    connect(&engine, &ChatEngine::completionStarted, this, [this](quint64 id, qint64 prompt, qint64 cached) {
        if (const auto it = m_jobs.constFind(id); it != m_jobs.constEnd()) emit started(it->serverId, prompt, cached);
    });
    connect(&engine, &ChatEngine::completionText, this, [this](quint64 id, int choice, const QByteArray& text) {
        if (const auto it = m_jobs.constFind(id); it != m_jobs.constEnd()) emit textReady(it->serverId, choice, text);
    });
    connect(&engine, &ChatEngine::completionFinished, this, [this](const rcserver::CompletionOutcome& outcome) {
        const Job job = m_jobs.take(outcome.id);
        if (!job.control) return;  // another backend's
        m_engineIds.remove(job.serverId);
        rcserver::CompletionOutcome mine = outcome;
        mine.id = job.serverId;
        emit finished(mine);
    });
}

WindowEngineBackend::~WindowEngineBackend() {
    for (const Job& job : std::as_const(m_jobs)) job.control->requestStop();
}

void WindowEngineBackend::setModel(const LoadedModelInfo& info) {
    m_hadModel = true;
    m_fingerprint = info.fingerprint;
    m_tokenizer = info.tokenizer;
    m_model = {info.name, info.fingerprint, QDateTime::currentSecsSinceEpoch()};
    m_status = m_tokenizer ? rcserver::BackendStatus::Ready : rcserver::BackendStatus::Failed;
    m_failure = m_tokenizer ? QString() : kNoTokenizer;
}

void WindowEngineBackend::setStatus(rcserver::BackendStatus status, const QString& failure) {
    m_status = status;
    m_failure = failure;
    emit statusChanged();
}

void WindowEngineBackend::start(const rcserver::CompletionJob& job) {
    rcserver::CompletionJob engineJob = job;
    engineJob.id = m_engine.newCompletionId();
    auto control = std::make_shared<rcserver::JobControl>();
    m_jobs.insert(engineJob.id, {job.id, control});
    m_engineIds.insert(job.id, engineJob.id);
    m_engine.startCompletion(engineJob, m_fingerprint, control);
}

void WindowEngineBackend::stop(quint64 id) {
    if (const auto it = m_engineIds.constFind(id); it != m_engineIds.constEnd()) {
        m_jobs.value(*it).control->requestStop();
    }
}
