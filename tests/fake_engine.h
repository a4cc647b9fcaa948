// fake_engine.h — FakeEngine: a ChatEngine for fast tests of the UI flow, beside the end-to-end tests on the real
// one. It "loads" any folder that exists, answers each reply with scripted text a piece per event-loop turn (or
// slowly, or never until stopped, or with a failure), writes a small state file where asked, and keeps the same
// promises as the real engine: one reply at a time in the order asked, exactly one end per reply, a stop honoured
// whether the reply runs or waits. It records the requests so that tests can check what the app asked for.
#pragma once

#include <QList>
#include <QSet>
#include <QStringList>
#include <QTimer>
#include <optional>

#include "chat_engine.h"

class FakeEngine final : public ChatEngine {
    Q_OBJECT

  public:
    enum class Mode {
        Instant,        // a piece per event-loop turn
        Slow,           // a piece every `pieceDelayMs`
        Stall,          // the first piece, then nothing until stopped
        StallInPrompt,  // half of the prompt "read", then nothing until stopped
        Fail,           // replyFailed with `failure`
    };
    struct Script {
        QStringList pieces{QStringLiteral("Hello"), QStringLiteral(" from"), QStringLiteral(" the fake engine.")};
        Mode mode = Mode::Instant;
        int pieceDelayMs = 20;
        QString failure = QStringLiteral("scripted failure");
    };

    explicit FakeEngine(QObject* parent = nullptr);
    ~FakeEngine() override;

    // How the replies asked for from now on go.
    void setScript(const Script& script) { m_script = script; }
    // Every request asked for, in order.
    const QList<GenerationRequest>& requests() const { return m_requests; }
    // The loaded model's name (the folder's name), or "" before the first load.
    QString modelName() const { return m_modelName; }

    void loadModel(const QString& directory) override;
    void setThreads(int threads) override { m_threads = threads; }
    void setFastPrefill(bool fast) override { m_fastPrefill = fast; }
    void startReply(const GenerationRequest& request) override;
    void stopReply(qint64 requestId) override;
    void shutDown() override;
    qint64 tokensFed() const override { return m_tokensFed; }
    void setServerStates(const ServerStateSettings& settings) override { m_serverStates = settings; }
    // The fake engine has no model to complete with: every completion fails (the server answers 500), in turn.
    void startCompletion(const rcserver::CompletionJob& job, const QString& fingerprint,
                         const std::shared_ptr<rcserver::JobControl>& control) override;
    const ServerStateSettings& serverStates() const { return m_serverStates; }

    int threads() const { return m_threads; }
    bool fastPrefill() const { return m_fastPrefill; }

  private:
    struct Running {
        GenerationRequest request;
        Script script;
        GenerationResult result;
        int piecesSent = 0;
    };

    void startNext();
    void step();
    // The parent state: fresh, kept in "memory", from its file, or rebuilt (announced, its history counted as fed).
    void obtainParent(Running& running);
    void finish(Running running, bool stopped);
    void finishWaiting(const GenerationRequest& request);

    Script m_script;
    QList<GenerationRequest> m_requests;
    QList<std::pair<GenerationRequest, Script>> m_waiting;
    std::optional<Running> m_running;
    QSet<qint64> m_stopRequested;
    QSet<QString> m_keptStates;  // the state keys (state-file paths) this model holds "in memory"
    QTimer m_stepTimer;
    QString m_modelName;
    qint64 m_tokensFed = 0;
    int m_threads = 0;
    bool m_fastPrefill = true;
    bool m_down = false;
    ServerStateSettings m_serverStates;
};
