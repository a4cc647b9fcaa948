// fake_engine.cpp — FakeEngine: the queue, the scripted steps of a reply, and the bookkeeping of a real engine's
// results (tokens, state files, where the parent state came from).
#include "fake_engine.h"

#include <QDir>
#include <QFileInfo>
#include <QSaveFile>

namespace {

// One token per character of the turn, after a BOS on the first: enough to count what was fed.
QVector<qint32> tokensOf(const QString& text, bool firstTurn) {
    QVector<qint32> ids;
    if (firstTurn) ids.append(2);
    for (const QChar c : text) ids.append(3 + c.unicode() % 1000);
    return ids;
}

}  // namespace

FakeEngine::FakeEngine(QObject* parent) : ChatEngine(parent) {
    m_stepTimer.setSingleShot(true);
    connect(&m_stepTimer, &QTimer::timeout, this, &FakeEngine::step);
}

FakeEngine::~FakeEngine() { shutDown(); }

void FakeEngine::loadModel(const QString& directory) {
    QTimer::singleShot(0, this, [this, directory] {
        emit modelLoading(directory);
        if (!QFileInfo(directory).isDir()) {
            emit modelLoadFailed(directory, QStringLiteral("The folder %1 does not exist.").arg(directory));
            return;
        }
        m_keptStates.clear();  // they belonged to the model before
        m_modelName = QFileInfo(directory).fileName();
        LoadedModelInfo info;
        info.directory = directory;
        info.name = m_modelName;
        info.dtype = QStringLiteral("F32");
        info.parameterCount = 3'500'000;
        info.weightBytes = 14'000'000;
        info.stateBytes = 300'000;
        info.fingerprint = QStringLiteral("fake-") + m_modelName;
        emit modelLoaded(info);
    });
}

void FakeEngine::startReply(const GenerationRequest& request) {
    Q_ASSERT(!m_down);
    m_requests.append(request);
    m_waiting.append({request, m_script});
    QTimer::singleShot(0, this, &FakeEngine::startNext);
}

void FakeEngine::startCompletion(const rcserver::CompletionJob& job, const QString&,
                                 const std::shared_ptr<rcserver::JobControl>&) {
    Q_ASSERT(!m_down);
    QTimer::singleShot(0, this, [this, id = job.id] {
        rcserver::CompletionOutcome outcome;
        outcome.id = id;
        outcome.error = "the fake engine runs no completions";
        emit completionFinished(outcome);
    });
}

void FakeEngine::stopReply(qint64 requestId) {
    m_stopRequested.insert(requestId);
    // A stalled reply waits for nothing else.
    if (m_running && m_running->request.requestId == requestId && !m_stepTimer.isActive()) m_stepTimer.start(0);
}

void FakeEngine::startNext() {
    if (m_running || m_waiting.isEmpty() || m_down) return;
    const auto [request, script] = m_waiting.takeFirst();
    emit replyStarted(request.requestId);
    if (m_stopRequested.contains(request.requestId)) {
        finishWaiting(request);
        QTimer::singleShot(0, this, &FakeEngine::startNext);
        return;
    }
    if (script.mode == Mode::Fail) {
        emit replyFailed(request.requestId, script.failure);
        QTimer::singleShot(0, this, &FakeEngine::startNext);
        return;
    }
    Running running{request, script, {}, 0};
    running.result.requestId = request.requestId;
    running.result.modelFingerprint = QStringLiteral("fake-") + m_modelName;
    obtainParent(running);
    running.result.userTokens = tokensOf(request.userText, request.firstTurn);
    running.result.prefillTokens += running.result.userTokens.size();
    m_tokensFed += running.result.userTokens.size();
    emit promptProgress(request.requestId, 0, running.result.prefillTokens);
    m_running = std::move(running);
    m_stepTimer.start(0);
}

void FakeEngine::obtainParent(Running& running) {
    const GenerationRequest& request = running.request;
    GenerationResult& result = running.result;
    result.position = request.historyTokens.size();
    if (request.firstTurn) {
        result.parentSource = ParentStateSource::Fresh;
    } else if (!request.parentStateFile.isEmpty() && m_keptStates.contains(request.parentStateFile)) {
        result.parentSource = ParentStateSource::Memory;
    } else if (!request.parentStateFile.isEmpty() && QFileInfo::exists(request.parentStateFile)) {
        result.parentSource = ParentStateSource::File;
    } else {
        emit stateRebuilding(request.requestId, request.parentStateFile.isEmpty()
                                                    ? QStringLiteral("no state file was saved")
                                                    : QStringLiteral("the state file is missing"));
        result.parentSource = ParentStateSource::Rebuilt;
        result.prefillTokens += request.historyTokens.size();
        m_tokensFed += request.historyTokens.size();
    }
}

void FakeEngine::step() {
    if (!m_running) return;
    Running& running = *m_running;
    if (m_stopRequested.contains(running.request.requestId)) {
        Running done = std::move(*m_running);
        m_running.reset();
        finish(std::move(done), true);
        return;
    }
    const QStringList& pieces = running.script.pieces;
    const qint64 prompt = running.result.prefillTokens;
    if (running.piecesSent == 0 && running.script.mode == Mode::StallInPrompt) {
        emit promptProgress(running.request.requestId, prompt / 2, prompt);
        return;  // until stopReply()
    }
    if (running.piecesSent == 0) emit promptProgress(running.request.requestId, prompt, prompt);
    if (running.piecesSent < pieces.size()) {
        emit textAppended(running.request.requestId, pieces.at(running.piecesSent++), 100.0);
        if (running.script.mode == Mode::Stall) return;  // until stopReply()
        m_stepTimer.start(running.script.mode == Mode::Slow ? running.script.pieceDelayMs : 0);
        return;
    }
    Running done = std::move(*m_running);
    m_running.reset();
    finish(std::move(done), false);
}

void FakeEngine::finish(Running running, bool stopped) {
    m_stepTimer.stop();
    m_stopRequested.remove(running.request.requestId);
    GenerationResult& result = running.result;
    const QStringList said = running.script.pieces.mid(0, running.piecesSent);
    result.text = said.join(QString());
    for (int i = 0; i < said.size(); ++i) result.replyTokens.append(1000 + i);
    result.stopReason = stopped ? QStringLiteral("stopped") : QStringLiteral("end");
    result.tokensPerSecond = 100.0;
    result.position += result.userTokens.size() + result.replyTokens.size();
    m_tokensFed += result.replyTokens.size();
    result.stateKept = true;
    const QString& out = running.request.stateFileOut;
    if (!out.isEmpty()) {
        m_keptStates.insert(out);
        QSaveFile file(out);
        if (file.open(QIODevice::WriteOnly) && file.write("fake state\n") > 0 && file.commit()) {
            result.stateFile = out;
        } else {
            result.stateSaveError = file.errorString();
        }
    }
    emit replyFinished(result);
    QTimer::singleShot(0, this, &FakeEngine::startNext);
}

void FakeEngine::finishWaiting(const GenerationRequest& request) {
    m_stopRequested.remove(request.requestId);
    GenerationResult result;
    result.requestId = request.requestId;
    result.stopReason = QStringLiteral("stopped");
    result.stateKept = false;
    result.modelFingerprint = QStringLiteral("fake-") + m_modelName;
    emit replyFinished(result);
}

void FakeEngine::shutDown() {
    if (m_down) return;
    m_down = true;
    if (m_running) {
        Running done = std::move(*m_running);
        m_running.reset();
        finish(std::move(done), true);
    }
    while (!m_waiting.isEmpty()) finishWaiting(m_waiting.takeFirst().first);
}
