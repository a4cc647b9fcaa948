// fake_hub.cpp — the fake Hub's two listeners, its routes (tree, resolve, storage) and its faults.
#include "fake_hub.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMutex>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>
#include <QUrlQuery>

namespace rctest {

namespace {

struct Request {
    int listener = 0;
    QByteArray method;
    QByteArray target;
    QStringList segments;  // the decoded path's segments
    QUrlQuery query;
    QMap<QByteArray, QByteArray> headers;
};

std::optional<Request> parseRequest(const QByteArray& head, int listener) {
    const QList<QByteArray> lines = head.split('\n');
    const QList<QByteArray> first = lines.value(0).trimmed().split(' ');
    if (first.size() != 3) return std::nullopt;
    Request request{listener, first[0], first[1], {}, {}, {}};
    QByteArray target = request.target;
    if (target.startsWith("http://")) target = target.mid(target.indexOf('/', 7));  // through a proxy
    const qsizetype question = target.indexOf('?');
    request.query = QUrlQuery(QString::fromLatin1(question < 0 ? QByteArray() : target.mid(question + 1)));
    for (const QByteArray& segment : target.left(question < 0 ? target.size() : question).split('/')) {
        if (!segment.isEmpty()) request.segments << QUrl::fromPercentEncoding(segment);
    }
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const qsizetype colon = lines[i].indexOf(':');
        if (colon > 0)
            request.headers.insert(lines[i].left(colon).trimmed().toLower(), lines[i].mid(colon + 1).trimmed());
    }
    return request;
}

QByteArray reason(int status) {
    switch (status) {
        case 200:
            return "OK";
        case 206:
            return "Partial Content";
        case 302:
            return "Found";
        case 401:
            return "Unauthorized";
        case 403:
            return "Forbidden";
        case 404:
            return "Not Found";
        case 416:
            return "Range Not Satisfiable";
        default:
            return "Service Unavailable";
    }
}

}  // namespace

class FakeHubServer : public QObject {
  public:
    FakeHubServer() {
        for (int i = 0; i < 2; ++i) {
            m_listeners[i] = new QTcpServer(this);
            m_listeners[i]->listen(QHostAddress::LocalHost, 0);
            connect(m_listeners[i], &QTcpServer::newConnection, this, [this, i] { accept(i); });
        }
    }

    quint16 port(int listener) const { return m_listeners[listener]->serverPort(); }

    mutable QMutex mutex;  // guards everything below: the test's thread sets and reads, the server's serves
    QMap<QString, FakeRepo> repos;
    QMap<QByteArray, QString> gitOids;  // content -> id, computed once (hashing 14 MB per request is slow)
    QMap<QByteArray, QString> sha256s;
    QMap<QString, Fault> faults;
    QSet<QString> faultsUsed;
    int pageSize = 2;
    QString grantedToken;
    QMap<QByteArray, QByteArray> resolveHeaders;
    QList<SeenRequest> seen;

  private:
    void accept(int listener) {
        while (QTcpSocket* socket = m_listeners[listener]->nextPendingConnection()) {
            auto buffer = std::make_shared<QByteArray>();
            connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            connect(socket, &QTcpSocket::readyRead, socket, [this, socket, buffer, listener] {
                buffer->append(socket->readAll());
                const qsizetype end = buffer->indexOf("\r\n\r\n");
                if (end < 0 || socket->property("answered").toBool()) return;
                socket->setProperty("answered", true);
                auto request = parseRequest(buffer->left(end), listener);
                if (!request) return socket->disconnectFromHost();
                handle(socket, *request);
            });
        }
    }

    // Writes a whole answer and closes. The request is logged with the status and the content bytes sent.
    void respond(QTcpSocket* socket, const Request& request, int status, QMap<QByteArray, QByteArray> headers,
                 const QByteArray& body, qint64 contentBytes = 0) {
        log(request, status, contentBytes);
        if (!headers.contains("Content-Length")) headers.insert("Content-Length", QByteArray::number(body.size()));
        socket->write(head(status, headers));
        if (request.method != "HEAD") socket->write(body);
        socket->disconnectFromHost();
    }

