// net/server/engine_queue.h — the engine thread of QueuedEngineBackend: it owns the model and the kept states and
// runs jobs until batching (issue 15) replaces it: at most `parallel` jobs at a time, interleaved one unit (a
// token, or a slice of a prompt) each in turn, the rest waiting first come, first served. Its event loop turns
// between units, so a new job or a stop waits for one unit at most.
#pragma once

#include <QObject>
#include <QString>
#include <deque>
#include <filesystem>
#include <memory>
#include <optional>
#include <vector>

#include "completion_backend.h"
#include "completion_task.h"
#include "tiered_state_cache.h"

namespace rcserver {

struct EngineSettings {
    std::filesystem::path modelDir;
    int threads = 0;   // 0: every hardware thread
    int parallel = 4;  // jobs advancing at once
    uint64_t stateMemoryBytes = 0;
    uint64_t stateDiskBytes = 0;
    std::filesystem::path stateFolder;  // kept states of every model; each model gets a subfolder by fingerprint
};

class EngineQueue : public QObject {
    Q_OBJECT

  public:
    explicit EngineQueue(EngineSettings settings);
    ~EngineQueue() override;

    // Both called on the engine thread (queued from the backend).
    void load();
    void enqueue(const CompletionJob& job, std::shared_ptr<JobControl> control);

  signals:
    // tokenizer: a second instance for the server's thread. stateWarning: a problem with the state folder, or "".
    void loaded(bool ok, const QString& failure, const rcserver::ModelDescription& model,
                std::shared_ptr<const rgemma::Tokenizer> tokenizer, const QString& stateWarning);
    void started(quint64 id, qint64 promptTokens, qint64 cachedTokens);
    void textReady(quint64 id, int choice, const QByteArray& utf8);
    void finished(const rcserver::CompletionOutcome& outcome);

  private:
    struct Loaded;
    void scheduleStep();
    void step();
    void endTask(std::unique_ptr<CompletionTask> task);

    EngineSettings m_settings;
    std::unique_ptr<Loaded> m_loaded;
    std::deque<std::unique_ptr<CompletionTask>> m_waiting;
    std::vector<std::unique_ptr<CompletionTask>> m_active;
    std::size_t m_next = 0;  // the active job whose turn is next
    bool m_stepQueued = false;
};

}  // namespace rcserver

Q_DECLARE_METATYPE(rcserver::ModelDescription)
Q_DECLARE_METATYPE(std::shared_ptr<const rgemma::Tokenizer>)
