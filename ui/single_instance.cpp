// single_instance.cpp — the lock file, the socket (activations and commands), and raising the window. On the
// socket a client sends one line, "activate" or "command <request>", and a command's answer comes back as the
// server's only line before it closes the connection.
#include "single_instance.h"

#include <QCryptographicHash>
#include <QDeadlineTimer>
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

const QByteArray kCommandPrefix = "command ";
constexpr qint64 kMaxRequestBytes = 64 * 1024;  // a request names a chat and a path: anything longer is not ours

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

std::optional<QByteArray> SingleInstance::sendCommand(const QByteArray& request, int timeoutMs) const {
    QLocalSocket socket;
    socket.connectToServer(m_socketPath);
    if (!socket.waitForConnected(timeoutMs)) return std::nullopt;
    socket.write(kCommandPrefix + request + '\n');
    if (!socket.waitForBytesWritten(timeoutMs)) return std::nullopt;
    QByteArray answer;
    QDeadlineTimer deadline(timeoutMs);
    while (!answer.endsWith('\n')) {
        if (socket.bytesAvailable() == 0 && !socket.waitForReadyRead(int(deadline.remainingTime()))) break;
        answer += socket.readAll();
    }
    if (!answer.endsWith('\n')) return std::nullopt;
    answer.chop(1);
    return answer;
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
        connect(socket, &QLocalSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
        connect(socket, &QLocalSocket::disconnected, socket, &QObject::deleteLater);
    }
}

void SingleInstance::onReadyRead(QLocalSocket* socket) {
    // A line may come in pieces: wait for its end (bounded, so a stray client cannot make us buffer forever).
    if (!socket->canReadLine() && socket->bytesAvailable() < kMaxRequestBytes) return;
    const QByteArray line = socket->readLine(kMaxRequestBytes).trimmed();
    if (line.startsWith("activate")) {
        emit activationRequested();
    } else if (line.startsWith(kCommandPrefix) && m_commandHandler) {
        QByteArray answer = m_commandHandler(line.mid(kCommandPrefix.size()));
        answer.replace('\n', ' ');  // the answer is one line (JSON has its newlines escaped anyway)
        socket->write(answer + '\n');
        socket->flush();
    }
    socket->disconnectFromServer();
}
