// engine_worker.cpp — the engine thread's QObject: model loading, the runtime, the states kept in memory, and
// turning a ConversationRunner's results into queued signals.
#include "engine_worker.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <atomic>
#include <filesystem>
#include <optional>
#include <utility>

#include "backend_messages.h"
#include "conversation_runner.h"
#include "rgemma/model.h"
#include "rgemma/runtime.h"
#include "rgemma/tokenizer.h"
#include "server_completions.h"
#include "state_cache.h"
#include "thread_handoff.h"

namespace {
// States kept in memory: the newest reply and its parent of the current conversation (continue, regenerate, edit)
// plus a couple of conversations the user switches between.
constexpr std::size_t kKeptStates = 4;
}  // namespace

struct EngineWorker::Impl {
    explicit Impl(std::atomic<qint64>& fed) : tokensFed(fed) {}

    std::unique_ptr<rgemma::Model> model;
    std::optional<rgemma::Tokenizer> tokenizer;
    std::unique_ptr<rgemma::Runtime> runtime;
    int threads = 0;         // wanted (<= 0: all)
    int runtimeThreads = 0;  // what `runtime` was made with
    bool fastPrefill = true;
    StateCache cache{kKeptStates};
    ServerCompletions server;
    std::atomic<qint64>& tokensFed;  // read by other threads

    void ensureRuntime() {
        if (!runtime || runtimeThreads != threads) {
            runtime = std::make_unique<rgemma::Runtime>(threads);
            runtimeThreads = threads;
            applyPrefillPrecision();
        }
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

EngineWorker::EngineWorker(std::atomic<qint64>& tokensFed, QObject* parent)
    : QObject(parent), m_impl(std::make_unique<Impl>(tokensFed)) {}

EngineWorker::~EngineWorker() = default;

bool EngineWorker::event(QEvent* event) {
    takeOver();  // a queued call from the GUI thread: its arguments were handed off before it was posted
    return QObject::event(event);
}

void EngineWorker::loadModel(const QString& directory) {
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

    // The GUI thread's own instance, for the local API server's prompts.
    auto guiTokenizer = rgemma::Tokenizer::load(dir / "tokenizer.model");

    m_impl->cache.clear();
    m_impl->server.dropModel();
    m_impl->model = std::move(*model);
    m_impl->tokenizer.emplace(std::move(*tokenizer));
    m_impl->ensureRuntime();

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
    if (guiTokenizer) loaded.tokenizer = std::make_shared<const rgemma::Tokenizer>(std::move(*guiTokenizer));
    handOff();
    emit modelLoaded(loaded);
}

void EngineWorker::setThreads(int threads) {
    m_impl->threads = threads;
    // Before any model is loaded there is nothing to run on; loadModel() creates the runtime.
    if (m_impl->model) m_impl->ensureRuntime();
}

void EngineWorker::setFastPrefill(bool fast) {
    m_impl->fastPrefill = fast;
    m_impl->applyPrefillPrecision();
}

void EngineWorker::generate(const GenerationRequest& request, const std::atomic<bool>& stop) {
    Impl& impl = *m_impl;
    handOff();
    emit generationStarted(request.requestId);
    if (!impl.model || !impl.tokenizer || !impl.runtime) {
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
    events.promptProgress = [this, id = request.requestId](qint64 done, qint64 total) {
        handOff();
        emit promptProgress(id, done, total);
    };
    ConversationRunner runner(*impl.model, *impl.tokenizer, *impl.runtime, impl.cache, stop, impl.tokensFed);
    auto result = runner.run(request, events);
    handOff();
    if (result) {
        emit generationFinished(*result);
    } else {
        emit generationFailed(request.requestId, result.error());
    }
}

void EngineWorker::setServerStates(const ServerStateSettings& settings) { m_impl->server.configure(settings); }

void EngineWorker::complete(const rcserver::CompletionJob& job, const QString& fingerprint,
                            const std::shared_ptr<rcserver::JobControl>& control) {
    Impl& impl = *m_impl;
    rcserver::CompletionOutcome outcome;
    outcome.id = job.id;
    if (!impl.model || !impl.tokenizer || !impl.runtime) {
        outcome.error = rcserver::backend_messages::kModelGone;
    } else if (fingerprint.toStdString() != impl.model->info().fingerprint) {
        outcome.error = rcserver::backend_messages::kModelSwitched;
    } else {
        rcserver::TaskEvents events{
            [this, id = job.id](int64_t prompt, int64_t cached) {
                handOff();
                emit completionStarted(id, prompt, cached);
            },
            [this, id = job.id](int32_t choice, const std::string& text) {
                handOff();
                emit completionText(id, choice, QByteArray(text.data(), static_cast<qsizetype>(text.size())));
            },
        };
        outcome = impl.server.run(*impl.model, *impl.tokenizer, *impl.runtime, job, control, std::move(events));
    }
    handOff();
    emit completionFinished(outcome);
}
