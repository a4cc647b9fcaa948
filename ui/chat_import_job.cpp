// chat_import_job.cpp — see chat_import_job.h. The result crosses threads once: the job's thread writes it and ends;
// the GUI thread reads it after wait(). ThreadSanitizer cannot see that Qt's wait orders the two (its mutex lives in
// the uninstrumented libQt6Core), hence the hand-over marks of thread_handoff.h, as the engine thread has.
#include "chat_import_job.h"

#include "thread_handoff.h"

ChatImportJob::ChatImportJob(const QString& path, const QString& stateDirectory, QObject* parent)
    : QObject(parent), m_path(path), m_stateDirectory(stateDirectory), m_result(tl::unexpected(QString())) {}

ChatImportJob::~ChatImportJob() {
    if (!m_thread) return;
    m_thread->wait();
    takeOver();
    delete m_thread;
}

void ChatImportJob::start() {
    if (m_thread) return;
    m_thread = QThread::create([this] {
        m_result = ChatTransfer::readImport(m_path, m_stateDirectory);
        handOff();  // the thread's last act: everything it wrote, seen by takeOver() after wait()
    });
    m_thread->setObjectName(QStringLiteral("import"));
    // `this` lives on the GUI thread: queued.
    connect(m_thread, &QThread::finished, this, &ChatImportJob::onThreadFinished);
    m_thread->start();
}

void ChatImportJob::onThreadFinished() {
    m_thread->wait();
    takeOver();
    emit finished();
}

ChatImportJob::Result ChatImportJob::takeResult() { return std::exchange(m_result, tl::unexpected(QString())); }
