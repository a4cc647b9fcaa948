// download_types.h — the values a ModelDownload is given and reports: what to fetch and how patiently, the plan (the
// checkpoint's files and sizes, from the tree API) and the progress. Plain copyable structs, registered as metatypes
// because they cross from the download's thread to its owner's in queued signals.
#pragma once

#include <QList>
#include <QMetaType>
#include <QString>
#include <QUrl>

namespace hub {

struct DownloadOptions {
    QString repo;                               // "google/recurrentgemma-2b-it"
    QString revision = QStringLiteral("main");  // a branch, a tag or a 40-hex commit
    QUrl endpoint;                              // empty: defaultEndpoint() ($HF_ENDPOINT, else huggingface.co)
    QString token;                              // empty: findToken("") ($HF_TOKEN, else the token file)
    QString cacheDir;                           // empty: defaultCacheDir() ($HF_HUB_CACHE, else $HF_HOME/hub)
    int stallTimeoutMs = 30000;                 // no byte for this long counts as a dropped connection
    int maxAttempts = 5;                        // tries of one request without progress, the first included
    int backoffMs = 1000;                       // wait before the first retry, doubled for each further one
    int backoffMaxMs = 30000;                   // the longest wait between two tries
};

// One file the checkpoint needs.
struct PlannedFile {
    QString path;            // in the repo: "config.json", "model-00001-of-00002.safetensors"
    qint64 size = 0;         // bytes
    QString etag;            // its blob's name: the SHA-256 for LFS files, else the git blob id
    bool lfs = false;        // stored in LFS: its SHA-256 is checked before it enters the cache
    qint64 cachedBytes = 0;  // already in the cache: `size` when its blob is complete, else its partial file's size
};

// What a download of `repo` at `revision` fetches, from the tree API and the cache, before anything is fetched.
struct CheckpointPlan {
    QString repo;
    QString revision;
    QList<PlannedFile> files;  // config.json first, then tokenizer.model, the index, the weights
    qint64 totalBytes = 0;     // the checkpoint's size
    qint64 bytesToFetch = 0;   // what is not in the cache yet (what the free-space check asks for)
};

struct DownloadProgress {
    QString file;               // the file being fetched now (its path in the repo)
    qint64 bytesDone = 0;       // of the whole checkpoint, what was in the cache before included
    qint64 bytesTotal = 0;      // the checkpoint's size
    double bytesPerSecond = 0;  // over the last few seconds; 0 until known
    qint64 secondsLeft = -1;    // at that rate; -1 until known
    int filesDone = 0;          // files in place (cached or fetched)
    int filesTotal = 0;
};

}  // namespace hub

Q_DECLARE_METATYPE(hub::CheckpointPlan)
Q_DECLARE_METATYPE(hub::DownloadProgress)
