// model_list_model.cpp — see model_list_model.h: the rows, the scan of the disk and the copies (the downloads are in
// model_list_downloads.cpp). Downloads and copies report through queued signals to this object (GUI thread); each
// report changes one row.
#include "model_list_model.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <utility>

#include "hub_error.h"
#include "hub_locations.h"
#include "preferences.h"

namespace {

const QString kRecentKey = QStringLiteral("models/recentFolders");
constexpr int kMaxRecentFolders = 10;

const char* sourceName(ModelEntry::Source source) {
    switch (source) {
        case ModelEntry::Source::Catalog:
            return "catalog";
        case ModelEntry::Source::Cache:
            return "cache";
        case ModelEntry::Source::Folder:
            return "folder";
        case ModelEntry::Source::Copy:
            break;
    }
    return "copy";
}

}  // namespace

ModelListModel::ModelListModel(const QString& dataDirectory, QSettings* settings, Preferences* preferences,
                               QObject* parent)
    : QAbstractListModel(parent),
      m_settings(settings),
      m_preferences(preferences),
      m_copiesDir(QDir(dataDirectory).filePath(QStringLiteral("models"))),
      m_tokens(QFileInfo(settings->fileName()).absolutePath(),
               settings->value(QStringLiteral("hub/useKeyring"), true).toBool()) {
    connect(preferences, &Preferences::modelDirectoryChanged, this, [this] {
        rememberFolder(m_preferences->modelDirectory());
        for (int row = 0; row < m_entries.size(); ++row) emit dataChanged(index(row), index(row), {InUseRole});
    });
}

ModelListModel::~ModelListModel() {
    // Downloads stop (partial files kept, so they resume at the next start) and copies stop before the rows go.
    m_activities.clear();
    m_copies.clear();
}

void ModelListModel::setHubLocation(const QUrl& endpoint, const QString& cacheDir) {
    m_endpoint = endpoint;
    m_cacheDir = cacheDir;
}

void ModelListModel::setDownloadPatience(int stallTimeoutMs, int maxAttempts, int backoffMs) {
    m_patience.stallTimeoutMs = stallTimeoutMs;
    m_patience.maxAttempts = maxAttempts;
    m_patience.backoffMs = backoffMs;
    m_patience.backoffMaxMs = backoffMs * 4;
}

QVariantList ModelListModel::quantizeFormatList() const {
    QVariantList formats;
    for (const QuantizeFormat& format : quantizeFormats()) {
        formats << QVariantMap{{QStringLiteral("id"), format.id},
                               {QStringLiteral("label"), format.action()},
                               {QStringLiteral("hint"), format.hint ? format.hint() : QString()}};
    }
    return formats;
}

// --- the rows ---

void ModelListModel::retranslate() {
    if (!m_entries.isEmpty()) emit dataChanged(index(0), index(int(m_entries.size()) - 1));
    emit retranslated();
}

int ModelListModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : int(m_entries.size()); }

QHash<int, QByteArray> ModelListModel::roleNames() const {
    return {{NameRole, "name"},           {RepoRole, "repo"},
            {FolderRole, "folder"},       {SourceRole, "source"},
            {StatusRole, "status"},       {DetailsRole, "details"},
            {ProgressRole, "progress"},   {ProgressTextRole, "progressText"},
            {MessageRole, "message"},     {QuantizeProgressRole, "quantizeProgress"},
            {CanDeleteRole, "canDelete"}, {InUseRole, "inUse"}};
}

QVariant ModelListModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid)) return {};
    const ModelEntry& entry = m_entries.at(index.row());
    const auto found = m_activities.find(entry.repo);
    const Activity* act =
        entry.source == ModelEntry::Source::Catalog && found != m_activities.end() ? &found->second : nullptr;
    const auto copy = m_copies.find(entry.folder);
    switch (role) {
        case NameRole:
            return entry.name;
        case RepoRole:
            return entry.repo;
        case FolderRole:
            return entry.folder;
        case SourceRole:
            return QString::fromLatin1(sourceName(entry.source));
        case StatusRole:
            return int(statusOf(entry));
        case DetailsRole:
            return details(entry);
        case ProgressRole:
            if (act && act->progress.bytesTotal > 0 && statusOf(entry) != Status::Ready) {
                return double(act->progress.bytesDone) / double(act->progress.bytesTotal);
            }
            return -1.0;
        case ProgressTextRole:
            return act && statusOf(entry) != Status::Ready ? progressText(*act) : QString();
        case MessageRole:
            if (act && !act->message.isEmpty()) return act->message;
            if (!entry.folder.isEmpty() && m_copyErrors.contains(entry.folder)) return m_copyErrors.value(entry.folder);
            return entry.problem;
        case QuantizeProgressRole:
            return copy != m_copies.end() ? copy->second.fraction : -1.0;
        case CanDeleteRole:
            return entry.source == ModelEntry::Source::Copy;
        case InUseRole:
            return !entry.folder.isEmpty() && QFileInfo(entry.folder).canonicalFilePath() ==
                                                  QFileInfo(m_preferences->modelDirectory()).canonicalFilePath();
        default:
            return {};
    }
}

ModelListModel::Status ModelListModel::statusOf(const ModelEntry& entry) const {
    if (entry.source == ModelEntry::Source::Catalog) {
        const auto it = m_activities.find(entry.repo);
        if (it != m_activities.end() && it->second.status != Status::NotDownloaded &&
            it->second.status != Status::Ready) {
            return it->second.status;
        }
        if (entry.folder.isEmpty()) return Status::NotDownloaded;
    }
    return entry.problem.isEmpty() ? Status::Ready : Status::Unusable;
}

