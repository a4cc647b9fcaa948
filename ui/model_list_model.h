// model_list_model.h — ModelListModel: the Models page's rows (model_scan.h) with what is happening to each: the
// catalog's sizes from the Hub's tree API, downloads (hub::ModelDownload, each on its own thread, going on while the
// user chats and resumed after a restart), and quantized copies (QuantizeJob). Lives on the GUI thread and changes
// only there; the scan of the disk runs on a thread of its own. QML only displays its roles and calls its invokables.
#pragma once

#include <QtQml/qqmlregistration.h>

#include <QAbstractListModel>
#include <QHash>
#include <QSettings>
#include <QUrl>
#include <QVariantList>
#include <map>
#include <memory>

#include "download_types.h"
#include "hub_token_store.h"
#include "model_download.h"
#include "model_quantizer.h"
#include "model_scan.h"
#include "thread_job.h"

class Preferences;

class ModelListModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The model list belongs to the controller")

    Q_PROPERTY(HubTokenStore* tokenStore READ tokenStore CONSTANT)
    Q_PROPERTY(QVariantList quantizeFormats READ quantizeFormatList NOTIFY retranslated)
    Q_PROPERTY(bool scanning READ scanning NOTIFY scanningChanged)

  public:
    enum class Status {
        NotDownloaded,  // a catalog model not (fully) in the cache
        Downloading,    // listing its files or fetching them
        Paused,         // partial files kept for resume
        Failed,         // the download failed: message says why
        Ready,          // opens with "Use this model"
        Unusable,       // on disk but does not open: message says why
    };
    Q_ENUM(Status)
    enum Role {
        NameRole = Qt::UserRole + 1,
        RepoRole,
        FolderRole,
        SourceRole,            // "catalog", "cache", "folder", "copy"
        StatusRole,            // Status, as an int
        DetailsRole,           // "4.9 GB · BF16 · state 16.8 MB"
        ProgressRole,          // 0…1 of a download, or -1
        ProgressTextRole,      // "1.2 GB of 4.9 GB · 12 MB/s · 3 min left"
        MessageRole,           // an error or a notice
        QuantizeProgressRole,  // 0…1 while a copy is made from this model, else -1
        CanDeleteRole,         // a copy the app made
        InUseRole,             // the loaded model
    };

    // `dataDirectory`/models holds the copies; `settings` remembers the folders opened and the downloads under way,
    // and is next to the token file; `preferences` says which model is loaded.
    ModelListModel(const QString& dataDirectory, QSettings* settings, Preferences* preferences,
                   QObject* parent = nullptr);
    ~ModelListModel() override;

    int rowCount(const QModelIndex& parent = QModelIndex()) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    HubTokenStore* tokenStore() { return &m_tokens; }
    QVariantList quantizeFormatList() const;
    bool scanning() const { return m_scan != nullptr; }
    QString copiesDirectory() const { return m_copiesDir; }
    // Where downloads come from and go (empty: net/hub's defaults, $HF_ENDPOINT and the Hugging Face cache). Tests
    // point them at a fake Hub and a temporary cache.
    void setHubLocation(const QUrl& endpoint, const QString& cacheDir);
    void setDownloadPatience(int stallTimeoutMs, int maxAttempts, int backoffMs);

    // Rescans the disk and asks the Hub for the sizes of the catalog models it does not know yet.
    Q_INVOKABLE void refresh();
    Q_INVOKABLE void download(int row);
    Q_INVOKABLE void pause(int row);
    Q_INVOKABLE void resume(int row) { download(row); }
    Q_INVOKABLE void cancel(int row);
    Q_INVOKABLE void quantize(int row, const QString& formatId);
    // Deletes a copy the app made (only those: a cache snapshot is shared with other tools).
    Q_INVOKABLE bool remove(int row);
    // After a language change: the rows' texts and the formats' words again.
    void retranslate();
    // At start: downloads that were under way when the app quit go on; paused ones show as paused.
    void resumeDownloads();

  signals:
    void scanningChanged();
    void retranslated();
    // For tests: a scan finished and the rows are current.
    void refreshed();

  private:
    struct Activity {  // what goes on for one catalog repo
        std::unique_ptr<hub::ModelDownload> download;
        Status status = Status::NotDownloaded;
        qint64 plannedBytes = -1;  // from the tree API; -1 until known
        hub::DownloadProgress progress;
        QString message;
    };
    struct Copy {  // a quantized copy being made from one folder
        std::unique_ptr<QuantizeJob> job;
        double fraction = 0;
    };

    void startScan();
    void applyScan(const QList<ModelEntry>& entries);
    Activity& activity(const QString& repo);
    hub::ModelDownload& downloadFor(const QString& repo);
    void fetchSize(const QString& repo);
    void onDownloadState(const QString& repo, hub::ModelDownload::State state);
    void onCopyFinished(const QString& source, const QString& folder, const QString& error);
    void rememberFolder(const QString& folder);
    void saveDownloads();
    void updateRepo(const QString& repo);
    void updateFolder(const QString& folder);
    int rowOfRepo(const QString& repo) const;
    Status statusOf(const ModelEntry& entry) const;
    QString details(const ModelEntry& entry) const;
    QString progressText(const Activity& activity) const;

    QSettings* m_settings;
    Preferences* m_preferences;
    QString m_copiesDir;
    HubTokenStore m_tokens;
    QUrl m_endpoint;
    QString m_cacheDir;
    hub::DownloadOptions m_patience;  // only the retry and stall fields are read
    QList<ModelEntry> m_entries;
    std::map<QString, Activity> m_activities;  // by repo
    std::map<QString, Copy> m_copies;          // by source folder
    QHash<QString, QString> m_copyErrors;      // by source folder: the last copy's failure
    std::unique_ptr<ThreadJob> m_scan;         // the scan of the disk, while it runs
    bool m_rescan = false;                     // a refresh came while scanning
};
