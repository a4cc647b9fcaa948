// blob_transfer.cpp — one file's download: resume, stall and retry handling, hashing, verification, moving in.
#include "blob_transfer.h"

#include <QFile>

namespace hub {

namespace {

constexpr int kMaxRedirects = 5;
constexpr int kAttemptCapFactor = 4;          // all attempts of one file: at most 4 × maxAttempts
constexpr qint64 kHashChunkBytes = 4 << 20;   // reading back a partial file: 4 MiB per read
constexpr qint64 kHashSliceBytes = 32 << 20;  // ... and 32 MiB per turn of the event loop, so stop() stays prompt

bool isRedirect(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

}  // namespace

BlobTransfer::BlobTransfer(const HubContext& context, const RepoCache& cache, BlobTask task, QObject* parent)
    : QObject(parent),
      m_context(context),
      m_cache(cache),
      m_task(std::move(task)),
      m_hash(m_task.lfs ? QCryptographicHash::Sha256 : QCryptographicHash::Sha1) {
    m_stallTimer.setSingleShot(true);
    m_retryTimer.setSingleShot(true);
    connect(&m_stallTimer, &QTimer::timeout, this, [this] {
        m_stalled = true;
        if (m_reply) m_reply->abort();
    });
    connect(&m_retryTimer, &QTimer::timeout, this, &BlobTransfer::request);
}

BlobTransfer::~BlobTransfer() { stop(false); }

void BlobTransfer::start() {
    auto partial = PartialBlob::open(m_cache.incompletePath(m_task.etag));
    if (!partial) return failWrite(partial.error());
    m_partial = std::move(*partial);
    if (m_partial.size() > m_task.size) {
        if (auto truncated = m_partial.truncate(); !truncated) return failWrite(truncated.error());
    }
    m_resumedPartial = m_partial.size() > 0;
    restartContent();
    if (m_partial.size() > 0) {
        hashExistingSlice(0);
    } else {
        request();
    }
}

void BlobTransfer::stop(bool deletePartial) {
    m_stopped = true;
    m_stallTimer.stop();
    m_retryTimer.stop();
    dropReply(m_reply, this);
    if (deletePartial) {
        m_partial.remove();
    } else {
        m_partial.close();
    }
}

// The hash restarts with the content: a git blob id is the SHA-1 of "blob <size>\0" and the bytes.
void BlobTransfer::restartContent() {
    m_hash.reset();
    if (!m_task.lfs) m_hash.addData(QByteArray("blob ") + QByteArray::number(m_task.size) + '\0');
}

void BlobTransfer::hashExistingSlice(qint64 offset) {
    if (m_stopped) return;
    QFile file(m_partial.path());
    if (!file.open(QIODevice::ReadOnly) || !file.seek(offset)) {
        return fail(HubMessages::io(m_partial.path(), file.errorString()), false);
    }
    const qint64 end = std::min(m_partial.size(), offset + kHashSliceBytes);
    while (offset < end) {
        const QByteArray chunk = file.read(std::min(kHashChunkBytes, end - offset));
        if (chunk.isEmpty()) return fail(HubMessages::io(m_partial.path(), file.errorString()), false);
        m_hash.addData(chunk);
        offset += chunk.size();
    }
    if (offset < m_partial.size()) {
        QTimer::singleShot(0, this, [this, offset] { hashExistingSlice(offset); });
    } else if (m_partial.size() == m_task.size) {
        verifyAndMoveIn();  // complete already: a run that stopped between the last byte and the rename
    } else {
        request();
    }
}

void BlobTransfer::request() {
    if (m_stopped) return;
    if (++m_attempts > kAttemptCapFactor * std::max(m_context.options.maxAttempts, 1)) {
        return fail(HubMessages::network(m_task.url.host(), HubMessages::tr("too many interruptions"), m_attempts - 1),
                    false);
    }
    m_hops = 0;
    m_requestedFrom = m_partial.size();
    send(m_task.url);
}

void BlobTransfer::send(const QUrl& url) {
    m_url = url;
    QNetworkRequest request = m_context.request(m_url);  // the token only if `url` is on the endpoint's origin
    if (m_requestedFrom > 0) request.setRawHeader("Range", "bytes=" + QByteArray::number(m_requestedFrom) + '-');
    m_stalled = false;
    m_accepting = false;
    m_restartNow = false;
    m_reply = m_context.network->get(request);
    m_stallTimer.start(m_context.options.stallTimeoutMs);
    connect(m_reply, &QNetworkReply::metaDataChanged, this, &BlobTransfer::onHeaders);
    connect(m_reply, &QNetworkReply::readyRead, this, [this] { consume(m_reply); });
    connect(m_reply, &QNetworkReply::finished, this, &BlobTransfer::onFinished);
}

void BlobTransfer::onHeaders() {
    m_stallTimer.start(m_context.options.stallTimeoutMs);
    const int status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    m_accepting = false;
    if (status == 206 && m_requestedFrom > 0) {
        const auto range = parseContentRange(m_reply->rawHeader("Content-Range"));
        if (range && range->first == m_requestedFrom && (range->total < 0 || range->total == m_task.size)) {
            m_accepting = true;
            return;
        }
        m_restartNow = true;  // a range we did not ask for: start again from zero rather than guess
    } else if (status == 200) {
        if (m_requestedFrom > 0) {
            // The server sends the whole file instead of the rest: take it from the start.
            emit notice(HubMessages::rangeIgnored(m_task.file));
            if (auto truncated = m_partial.truncate(); !truncated) return failWrite(truncated.error());
            restartContent();
            m_resumedPartial = false;
        }
        m_accepting = true;
        return;
    } else if (status == 416) {
        m_restartNow = true;  // the partial file is longer than the server's file, or the server cannot resume
    }
    if (m_restartNow) {
        if (auto truncated = m_partial.truncate(); !truncated) return failWrite(truncated.error());
        restartContent();
        m_resumedPartial = false;
        // Not from inside this signal of the reply (Qt reports its error twice then): at the next turn of the loop.
        QMetaObject::invokeMethod(m_reply, &QNetworkReply::abort, Qt::QueuedConnection);
    }
}

bool BlobTransfer::consume(QNetworkReply* reply) {
    m_stallTimer.start(m_context.options.stallTimeoutMs);
    const QByteArray data = reply->isOpen() ? reply->readAll() : QByteArray();  // not after an abort()
    if (!m_accepting || data.isEmpty()) return true;                            // an error page or a redirect's body
    if (m_partial.size() + data.size() > m_task.size) {
        fail(HubMessages::wrongSize(m_task.file, m_partial.size() + data.size(), m_task.size), true);
        return false;
    }
    if (auto appended = m_partial.append(data.constData(), data.size()); !appended) {
        failWrite(appended.error());
        return false;
    }
    m_hash.addData(data);
    m_failures = 0;  // progress: the next failure starts a new count
    emit progress(m_partial.size());
    return true;
}

void BlobTransfer::onFinished() {
    m_stallTimer.stop();
    QNetworkReply* reply = m_reply;
    m_reply = nullptr;
    reply->deleteLater();
    if (m_restartNow) return request();
    if (!consume(reply)) return;
    if (m_accepting && m_partial.size() == m_task.size) return verifyAndMoveIn();
    const QVariant statusAttribute = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    // Errors below 201 are the connection's (refused, reset, closed halfway, timed out), even after a status line.
    const bool connectionFailed =
        reply->error() != QNetworkReply::NoError && reply->error() < QNetworkReply::ContentAccessDenied;
    if (!statusAttribute.isValid() || connectionFailed || m_stalled) {
        const NetworkFailure failure = networkFailure(m_context, reply, m_stalled, m_failures + 1);
        if (!failure.retryable) return fail(failure.error, false);
        return retryAfterFailure(failure.error, failure.reason);
    }
    const int status = statusAttribute.toInt();
    if (m_accepting) {
        // The answer ended early without an error (a close with no Content-Length): resume like a dropped one.
        const QString detail = HubMessages::tr("incomplete answer");
        return retryAfterFailure(HubMessages::network(m_url.host(), detail, m_failures + 1),
                                 HubMessages::connectionDropped(m_url.host(), detail));
    }
    if (isRedirect(status)) {
        const QUrl target = m_url.resolved(QUrl(QString::fromLatin1(reply->rawHeader("Location"))));
        if ((target.scheme() != u"http" && target.scheme() != u"https") || ++m_hops > kMaxRedirects) {
            return fail(HubMessages::badAnswer(m_url.host(), HubMessages::tr("unusable redirect")), false);
        }
        return send(target);
    }
    if (isTransientStatus(status)) {
        return retryAfterFailure(HubMessages::serverError(m_url.host(), status, m_failures + 1),
                                 HubMessages::serverStatus(m_url.host(), status));
    }
    fail(statusError(m_context, HttpAnswer{m_url, status, reply->rawHeaderPairs(), {}}, m_task.file), false);
}

void BlobTransfer::retryAfterFailure(const HubError& finalError, const QString& reason) {
    ++m_failures;
    if (m_failures >= m_context.options.maxAttempts) return fail(finalError, false);
    const int delay = m_context.backoffDelayMs(m_failures);
    emit notice(HubMessages::retrying(reason, m_failures + 1, m_context.options.maxAttempts, delay));
    m_retryTimer.start(delay);
}

void BlobTransfer::verifyAndMoveIn() {
    if (m_hash.result().toHex() != m_task.etag.toLatin1()) {
        m_partial.remove();
        if (m_resumedPartial && !m_freshRetryDone) {
            // The part kept from before may be what is wrong (written by another tool, damaged on disk): one
            // download from zero before calling the file corrupt.
            m_freshRetryDone = true;
            m_resumedPartial = false;
            auto partial = PartialBlob::open(m_cache.incompletePath(m_task.etag));
            if (!partial) return failWrite(partial.error());
            m_partial = std::move(*partial);
            restartContent();
            return request();
        }
        return fail(HubMessages::wrongChecksum(m_task.file), true);
    }
    if (auto moved = m_partial.moveTo(m_cache.blobPath(m_task.etag)); !moved) return failWrite(moved.error());
    m_stopped = true;
    emit finished();
}

void BlobTransfer::fail(const HubError& error, bool deletePartial) {
    stop(deletePartial);
    emit failed(error);
}

void BlobTransfer::failWrite(const WriteFailure& failure) {
    const QString path = m_partial.path().isEmpty() ? m_cache.incompletePath(m_task.etag) : m_partial.path();
    fail(failure.diskFull ? HubMessages::diskFull(path, failure.detail) : HubMessages::io(path, failure.detail), false);
}

}  // namespace hub
