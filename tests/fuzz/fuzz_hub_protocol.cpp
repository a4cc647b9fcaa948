// tests/fuzz/fuzz_hub_protocol.cpp — libFuzzer target: what the download library (net/hub) reads from the network.
// The input is an HTTP header block, a blank line and a body: the headers go to parseFileMetadata, nextPageUrl
// (Link) and parseContentRange, the body to parseTreePage, the first line to the name checks. Whatever is
// accepted must be safe to use: paths inside the cache, hex ids, sizes >= 0, http(s) URLs only.
#include <QByteArray>
#include <QUrl>
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "hub_protocol.h"

namespace {

bool isHttp(const QUrl& url) { return url.scheme() == u"http" || url.scheme() == u"https"; }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const QByteArray input(reinterpret_cast<const char*>(data), static_cast<qsizetype>(size));
    const qsizetype split = input.indexOf("\n\n");
    const QByteArray head = split < 0 ? input : input.left(split);
    const QByteArray body = split < 0 ? QByteArray() : input.mid(split + 2);
    hub::RawHeaders headers;
    for (const QByteArray& line : head.split('\n')) {
        const qsizetype colon = line.indexOf(':');
        if (colon > 0) headers.append({line.left(colon).trimmed(), line.mid(colon + 1).trimmed()});
    }
    const QUrl base(QStringLiteral("https://huggingface.co/api/models/a/b/tree/main"));

    if (const auto entries = hub::parseTreePage(body)) {
        for (const hub::TreeEntry& entry : *entries) {
            if (!hub::isSafeRepoPath(entry.path)) std::abort();
            if (entry.isFile && (!hub::isEtag(entry.etag()) || entry.size < 0)) std::abort();
        }
    }
    if (const auto metadata = hub::parseFileMetadata(headers, base)) {
        if (!hub::isCommitHash(metadata->commit) || !hub::isEtag(metadata->etag) || metadata->size < 0) std::abort();
        if (!isHttp(metadata->location)) std::abort();
    }
    const QUrl next = hub::nextPageUrl(hub::headerValue(headers, "Link").value_or(QByteArray()), base);
    if (next.isValid() && !isHttp(next)) std::abort();
    if (const auto range = hub::parseContentRange(hub::headerValue(headers, "Content-Range").value_or(QByteArray()))) {
        if (range->first < 0 || range->last < range->first) std::abort();
    }
    const QString firstLine = QString::fromUtf8(head.left(head.indexOf('\n')));
    if (hub::isSafeRevision(firstLine) && !hub::isSafeRepoPath(firstLine)) std::abort();
    if (hub::isRepoId(firstLine) && (firstLine.contains(QLatin1String("..")) || firstLine.startsWith(u'/')))
        std::abort();
    hub::isSendableToken(firstLine);
    hub::normalizeEtag(head);
    return 0;
}
