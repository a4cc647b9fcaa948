// net/server/http_server.cpp — accepting connections.
#include "http_server.h"

#include <QTcpServer>
#include <QTcpSocket>

namespace rcserver {

HttpServer::HttpServer(HttpLimits limits, HttpConnection::ErrorBody errorBody, QObject* parent)
    : QObject(parent), m_limits(limits), m_errorBody(std::move(errorBody)), m_listener(new QTcpServer(this)) {
    connect(m_listener, &QTcpServer::newConnection, this, &HttpServer::acceptPending);
}

QString HttpServer::listen(const QHostAddress& address, quint16 port) {
    if (!m_listener->listen(address, port)) return m_listener->errorString();
    return {};
}

quint16 HttpServer::port() const { return m_listener->serverPort(); }

void HttpServer::stopListening() { m_listener->close(); }

void HttpServer::closeAll() {
    if (m_open == 0) {
        emit connectionsClosed();
        return;
    }
    for (HttpConnection* connection : findChildren<HttpConnection*>(Qt::FindDirectChildrenOnly)) connection->close();
}

void HttpServer::acceptPending() {
    while (QTcpSocket* socket = m_listener->nextPendingConnection()) {
        auto* connection = new HttpConnection(socket, m_limits, m_errorBody, this);
        ++m_open;
        connect(connection, &HttpConnection::closed, this, [this] {
            if (--m_open == 0) emit connectionsClosed();
        });
        if (m_open > m_limits.maxConnections) {
            connection->refuse(503, "too many open connections; try again later");
            continue;
        }
        connect(connection, &HttpConnection::requestReady, this,
                [this, connection](const HttpRequest& request) { emit requestReady(connection, request); });
        connection->start();
    }
}

}  // namespace rcserver
