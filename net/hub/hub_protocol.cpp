// hub_protocol.cpp — parsing the Hub's tree pages, Link and resolve headers, and the name checks.
#include "hub_protocol.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

#include "hub_error.h"

namespace hub {

namespace {

constexpr qsizetype kMaxPathBytes = 1024;
constexpr double kMaxSize = 9007199254740992.0;  // 2^53: every integer below is exact in a JSON number

bool isLowerHex(const QString& text, qsizetype length) {
    if (text.size() != length) return false;
    return std::all_of(text.begin(), text.end(),
                       [](QChar c) { return (c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f'); });
}

// A JSON number that is a whole, non-negative size.
std::optional<qint64> jsonSize(const QJsonValue& value) {
    if (!value.isDouble()) return std::nullopt;
    const double number = value.toDouble();
    if (!(number >= 0 && number <= kMaxSize) || number != static_cast<double>(static_cast<qint64>(number)))
        return std::nullopt;
    return static_cast<qint64>(number);
}

std::optional<qint64> headerSize(QByteArrayView text) {
    bool ok = false;
    const qint64 value = text.trimmed().toLongLong(&ok);
    if (!ok || value < 0 || static_cast<double>(value) > kMaxSize) return std::nullopt;
    return value;
}

tl::unexpected<QString> fail(const QString& message) { return tl::unexpected<QString>(message); }

// One entry; nullopt for one that is never used (a kind of entry this code does not know, a name that could not be
// a file in the cache), so an odd file beside the checkpoint does not stop its download.
tl::expected<std::optional<TreeEntry>, QString> parseTreeEntry(const QJsonValue& value) {
    if (!value.isObject()) return fail(HubMessages::tr("not an object"));
    const QJsonObject object = value.toObject();
    TreeEntry entry;
    const QString type = object.value(QLatin1String("type")).toString();
    entry.path = object.value(QLatin1String("path")).toString();
    if ((type != u"file" && type != u"directory") || !isSafeRepoPath(entry.path)) return std::nullopt;
    entry.isFile = type == u"file";
    if (!entry.isFile) return entry;
    const auto size = jsonSize(object.value(QLatin1String("size")));
    if (!size) return fail(HubMessages::tr("size of %1 is not a whole number of bytes").arg(entry.path));
    entry.size = *size;
    entry.gitOid = object.value(QLatin1String("oid")).toString();
    if (!isLowerHex(entry.gitOid, 40)) return fail(HubMessages::tr("oid of %1 is not a git id").arg(entry.path));
    const QJsonValue lfs = object.value(QLatin1String("lfs"));
    if (lfs.isObject()) {
        entry.lfsSha256 = lfs.toObject().value(QLatin1String("oid")).toString();
        if (!isLowerHex(entry.lfsSha256, 64))
            return fail(HubMessages::tr("lfs.oid of %1 is not a SHA-256").arg(entry.path));
        const auto lfsSize = jsonSize(lfs.toObject().value(QLatin1String("size")));
        if (!lfsSize || *lfsSize != entry.size)
            return fail(HubMessages::tr("lfs.size of %1 disagrees").arg(entry.path));
    } else if (!lfs.isUndefined() && !lfs.isNull()) {
        return fail(HubMessages::tr("lfs of %1 is not an object").arg(entry.path));
    }
    return entry;
}

}  // namespace

std::optional<QByteArray> headerValue(const RawHeaders& headers, QByteArrayView name) {
    for (const auto& [key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0) return value;
    }
    return std::nullopt;
}

tl::expected<QList<TreeEntry>, QString> parseTreePage(const QByteArray& json) {
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError) {
        return fail(HubMessages::tr("the file list is not JSON (%1 at byte %2)")
                        .arg(error.errorString(), QString::number(error.offset)));
    }
    if (!document.isArray()) return fail(HubMessages::tr("the file list is not a JSON array"));
    QList<TreeEntry> entries;
    const QJsonArray array = document.array();
    entries.reserve(array.size());
    for (qsizetype i = 0; i < array.size(); ++i) {
        auto entry = parseTreeEntry(array.at(i));
        if (!entry)
            return fail(HubMessages::tr("entry %1 of the file list: %2").arg(QString::number(i), entry.error()));
        if (*entry) entries.append(**entry);
    }
    return entries;
}

QUrl nextPageUrl(const QByteArray& linkHeader, const QUrl& base) {
    // Link: <https://huggingface.co/api/models/x/tree/main?cursor=abc>; rel="next", <...>; rel="prev"
    static const QRegularExpression link(QStringLiteral(R"(<([^>]*)>\s*((?:;\s*[^;,]*)*))"));
    static const QRegularExpression relNext(QStringLiteral(R"(;\s*rel\s*=\s*"?next"?\s*(;|$))"),
                                            QRegularExpression::CaseInsensitiveOption);
    const QString text = QString::fromLatin1(linkHeader);
    for (auto it = link.globalMatch(text); it.hasNext();) {
        const auto match = it.next();
        if (!relNext.match(match.captured(2).trimmed()).hasMatch()) continue;
        const QUrl target = base.resolved(QUrl(match.captured(1).trimmed()));
        if (target.isValid() && (target.scheme() == u"http" || target.scheme() == u"https")) return target;
        return {};
    }
    return {};
}

QString normalizeEtag(QByteArrayView value) {
    QByteArrayView text = value.trimmed();
    if (text.startsWith("W/")) text = text.sliced(2);
    while (text.startsWith('"')) text = text.sliced(1);
    while (text.endsWith('"')) text.chop(1);
    return QString::fromLatin1(text);
}

tl::expected<FileMetadata, QString> parseFileMetadata(const RawHeaders& headers, const QUrl& requestUrl) {
    FileMetadata metadata;
    metadata.commit = QString::fromLatin1(headerValue(headers, "X-Repo-Commit").value_or(QByteArray()).trimmed());
    if (!isCommitHash(metadata.commit)) return fail(HubMessages::tr("no commit id (X-Repo-Commit) for the file"));
    const auto etag = headerValue(headers, "X-Linked-Etag");
    metadata.etag = normalizeEtag(etag ? *etag : headerValue(headers, "ETag").value_or(QByteArray()));
    if (!isEtag(metadata.etag)) return fail(HubMessages::tr("no usable ETag for the file"));
    const auto size = headerValue(headers, "X-Linked-Size");
    const auto parsed = headerSize(size ? *size : headerValue(headers, "Content-Length").value_or(QByteArray()));
    if (!parsed) return fail(HubMessages::tr("no usable size (X-Linked-Size, Content-Length) for the file"));
    metadata.size = *parsed;
    metadata.location = requestUrl;
    if (const auto location = headerValue(headers, "Location")) {
        const QUrl target = requestUrl.resolved(QUrl(QString::fromLatin1(location->trimmed())));
        if (!target.isValid() || (target.scheme() != u"http" && target.scheme() != u"https"))
            return fail(HubMessages::tr("the redirect's Location is not an http(s) URL"));
        metadata.location = target;
    }
    return metadata;
}

std::optional<ContentRange> parseContentRange(QByteArrayView value) {
    static const QRegularExpression pattern(
        QRegularExpression::anchoredPattern(QStringLiteral(R"(bytes\s+(\d{1,18})-(\d{1,18})/(\d{1,18}|\*))")),
        QRegularExpression::CaseInsensitiveOption);
    const auto match = pattern.match(QString::fromLatin1(value.trimmed()));
    if (!match.hasMatch()) return std::nullopt;
    ContentRange range{match.captured(1).toLongLong(), match.captured(2).toLongLong(), -1};
    if (match.captured(3) != u"*") range.total = match.captured(3).toLongLong();
    if (range.last < range.first || (range.total >= 0 && range.last >= range.total)) return std::nullopt;
    return range;
}

bool isSafeRepoPath(const QString& path) {
    if (path.isEmpty() || path.toUtf8().size() > kMaxPathBytes) return false;
    for (QChar c : path) {
        if (c.unicode() < 0x20 || c.unicode() == 0x7f || c == u'\\') return false;
    }
    const auto segments = QStringView(path).split(u'/');
    return std::none_of(segments.begin(), segments.end(),
                        [](QStringView s) { return s.isEmpty() || s == u"." || s == u".."; });
}

bool isEtag(const QString& etag) { return isLowerHex(etag, 40) || isLowerHex(etag, 64); }

bool isCommitHash(const QString& text) { return isLowerHex(text, 40); }

bool isSafeRevision(const QString& revision) { return isSafeRepoPath(revision) && revision.size() <= 255; }

bool isRepoId(const QString& repo) {
    static const QRegularExpression part(
        QRegularExpression::anchoredPattern(QStringLiteral(R"([A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,94}[A-Za-z0-9_])?)")));
    const QStringList parts = repo.split(u'/');
    if (parts.size() > 2) return false;
    return std::all_of(parts.begin(), parts.end(), [](const QString& p) {
        return part.match(p).hasMatch() && !p.contains(QLatin1String("--")) && !p.contains(QLatin1String(".."));
    });
}

bool isSendableToken(const QString& token) {
    if (token.isEmpty() || token.size() > 1024) return false;
    return std::all_of(token.begin(), token.end(), [](QChar c) { return c.unicode() > 0x20 && c.unicode() < 0x7f; });
}

}  // namespace hub
