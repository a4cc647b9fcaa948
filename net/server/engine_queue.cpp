// net/server/engine_queue.cpp — loading on the engine thread, and the fair queue: admission in arrival order up to
// the parallel limit, then one unit per active job in turn. The one file batching (issue 15) replaces.
#include "engine_queue.h"

#include <QDateTime>
#include <algorithm>

#include "rgemma/model.h"
#include "rgemma/runtime.h"

namespace rcserver {

namespace {
// Prompt tokens per unit: a long prompt is fed in slices so that the other active jobs keep streaming (a slice of
// 64 takes about 4 s on a 2B model on two AVX2 cores, against ~0.4 s per decoded token) and a stop is honoured
// within one slice. Alone, a job feeds bigger slices; prefill efficiency grows with the slice.
constexpr std::size_t kSharedPromptSlice = 64;
constexpr std::size_t kAlonePromptSlice = 256;
}  // namespace

struct EngineQueue::Loaded {
    std::unique_ptr<rgemma::Model> model;
    rgemma::Tokenizer tokenizer;
    rgemma::Runtime runtime;
    TieredStateCache cache;
    EngineRefs refs;

    Loaded(std::unique_ptr<rgemma::Model> m, rgemma::Tokenizer t, int threads, const StateCacheLimits& limits)
        : model(std::move(m)),
          tokenizer(std::move(t)),
          runtime(threads),
          cache(*model, limits),
          refs{*model, tokenizer, runtime, cache} {
        runtime.setPrefillPrecision(rgemma::PrefillPrecision::Fast);  // the app's default arithmetic
    }
};

EngineQueue::EngineQueue(EngineSettings settings) : m_settings(std::move(settings)) {}

EngineQueue::~EngineQueue() = default;

void EngineQueue::load() {
    auto fail = [this](const std::string& message) { emit loaded(false, QString::fromStdString(message), {}, {}, {}); };
    auto model = rgemma::Model::load(m_settings.modelDir);
    if (!model) return fail(model.error().message);
    const auto tokenizerFile = m_settings.modelDir / "tokenizer.model";
    auto tokenizer = rgemma::Tokenizer::load(tokenizerFile);
    auto serverTokenizer = rgemma::Tokenizer::load(tokenizerFile);
    if (!tokenizer || !serverTokenizer) return fail((tokenizer ? serverTokenizer : tokenizer).error().message);

    const rgemma::ModelInfo& info = (*model)->info();
    StateCacheLimits limits{m_settings.stateMemoryBytes, m_settings.stateDiskBytes,
                            m_settings.stateFolder / info.fingerprint};
    m_loaded = std::make_unique<Loaded>(std::move(*model), std::move(*tokenizer), m_settings.threads, limits);
    const ModelDescription description{QString::fromStdString(info.name), QString::fromStdString(info.fingerprint),
                                       QDateTime::currentSecsSinceEpoch()};
    const std::string& warning = m_loaded->cache.disk().folderProblem();
    emit loaded(true, {}, description, std::make_shared<const rgemma::Tokenizer>(std::move(*serverTokenizer)),
                QString::fromStdString(warning));
}

void EngineQueue::enqueue(const CompletionJob& job, std::shared_ptr<JobControl> control) {
    if (!m_loaded) {  // the backend takes jobs only once loaded; kept as a value, not a crash
        CompletionOutcome outcome;
        outcome.id = job.id;
        outcome.error = "no model is loaded";
        emit finished(outcome);
        return;
    }
    const quint64 id = job.id;
    TaskEvents events{
        [this, id](int64_t prompt, int64_t cached) { emit started(id, prompt, cached); },
        [this, id](int32_t choice, const std::string& text) {
            emit textReady(id, choice, QByteArray(text.data(), static_cast<qsizetype>(text.size())));
        },
    };
    m_waiting.push_back(std::make_unique<CompletionTask>(m_loaded->refs, job, std::move(control), std::move(events)));
    scheduleStep();
}

void EngineQueue::scheduleStep() {
    if (m_stepQueued) return;
    m_stepQueued = true;
    QMetaObject::invokeMethod(this, &EngineQueue::step, Qt::QueuedConnection);
}

void EngineQueue::endTask(std::unique_ptr<CompletionTask> task) { emit finished(task->takeOutcome()); }

void EngineQueue::step() {
    m_stepQueued = false;
    // A waiting job whose client left ends now, not when its turn comes.
    for (auto it = m_waiting.begin(); it != m_waiting.end();) {
        if ((*it)->stopRequested()) {
            (*it)->advance(0);  // a stopped job's next unit ends it
            endTask(std::move(*it));
            it = m_waiting.erase(it);
        } else {
            ++it;
        }
    }
    while (m_active.size() < static_cast<std::size_t>(std::max(m_settings.parallel, 1)) && !m_waiting.empty()) {
        m_active.push_back(std::move(m_waiting.front()));
        m_waiting.pop_front();
    }
    if (m_active.empty()) return;
    if (m_next >= m_active.size()) m_next = 0;
    CompletionTask& task = *m_active[m_next];
    task.advance(m_active.size() == 1 ? kAlonePromptSlice : kSharedPromptSlice);
    if (task.done()) {
        endTask(std::move(m_active[m_next]));
        m_active.erase(m_active.begin() + static_cast<std::ptrdiff_t>(m_next));
    } else {
        ++m_next;
    }
    if (!m_active.empty() || !m_waiting.empty()) scheduleStep();
}

}  // namespace rcserver
