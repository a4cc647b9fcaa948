// cached_models.h — the RecurrentGemma checkpoints in a Hugging Face cache, whoever downloaded them (this app,
// huggingface-cli, any huggingface_hub program), with what the Models page shows of each: size, dtype, state size,
// and whether a download left it unfinished. Reads config.json and the safetensors headers only (the weights are
// mapped, not read): milliseconds per checkpoint, but file I/O, so call it off the GUI thread where a slow disk
// could make it wait.
#pragma once

#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>
#include <optional>

namespace hub {

struct CachedModel {
    QString repo;             // "google/recurrentgemma-2b-it"
    QString commit;           // the snapshot's folder name
    QStringList refs;         // the revisions whose refs/ point at this commit ("main"), sorted
    QString snapshotDir;      // the folder Model::load opens
    qint64 sizeBytes = 0;     // the checkpoint's files present (symlinks followed)
    QString dtype;            // of the embedding, as the engine reports it ("BF16", "F32", "F16", "I8"); empty unless
                              // the checkpoint opens
    qint64 stateBytes = 0;    // one conversation's state in memory, from config.json
    QStringList missing;      // files the checkpoint still lacks (an unfinished download); empty when all are there
    QString problem;          // why a checkpoint with all its files does not open (the engine's words), else empty
    qint64 partialBytes = 0;  // bytes in partial downloads of the repo (blobs/*.incomplete): a download to resume

    bool usable() const { return missing.isEmpty() && problem.isEmpty(); }
};

// The checkpoint in `dir` (a snapshot, or any folder Model::load opens) as above, without the cache's fields (repo,
// commit, refs, partialBytes); nothing if its config.json is missing or not a RecurrentGemma config.
std::optional<CachedModel> describeCheckpointFolder(const QString& dir);

// Every snapshot in `cacheDir` whose config.json is a RecurrentGemma config (other models in the cache are left
// out), sorted by repo, then snapshots with refs first. An empty list for a cache that does not exist.
QList<CachedModel> listCachedModels(const QString& cacheDir);

}  // namespace hub

Q_DECLARE_METATYPE(hub::CachedModel)