    static QByteArray head(int status, const QMap<QByteArray, QByteArray>& headers) {
        QByteArray text = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reason(status) + "\r\n";
        for (auto it = headers.begin(); it != headers.end(); ++it) text += it.key() + ": " + it.value() + "\r\n";
        return text + "Connection: close\r\n\r\n";
    }

    void log(const Request& request, int status, qint64 contentBytes) {
        QMutexLocker lock(&mutex);
        seen << SeenRequest{request.listener, request.method, request.target, u'/' + request.segments.join(u'/'),
                            request.headers,  status,         contentBytes};
    }

    void handle(QTcpSocket* socket, const Request& request) {
        const QStringList& s = request.segments;
        QMutexLocker lock(&mutex);
        if (s.size() >= 2 && s[0] == u"blobs") {
            for (const FakeRepo& repo : std::as_const(repos)) {
                for (auto it = repo.files.begin(); it != repo.files.end(); ++it) {
                    if (sha256s.value(it.value()) != s[1]) continue;
                    const QByteArray content = it.value();
                    const QString path = it.key();
                    lock.unlock();
                    return serveContent(socket, request, path, content, {});
                }
            }
            lock.unlock();
            return respond(socket, request, 404, {}, "Blob not found");
        }
        if (s.size() >= 6 && s[0] == u"api" && s[1] == u"models" && s[4] == u"tree") {
            const QString id = s[2] + u'/' + s[3];
            if (!repos.contains(id)) {
                lock.unlock();
                return respond(socket, request, 401, {{"X-Error-Code", "RepoNotFound"}},
                               R"({"error":"Repository not found"})");
            }
            return tree(socket, request, id, lock);
        }
        if (s.size() >= 5 && s[2] == u"resolve") return resolve(socket, request, s[0] + u'/' + s[1], lock);
        lock.unlock();
        respond(socket, request, 404, {}, "Not found");
    }

    void tree(QTcpSocket* socket, const Request& request, const QString& id, QMutexLocker<QMutex>& lock) {
        const FakeRepo repo = repos[id];
        const int size = pageSize;
        const auto oids = gitOids;
        const auto shas = sha256s;
        lock.unlock();
        if (request.segments[5] != u"main" && request.segments[5] != repo.commit) {
            return respond(socket, request, 404, {{"X-Error-Code", "RevisionNotFound"}}, "{}");
        }
        QJsonArray entries;
        QSet<QString> folders;
        for (auto it = repo.files.begin(); it != repo.files.end(); ++it) {
            const QString folder = it.key().section(u'/', 0, -2);
            if (!folder.isEmpty() && !folders.contains(folder)) {
                folders.insert(folder);
                entries.append(QJsonObject{
                    {"type", "directory"}, {"oid", FakeHub::gitOid(folder.toUtf8())}, {"size", 0}, {"path", folder}});
            }
            const qint64 size = repo.listedSizes.value(it.key(), it.value().size());
            QJsonObject entry{{"type", "file"}, {"oid", oids.value(it.value())}, {"size", size}, {"path", it.key()}};
            if (repo.lfs.contains(it.key())) {
                entry.insert("lfs", QJsonObject{{"oid", shas.value(it.value())}, {"size", size}, {"pointerSize", 134}});
            }
            entries.append(entry);
        }
        const int cursor = request.query.queryItemValue(QStringLiteral("cursor")).toInt();
        QJsonArray page;
        for (int i = cursor; i < std::min<int>(cursor + size, entries.size()); ++i) page.append(entries.at(i));
        QMap<QByteArray, QByteArray> headers{{"Content-Type", "application/json"}};
        if (cursor + size < entries.size()) {
            const QByteArray next = "http://127.0.0.1:" + QByteArray::number(port(0)) + "/api/models/" + id.toUtf8() +
                                    "/tree/" + request.segments[5].toUtf8() +
                                    "?recursive=true&cursor=" + QByteArray::number(cursor + size);
            headers.insert("Link", "<" + next + ">; rel=\"next\"");
        }
        respond(socket, request, 200, headers, QJsonDocument(page).toJson(QJsonDocument::Compact));
    }

