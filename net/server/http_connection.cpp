// net/server/http_connection.cpp — socket reads are capped (a client cannot make us buffer more than one request's
// worth while a response is under way), and the next pipelined request is taken from a queued call, so a burst of
// them never recurses.
#include "http_connection.h"

#include <sys/socket.h>

#include <QTcpSocket>
#include <algorithm>

namespace rcserver {

namespace {

constexpr int kLingerMs = 2000;  // how long a closing connection waits for the client to close its side

QByteArray reasonPhrase(int status) {
    switch (status) {
        case 100:
            return "Continue";
        case 200:
            return "OK";
        case 400:
            return "Bad Request";
        case 401:
            return "Unauthorized";
        case 404:
            return "Not Found";
        case 405:
            return "Method Not Allowed";
        case 408:
            return "Request Timeout";
        case 413:
            return "Content Too Large";
        case 431:
            return "Request Header Fields Too Large";
        case 500:
            return "Internal Server Error";
        case 501:
            return "Not Implemented";
        case 503:
            return "Service Unavailable";
        case 505:
            return "HTTP Version Not Supported";
        default:
            return "Status";
    }
}

}  // namespace

HttpConnection::HttpConnection(QTcpSocket* socket, const HttpLimits& limits, ErrorBody errorBody, QObject* parent)
    : QObject(parent), m_socket(socket), m_limits(limits), m_errorBody(std::move(errorBody)), m_parser(limits) {
    m_socket->setParent(this);
    // Qt stops reading from the kernel when this much waits unread: TCP then slows the client down.
    m_socket->setReadBufferSize(64 * 1024);
    // Tokens go out as small writes, one after another: without TCP_NODELAY each would wait for the client's
    // delayed acknowledgement of the one before (up to 40 ms on Linux).
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    m_requestTimer.setSingleShot(true);
    m_idleTimer.setSingleShot(true);
    connect(&m_requestTimer, &QTimer::timeout, this, [this] {
        refuse(408, "the request did not arrive within " + QByteArray::number(m_limits.requestTimeoutMs) + " ms");
    });
    connect(&m_idleTimer, &QTimer::timeout, this, &HttpConnection::closeConnection);
    connect(m_socket, &QTcpSocket::readyRead, this, &HttpConnection::readSocket);
    connect(m_socket, &QTcpSocket::disconnected, this, &HttpConnection::onDisconnected);
}

void HttpConnection::start() {
    m_idleTimer.start(m_limits.idleTimeoutMs);
    readSocket();
}

void HttpConnection::readSocket() {
    if (m_closed) return;
    if (m_lingering) {
        m_socket->readAll();  // dropped: see closeConnection()
        return;
    }
    // One request's worth at most: the rest stays in the socket until the response to this one is written.
    const qsizetype cap = m_limits.maxHeadBytes + m_limits.maxBodyBytes + 64 * 1024;
    if (m_closing || m_buffer.size() >= cap) return;
    m_buffer += m_socket->read(cap - m_buffer.size());
    if (!m_busy) processBuffer();
}

void HttpConnection::processBuffer() {
    if (m_busy || m_closing || m_closed) return;
    const RequestParser::Result result = m_parser.parse(m_buffer);
    if (m_parser.inProgress() && !m_requestTimer.isActive()) {
        m_idleTimer.stop();
        m_requestTimer.start(m_limits.requestTimeoutMs);
    }
    switch (result) {
        case RequestParser::Result::Failed:
            refuse(m_parser.failure().status, m_parser.failure().message);
            return;
        case RequestParser::Result::NeedMore:
            if (m_parser.takeContinueDue()) m_socket->write("HTTP/1.1 100 Continue\r\n\r\n");
            return;
        case RequestParser::Result::Complete:
            break;
    }
    m_requestTimer.stop();
    const HttpRequest request = m_parser.take();
    m_keepAlive = request.keepAlive();
    m_chunked = request.minorVersion >= 1;
    m_busy = true;
    emit requestReady(request);
}

void HttpConnection::writeHead(int status, const QByteArray& contentType, qsizetype length, const HttpHeaders& extra) {
    QByteArray head = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status) + "\r\n";
    if (!contentType.isEmpty()) head += "Content-Type: " + contentType + "\r\n";
    if (length >= 0) {
        head += "Content-Length: " + QByteArray::number(length) + "\r\n";
    } else if (m_chunked) {
        head += "Transfer-Encoding: chunked\r\n";
    } else {
        m_keepAlive = false;  // an HTTP/1.0 stream ends when the connection does
    }
    for (const auto& [name, value] : extra) head += name + ": " + value + "\r\n";
    head += m_keepAlive && !m_closing ? "Connection: keep-alive\r\n\r\n" : "Connection: close\r\n\r\n";
    m_socket->write(head);
}

