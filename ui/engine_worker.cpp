// engine_worker.cpp — the engine thread's QObject: model loading, the runtime, the state cache, the stop flag, and
// turning a ConversationRunner's results into queued signals.
#include "engine_worker.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QList>
#include <QMutex>
#include <QMutexLocker>
#include <atomic>
#include <filesystem>
#include <optional>
#include <utility>

#include "conversation_runner.h"
#include "rgemma/model.h"
#include "rgemma/runtime.h"
#include "rgemma/tokenizer.h"
#include "state_cache.h"
#include "thread_handoff.h"

namespace {
// Cached states: the newest reply and its parent of the current conversation (continue, regenerate, edit) plus a
// couple of conversations the user switches between.
constexpr std::size_t kCachedStates = 4;
}  // namespace

struct EngineWorker::Impl {
    std::unique_ptr<rgemma::Model> model;
    std::optional<rgemma::Tokenizer> tokenizer;
    std::unique_ptr<rgemma::Runtime> runtime;
    int threads = 0;
    bool fastPrefill = true;
    StateCache cache{kCachedStates};

    // Read by the engine once per token, without a lock.
    std::atomic<bool> cancel{false};
    std::atomic<qint64> tokensFed{0};

    // What other threads touch, under `mutex`. Stopping: requestStop() names a request, which may be running or
    // still queued; the flag is raised only while the named request runs, and reset when a request starts, so a
    // Stop is never lost and never leaks into a later request. bindState() runs on the GUI thread while the cache
    // belongs to the engine thread: bindings wait here until the engine thread applies them.
    QMutex mutex;
    qint64 runningRequestId = 0;
    qint64 stopRequestId = 0;
    QList<std::pair<qint64, qint64>> bindings;  // (request id, message id)

    void startRequest(qint64 requestId) {
        const QMutexLocker lock(&mutex);
        runningRequestId = requestId;
        cancel.store(stopRequestId == requestId);
    }
    void endRequest() {
        const QMutexLocker lock(&mutex);
        runningRequestId = 0;
    }

    void applyBindings() {
        QList<std::pair<qint64, qint64>> pending;
        {
            const QMutexLocker lock(&mutex);
            pending.swap(bindings);
        }
        for (const auto& [requestId, messageId] : pending) cache.bind(requestId, messageId);
    }

    void ensureRuntime(int wanted) {
        if (!runtime || wanted != threads) {
            runtime = std::make_unique<rgemma::Runtime>(wanted);
            applyPrefillPrecision();
        }
        threads = wanted;
    }

    // Fast: prompts in bf16 dot products where the CPU has them (bf16 weights only), about twice the prefill speed,
    // as PyTorch's and llama.cpp's bf16 paths; logits move by up to ~0.3, so a near tie can pick another token.
    // rgemma's logits and generate keep the exact path, to compare with the reference implementation.
    void applyPrefillPrecision() {
        if (runtime)
            runtime->setPrefillPrecision(fastPrefill ? rgemma::PrefillPrecision::Fast
                                                     : rgemma::PrefillPrecision::Exact);
    }
};

EngineWorker::EngineWorker(QObject* parent) : QObject(parent), m_impl(std::make_unique<Impl>()) {
    registerEngineWorkerTypes();
}

EngineWorker::~EngineWorker() = default;

bool EngineWorker::event(QEvent* event) {
    takeOver();  // a queued call from the GUI thread: its arguments were handed off before it was posted
    return QObject::event(event);
}

void EngineWorker::requestStop(qint64 requestId) {
    const QMutexLocker lock(&m_impl->mutex);
    if (requestId == 0) requestId = m_impl->runningRequestId;
    if (requestId == 0) return;
    m_impl->stopRequestId = requestId;
    if (m_impl->runningRequestId == requestId) m_impl->cancel.store(true);
}

qint64 EngineWorker::tokensPrefilled() const { return m_impl->tokensFed.load(); }

void EngineWorker::bindState(qint64 requestId, qint64 messageId) {
    const QMutexLocker lock(&m_impl->mutex);
    m_impl->bindings.append({requestId, messageId});
}

