// model_download.h — ModelDownload: downloads a RecurrentGemma checkpoint (config.json, tokenizer.model, the
// safetensors weights and their index) from the Hugging Face Hub into the Hugging Face cache, on a thread of its
// own. The owner's thread (the GUI's, or rgemma download's) only calls the methods below and receives queued
// signals: nothing here ever blocks it.
//
// A download can be paused and resumed, and survives a restart: partial files are kept in the cache and the next
// start() continues them with Range requests. Files already in the cache (downloaded by this app, huggingface-cli
// or any huggingface_hub program) are not fetched again. Every file's size, and every LFS file's SHA-256, is
// checked before it enters the cache; snapshots/ never holds a partial file.
//
// Use: create it with the options, connect, start(). One ModelDownload per repo and revision; create another to
// fetch another. Destroying it stops the transfer (like pause()) and waits for its thread, which takes
// milliseconds.
#pragma once

#include <QObject>
#include <QThread>

#include "download_types.h"
#include "hub_error.h"

namespace hub {

class DownloadWorker;

class ModelDownload : public QObject {
    Q_OBJECT
    Q_PROPERTY(State state READ state NOTIFY stateChanged)
  public:
    enum class State {
        Idle,         // created, or a plan was fetched
        Listing,      // asking the Hub for the file list (and planning)
        Downloading,  // fetching files (or waiting for another program that fetches one of them)
        Paused,       // stopped by pause(); partial files kept
        Finished,     // every file in place: finished() gave the snapshot folder
        Failed,       // failed() said why; partial files kept, start() tries again
        Cancelled,    // stopped by cancel(); this download's partial files deleted
    };
    Q_ENUM(State)

    // Empty endpoint, token and cacheDir take the defaults of hub_locations.h.
    explicit ModelDownload(DownloadOptions options, QObject* parent = nullptr);
    ~ModelDownload() override;

    // The options as used: endpoint, token and cache folder resolved.
    const DownloadOptions& options() const { return m_options; }
    State state() const { return m_state; }
    // The last plan and progress reported (empty before the first).
    const CheckpointPlan& plan() const { return m_plan; }
    const DownloadProgress& lastProgress() const { return m_progress; }

    // Lists the checkpoint's files and what the cache has of them; ends in planned() (state back to Idle) or
    // failed(). Fetches nothing. Ignored while listing or downloading.
    void fetchPlan();
    // Starts, or resumes after pause(), failed() or a restart of the program. Ends in finished() or failed().
    // Ignored while listing or downloading.
    void start();
    void resume() { start(); }
    // Stops the transfer; partial files stay for resume(). Ignored unless listing or downloading.
    void pause();
    // Stops the transfer and deletes this download's partial files (complete files stay in the cache).
    void cancel();

  signals:
    void stateChanged(hub::ModelDownload::State state);
    // The files and sizes, before anything is fetched (after the free-space check passed, for start()).
    void planned(const hub::CheckpointPlan& plan);
    // At most every 250 ms while bytes arrive, and when each file is in place.
    void progress(const hub::DownloadProgress& progress);
    // A translated note to show while the download goes on: a retry and why, a restart of a file, a wait for
    // another program.
    void notice(const QString& text);
    // snapshots/<commit>/ of the checkpoint: a folder `Model::load` opens.
    void finished(const QString& snapshotDir);
    void failed(const hub::HubError& error);
    // Internal: the commands, queued to the worker's thread.
    void startRequested(int run, bool planOnly);
    void pauseRequested();
    void cancelRequested();

  private:
    void setState(State state);
    bool isActive() const;

    DownloadOptions m_options;
    State m_state = State::Idle;
    int m_run = 0;  // the run whose signals count (DownloadWorker tags each signal with its run)
    CheckpointPlan m_plan;
    DownloadProgress m_progress;
    QThread m_thread;
    DownloadWorker* m_worker = nullptr;  // lives on m_thread, deleted there when it finishes
};

}  // namespace hub
