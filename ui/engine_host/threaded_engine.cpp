// threaded_engine.cpp — ThreadedEngine: the engine thread's set-up and shut-down, and the calls and signals that
// cross it.
#include "threaded_engine.h"

#include <QCoreApplication>

#include "engine_worker.h"
#include "thread_handoff.h"

ThreadedEngine::ThreadedEngine(QObject* parent) : ChatEngine(parent), m_worker(new EngineWorker(m_tokensFed)) {
    qRegisterMetaType<StopFlag>();
    m_worker->moveToThread(&m_thread);
    // The engine thread's last act, seen by the wait() in shutDown() (thread_handoff.h).
    connect(
        &m_thread, &QThread::finished, &m_thread, [] { handOff(); }, Qt::DirectConnection);
    // The worker lives on the engine thread: these connections are queued.
    connect(this, &ThreadedEngine::workerLoadModel, m_worker, &EngineWorker::loadModel);
    connect(this, &ThreadedEngine::workerSetThreads, m_worker, &EngineWorker::setThreads);
    connect(this, &ThreadedEngine::workerSetFastPrefill, m_worker, &EngineWorker::setFastPrefill);
    connect(this, &ThreadedEngine::workerGenerate, m_worker,
            [worker = m_worker](const GenerationRequest& request, const StopFlag& stop) {
                worker->generate(request, *stop);
            });
    connect(this, &ThreadedEngine::workerSetServerStates, m_worker, &EngineWorker::setServerStates);
    connect(this, &ThreadedEngine::workerComplete, m_worker, &EngineWorker::complete);
    connect(this, &ThreadedEngine::workerQuit, m_worker, [] { QThread::currentThread()->quit(); });
    // `this` lives on the GUI thread: it is the context that makes these connections queued.
    connect(m_worker, &EngineWorker::modelLoading, this, &ChatEngine::modelLoading);
    connect(m_worker, &EngineWorker::modelLoaded, this, &ChatEngine::modelLoaded);
    connect(m_worker, &EngineWorker::modelLoadFailed, this, &ChatEngine::modelLoadFailed);
    connect(m_worker, &EngineWorker::generationStarted, this, &ChatEngine::replyStarted);
    connect(m_worker, &EngineWorker::stateRebuilding, this, &ChatEngine::stateRebuilding);
    connect(m_worker, &EngineWorker::textAppended, this, &ChatEngine::textAppended);
    connect(m_worker, &EngineWorker::promptProgress, this, &ChatEngine::promptProgress);
    connect(m_worker, &EngineWorker::generationFinished, this, [this](const GenerationResult& result) {
        m_stopFlags.remove(result.requestId);
        emit replyFinished(result);
    });
    connect(m_worker, &EngineWorker::generationFailed, this, [this](qint64 requestId, const QString& message) {
        m_stopFlags.remove(requestId);
        emit replyFailed(requestId, message);
    });
    connect(m_worker, &EngineWorker::completionStarted, this, &ChatEngine::completionStarted);
    connect(m_worker, &EngineWorker::completionText, this, &ChatEngine::completionText);
    connect(m_worker, &EngineWorker::completionFinished, this, [this](const rcserver::CompletionOutcome& outcome) {
        m_completionControls.remove(outcome.id);
        emit completionFinished(outcome);
    });
    m_thread.setObjectName(QStringLiteral("engine"));
    m_thread.start();
}

ThreadedEngine::~ThreadedEngine() { shutDown(); }

bool ThreadedEngine::event(QEvent* event) {
    takeOver();  // a queued call from the engine thread: its arguments were handed off before it was posted
    return ChatEngine::event(event);
}

void ThreadedEngine::loadModel(const QString& directory) {
    Q_ASSERT(m_worker);  // no calls after shutDown()
    handOff();
    emit workerLoadModel(directory, QPrivateSignal());
}

void ThreadedEngine::setThreads(int threads) {
    handOff();
    emit workerSetThreads(threads, QPrivateSignal());
}

void ThreadedEngine::setFastPrefill(bool fast) {
    handOff();
    emit workerSetFastPrefill(fast, QPrivateSignal());
}

void ThreadedEngine::startReply(const GenerationRequest& request) {
    Q_ASSERT(m_worker);
    const StopFlag stop = std::make_shared<std::atomic<bool>>(false);
    m_stopFlags.insert(request.requestId, stop);
    handOff();
    emit workerGenerate(request, stop, QPrivateSignal());
}

void ThreadedEngine::stopReply(qint64 requestId) {
    if (const auto flag = m_stopFlags.value(requestId)) flag->store(true);
}

void ThreadedEngine::setServerStates(const ServerStateSettings& settings) {
    handOff();
    emit workerSetServerStates(settings, QPrivateSignal());
}

void ThreadedEngine::startCompletion(const rcserver::CompletionJob& job, const QString& fingerprint,
                                     const std::shared_ptr<rcserver::JobControl>& control) {
    Q_ASSERT(m_worker);
    m_completionControls.insert(job.id, control);
    handOff();
    emit workerComplete(job, fingerprint, control, QPrivateSignal());
}

void ThreadedEngine::shutDown() {
    if (!m_worker) return;
    for (const auto& flag : std::as_const(m_stopFlags)) flag->store(true);
    for (const auto& control : std::as_const(m_completionControls)) control->requestStop();
    // Quit once everything sent before has run: a reply still waiting ends (stopped) before the thread does.
    handOff();
    emit workerQuit(QPrivateSignal());
    m_thread.wait();
    takeOver();  // everything the engine thread did
    // Deleted here, its thread finished: QObject's destructor then disconnects from this object on this thread.
    delete m_worker;
    m_worker = nullptr;
    // The results the worker sent on its way out, delivered now, while whoever listens is still there.
    QCoreApplication::sendPostedEvents(this, QEvent::MetaCall);
}
