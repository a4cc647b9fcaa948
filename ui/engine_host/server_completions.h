// server_completions.h — ServerCompletions: the local API server's completions on the window's engine thread. Runs
// net/server's CompletionTask over the worker's model and runtime, with the server's own kept states (a
// TieredStateCache in the server's folder, within the server's bounds, never the window's state files).
#pragma once

#include <QString>
#include <memory>

#include "completion_task.h"
#include "engine_types.h"
#include "tiered_state_cache.h"

class ServerCompletions {
  public:
    // From the next completion on (the kept states in memory are dropped if the folder or a bound changes).
    void configure(const ServerStateSettings& settings);
    // Before the worker's model changes: the kept states in memory belong to the model they came from.
    void dropModel() { m_cache.reset(); }

    // Runs `job` whole, a prompt slice or a token at a time, stopping between any two when `control` says so.
    rcserver::CompletionOutcome run(const rgemma::Model& model, const rgemma::Tokenizer& tokenizer,
                                    rgemma::Runtime& runtime, const rcserver::CompletionJob& job,
                                    std::shared_ptr<rcserver::JobControl> control, rcserver::TaskEvents events);

  private:
    ServerStateSettings m_settings;
    std::unique_ptr<rcserver::TieredStateCache> m_cache;  // the loaded model's, made at its first completion
};
