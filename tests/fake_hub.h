// fake_hub.h — a fake Hugging Face Hub on loopback for the download tests: the tree API with Link paging, resolve
// (HEAD and GET) with X-Repo-Commit / X-Linked-Etag / X-Linked-Size / ETag, LFS files redirected to a second port (a
// different origin: the "storage host"), gated repos answering 401 and 403 with the Hub's bodies and error codes,
// Range requests and 206, and faults per file: a connection dropped halfway, a stall, a 200 to a Range request, a
// 416, a 503, a corrupted blob, slow serving. It records every request it saw (with its headers), and answers
// absolute-form requests too, so it can stand in as an HTTP proxy. Runs on a thread of its own, so a test may
// block (QProcess::waitForFinished) while it serves.
#pragma once

#include <QByteArray>
#include <QMap>
#include <QSet>
#include <QString>
#include <QThread>
#include <QUrl>
#include <memory>

namespace rctest {

struct FakeRepo {
    QString commit;                     // 40 hex digits
    QMap<QString, QByteArray> files;    // path in the repo -> content
    QSet<QString> lfs;                  // paths stored in LFS: resolve redirects them to the storage host
    bool gated = false;                 // files need `Authorization: Bearer <granted token>` (the list does not)
    QMap<QString, qint64> listedSizes;  // sizes the tree API claims instead of the real ones (a 1 PB checkpoint)
};

enum class Fault {
    None,
    DropHalfwayOnce,          // the first GET of the content sends half of it, then closes the connection
    StallOnce,                // the first GET sends half, then nothing (the connection stays open)
    IgnoreRange,              // a Range request gets 200 and the whole file
    RangeNotSatisfiableOnce,  // the first Range request gets 416
    ServerErrorOnce,          // the first GET of the content gets 503
    Corrupt,                  // one byte of the content is changed (same length)
    Slow,                     // 64 KiB every 20 ms (about 3 MB/s): time to pause, kill or cancel mid-file
};

struct SeenRequest {
    int listener = 0;  // 0: the Hub, 1: the storage host
    QByteArray method;
    QByteArray target;                     // as sent: absolute-form ("http://host/...") when it came through a proxy
    QString path;                          // decoded, without the query
    QMap<QByteArray, QByteArray> headers;  // names lowercased
    int status = 0;
    qint64 contentBytes = 0;  // bytes of the file's content sent
};

class FakeHubServer;

class FakeHub {
  public:
    FakeHub();
    ~FakeHub();

    QUrl endpoint() const;  // http://127.0.0.1:<hub port>
    quint16 hubPort() const;
    quint16 storagePort() const;

    void addRepo(const QString& id, const FakeRepo& repo);
    // A fault for every file with this path (in any repo); Fault::None clears it.
    void setFault(const QString& path, Fault fault);
    void setPageSize(int entries);  // tree entries per page (default 2, so every listing pages)
    void setGrantedToken(const QString& token);
    // Headers that replace the Hub's own on every resolve answer (a test of hostile headers).
    void setResolveHeaders(const QMap<QByteArray, QByteArray>& headers);

    QList<SeenRequest> requests() const;
    void clearRequests();

    static QString gitOid(const QByteArray& content);  // SHA-1 of "blob <size>\0" + content
    static QString sha256(const QByteArray& content);

  private:
    QThread m_thread;
    std::unique_ptr<FakeHubServer> m_server;
};

}  // namespace rctest
