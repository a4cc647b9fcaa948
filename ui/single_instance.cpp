// single_instance.cpp — the lock file, the activation socket, and raising the window.
#include "single_instance.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFileInfo>
#include <QLocalSocket>
#include <QStandardPaths>
#include <QWindow>

namespace {

// Runtime folder (per user, mode 0700) plus a hash of the data folder: short enough for a socket path, and
// distinct for every data folder (tests run side by side with their own XDG folders).
QString socketPathFor(const QString& dataDirectory) {
    const QByteArray key = QFileInfo(dataDirectory).absoluteFilePath().toUtf8();
    const QString hash =
        QString::fromLatin1(QCryptographicHash::hash(key, QCryptographicHash::Sha256).toHex().left(16));
    return QDir(QStandardPaths::writableLocation(QStandardPaths::RuntimeLocation))
        .filePath(QStringLiteral("recurrent-chat-%1.socket").arg(hash));
}

}  // namespace

SingleInstance::SingleInstance(const QString& dataDirectory, QObject* parent)
    : QObject(parent),
      m_socketPath(socketPathFor(dataDirectory)),
      m_lock(QDir(dataDirectory).filePath(QStringLiteral("recurrent-chat.lock"))) {
    // Stale only when its process is gone: a lock held for hours by a running instance is still held.
    m_lock.setStaleLockTime(0);
    connect(&m_server, &QLocalServer::newConnection, this, &SingleInstance::onNewConnection);
}

bool SingleInstance::tryLock() {
    if (!m_lock.tryLock(0)) {
        if (m_lock.error() == QLockFile::LockFailedError) return false;
        // Not another instance but an unwritable folder: run unguarded; the store reports the folder's problem.
        qWarning("recurrent-chat: cannot create the lock file in the data folder (error %d)", int(m_lock.error()));
        return true;
    }
    // The lock is ours, so any socket at our path was left by a crashed instance.
    QLocalServer::removeServer(m_socketPath);
    m_server.setSocketOptions(QLocalServer::UserAccessOption);
    // Without the socket a second launch still sees the lock and exits; it just cannot raise this window.
    if (!m_server.listen(m_socketPath)) {
        qWarning("recurrent-chat: cannot listen on %s: %s", qPrintable(m_socketPath),
                 qPrintable(m_server.errorString()));
    }
    return true;
}

bool SingleInstance::activateRunning(int timeoutMs) const {
    QLocalSocket socket;
    socket.connectToServer(m_socketPath);
    if (!socket.waitForConnected(timeoutMs)) return false;
    socket.write("activate\n");
    const bool written = socket.waitForBytesWritten(timeoutMs);
    socket.disconnectFromServer();
    return written;
}

qint64 SingleInstance::runningProcessId() const {
    qint64 pid = 0;
    QString hostName;
    QString appName;
    return m_lock.getLockInfo(&pid, &hostName, &appName) ? pid : 0;
}

void SingleInstance::raiseOnActivation(QWindow* window) {
    connect(this, &SingleInstance::activationRequested, window, [window] {
        window->setWindowStates(window->windowStates() & ~Qt::WindowMinimized);
        window->show();
        window->raise();
        window->requestActivate();
    });
}

void SingleInstance::onNewConnection() {
    while (QLocalSocket* socket = m_server.nextPendingConnection()) {
        connect(socket, &QLocalSocket::readyRead, this, [this, socket] {
            if (socket->readAll().startsWith("activate")) emit activationRequested();
            socket->disconnectFromServer();
        });
        connect(socket, &QLocalSocket::disconnected, socket, &QObject::deleteLater);
    }
}