    void resolve(QTcpSocket* socket, const Request& request, const QString& id, QMutexLocker<QMutex>& lock) {
        if (!repos.contains(id)) {
            lock.unlock();
            return respond(socket, request, 401, {{"X-Error-Code", "RepoNotFound"}},
                           R"({"error":"Repository not found"})");
        }
        const FakeRepo repo = repos[id];
        const QString granted = grantedToken;
        const QMap<QByteArray, QByteArray> overrides = resolveHeaders;
        const auto oids = gitOids;
        const auto shas = sha256s;
        lock.unlock();
        QMap<QByteArray, QByteArray> headers;
        const QString revision = request.segments[3];
        const QString path = request.segments.mid(4).join(u'/');
        headers.insert("X-Repo-Commit", repo.commit.toLatin1());
        if (revision != u"main" && revision != repo.commit) {
            headers.insert("X-Error-Code", "RevisionNotFound");
            return respond(socket, request, 404, headers, R"({"error":"Invalid rev id"})");
        }
        if (repo.gated) {
            const QByteArray authorization = request.headers.value("authorization");
            if (authorization.isEmpty()) {
                headers.insert("X-Error-Code", "GatedRepo");
                const QByteArray body = "{\"error\":\"Access to model " + id.toUtf8() +
                                        " is restricted. You must "
                                        "have access to it and be authenticated to access it. Please log in.\"}";
                return respond(socket, request, 401, headers, body);
            }
            if (authorization != "Bearer " + granted.toLatin1()) {
                headers.insert("X-Error-Code", "GatedRepo");
                const QByteArray body = "{\"error\":\"Access to model " + id.toUtf8() +
                                        " is restricted and you are "
                                        "not in the authorized list. Visit https://huggingface.co/" +
                                        id.toUtf8() + " to ask for access.\"}";
                return respond(socket, request, 403, headers, body);
            }
        }
        if (!repo.files.contains(path)) {
            headers.insert("X-Error-Code", "EntryNotFound");
            return respond(socket, request, 404, headers, R"({"error":"Entry not found"})");
        }
        const QByteArray content = repo.files[path];
        if (repo.lfs.contains(path)) {
            const QString sha = shas.value(content);
            headers.insert("X-Linked-Etag", '"' + sha.toLatin1() + '"');
            headers.insert("X-Linked-Size", QByteArray::number(content.size()));
            headers.insert("ETag", "\"not-the-content-etag\"");  // the redirect's own: X-Linked-Etag wins
            headers.insert("Location", "http://127.0.0.1:" + QByteArray::number(port(1)) + "/blobs/" + sha.toLatin1() +
                                           "?expires=1&signature=abc");
            headers.insert(overrides);
            return respond(socket, request, 302, headers, {});
        }
        headers.insert("ETag", "W/\"" + oids.value(content).toLatin1() + '"');
        headers.insert(overrides);
        serveContent(socket, request, path, content, headers);
    }

    // Once-faults fire for the first request they apply to, then never again.
    bool takeOnce(const QString& path, Fault fault) {
        QMutexLocker lock(&mutex);
        if (faults.value(path) != fault || faultsUsed.contains(path)) return false;
        faultsUsed.insert(path);
        return true;
    }

