// net/server/completion_task.h — one job on the engine thread, advanced a unit at a time so that a scheduler can
// interleave jobs and stop one between any two units: resume the prompt from the longest kept state, feed the
// rest in slices, fork the state into the n choices, step them in turn, keep every choice's final state.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "choice_sequence.h"
#include "completion_types.h"
#include "engine_refs.h"

namespace rcserver {

struct TaskEvents {
    std::function<void(int64_t promptTokens, int64_t cachedTokens)> started;  // once, before any text
    std::function<void(int32_t choice, const std::string& text)> text;        // final text of one choice, in order
};

class CompletionTask {
  public:
    CompletionTask(const EngineRefs& engine, CompletionJob job, std::shared_ptr<JobControl> control, TaskEvents events);

    uint64_t id() const { return m_job.id; }
    bool done() const { return m_phase == Phase::Done; }
    bool stopRequested() const { return m_control->cancel; }
    // True while the prompt is still being fed (a scheduler may give such units less time).
    bool feedingPrompt() const { return m_phase == Phase::Start || m_phase == Phase::Prompt; }
    // One unit: the cache lookup, a slice of at most `promptSlice` prompt tokens, or one token of one choice.
    void advance(std::size_t promptSlice);
    // After done(): what happened (the kept states are in the cache by then).
    CompletionOutcome takeOutcome() { return std::move(m_outcome); }

  private:
    enum class Phase { Start, Prompt, Choices, Done };
    void start();
    void feedSlice(std::size_t promptSlice);
    void stepNextChoice();
    void finish();
    void fail(const std::string& message);

    const EngineRefs& m_engine;
    CompletionJob m_job;
    std::shared_ptr<JobControl> m_control;
    TaskEvents m_events;
    Phase m_phase = Phase::Start;
    std::optional<rgemma::State> m_state;  // the prompt's, while it is fed
    std::size_t m_fed = 0;                 // prompt tokens the state has consumed
    std::vector<std::unique_ptr<ChoiceSequence>> m_choices;
    std::size_t m_nextChoice = 0;
    CompletionOutcome m_outcome;
};

}  // namespace rcserver
