// net/server/http_request.h — one HTTP/1.x request and the incremental parser that reads it from the bytes of a
// connection: Content-Length or chunked bodies, pipelined requests left in the buffer, and every limit of
// HttpLimits checked before anything is allocated by a size the client chose. No sockets: tests feed it bytes.
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QPair>

#include "http_limits.h"

namespace rcserver {

struct HttpRequest {
    QByteArray method;
    QByteArray target;  // as sent
    QByteArray path;    // the target's path, without the query
    int minorVersion = 1;
    QList<QPair<QByteArray, QByteArray>> headers;  // names lower-cased, values trimmed
    QByteArray body;

    // The first header of that (lower-case) name; empty if absent.
    QByteArray header(QByteArrayView name) const;
    // Whether the client asked to keep the connection open after this request.
    bool keepAlive() const;
};

// A request the parser refuses: the status to answer with, and why.
struct HttpFailure {
    int status = 400;
    QByteArray message;
};

class RequestParser {
  public:
    explicit RequestParser(const HttpLimits& limits) : m_limits(limits) {}

    enum class Result { NeedMore, Complete, Failed };
    // Consumes bytes of one request from the front of `buffer`; bytes of the next one stay there.
    Result parse(QByteArray& buffer);
    // After Complete: the request; the parser is ready for the next one.
    HttpRequest take();
    // After Failed: what to answer. The connection cannot go on (where the next request starts is unknown).
    const HttpFailure& failure() const { return m_failure; }
    // True from the first byte of a request until it is complete.
    bool inProgress() const { return m_phase != Phase::Head || m_sawBytes; }
    // True once, when the head asked for "Expect: 100-continue" and the body is awaited.
    bool takeContinueDue();

  private:
    enum class Phase { Head, FixedBody, ChunkSize, ChunkData, ChunkEnd, Trailers, Done };
    Result fail(int status, QByteArray message);
    Result parseHead(QByteArray& buffer);
    bool parseRequestLine(QByteArrayView line);
    bool parseHeaderLine(QByteArrayView line);
    bool chooseBodyFraming();
    Result parseChunkSize(QByteArray& buffer);
    Result parseTrailers(QByteArray& buffer);

    const HttpLimits m_limits;
    Phase m_phase = Phase::Head;
    bool m_sawBytes = false;
    bool m_continueDue = false;
    qsizetype m_remaining = 0;  // bytes of the body or of the current chunk still to come
    qsizetype m_trailerBytes = 0;
    HttpRequest m_request;
    HttpFailure m_failure;
};

}  // namespace rcserver