QString ModelListModel::details(const ModelEntry& entry) const {
    QStringList parts;
    if (entry.folder.isEmpty()) {
        const auto it = m_activities.find(entry.repo);
        const qint64 planned = it != m_activities.end() ? it->second.plannedBytes : -1;
        parts << (planned >= 0 ? tr("%1 to download").arg(hub::HubMessages::size(planned)) : tr("size unknown"));
    } else {
        parts << hub::HubMessages::size(entry.sizeBytes);
    }
    if (!entry.dtype.isEmpty()) parts << entry.dtype;
    if (entry.stateBytes > 0) parts << tr("state %1").arg(hub::HubMessages::size(entry.stateBytes));
    return parts.join(QStringLiteral(" · "));
}

QString ModelListModel::progressText(const Activity& activity) const {
    const hub::DownloadProgress& p = activity.progress;
    if (p.bytesTotal <= 0) return activity.status == Status::Downloading ? tr("Preparing…") : QString();
    QStringList parts{tr("%1 of %2").arg(hub::HubMessages::size(p.bytesDone), hub::HubMessages::size(p.bytesTotal))};
    if (activity.status == Status::Downloading && p.bytesPerSecond > 0) {
        parts << tr("%1/s").arg(hub::HubMessages::size(qint64(p.bytesPerSecond)));
    }
    if (activity.status == Status::Downloading && p.secondsLeft >= 0) {
        parts << (p.secondsLeft < 90 ? tr("%1 s left").arg(p.secondsLeft)
                                     : tr("%1 min left").arg((p.secondsLeft + 30) / 60));
    }
    return parts.join(QStringLiteral(" · "));
}

int ModelListModel::rowOfRepo(const QString& repo) const {
    for (int row = 0; row < m_entries.size(); ++row) {
        if (m_entries[row].source == ModelEntry::Source::Catalog && m_entries[row].repo == repo) return row;
    }
    return -1;
}

void ModelListModel::updateRepo(const QString& repo) {
    const int row = rowOfRepo(repo);
    if (row >= 0) emit dataChanged(index(row), index(row));
}

void ModelListModel::updateFolder(const QString& folder) {
    for (int row = 0; row < m_entries.size(); ++row) {
        if (m_entries[row].folder == folder) emit dataChanged(index(row), index(row));
    }
}

// --- the scan ---

void ModelListModel::refresh() {
    startScan();
    for (const QString& repo : kCatalogRepos) fetchSize(repo);
}

void ModelListModel::startScan() {
    if (m_scan) {
        m_rescan = true;
        return;
    }
    const ScanPlaces places{m_cacheDir.isEmpty() ? hub::defaultCacheDir() : m_cacheDir,
                            m_settings->value(kRecentKey).toStringList(), m_copiesDir};
    auto found = std::make_shared<QList<ModelEntry>>();
    m_scan = std::make_unique<ThreadJob>([places, found] { *found = scanModels(places); });
    connect(m_scan.get(), &ThreadJob::finished, this, [this, found] {
        m_scan.release()->deleteLater();  // it is emitting the signal that brought us here
        applyScan(*found);
        emit scanningChanged();
        if (std::exchange(m_rescan, false)) {
            startScan();
        } else {
            emit refreshed();
        }
    });
    m_scan->start();
    emit scanningChanged();
}

void ModelListModel::applyScan(const QList<ModelEntry>& entries) {
    beginResetModel();
    m_entries = entries;
    endResetModel();
}

void ModelListModel::rememberFolder(const QString& folder) {
    if (folder.isEmpty()) return;
    QStringList recent = m_settings->value(kRecentKey).toStringList();
    recent.removeAll(folder);
    recent.prepend(folder);
    while (recent.size() > kMaxRecentFolders) recent.removeLast();
    m_settings->setValue(kRecentKey, recent);
}

// --- copies ---

void ModelListModel::quantize(int row, const QString& formatId) {
    const QuantizeFormat* format = findQuantizeFormat(formatId);
    if (row < 0 || row >= m_entries.size() || !format) return;
    const ModelEntry& entry = m_entries[row];
    if (entry.folder.isEmpty() || m_copies.count(entry.folder) > 0) return;
    const QString source = entry.folder;
    const QString name = entry.repo.isEmpty() ? entry.name : entry.repo.section(u'/', -1);
    Copy& copy = m_copies[source];
    copy.job = std::make_unique<QuantizeJob>(*format, source, m_copiesDir, name);
    m_copyErrors.remove(source);
    connect(copy.job.get(), &QuantizeJob::progress, this, [this, source](double fraction) {
        const auto it = m_copies.find(source);
        if (it == m_copies.end()) return;
        it->second.fraction = fraction;
        updateFolder(source);
    });
    connect(copy.job.get(), &QuantizeJob::finished, this,
            [this, source](const QString& folder, const QString& error) { onCopyFinished(source, folder, error); });
    copy.job->start();
    updateFolder(source);
}

void ModelListModel::onCopyFinished(const QString& source, const QString&, const QString& error) {
    m_copies.erase(source);  // the job's thread has ended: this signal was its last act
    if (!error.isEmpty()) m_copyErrors.insert(source, error);
    updateFolder(source);
    startScan();
}

bool ModelListModel::remove(int row) {
    if (row < 0 || row >= m_entries.size() || m_entries[row].source != ModelEntry::Source::Copy) return false;
    const QFileInfo folder(m_entries[row].folder);
    // Only a folder directly inside the app's copies: never anything else, whatever the row says.
    if (QFileInfo(folder.absolutePath()).canonicalFilePath() != QFileInfo(m_copiesDir).canonicalFilePath()) {
        return false;
    }
    const bool removed = QDir(folder.absoluteFilePath()).removeRecursively();
    startScan();
    return removed;
}
