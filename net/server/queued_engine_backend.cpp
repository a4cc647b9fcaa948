// net/server/queued_engine_backend.cpp — the hand-over between the server's thread and the engine thread: calls go
// over as queued invocations, events come back as queued signals, and a stop flips the job's flag at once.
#include "queued_engine_backend.h"

namespace rcserver {

QueuedEngineBackend::QueuedEngineBackend(EngineSettings settings, QObject* parent)
    : CompletionBackend(parent), m_queue(new EngineQueue(std::move(settings))) {
    qRegisterMetaType<rcserver::CompletionOutcome>();
    qRegisterMetaType<rcserver::ModelDescription>();
    qRegisterMetaType<std::shared_ptr<const rgemma::Tokenizer>>();
    m_queue->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_queue, &QObject::deleteLater);
    connect(m_queue, &EngineQueue::loaded, this,
            [this](bool ok, const QString& failure, const ModelDescription& model,
                   std::shared_ptr<const rgemma::Tokenizer> tokenizer, const QString& stateWarning) {
                m_status = ok ? BackendStatus::Ready : BackendStatus::Failed;
                m_failure = failure;
                m_model = model;
                m_tokenizer = std::move(tokenizer);
                m_stateWarning = stateWarning;
                emit statusChanged();
            });
    connect(m_queue, &EngineQueue::started, this, &CompletionBackend::started);
    connect(m_queue, &EngineQueue::textReady, this, &CompletionBackend::textReady);
    connect(m_queue, &EngineQueue::finished, this, [this](const CompletionOutcome& outcome) {
        m_controls.remove(outcome.id);
        emit finished(outcome);
    });
    m_thread.setObjectName(QStringLiteral("engine"));
    m_thread.start();
}

QueuedEngineBackend::~QueuedEngineBackend() {
    for (const auto& control : std::as_const(m_controls)) control->requestStop();
    m_thread.quit();
    m_thread.wait();
}

void QueuedEngineBackend::load() { QMetaObject::invokeMethod(m_queue, &EngineQueue::load, Qt::QueuedConnection); }

void QueuedEngineBackend::start(const CompletionJob& job) {
    auto control = std::make_shared<JobControl>();
    m_controls.insert(job.id, control);
    EngineQueue* queue = m_queue;
    QMetaObject::invokeMethod(
        m_queue, [queue, job, control]() { queue->enqueue(job, control); }, Qt::QueuedConnection);
}

void QueuedEngineBackend::stop(quint64 id) {
    if (const auto control = m_controls.value(id)) control->requestStop();
}

void QueuedEngineBackend::stopAll() {
    for (const auto& control : std::as_const(m_controls)) control->requestStop();
}

}  // namespace rcserver
