// model_scan.h — what the Models page lists, found on disk: the four RecurrentGemma checkpoints Google publishes
// (downloaded or not), the other RecurrentGemma models in the Hugging Face cache, the folders opened before, and the
// copies the app made (its data folder's models/). Plain values and one function that reads the disk (config.json and
// safetensors headers only): run it off the GUI thread.
#pragma once

#include <QList>
#include <QString>
#include <QStringList>

// The checkpoints offered for download, in the order shown.
inline const QStringList kCatalogRepos = {
    QStringLiteral("google/recurrentgemma-2b-it"),
    QStringLiteral("google/recurrentgemma-2b"),
    QStringLiteral("google/recurrentgemma-9b-it"),
    QStringLiteral("google/recurrentgemma-9b"),
};

struct ModelEntry {
    enum class Source { Catalog, Cache, Folder, Copy };
    Source source = Source::Catalog;
    QString repo;             // Catalog and Cache: "google/recurrentgemma-2b-it"
    QString folder;           // the folder Model::load opens; "" for a catalog model not downloaded
    QString name;             // what the page calls it
    qint64 sizeBytes = 0;     // of the files present
    QString dtype;            // "BF16", "I8"…; "" unless the checkpoint opens
    qint64 stateBytes = 0;    // one conversation's state
    QString problem;          // why it does not open (missing files, the engine's words), else ""
    qint64 partialBytes = 0;  // Catalog: bytes of an unfinished download in the cache
};

struct ScanPlaces {
    QString cacheDir;           // the Hugging Face hub cache
    QStringList recentFolders;  // opened before, newest first
    QString copiesDir;          // the app's own model files
};

// Catalog rows first (with their cache snapshot when there is a usable one), then the cache's other RecurrentGemma
// snapshots, the folders opened before that are none of those, and the copies. Folders that are gone are left out.
QList<ModelEntry> scanModels(const ScanPlaces& places);
