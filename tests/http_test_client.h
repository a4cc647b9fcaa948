// http_test_client.h — a raw HTTP/1.1 client for the server tests: sends bytes exactly as given (hostile ones
// included) over a real loopback socket and reads responses (Content-Length, chunked, or up to the close) while
// the event loop turns, so a server in the same thread keeps running.
#pragma once

#include <QByteArray>
#include <QElapsedTimer>
#include <QList>
#include <QPair>
#include <QTcpSocket>
#include <QTest>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>

// QCOMPARE cannot take nlohmann::json (QTest tries every numeric conversion): compare and print both as JSON.
#define RC_JSON_COMPARE(actual, expected)                                                                         \
    do {                                                                                                          \
        const nlohmann::json rcActual = (actual);                                                                 \
        const nlohmann::json rcExpected = (expected);                                                             \
        QVERIFY2(rcActual == rcExpected, ("got " + rcActual.dump() + ", expected " + rcExpected.dump()).c_str()); \
    } while (false)

namespace rctest {

struct HttpResponse {
    int status = 0;
    QList<QPair<QByteArray, QByteArray>> headers;  // names lower-cased
    QByteArray body;                               // de-chunked

    QByteArray header(const QByteArray& name) const {
        for (const auto& [key, value] : headers) {
            if (key == name) return value;
        }
        return {};
    }
    nlohmann::json json() const { return nlohmann::json::parse(body.toStdString(), nullptr, false); }
};

// Spins the event loop until `done` or the timeout; returns done().
inline bool spinUntil(const std::function<bool()>& done, int timeoutMs) {
    QElapsedTimer timer;
    timer.start();
    while (!done()) {
        if (timer.elapsed() > timeoutMs) return false;
        QTest::qWait(2);
    }
    return true;
}

class TestConnection {
  public:
    explicit TestConnection(quint16 port) {
        m_socket.connectToHost(QStringLiteral("127.0.0.1"), port);
        spinUntil([this] { return m_socket.state() == QAbstractSocket::ConnectedState; }, 10000);
    }
    bool connected() const { return m_socket.state() == QAbstractSocket::ConnectedState; }
    QTcpSocket& socket() { return m_socket; }

    void send(const QByteArray& bytes) {
        m_socket.write(bytes);
        m_socket.flush();
    }

    // Reads until `done(buffer)` holds; false on timeout or close.
    bool readUntil(const std::function<bool(const QByteArray&)>& done, int timeoutMs = 60000) {
        return spinUntil(
                   [&] {
                       m_buffer += m_socket.readAll();
                       return done(m_buffer) || m_socket.state() == QAbstractSocket::UnconnectedState;
                   },
                   timeoutMs) &&
               done(m_buffer);
    }
    const QByteArray& buffer() const { return m_buffer; }

    // One whole response; nullopt on timeout, or a close before it is complete.
    std::optional<HttpResponse> readResponse(int timeoutMs = 60000) {
        std::optional<HttpResponse> response;
        spinUntil(
            [&] {
                m_buffer += m_socket.readAll();
                response = parse(m_socket.state() == QAbstractSocket::UnconnectedState);
                return response.has_value() || m_socket.state() == QAbstractSocket::UnconnectedState;
            },
            timeoutMs);
        return response;
    }

    // True once the server has closed the connection.
    bool waitClosed(int timeoutMs = 10000) {
        return spinUntil(
            [this] {
                m_buffer += m_socket.readAll();
                return m_socket.state() == QAbstractSocket::UnconnectedState;
            },
            timeoutMs);
    }

  private:
    // Takes one response off the front of m_buffer if it is complete.
    std::optional<HttpResponse> parse(bool closed) {
        const qsizetype headEnd = m_buffer.indexOf("\r\n\r\n");
        if (headEnd < 0) return std::nullopt;
        HttpResponse response;
        const QList<QByteArray> lines = m_buffer.left(headEnd).split('\n');
        response.status = lines.first().split(' ').value(1).toInt();
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const qsizetype colon = lines[i].indexOf(':');
            response.headers.append({lines[i].left(colon).trimmed().toLower(), lines[i].mid(colon + 1).trimmed()});
        }
        qsizetype at = headEnd + 4;
        if (response.status == 100) {
            m_buffer.remove(0, at);
            return parse(closed);
        }
        if (response.header("transfer-encoding") == "chunked") {
            while (true) {
                const qsizetype lineEnd = m_buffer.indexOf("\r\n", at);
                if (lineEnd < 0) return std::nullopt;
                const qsizetype size = m_buffer.mid(at, lineEnd - at).toLongLong(nullptr, 16);
                if (m_buffer.size() < lineEnd + 2 + size + 2) return std::nullopt;
                response.body += m_buffer.mid(lineEnd + 2, size);
                at = lineEnd + 2 + size + 2;
                if (size == 0) break;
            }
        } else if (!response.header("content-length").isEmpty()) {
            const qsizetype length = response.header("content-length").toLongLong();
            if (m_buffer.size() < at + length) return std::nullopt;
            response.body = m_buffer.mid(at, length);
            at += length;
        } else {
            if (!closed) return std::nullopt;
            response.body = m_buffer.mid(at);
            at = m_buffer.size();
        }
        m_buffer.remove(0, at);
        return response;
    }

    QTcpSocket m_socket;
    QByteArray m_buffer;
};

inline QByteArray postRequest(const QByteArray& path, const QByteArray& body, const QByteArray& extraHeaders = {}) {
    return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: " +
           QByteArray::number(body.size()) + "\r\n" + extraHeaders + "\r\n" + body;
}

inline QByteArray getRequest(const QByteArray& path, const QByteArray& extraHeaders = {}) {
    return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extraHeaders + "\r\n";
}

// One request on a fresh connection.
inline std::optional<HttpResponse> roundTrip(quint16 port, const QByteArray& request, int timeoutMs = 60000) {
    TestConnection connection(port);
    connection.send(request);
    return connection.readResponse(timeoutMs);
}

// The payloads of an SSE body's "data: ..." events, in order.
inline QList<QByteArray> sseData(const QByteArray& body) {
    QList<QByteArray> data;
    for (const QByteArray& event : body.split('\n')) {
        if (event.startsWith("data: ")) data.append(event.mid(6));
    }
    return data;
}

}  // namespace rctest
