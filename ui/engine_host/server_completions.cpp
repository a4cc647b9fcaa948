// server_completions.cpp — one completion run whole on the engine thread, over the server's kept states.
#include "server_completions.h"

#include <QFile>

namespace {
// Prompt tokens per unit. The job runs alone (the window's replies wait their turn), so slices are as big as
// rgemma serve's for a job alone; a stop is still honoured between slices and inside one.
constexpr std::size_t kPromptSlice = 256;
}  // namespace

void ServerCompletions::configure(const ServerStateSettings& settings) {
    if (settings.folder != m_settings.folder || settings.memoryBytes != m_settings.memoryBytes ||
        settings.diskBytes != m_settings.diskBytes) {
        m_cache.reset();
    }
    m_settings = settings;
}

rcserver::CompletionOutcome ServerCompletions::run(const rgemma::Model& model, const rgemma::Tokenizer& tokenizer,
                                                   rgemma::Runtime& runtime, const rcserver::CompletionJob& job,
                                                   std::shared_ptr<rcserver::JobControl> control,
                                                   rcserver::TaskEvents events) {
    if (!m_cache) {
        const std::filesystem::path folder(QFile::encodeName(m_settings.folder).toStdString());
        rcserver::StateCacheLimits limits{
            static_cast<uint64_t>(std::max<qint64>(m_settings.memoryBytes, 0)),
            static_cast<uint64_t>(std::max<qint64>(m_settings.diskBytes, 0)),
            m_settings.folder.isEmpty() ? std::filesystem::path() : folder / model.info().fingerprint};
        if (m_settings.folder.isEmpty()) limits.diskBytes = 0;  // no folder: memory only
        m_cache = std::make_unique<rcserver::TieredStateCache>(model, limits);
    }
    const rcserver::EngineRefs refs{model, tokenizer, runtime, *m_cache};
    rcserver::CompletionTask task(refs, job, std::move(control), std::move(events));
    while (!task.done()) task.advance(kPromptSlice);
    return task.takeOutcome();
}
