// model_scan.cpp — see model_scan.h. The cache is read by net/hub (listCachedModels), any other folder described
// by the same code (describeCheckpointFolder), so a model shows the same size, dtype and state size wherever it is.
#include "model_scan.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QSet>

#include "cached_models.h"

namespace {

ModelEntry fromCached(const hub::CachedModel& model, ModelEntry::Source source, const QString& name) {
    ModelEntry entry;
    entry.source = source;
    entry.repo = model.repo;
    entry.folder = model.snapshotDir;
    entry.name = name;
    entry.sizeBytes = model.sizeBytes;
    entry.dtype = model.dtype;
    entry.stateBytes = model.stateBytes;
    entry.problem =
        !model.missing.isEmpty()
            ? QCoreApplication::translate("ModelScan", "Missing: %1").arg(model.missing.join(QStringLiteral(", ")))
            : model.problem;
    entry.partialBytes = model.partialBytes;
    return entry;
}

QString canonical(const QString& path) {
    const QString resolved = QFileInfo(path).canonicalFilePath();
    return resolved.isEmpty() ? QDir::cleanPath(path) : resolved;
}

void addCatalog(QList<ModelEntry>& entries, const QList<hub::CachedModel>& cached, QSet<QString>& listed) {
    for (const QString& repo : kCatalogRepos) {
        ModelEntry entry;
        entry.repo = repo;
        entry.name = repo.section(u'/', 1);
        for (const hub::CachedModel& model : cached) {
            if (model.repo != repo) continue;
            entry.partialBytes = model.partialBytes;
            if (!model.usable()) continue;
            entry = fromCached(model, ModelEntry::Source::Catalog, entry.name);
            listed.insert(canonical(model.snapshotDir));
            break;
        }
        entries << entry;
    }
}

void addFolder(QList<ModelEntry>& entries, const QString& folder, ModelEntry::Source source, QSet<QString>& listed) {
    const QString path = canonical(folder);
    if (listed.contains(path)) return;
    const std::optional<hub::CachedModel> model = hub::describeCheckpointFolder(path);
    if (!model) return;
    listed.insert(path);
    entries << fromCached(*model, source, QFileInfo(path).fileName());
}

}  // namespace

QList<ModelEntry> scanModels(const ScanPlaces& places) {
    QList<ModelEntry> entries;
    QSet<QString> listed;
    const QList<hub::CachedModel> cached = hub::listCachedModels(places.cacheDir);
    addCatalog(entries, cached, listed);
    for (const hub::CachedModel& model : cached) {
        if (listed.contains(canonical(model.snapshotDir))) continue;
        if (kCatalogRepos.contains(model.repo) && !model.usable()) continue;  // an unfinished download: its row
        listed.insert(canonical(model.snapshotDir));
        const QString name = model.refs.isEmpty() ? model.repo + u'@' + model.commit.left(7) : model.repo;
        entries << fromCached(model, ModelEntry::Source::Cache, name);
    }
    // Copies before recent folders: a copy that was opened is listed once, as a copy (which can be deleted).
    QList<ModelEntry> copies;
    const QDir copiesDir(places.copiesDir);
    for (const QString& name : copiesDir.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name)) {
        if (!name.startsWith(u'.')) addFolder(copies, copiesDir.filePath(name), ModelEntry::Source::Copy, listed);
    }
    for (const QString& folder : places.recentFolders) addFolder(entries, folder, ModelEntry::Source::Folder, listed);
    return entries + copies;
}
