// net/server/http_server.h — listens on an address and turns accepted sockets into HttpConnections, within the
// connection limit of HttpLimits.
#pragma once

#include <QHostAddress>
#include <QObject>
#include <QString>

#include "http_connection.h"

class QTcpServer;

namespace rcserver {

class HttpServer : public QObject {
    Q_OBJECT

  public:
    HttpServer(HttpLimits limits, HttpConnection::ErrorBody errorBody, QObject* parent = nullptr);

    // Port 0 picks a free one. Returns an error message, or "" once listening.
    QString listen(const QHostAddress& address, quint16 port);
    quint16 port() const;
    // Stops accepting; open connections stay until they finish.
    void stopListening();
    // Closes every connection once its pending bytes are written; connectionsClosed follows (at once if none).
    void closeAll();
    int openConnections() const { return m_open; }
    const HttpLimits& limits() const { return m_limits; }

  signals:
    void requestReady(rcserver::HttpConnection* connection, const rcserver::HttpRequest& request);
    void connectionsClosed();

  private:
    void acceptPending();

    HttpLimits m_limits;
    HttpConnection::ErrorBody m_errorBody;
    QTcpServer* m_listener;
    int m_open = 0;
};

}  // namespace rcserver
