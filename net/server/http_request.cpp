// net/server/http_request.cpp — RFC 9112 message parsing, strict where leniency invites request smuggling
// (Content-Length with Transfer-Encoding, conflicting lengths, folded headers) and lenient where clients differ
// harmlessly (bare LF line ends, empty lines before a request).
#include "http_request.h"

#include <algorithm>

namespace rcserver {

namespace {

constexpr qsizetype kMaxChunkLine = 1024;  // "<hex size>[;extensions]"

bool isTokenChar(char c) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
    return QByteArrayView("!#$%&'*+-.^_`|~").contains(c);
}

bool isToken(QByteArrayView text) { return !text.isEmpty() && std::all_of(text.begin(), text.end(), isTokenChar); }

bool hasControlChar(QByteArrayView text) {
    return std::any_of(text.begin(), text.end(),
                       [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}

QByteArrayView stripCr(QByteArrayView line) { return line.endsWith('\r') ? line.chopped(1) : line; }

// Index just past the empty line that ends a head ("\r\n\r\n" or "\n\n"), or -1.
qsizetype headEnd(const QByteArray& buffer, qsizetype limit) {
    const qsizetype scan = std::min(buffer.size(), limit);
    for (qsizetype i = buffer.indexOf('\n'); i >= 0 && i < scan; i = buffer.indexOf('\n', i + 1)) {
        if (i + 1 < buffer.size() && buffer[i + 1] == '\n') return i + 2;
        if (i + 2 < buffer.size() && buffer[i + 1] == '\r' && buffer[i + 2] == '\n') return i + 3;
    }
    return -1;
}

// Parses 1-16 hex digits; false on anything else or overflow of qsizetype.
bool parseHex(QByteArrayView text, qsizetype& value) {
    if (text.isEmpty() || text.size() > 15) return false;
    value = 0;
    for (char c : text) {
        int digit = -1;
        if (c >= '0' && c <= '9') digit = c - '0';
        if (c >= 'a' && c <= 'f') digit = c - 'a' + 10;
        if (c >= 'A' && c <= 'F') digit = c - 'A' + 10;
        if (digit < 0) return false;
        value = value * 16 + digit;
    }
    return true;
}

bool hasConnectionToken(const QByteArray& value, QByteArrayView token) {
    for (const QByteArray& item : value.split(',')) {
        if (item.trimmed().compare(token, Qt::CaseInsensitive) == 0) return true;
    }
    return false;
}

}  // namespace

QByteArray HttpRequest::header(QByteArrayView name) const {
    for (const auto& [key, value] : headers) {
        if (key == name) return value;
    }
    return {};
}

bool HttpRequest::keepAlive() const {
    const QByteArray connection = header("connection");
    if (minorVersion == 0) return hasConnectionToken(connection, "keep-alive");
    return !hasConnectionToken(connection, "close");
}

RequestParser::Result RequestParser::fail(int status, QByteArray message) {
    m_failure = HttpFailure{status, std::move(message)};
    return Result::Failed;
}

bool RequestParser::takeContinueDue() { return std::exchange(m_continueDue, false); }

HttpRequest RequestParser::take() {
    HttpRequest request = std::move(m_request);
    m_request = {};
    m_phase = Phase::Head;
    m_sawBytes = false;
    m_continueDue = false;
    m_remaining = 0;
    m_trailerBytes = 0;
    return request;
}

RequestParser::Result RequestParser::parse(QByteArray& buffer) {
    while (true) {
        switch (m_phase) {
            case Phase::Head: {
                const Result head = parseHead(buffer);
                if (head != Result::Complete) return head;
                break;
            }
            case Phase::FixedBody:
            case Phase::ChunkData: {
                const qsizetype take = std::min(m_remaining, buffer.size());
                m_request.body.append(buffer.constData(), take);
                buffer.remove(0, take);
                m_remaining -= take;
                if (m_remaining > 0) return Result::NeedMore;
                m_phase = m_phase == Phase::FixedBody ? Phase::Done : Phase::ChunkEnd;
                break;
            }
            case Phase::ChunkEnd: {
                if (buffer.startsWith("\r\n")) {
                    buffer.remove(0, 2);
                } else if (buffer.startsWith('\n')) {
                    buffer.remove(0, 1);
                } else if (buffer.isEmpty() || buffer == "\r") {
                    return Result::NeedMore;
                } else {
                    return fail(400, "a chunk of the body is longer than its declared size");
                }
                m_phase = Phase::ChunkSize;
                break;
            }
            case Phase::ChunkSize: {
                const Result size = parseChunkSize(buffer);
                if (size != Result::Complete) return size;
                break;
            }
            case Phase::Trailers: {
                const Result trailers = parseTrailers(buffer);
                if (trailers != Result::Complete) return trailers;
                break;
            }
            case Phase::Done:
                return Result::Complete;
        }
    }
}

RequestParser::Result RequestParser::parseHead(QByteArray& buffer) {
    // Empty lines before a request are ignored (RFC 9112 2.2), within the head limit.
    qsizetype skip = 0;
    while (skip < buffer.size() && (buffer[skip] == '\r' || buffer[skip] == '\n')) ++skip;
    if (skip > m_limits.maxHeadBytes) return fail(400, "too many empty lines before the request");
    buffer.remove(0, skip);
    if (buffer.isEmpty()) return Result::NeedMore;
    m_sawBytes = true;
    const qsizetype end = headEnd(buffer, m_limits.maxHeadBytes);
    if (end < 0) {
        if (buffer.size() > m_limits.maxHeadBytes) {
            return fail(431,
                        "the request line and headers exceed " + QByteArray::number(m_limits.maxHeadBytes) + " bytes");
        }
        return Result::NeedMore;
    }
    const QByteArray head = buffer.left(end);
    buffer.remove(0, end);
    QList<QByteArray> lines = head.split('\n');
    while (!lines.isEmpty() && stripCr(lines.last()).isEmpty()) lines.removeLast();
    if (lines.isEmpty() || !parseRequestLine(stripCr(lines.first()))) return Result::Failed;
    if (lines.size() - 1 > m_limits.maxHeaders) {
        return fail(431, "more than " + QByteArray::number(m_limits.maxHeaders) + " header lines");
    }
    for (qsizetype i = 1; i < lines.size(); ++i) {
        if (!parseHeaderLine(stripCr(lines[i]))) return Result::Failed;
    }
    if (!chooseBodyFraming()) return Result::Failed;
    m_continueDue = m_phase != Phase::Done && hasConnectionToken(m_request.header("expect"), "100-continue");
    return Result::Complete;
}

bool RequestParser::parseRequestLine(QByteArrayView line) {
    const QList<QByteArray> parts = line.toByteArray().split(' ');
    if (parts.size() != 3 || !isToken(parts[0]) || parts[1].isEmpty() || hasControlChar(parts[1])) {
        fail(400, "malformed request line");
        return false;
    }
    const QByteArray& version = parts[2];
    if (version == "HTTP/1.1" || version == "HTTP/1.0") {
        m_request.minorVersion = version.back() - '0';
    } else {
        fail(version.startsWith("HTTP/") ? 505 : 400, "only HTTP/1.0 and HTTP/1.1 are spoken here");
        return false;
    }
    m_request.method = parts[0];
    m_request.target = parts[1];
    QByteArray path = parts[1];
    if (path.startsWith("http://") || path.startsWith("https://")) {  // absolute form: keep the path
        const qsizetype slash = path.indexOf('/', path.indexOf("//") + 2);
        path = slash < 0 ? QByteArray("/") : path.mid(slash);
    }
    if (!path.startsWith('/') && path != "*") {
        fail(400, "the request target is not a path");
        return false;
    }
    const qsizetype query = path.indexOf('?');
    m_request.path = query < 0 ? path : path.left(query);
    return true;
}

bool RequestParser::parseHeaderLine(QByteArrayView line) {
    if (line.startsWith(' ') || line.startsWith('\t')) {
        fail(400, "folded header lines are not accepted");
        return false;
    }
    const qsizetype colon = line.indexOf(':');
    if (colon <= 0 || !isToken(line.first(colon))) {
        fail(400, "malformed header line");
        return false;
    }
    const QByteArray value = line.sliced(colon + 1).toByteArray().trimmed();
    if (hasControlChar(QByteArray(value).replace('\t', ' '))) {
        fail(400, "control characters in a header value");
        return false;
    }
    m_request.headers.append({line.first(colon).toByteArray().toLower(), value});
    return true;
}

bool RequestParser::chooseBodyFraming() {
    QByteArray length;
    QByteArray encoding;
    for (const auto& [name, value] : m_request.headers) {
        if (name == "content-length") {
            if (!length.isNull() && length != value) {
                fail(400, "conflicting Content-Length headers");
                return false;
            }
            length = value;
        } else if (name == "transfer-encoding") {
            encoding += (encoding.isEmpty() ? "" : ",") + value;
        }
    }
    if (!encoding.isEmpty()) {
        if (!length.isNull()) {
            fail(400, "both Content-Length and Transfer-Encoding");
            return false;
        }
        if (encoding.trimmed().compare("chunked", Qt::CaseInsensitive) != 0) {
            fail(501, "Transfer-Encoding " + encoding.left(64) + " is not supported (only chunked)");
            return false;
        }
        m_phase = Phase::ChunkSize;
        return true;
    }
    if (length.isNull()) {
        m_phase = Phase::Done;
        return true;
    }
    const bool digits = !length.isEmpty() && length.size() <= 18 &&
                        std::all_of(length.begin(), length.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (!digits) {
        fail(400, "Content-Length is not a number");
        return false;
    }
    m_remaining = length.toLongLong();
    if (m_remaining > m_limits.maxBodyBytes) {
        fail(413, "the body of " + length + " bytes exceeds the limit of " + QByteArray::number(m_limits.maxBodyBytes) +
                      " bytes");
        return false;
    }
    m_request.body.reserve(m_remaining);  // bounded by maxBodyBytes just above
    m_phase = m_remaining > 0 ? Phase::FixedBody : Phase::Done;
    return true;
}

RequestParser::Result RequestParser::parseChunkSize(QByteArray& buffer) {
    const qsizetype newline = buffer.indexOf('\n');
    if (newline < 0) {
        return buffer.size() > kMaxChunkLine ? fail(400, "a chunk size line is too long") : Result::NeedMore;
    }
    if (newline > kMaxChunkLine) return fail(400, "a chunk size line is too long");
    QByteArrayView line = stripCr(QByteArrayView(buffer).first(newline));
    if (const qsizetype semicolon = line.indexOf(';'); semicolon >= 0) line = line.first(semicolon);  // extensions
    qsizetype size = 0;
    if (!parseHex(line.trimmed(), size)) return fail(400, "malformed chunk size");
    buffer.remove(0, newline + 1);
    if (size > m_limits.maxBodyBytes - m_request.body.size()) {
        return fail(413,
                    "the chunked body exceeds the limit of " + QByteArray::number(m_limits.maxBodyBytes) + " bytes");
    }
    m_remaining = size;
    m_phase = size == 0 ? Phase::Trailers : Phase::ChunkData;
    return Result::Complete;
}

RequestParser::Result RequestParser::parseTrailers(QByteArray& buffer) {
    while (true) {
        const qsizetype newline = buffer.indexOf('\n');
        if (newline < 0) {
            return m_trailerBytes + buffer.size() > m_limits.maxHeadBytes ? fail(431, "the trailers are too long")
                                                                          : Result::NeedMore;
        }
        m_trailerBytes += newline + 1;
        if (m_trailerBytes > m_limits.maxHeadBytes) return fail(431, "the trailers are too long");
        const bool empty = stripCr(QByteArrayView(buffer).first(newline)).isEmpty();
        buffer.remove(0, newline + 1);  // trailer fields are read and dropped
        if (empty) {
            m_phase = Phase::Done;
            return Result::Complete;
        }
    }
}

}  // namespace rcserver
