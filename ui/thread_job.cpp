// thread_job.cpp — see thread_job.h.
#include "thread_job.h"

#include "thread_handoff.h"

ThreadJob::ThreadJob(std::function<void()> work, QObject* parent) : QObject(parent), m_work(std::move(work)) {}

ThreadJob::~ThreadJob() {
    if (!m_thread) return;
    m_thread->wait();
    takeOver();
    delete m_thread;
}

void ThreadJob::start() {
    if (m_thread) return;
    m_thread = QThread::create([this] {
        m_work();
        handOff();  // the thread's last act: everything it wrote, seen by takeOver() after wait()
    });
    // `this` lives on the owner's thread: queued.
    connect(m_thread, &QThread::finished, this, &ThreadJob::onThreadFinished);
    m_thread->start();
}

void ThreadJob::onThreadFinished() {
    m_thread->wait();
    takeOver();
    emit finished();
}
