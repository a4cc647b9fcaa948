// net/server/http_connection.h — one client connection: reads requests with RequestParser, hands each to the
// server in order (pipelined ones wait their turn), writes one response per request — whole, or streamed with
// chunked framing — and enforces the timeouts of HttpLimits. It says when the client goes away, so that work done
// for it can stop.
#pragma once

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QPair>
#include <QTimer>
#include <functional>

#include "http_request.h"

class QTcpSocket;

namespace rcserver {

using HttpHeaders = QList<QPair<QByteArray, QByteArray>>;

class HttpConnection : public QObject {
    Q_OBJECT

  public:
    // The body of an error response the connection makes itself (a malformed request, a timeout).
    using ErrorBody = std::function<QByteArray(int status, const QByteArray& message)>;

    // Takes ownership of `socket`.
    HttpConnection(QTcpSocket* socket, const HttpLimits& limits, ErrorBody errorBody, QObject* parent = nullptr);

    // Starts reading (after the owner has connected to requestReady and closed).
    void start();

    // The response to the request last handed out by requestReady: either respond(), or beginStream() and any
    // number of writeStream() then endStream(). Ignored once the connection is closed.
    void respond(int status, const QByteArray& contentType, const QByteArray& body, const HttpHeaders& extra = {});
    void beginStream(int status, const QByteArray& contentType, const HttpHeaders& extra = {});
    void writeStream(const QByteArray& data);
    void endStream();
    // Answers `status` with the error body and closes the connection (after the write).
    void refuse(int status, const QByteArray& message);

    bool isOpen() const { return !m_closed; }
    // Closes once what is written has been sent (a response under way is cut short).
    void close() { closeConnection(); }

  signals:
    void requestReady(const rcserver::HttpRequest& request);
    // The client went away or the connection was closed: no response can be written any more. Emitted once.
    void closed();

  private:
    void readSocket();
    void processBuffer();
    void responseDone();
    void closeConnection();
    void writeHead(int status, const QByteArray& contentType, qsizetype length, const HttpHeaders& extra);
    void onDisconnected();

    QTcpSocket* m_socket;
    const HttpLimits m_limits;
    ErrorBody m_errorBody;
    RequestParser m_parser;
    QByteArray m_buffer;      // received, not parsed yet
    bool m_busy = false;      // a request was handed out and its response is not complete
    bool m_keepAlive = true;  // the current request allows another after it
    bool m_streaming = false;
    bool m_chunked = false;    // the streamed response uses chunked framing (HTTP/1.1)
    bool m_closing = false;    // no more requests: close once the response is written
    bool m_lingering = false;  // closing: reading and dropping until the client closes
    bool m_closed = false;
    QTimer m_requestTimer;  // a request's first byte to its last
    QTimer m_idleTimer;     // no request under way
};

}  // namespace rcserver
