// cached_models.cpp — walking models--*/snapshots/* of a Hugging Face cache and describing each checkpoint.
#include "cached_models.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <algorithm>

#include "checkpoint_files.h"
#include "hub_cache.h"
#include "hub_error.h"
#include "rgemma/checkpoint.h"
#include "rgemma/config.h"
#include "rgemma/dtype.h"
#include "rgemma/state.h"

namespace hub {

namespace {

using namespace checkpoint;
constexpr qint64 kMaxSmallFileBytes = 64 << 20;  // a config.json or an index: far smaller

std::filesystem::path fsPath(const QString& path) {
    return std::filesystem::path(QFile::encodeName(path).toStdString());
}

QByteArray readSmallFile(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly) || file.size() > kMaxSmallFileBytes) return {};
    return file.readAll();
}

// revision -> commit for every file under refs/ ("main", "refs/pr/1").
QHash<QString, QString> readRefs(const QString& repoDir) {
    QHash<QString, QString> refs;
    const QString root = repoDir + QStringLiteral("/refs");
    for (QDirIterator it(root, QDir::Files, QDirIterator::Subdirectories); it.hasNext();) {
        const QString path = it.next();
        const QString commit = QString::fromLatin1(readSmallFile(path).left(64)).trimmed();
        refs.insert(QDir(root).relativeFilePath(path), commit);
    }
    return refs;
}

// The files the checkpoint in `dir` needs: the shards its index names, else model.safetensors.
QStringList checkpointFiles(const QString& dir) {
    QStringList files{kConfig, kTokenizer};
    const QString index = dir + u'/' + kIndex;
    if (!QFileInfo::exists(index)) return files << kWeights;
    files << kIndex;
    auto shards = rgemma::indexShardFiles(readSmallFile(index).toStdString(), index.toStdString());
    if (!shards) return files;  // the engine names the problem when the snapshot is opened
    for (const std::string& shard : *shards) files << QString::fromStdString(shard);
    return files;
}

// The dtype of the embedding (the bulk of the weights), "Q4K" when the dense matrices are 4-bit (their nibbles are the
// only U8 tensors a checkpoint may hold; the embedding of such a file stays int8), or the engine's reason the weights
// do not open.
void describeWeights(CachedModel& model) {
    auto files = rgemma::CheckpointFiles::open(fsPath(model.snapshotDir));
    if (!files) {
        model.problem = QString::fromStdString(files.error().message);
        return;
    }
    bool embedding = false, fourBit = false;
    for (const rgemma::TensorSummary& tensor : files->tensors()) {
        fourBit = fourBit || tensor.dtype == rgemma::DType::U8;
        if (tensor.name == rgemma::kEmbeddingTensor) {
            embedding = true;
            model.dtype = QString::fromLatin1(rgemma::dtypeName(tensor.dtype));
        }
    }
    if (!embedding) model.problem = HubMessages::tr("model.embed_tokens.weight is missing");
    if (fourBit) model.dtype = QString::fromLatin1(rgemma::dtypeName(rgemma::DType::Q4K));
}

qint64 partialBytes(const QString& repoDir) {
    qint64 bytes = 0;
    for (const QFileInfo& info :
         QDir(repoDir + QStringLiteral("/blobs")).entryInfoList({QStringLiteral("*.incomplete")}, QDir::Files)) {
        bytes += info.size();
    }
    return bytes;
}

}  // namespace

std::optional<CachedModel> describeCheckpointFolder(const QString& dir) {
    CachedModel model;
    model.snapshotDir = dir;
    const QByteArray configText = readSmallFile(dir + u'/' + kConfig);
    const auto config = rgemma::parseModelConfig(configText.toStdString(), "config.json");
    if (!config) return std::nullopt;
    model.stateBytes = static_cast<qint64>(rgemma::stateByteSize(*config));
    for (const QString& file : checkpointFiles(dir)) {
        const QFileInfo info(dir + u'/' + file);
        if (info.exists()) {
            model.sizeBytes += info.size();
        } else {
            model.missing << file;
        }
    }
    if (model.missing.isEmpty()) describeWeights(model);
    return model;
}

QList<CachedModel> listCachedModels(const QString& cacheDir) {
    QList<CachedModel> models;
    const QDir cache(cacheDir);
    for (const QString& folder :
         cache.entryList({QStringLiteral("models--*")}, QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name)) {
        const auto repo = repoFromFolderName(folder);
        if (!repo) continue;
        const QString repoDir = cache.filePath(folder);
        const QHash<QString, QString> refs = readRefs(repoDir);
        const qint64 partial = partialBytes(repoDir);
        const QDir snapshots(repoDir + QStringLiteral("/snapshots"));
        for (const QString& commit : snapshots.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name)) {
            std::optional<CachedModel> model = describeCheckpointFolder(snapshots.filePath(commit));
            if (!model) continue;  // not a RecurrentGemma checkpoint, or no config.json yet
            model->repo = *repo;
            model->commit = commit;
            model->partialBytes = partial;
            for (auto it = refs.begin(); it != refs.end(); ++it) {
                if (it.value() == commit) model->refs << it.key();
            }
            model->refs.sort();
            models << *model;
        }
    }
    std::stable_sort(models.begin(), models.end(), [](const CachedModel& a, const CachedModel& b) {
        if (a.repo != b.repo) return a.repo < b.repo;
        return !a.refs.isEmpty() && b.refs.isEmpty();
    });
    return models;
}

}  // namespace hub