    void serveContent(QTcpSocket* socket, const Request& request, const QString& path, QByteArray content,
                      QMap<QByteArray, QByteArray> headers) {
        const Fault fault = [&] {
            QMutexLocker lock(&mutex);
            return faults.value(path);
        }();
        const bool isGet = request.method == "GET";
        if (isGet && takeOnce(path, Fault::ServerErrorOnce)) return respond(socket, request, 503, headers, "busy");
        if (fault == Fault::Corrupt && !content.isEmpty())
            content[content.size() / 2] = char(content[content.size() / 2] ^ 0x5a);
        static const QRegularExpression rangePattern(QStringLiteral("^bytes=(\\d+)-$"));
        const auto range = rangePattern.match(QString::fromLatin1(request.headers.value("range")));
        int status = 200;
        qint64 from = 0;
        if (range.hasMatch() && fault != Fault::IgnoreRange) {
            from = range.captured(1).toLongLong();
            if (from >= content.size() || takeOnce(path, Fault::RangeNotSatisfiableOnce)) {
                headers.insert("Content-Range", "bytes */" + QByteArray::number(content.size()));
                return respond(socket, request, 416, headers, {});
            }
            status = 206;
            headers.insert("Content-Range", "bytes " + QByteArray::number(from) + '-' +
                                                QByteArray::number(content.size() - 1) + '/' +
                                                QByteArray::number(content.size()));
        }
        const QByteArray body = content.mid(from);
        headers.insert("Content-Length", QByteArray::number(body.size()));
        if (!isGet) return respond(socket, request, status, headers, {});
        const bool drop = takeOnce(path, Fault::DropHalfwayOnce);
        const bool stall = !drop && takeOnce(path, Fault::StallOnce);
        if (drop || stall) {
            // Headers for the whole body, then half of it; then the connection closes, or nothing more comes.
            log(request, status, body.size() / 2);
            socket->write(head(status, headers));
            socket->write(body.left(body.size() / 2));
            if (drop) socket->disconnectFromHost();
            return;
        }
        if (fault == Fault::Slow) return serveSlowly(socket, request, status, headers, body);
        respond(socket, request, status, headers, body, body.size());
    }

    void serveSlowly(QTcpSocket* socket, const Request& request, int status,
                     const QMap<QByteArray, QByteArray>& headers, const QByteArray& body) {
        log(request, status, body.size());
        socket->write(head(status, headers));
        auto* timer = new QTimer(socket);
        auto offset = std::make_shared<qint64>(0);
        connect(timer, &QTimer::timeout, socket, [socket, timer, body, offset] {
            constexpr qint64 kPiece = 64 << 10;
            socket->write(body.mid(*offset, kPiece));
            *offset += kPiece;
            if (*offset >= body.size()) {
                timer->stop();
                socket->disconnectFromHost();
            }
        });
        timer->start(20);
    }

    QTcpServer* m_listeners[2] = {nullptr, nullptr};
};

FakeHub::FakeHub() : m_server(std::make_unique<FakeHubServer>()) {
    m_server->moveToThread(&m_thread);
    m_thread.start();
}

FakeHub::~FakeHub() {
    m_thread.quit();
    m_thread.wait();
}

QUrl FakeHub::endpoint() const { return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(hubPort())); }

quint16 FakeHub::hubPort() const { return m_server->port(0); }

quint16 FakeHub::storagePort() const { return m_server->port(1); }

void FakeHub::addRepo(const QString& id, const FakeRepo& repo) {
    QMutexLocker lock(&m_server->mutex);
    m_server->repos.insert(id, repo);
    for (const QByteArray& content : repo.files) {
        m_server->gitOids.insert(content, gitOid(content));
        m_server->sha256s.insert(content, sha256(content));
    }
}

void FakeHub::setFault(const QString& path, Fault fault) {
    QMutexLocker lock(&m_server->mutex);
    m_server->faults.insert(path, fault);
    m_server->faultsUsed.remove(path);
}

void FakeHub::setPageSize(int entries) {
    QMutexLocker lock(&m_server->mutex);
    m_server->pageSize = entries;
}

void FakeHub::setGrantedToken(const QString& token) {
    QMutexLocker lock(&m_server->mutex);
    m_server->grantedToken = token;
}

void FakeHub::setResolveHeaders(const QMap<QByteArray, QByteArray>& headers) {
    QMutexLocker lock(&m_server->mutex);
    m_server->resolveHeaders = headers;
}

QList<SeenRequest> FakeHub::requests() const {
    QMutexLocker lock(&m_server->mutex);
    return m_server->seen;
}

void FakeHub::clearRequests() {
    QMutexLocker lock(&m_server->mutex);
    m_server->seen.clear();
}

QString FakeHub::gitOid(const QByteArray& content) {
    return QString::fromLatin1(QCryptographicHash::hash("blob " + QByteArray::number(content.size()) + '\0' + content,
                                                        QCryptographicHash::Sha1)
                                   .toHex());
}

QString FakeHub::sha256(const QByteArray& content) {
    return QString::fromLatin1(QCryptographicHash::hash(content, QCryptographicHash::Sha256).toHex());
}

}  // namespace rctest