void HttpConnection::respond(int status, const QByteArray& contentType, const QByteArray& body,
                             const HttpHeaders& extra) {
    if (m_closed || !m_busy || m_streaming) return;
    writeHead(status, contentType, body.size(), extra);
    m_socket->write(body);
    responseDone();
}

void HttpConnection::beginStream(int status, const QByteArray& contentType, const HttpHeaders& extra) {
    if (m_closed || !m_busy || m_streaming) return;
    m_streaming = true;
    writeHead(status, contentType, -1, extra);
}

void HttpConnection::writeStream(const QByteArray& data) {
    if (m_closed || !m_streaming || data.isEmpty()) return;
    if (m_chunked) {
        m_socket->write(QByteArray::number(data.size(), 16) + "\r\n" + data + "\r\n");
    } else {
        m_socket->write(data);
    }
}

void HttpConnection::endStream() {
    if (m_closed || !m_streaming) return;
    if (m_chunked) m_socket->write("0\r\n\r\n");
    m_streaming = false;
    responseDone();
}

void HttpConnection::refuse(int status, const QByteArray& message) {
    if (m_closed) return;
    m_requestTimer.stop();
    if (m_streaming) {  // too late for a status: the client sees the stream cut short
        closeConnection();
        return;
    }
    m_closing = true;
    m_keepAlive = false;
    m_chunked = false;
    writeHead(status, "application/json", m_errorBody(status, message).size(), {});
    m_socket->write(m_errorBody(status, message));
    closeConnection();
}

void HttpConnection::responseDone() {
    m_busy = false;
    if (!m_keepAlive || m_closing) {
        closeConnection();
        return;
    }
    m_idleTimer.start(m_limits.idleTimeoutMs);
    // The next pipelined request, if any, from the event loop rather than from inside this response.
    QMetaObject::invokeMethod(
        this,
        [this] {
            readSocket();
            processBuffer();
        },
        Qt::QueuedConnection);
}

void HttpConnection::closeConnection() {
    if (m_closed || m_lingering) return;
    m_closing = true;
    m_lingering = true;
    m_requestTimer.stop();
    m_idleTimer.stop();
    if (m_socket->state() != QAbstractSocket::ConnectedState) {
        onDisconnected();
        return;
    }
    // A lingering close (as Apache's): our side stops sending once the response is out, and what the client still
    // sends (the rest of a refused 10 MB body) is read and dropped until it closes too. Closing with unread data
    // would send a reset, and the client could lose the response before reading it.
    auto shutDownWrites = [this] {
        if (m_socket->bytesToWrite() == 0 && m_socket->state() == QAbstractSocket::ConnectedState) {
            ::shutdown(static_cast<int>(m_socket->socketDescriptor()), SHUT_WR);
        }
    };
    connect(m_socket, &QTcpSocket::bytesWritten, this, shutDownWrites);
    m_socket->flush();
    shutDownWrites();
    readSocket();
    QTimer::singleShot(std::min(m_limits.idleTimeoutMs, kLingerMs), this, [this] {
        m_socket->abort();
        onDisconnected();
    });
}

void HttpConnection::onDisconnected() {
    if (m_closed) return;
    m_closed = true;
    m_requestTimer.stop();
    m_idleTimer.stop();
    emit closed();
    deleteLater();
}

}  // namespace rcserver
