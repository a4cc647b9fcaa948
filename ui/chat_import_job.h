// chat_import_job.h — ChatImportJob: one .rgchat import's reading, validation and state writing
// (ChatTransfer::readImport) on a thread of its own, so that a file of hundreds of megabytes never stalls the window;
// the conversation is then inserted on the GUI thread, which owns the database (ChatTransfer::finishImport).
#pragma once

#include <QObject>
#include <QString>
#include <QThread>
#include <memory>

#include "chat_transfer.h"

class ChatImportJob : public QObject {
    Q_OBJECT
  public:
    using Result = tl::expected<std::shared_ptr<ChatTransfer::PreparedImport>, QString>;

    // Reads `path`, writing its states into `stateDirectory`. Lives on the GUI thread.
    ChatImportJob(const QString& path, const QString& stateDirectory, QObject* parent = nullptr);
    // Waits for the thread (a read cannot be interrupted; at most the file's size limit): a result not taken
    // removes its states.
    ~ChatImportJob() override;

    QString path() const { return m_path; }
    void start();
    // After finished(): the prepared import, or the translated error.
    Result takeResult();

  signals:
    // On the GUI thread, once the thread is over and its result can be read.
    void finished();

  private:
    void onThreadFinished();

    QString m_path;
    QString m_stateDirectory;
    Result m_result;  // written by the job's thread, read after finished()
    QThread* m_thread = nullptr;
};
