// net/server/request_log.h — one line of the server's request log: what the CLI prints on stderr and what the app
// will show as "recent requests".
#pragma once

#include <QByteArray>
#include <QMetaType>
#include <QString>

namespace rcserver {

struct RequestLogEntry {
    static RequestLogEntry of(QByteArray method, QByteArray path, int status = 0) {
        RequestLogEntry entry;
        entry.method = std::move(method);
        entry.path = std::move(path);
        entry.status = status;
        return entry;
    }

    QByteArray method;
    QByteArray path;
    int status = 0;
    qint64 milliseconds = 0;  // from the whole request received to the response ended
    qint64 promptTokens = 0;
    qint64 cachedTokens = 0;
    qint64 completionTokens = 0;
    bool clientLeft = false;    // the client disconnected before the response ended
    qint64 sampledAtStop = -1;  // tokens sampled when the job was asked to stop (-1: it was not)
    qint64 sampledTotal = 0;    // tokens sampled when it ended
    QString note;               // an error message, or ""

    // "POST /v1/chat/completions 200 1234 ms prompt 812 (cached 790) completion 40"
    QString toText() const;
};

}  // namespace rcserver

Q_DECLARE_METATYPE(rcserver::RequestLogEntry)
