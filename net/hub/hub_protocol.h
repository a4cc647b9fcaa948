// hub_protocol.h — what rgemma_hub reads from the Hub's answers, as pure functions over bytes (fuzzed in
// tests/fuzz/fuzz_hub_protocol.cpp): the tree API's JSON pages and Link header, the resolve endpoint's headers
// (X-Repo-Commit, X-Linked-Etag / ETag, X-Linked-Size, Location), Content-Range, and the checks that keep names
// from the network from reaching outside the cache (file paths, etags, commits, revisions).
#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>
#include <QUrl>
#include <optional>
#include <tl/expected.hpp>

namespace hub {

// Header pairs as QNetworkReply::rawHeaderPairs() gives them; names compare case-insensitively.
using RawHeaders = QList<QPair<QByteArray, QByteArray>>;
// The value of header `name` (the first one), or an empty optional.
std::optional<QByteArray> headerValue(const RawHeaders& headers, QByteArrayView name);

// One entry of GET /api/models/{repo}/tree/{revision}?recursive=true.
struct TreeEntry {
    QString path;        // "model-00001-of-00002.safetensors", "docs/readme.md"
    bool isFile = true;  // false for "directory" entries
    qint64 size = 0;     // bytes of the file itself (for LFS files the real size, not the pointer's)
    QString gitOid;      // the git blob id (40 hex digits): the etag of a file stored in git
    QString lfsSha256;   // LFS files only: the SHA-256 of the content (64 hex digits), which is also its etag

    // The name its blob has in the cache: the LFS SHA-256, else the git blob id.
    QString etag() const { return lfsSha256.isEmpty() ? gitOid : lfsSha256; }
};

// Parses one page of the tree API: a JSON array of {type, path, size, oid, lfs: {oid, size}}. Entries that are
// never used are left out (unknown types, paths that are not isSafeRepoPath()); a malformed page or file entry (size
// out of range, ids that are not hex) is an error whose message says what and where.
tl::expected<QList<TreeEntry>, QString> parseTreePage(const QByteArray& json);
// The next page from a Link header (`<URL>; rel="next"`), resolved against `base`; empty when there is none.
QUrl nextPageUrl(const QByteArray& linkHeader, const QUrl& base);

// What a HEAD of /{repo}/resolve/{revision}/{file} says about the file.
struct FileMetadata {
    QString commit;    // X-Repo-Commit
    QString etag;      // X-Linked-Etag, else ETag, without W/ and quotes
    qint64 size = -1;  // X-Linked-Size, else Content-Length
    QUrl location;     // where to GET it: the redirect target (another host, for LFS files) or the resolve URL
};

// Reads the metadata from the headers of a resolve answer; `requestUrl` is the URL that answered. A redirect's
// Location is resolved against it. Fails if the commit, etag or size is missing or malformed.
tl::expected<FileMetadata, QString> parseFileMetadata(const RawHeaders& headers, const QUrl& requestUrl);
// `"abc"`, `W/"abc"`, `abc` -> `abc`.
QString normalizeEtag(QByteArrayView value);

// Content-Range of a 206: "bytes FIRST-LAST/TOTAL" (TOTAL may be "*").
struct ContentRange {
    qint64 first = 0;
    qint64 last = 0;
    qint64 total = -1;  // -1 when "*"
};
std::optional<ContentRange> parseContentRange(QByteArrayView value);

// A file path inside a repo that is safe to create under a snapshot folder: relative, '/'-separated, no empty,
// "." or ".." segments, no backslash, NUL or control characters, at most 1024 bytes.
bool isSafeRepoPath(const QString& path);
// A blob name: 40 (git) or 64 (SHA-256) lowercase hex digits.
bool isEtag(const QString& etag);
// A commit id: 40 lowercase hex digits.
bool isCommitHash(const QString& text);
// A revision that can name a file under refs/ (branches like "main", "refs/pr/1", tags): the rules of a safe path.
bool isSafeRevision(const QString& revision);
// "org/name" (or a legacy "name" alone), each part of the characters the Hub allows (letters, digits, '-', '_',
// '.'), at most 96 of them, no "--" or "..", not starting or ending with '-' or '.'.
bool isRepoId(const QString& repo);
// A token that can go in an Authorization header: visible ASCII, no spaces, at most 1024 characters.
bool isSendableToken(const QString& token);

}  // namespace hub
