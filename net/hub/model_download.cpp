// model_download.cpp — the owner's side of a download: its thread, its commands, and the signals of the current run.
#include "model_download.h"

#include "download_worker.h"
#include "hub_locations.h"
#include "thread_handoff.h"

namespace hub {

namespace {

DownloadOptions resolved(DownloadOptions options) {
    if (options.endpoint.isEmpty()) options.endpoint = defaultEndpoint();
    options.token = findToken(options.token).value;
    if (options.cacheDir.isEmpty()) options.cacheDir = defaultCacheDir();
    return options;
}

}  // namespace

ModelDownload::ModelDownload(DownloadOptions options, QObject* parent)
    : QObject(parent), m_options(resolved(std::move(options))) {
    qRegisterMetaType<CheckpointPlan>();
    qRegisterMetaType<DownloadProgress>();
    qRegisterMetaType<HubError>();
    m_thread.setObjectName(QStringLiteral("hub-download"));
    m_worker = new DownloadWorker(m_options);
    m_worker->moveToThread(&m_thread);
    // The worker is deleted on its thread as the thread finishes; that is the thread's last act, handed over to the
    // wait() in the destructor (thread_handoff.h), so ThreadSanitizer sees this object outlive the worker's links to
    // it.
    connect(
        &m_thread, &QThread::finished, &m_thread,
        [worker = m_worker] {
            delete worker;
            handOff();
        },
        Qt::DirectConnection);
    // Commands are signals, not invokeMethod: their arguments are copied by Qt's meta-type code, which the TSan
    // suppressions know, where a functor's captures (and the functor itself, freed by whichever thread drops it
    // last) would be shared by the two threads unseen.
    connect(this, &ModelDownload::startRequested, m_worker, &DownloadWorker::start, Qt::QueuedConnection);
    connect(this, &ModelDownload::pauseRequested, m_worker, &DownloadWorker::pause, Qt::QueuedConnection);
    connect(this, &ModelDownload::cancelRequested, m_worker, &DownloadWorker::cancel, Qt::QueuedConnection);
    // Each run's signals count only while it is the current run: a paused or cancelled run's last words are dropped.
    connect(m_worker, &DownloadWorker::stateChanged, this, [this](int run, State state) {
        if (run == m_run) setState(state);
    });
    connect(m_worker, &DownloadWorker::planned, this, [this](int run, const CheckpointPlan& plan) {
        if (run != m_run) return;
        m_plan = plan;
        emit planned(plan);
    });
    connect(m_worker, &DownloadWorker::progress, this, [this](int run, const DownloadProgress& progress) {
        if (run != m_run) return;
        m_progress = progress;
        emit this->progress(progress);
    });
    connect(m_worker, &DownloadWorker::notice, this, [this](int run, const QString& text) {
        if (run == m_run) emit notice(text);
    });
    connect(m_worker, &DownloadWorker::finished, this, [this](int run, const QString& snapshotDir) {
        if (run == m_run) emit finished(snapshotDir);
    });
    connect(m_worker, &DownloadWorker::failed, this, [this](int run, const HubError& error) {
        if (run == m_run) emit failed(error);
    });
    m_thread.start();
}

ModelDownload::~ModelDownload() {
    // The worker is deleted on its thread as the thread finishes: its destructor stops the transfer (keeping the
    // partial file) and releases the blob's lock.
    m_thread.quit();
    m_thread.wait();
    takeOver();
}

bool ModelDownload::isActive() const { return m_state == State::Listing || m_state == State::Downloading; }

void ModelDownload::fetchPlan() {
    if (isActive()) return;
    ++m_run;
    setState(State::Listing);
    emit startRequested(m_run, true);
}

void ModelDownload::start() {
    if (isActive()) return;
    ++m_run;
    setState(State::Listing);
    emit startRequested(m_run, false);
}

void ModelDownload::pause() {
    if (!isActive()) return;
    ++m_run;
    emit pauseRequested();
    setState(State::Paused);
}

void ModelDownload::cancel() {
    if (m_state == State::Finished || m_state == State::Cancelled) return;
    ++m_run;
    emit cancelRequested();
    setState(State::Cancelled);
}

void ModelDownload::setState(State state) {
    if (m_state == state) return;
    m_state = state;
    emit stateChanged(state);
}

}  // namespace hub
