// single_instance.h — SingleInstance: one Recurrent Chat per data folder. Two instances would each hold a model
// (twice the memory, each running its own engine threads) and write the same conversation database, so the first
// instance holds a lock file in the data folder and listens on a local socket in the user's runtime folder; a
// second launch asks it to bring its window to the front, and exits. A launch with a command (the command line's
// chat commands) sends it over the same socket, and the running instance answers with the result.
#pragma once

#include <QLocalServer>
#include <QLockFile>
#include <QObject>
#include <QString>
#include <functional>
#include <optional>

class QLocalSocket;
class QWindow;

class SingleInstance : public QObject {
    Q_OBJECT

  public:
    // `dataDirectory` must exist. Nothing is locked until tryLock().
    explicit SingleInstance(const QString& dataDirectory, QObject* parent = nullptr);

    // False if another process is the instance for the data folder. Else this one is: it holds the lock (until
    // destruction) and listens for activations. A lock left behind by a crashed instance is taken over; a folder
    // where no lock can be written (permissions) is run unguarded, with a warning.
    bool tryLock();
    // From a second launch: asks the running instance to show its window. False if none answered in time.
    bool activateRunning(int timeoutMs = 3000) const;
    // From another launch: sends `request` (one line, no newline) to the running instance and returns its answer,
    // or nullopt if none answered within `timeoutMs`.
    std::optional<QByteArray> sendCommand(const QByteArray& request, int timeoutMs) const;
    // In the running instance: answers every command with `handler(request)` (run on this object's thread).
    void setCommandHandler(std::function<QByteArray(const QByteArray&)> handler) {
        m_commandHandler = std::move(handler);
    }
    // The process id of the instance holding the lock, or 0 if unknown.
    qint64 runningProcessId() const;

    // Shows, raises and activates `window` whenever a second launch asks for it (for as long as it lives).
    void raiseOnActivation(QWindow* window);

    // The socket's path: in $XDG_RUNTIME_DIR, named after the data folder.
    QString socketPath() const { return m_socketPath; }

  signals:
    void activationRequested();

  private:
    void onNewConnection();
    void onReadyRead(QLocalSocket* socket);

    QString m_socketPath;
    QLockFile m_lock;
    QLocalServer m_server;
    std::function<QByteArray(const QByteArray&)> m_commandHandler;
};
