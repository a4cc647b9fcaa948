// net/server/completion_task.cpp — the phases of one job. The prompt's last token is always fed here (a kept state
// covers at most all but it), so the first choice token has fresh logits.
#include "completion_task.h"

#include <algorithm>

namespace rcserver {

const char* finishReasonName(FinishReason reason) {
    switch (reason) {
        case FinishReason::Stop:
            return "stop";
        case FinishReason::Length:
            return "length";
        case FinishReason::Cancelled:
            break;
    }
    return "cancelled";
}

CompletionTask::CompletionTask(const EngineRefs& engine, CompletionJob job, std::shared_ptr<JobControl> control,
                               TaskEvents events)
    : m_engine(engine), m_job(std::move(job)), m_control(std::move(control)), m_events(std::move(events)) {
    m_outcome.id = m_job.id;
    m_outcome.promptTokens = static_cast<int64_t>(m_job.prompt.size());
}

void CompletionTask::advance(std::size_t promptSlice) {
    if (m_phase == Phase::Done) return;
    if (m_control->cancel) {
        for (auto& choice : m_choices) choice->cancel();
        finish();
        return;
    }
    switch (m_phase) {
        case Phase::Start:
            start();
            break;
        case Phase::Prompt:
            feedSlice(std::max<std::size_t>(promptSlice, 1));
            break;
        case Phase::Choices:
            stepNextChoice();
            break;
        case Phase::Done:
            break;
    }
}

void CompletionTask::start() {
    if (m_job.prompt.empty() || m_job.choices < 1 || m_job.maxTokens < 1) {
        fail("a job needs a prompt, at least one choice and at least one token");
        return;
    }
    auto resumed = m_engine.cache.longestPrefix(m_job.prompt, m_job.prompt.size() - 1);
    if (resumed) {
        m_state = std::move(resumed->state);
        m_fed = static_cast<std::size_t>(resumed->length);
    } else {
        m_state = m_engine.model.newState();
    }
    m_outcome.cachedTokens = static_cast<int64_t>(m_fed);
    if (m_events.started) m_events.started(m_outcome.promptTokens, m_outcome.cachedTokens);
    m_phase = Phase::Prompt;
}

void CompletionTask::feedSlice(std::size_t promptSlice) {
    const std::size_t count = std::min(promptSlice, m_job.prompt.size() - m_fed);
    const bool last = m_fed + count == m_job.prompt.size();
    std::vector<float> logits;
    const auto slice = std::span(m_job.prompt).subspan(m_fed, count);
    auto fed =
        m_engine.model.forward(m_engine.runtime, *m_state, slice,
                               last ? rgemma::LogitsMode::Last : rgemma::LogitsMode::None, logits, &m_control->cancel);
    if (!fed) {
        if (fed.error().code == rgemma::ErrorCode::Cancelled) {
            finish();
        } else {
            fail(fed.error().message);
        }
        return;
    }
    m_fed += count;
    if (!last) return;

    const std::size_t window = static_cast<std::size_t>(std::max(m_job.sampling.repeatWindow, 0));
    const auto tail = std::span(m_job.prompt).last(std::min(window, m_job.prompt.size()));
    for (int32_t i = 0; i < m_job.choices; ++i) {
        rgemma::State state = i + 1 == m_job.choices ? std::move(*m_state) : m_state->fork();
        m_choices.push_back(std::make_unique<ChoiceSequence>(m_engine, m_job, i, std::move(state), logits, tail));
    }
    m_state.reset();
    m_phase = Phase::Choices;
}

void CompletionTask::stepNextChoice() {
    // Round robin over the unfinished choices: n alternatives advance together, as a batch will run them.
    for (std::size_t tried = 0; tried < m_choices.size(); ++tried) {
        ChoiceSequence& choice = *m_choices[m_nextChoice];
        m_nextChoice = (m_nextChoice + 1) % m_choices.size();
        if (choice.finished()) continue;
        auto text = choice.step();
        ++m_control->sampled;
        if (!text) {
            fail(text.error().message);
            return;
        }
        if (!text->empty() && m_events.text) m_events.text(choice.result().index, *text);
        break;
    }
    if (std::all_of(m_choices.begin(), m_choices.end(), [](const auto& c) { return c->finished(); })) finish();
}

void CompletionTask::finish() {
    for (auto& choice : m_choices) {
        if (auto state = choice->takeKeptState()) {
            std::vector<rgemma::TokenId> ids = m_job.prompt;
            ids.insert(ids.end(), choice->keptIds().begin(), choice->keptIds().end());
            m_engine.cache.keep(ids, std::move(*state));
        }
        m_outcome.choices.push_back(choice->result());
    }
    if (m_choices.empty()) {  // cancelled before the prompt was fed: every choice cancelled, no text
        for (int32_t i = 0; i < m_job.choices; ++i) m_outcome.choices.push_back({i, {}, {}, FinishReason::Cancelled});
    }
    // A prompt cut short (the client gave up during a long feed) keeps what was fed: a retry resumes there.
    if (m_state && m_state->position > m_outcome.cachedTokens && m_outcome.error.empty()) {
        const auto fed = std::span(m_job.prompt).first(static_cast<std::size_t>(m_state->position));
        m_engine.cache.keep(fed, std::move(*m_state));
    }
    m_outcome.sampledAtStop = m_control->sampledAtStop;
    m_outcome.sampledTotal = m_control->sampled;
    m_state.reset();
    m_choices.clear();
    m_phase = Phase::Done;
}

void CompletionTask::fail(const std::string& message) {
    m_outcome.error = message;
    m_choices.clear();  // nothing they hold is kept: the job did not complete
    m_state.reset();
    finish();
}

}  // namespace rcserver
