// model_list_downloads.cpp — ModelListModel's downloads (model_list_model.h): one hub::ModelDownload per catalog
// repo, its reports turned into row updates on the GUI thread, and the downloads under way kept in the settings so
// that they go on after a restart.
#include "hub_error.h"
#include "model_list_model.h"

namespace {

const QString kActiveKey = QStringLiteral("models/activeDownloads");
const QString kPausedKey = QStringLiteral("models/pausedDownloads");

}  // namespace

ModelListModel::Activity& ModelListModel::activity(const QString& repo) { return m_activities[repo]; }

hub::ModelDownload& ModelListModel::downloadFor(const QString& repo) {
    Activity& act = activity(repo);
    if (act.download) return *act.download;
    hub::DownloadOptions options = m_patience;
    options.repo = repo;
    options.endpoint = m_endpoint;
    options.cacheDir = m_cacheDir;
    options.token = m_tokens.token();
    act.download = std::make_unique<hub::ModelDownload>(options);
    hub::ModelDownload* download = act.download.get();
    connect(download, &hub::ModelDownload::stateChanged, this,
            [this, repo](hub::ModelDownload::State state) { onDownloadState(repo, state); });
    connect(download, &hub::ModelDownload::planned, this, [this, repo](const hub::CheckpointPlan& plan) {
        activity(repo).plannedBytes = plan.totalBytes;
        updateRepo(repo);
    });
    connect(download, &hub::ModelDownload::progress, this, [this, repo](const hub::DownloadProgress& progress) {
        Activity& act = activity(repo);
        act.progress = progress;
        act.message.clear();
        updateRepo(repo);
    });
    connect(download, &hub::ModelDownload::notice, this, [this, repo](const QString& text) {
        activity(repo).message = text;
        updateRepo(repo);
    });
    connect(download, &hub::ModelDownload::failed, this, [this, repo](const hub::HubError& error) {
        activity(repo).message = error.message;
        updateRepo(repo);
    });
    connect(download, &hub::ModelDownload::finished, this, [this](const QString&) { startScan(); });
    return *download;
}

void ModelListModel::fetchSize(const QString& repo) {
    const auto it = m_activities.find(repo);
    if (it != m_activities.end() && (it->second.plannedBytes >= 0 || it->second.download)) return;
    downloadFor(repo).fetchPlan();
}

void ModelListModel::onDownloadState(const QString& repo, hub::ModelDownload::State state) {
    using State = hub::ModelDownload::State;
    Activity& act = activity(repo);
    const bool wasFetchingSize = act.status == Status::NotDownloaded;
    switch (state) {
        case State::Listing:
            if (wasFetchingSize) return;  // only the size is asked for (refresh), or start() lists first
            act.status = Status::Downloading;
            break;
        case State::Downloading:
            act.status = Status::Downloading;
            act.message.clear();
            break;
        case State::Paused:
            act.status = Status::Paused;
            break;
        case State::Failed:
            // A failed size request says why in the row but leaves the model downloadable.
            if (!wasFetchingSize) act.status = Status::Failed;
            break;
        case State::Finished:
            act.status = Status::Ready;
            break;
        case State::Idle:
            return;
        case State::Cancelled:
            act.status = Status::NotDownloaded;
            act.progress = {};
            act.message.clear();
            break;
    }
    saveDownloads();
    updateRepo(repo);
}

void ModelListModel::download(int row) {
    if (row < 0 || row >= m_entries.size() || m_entries[row].source != ModelEntry::Source::Catalog) return;
    const QString repo = m_entries[row].repo;
    if (!m_tokens.ready()) {  // the keyring has not answered yet: start once it has
        connect(
            &m_tokens, &HubTokenStore::changed, this, [this, repo] { download(rowOfRepo(repo)); },
            Qt::SingleShotConnection);
        return;
    }
    Activity& act = activity(repo);
    // A fresh download object unless one is fetching: it reads the token entered since the last try, and replaces
    // one still asking for the size (which would ignore start()). Partial files carry over through the cache.
    if (act.download && act.download->state() != hub::ModelDownload::State::Downloading) act.download.reset();
    act.status = Status::Downloading;
    act.message.clear();
    downloadFor(repo).start();
    saveDownloads();
    updateRepo(repo);
}

void ModelListModel::pause(int row) {
    if (row < 0 || row >= m_entries.size()) return;
    const auto it = m_activities.find(m_entries[row].repo);
    if (it != m_activities.end() && it->second.download) it->second.download->pause();
}

void ModelListModel::cancel(int row) {
    if (row < 0 || row >= m_entries.size()) return;
    const QString repo = m_entries[row].repo;
    const auto it = m_activities.find(repo);
    if (it == m_activities.end()) return;
    if (it->second.download) {
        it->second.download->cancel();
    }
    it->second.status = Status::NotDownloaded;
    it->second.progress = {};
    it->second.message.clear();
    saveDownloads();
    updateRepo(repo);
}

void ModelListModel::saveDownloads() {
    QStringList active, paused;
    for (const auto& [repo, act] : m_activities) {
        if (act.status == Status::Downloading) active << repo;
        if (act.status == Status::Paused || act.status == Status::Failed) paused << repo;
    }
    m_settings->setValue(kActiveKey, active);
    m_settings->setValue(kPausedKey, paused);
}

void ModelListModel::resumeDownloads() {
    if (!m_tokens.ready()) {  // the downloads need the stored token: once the keyring has answered
        startScan();
        connect(
            &m_tokens, &HubTokenStore::changed, this, [this] { resumeDownloads(); }, Qt::SingleShotConnection);
        return;
    }
    const QStringList active = m_settings->value(kActiveKey).toStringList();
    for (const QString& repo : m_settings->value(kPausedKey).toStringList()) {
        if (kCatalogRepos.contains(repo)) activity(repo).status = Status::Paused;
    }
    for (const QString& repo : active) {
        if (!kCatalogRepos.contains(repo)) continue;
        activity(repo).status = Status::Downloading;
        downloadFor(repo).start();
    }
    startScan();
}