void EngineWorker::loadModel(const QString& directory, int threads) {
    handOff();
    emit modelLoading(directory);
    if (!QFileInfo(directory).isDir()) {
        handOff();
        emit modelLoadFailed(directory, tr("The folder %1 does not exist.").arg(QDir::toNativeSeparators(directory)));
        return;
    }
    const std::filesystem::path dir(QFile::encodeName(directory).data());
    auto model = rgemma::Model::load(dir);
    if (!model) {
        handOff();
        emit modelLoadFailed(directory, engineErrorText(model.error()));
        return;
    }
    auto tokenizer = rgemma::Tokenizer::load(dir / "tokenizer.model");
    if (!tokenizer) {
        //: %1: the engine's explanation, in English
        handOff();
        emit modelLoadFailed(directory, tr("The model's tokenizer (tokenizer.model) could not be loaded: %1")
                                            .arg(QString::fromStdString(tokenizer.error().message)));
        return;
    }
    if (tokenizer->vocabSize() > (*model)->config().vocabSize) {
        handOff();
        emit modelLoadFailed(directory, tr("The tokenizer (%1 tokens) does not belong to this model (%2 tokens).")
                                            .arg(tokenizer->vocabSize())
                                            .arg((*model)->config().vocabSize));
        return;
    }

    m_impl->applyBindings();  // pending bindings name states of the old model: they go with them
    m_impl->cache.clear();
    m_impl->model = std::move(*model);
    m_impl->tokenizer.emplace(std::move(*tokenizer));
    m_impl->ensureRuntime(threads);

    const rgemma::ModelInfo& info = m_impl->model->info();
    LoadedModelInfo loaded;
    loaded.directory = directory;
    loaded.name = QString::fromStdString(info.name);
    const std::string_view dtype = rgemma::dtypeName(info.dtype);
    loaded.dtype = QString::fromUtf8(dtype.data(), static_cast<qsizetype>(dtype.size()));
    loaded.parameterCount = info.parameterCount;
    loaded.weightBytes = static_cast<qint64>(info.weightBytes);
    loaded.stateBytes = static_cast<qint64>(info.stateBytes);
    loaded.fingerprint = QString::fromStdString(info.fingerprint);
    handOff();
    emit modelLoaded(loaded);
}

void EngineWorker::setThreads(int threads) {
    // Before any model is loaded there is nothing to run on; loadModel() creates the runtime.
    if (m_impl->model) {
        m_impl->ensureRuntime(threads);
    } else {
        m_impl->threads = threads;
    }
}

void EngineWorker::setFastPrefill(bool fast) {
    m_impl->fastPrefill = fast;
    m_impl->applyPrefillPrecision();
}

void EngineWorker::generate(const GenerationRequest& request) {
    Impl& impl = *m_impl;
    impl.startRequest(request.requestId);
    handOff();
    emit generationStarted(request.requestId);
    impl.applyBindings();

    if (!impl.model || !impl.tokenizer || !impl.runtime) {
        impl.endRequest();
        handOff();
        emit generationFailed(request.requestId, tr("No model is loaded."));
        return;
    }
    ConversationRunner::Events events;
    events.rebuilding = [this, id = request.requestId](const QString& reason) {
        handOff();
        emit stateRebuilding(id, reason);
    };
    events.textAppended = [this, id = request.requestId](const QString& text, double tokensPerSecond) {
        handOff();
        emit textAppended(id, text, tokensPerSecond);
    };
    ConversationRunner runner(*impl.model, *impl.tokenizer, *impl.runtime, impl.cache, impl.cancel, impl.tokensFed);
    auto result = runner.run(request, events);
    impl.endRequest();
    if (result) {
        handOff();
        emit generationFinished(*result);
    } else {
        handOff();
        emit generationFailed(request.requestId, result.error());
    }
}

void EngineWorker::dropState(qint64 conversationId) {
    m_impl->applyBindings();
    m_impl->cache.dropConversation(conversationId);
}
