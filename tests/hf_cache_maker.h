// hf_cache_maker.h — a Hugging Face cache entry written by hand the way huggingface_hub (huggingface-cli download)
// writes one: blobs/ named by etag (the SHA-256 of LFS files, the git blob id of others), snapshots/<commit>/ of
// relative symlinks into blobs/, refs/main. For the tests that the app finds and reuses other tools' downloads.
#pragma once

#include <unistd.h>

#include <QDir>
#include <QFile>
#include <QMap>
#include <QSet>
#include <QString>

#include "fake_hub.h"

namespace rctest {

// The demo model's files (resources/demo-model): a real checkpoint of a few MB.
inline QMap<QString, QByteArray> demoModelFiles() {
    QMap<QString, QByteArray> files;
    for (const char* name : {"config.json", "model.safetensors", "tokenizer.model"}) {
        QFile file(QStringLiteral(RC_DEMO_MODEL_DIR "/") + QLatin1String(name));
        if (file.open(QIODevice::ReadOnly)) files.insert(QLatin1String(name), file.readAll());
    }
    return files;
}

// Writes `files` of `repo` at `commit` into the cache at `cacheDir`; returns the snapshot folder ("" on failure).
inline QString makeHfCache(const QString& cacheDir, const QString& repo, const QString& commit,
                           const QMap<QString, QByteArray>& files, const QSet<QString>& lfs) {
    const QString repoDir = cacheDir + QStringLiteral("/models--") + QString(repo).replace(u'/', QLatin1String("--"));
    const QString snapshot = repoDir + QStringLiteral("/snapshots/") + commit;
    if (!QDir().mkpath(repoDir + QStringLiteral("/blobs")) || !QDir().mkpath(repoDir + QStringLiteral("/refs")))
        return {};
    for (auto it = files.begin(); it != files.end(); ++it) {
        const QString etag = lfs.contains(it.key()) ? FakeHub::sha256(it.value()) : FakeHub::gitOid(it.value());
        QFile blob(repoDir + QStringLiteral("/blobs/") + etag);
        if (!blob.open(QIODevice::WriteOnly) || blob.write(it.value()) != it.value().size()) return {};
        blob.close();
        const QString link = snapshot + u'/' + it.key();
        if (!QDir().mkpath(QFileInfo(link).path())) return {};
        const QString target =
            QString(QStringLiteral("../")).repeated(2 + it.key().count(u'/')) + QStringLiteral("blobs/") + etag;
        if (::symlink(QFile::encodeName(target).constData(), QFile::encodeName(link).constData()) != 0) return {};
    }
    QFile ref(repoDir + QStringLiteral("/refs/main"));
    if (!ref.open(QIODevice::WriteOnly)) return {};
    ref.write(commit.toLatin1());
    return snapshot;
}

}  // namespace rctest
