// thread_job.h — ThreadJob: one piece of work on a thread of its own, reported on the owner's (GUI) thread once it is
// over, so that a long read (a chat file, the disk's models) never stalls the window. What the work writes, the owner
// reads after finished(). ThreadSanitizer is told of both hand-overs (thread_handoff.h): the start is the thread's
// creation, which it sees; the end is the work's last act (handOff) and the owner's wait() (takeOver), whose mutex
// lives in the uninstrumented libQt6Core. Qt's thread pool (QtConcurrent) hands work over inside libQt6Core too,
// unseen: this is the app's one way to run work off the GUI thread besides the engine's and a download's threads.
#pragma once

#include <QObject>
#include <QThread>
#include <functional>

class ThreadJob : public QObject {
    Q_OBJECT
  public:
    explicit ThreadJob(std::function<void()> work, QObject* parent = nullptr);
    // Waits for the work (it cannot be interrupted here; a job that can stop early says so through its own flag).
    ~ThreadJob() override;

    void start();

  signals:
    // On the owner's thread, once the work is over and what it wrote can be read. A slot may not delete the job
    // directly (it is inside this signal): deleteLater().
    void finished();

  private:
    void onThreadFinished();

    std::function<void()> m_work;
    QThread* m_thread = nullptr;
};
