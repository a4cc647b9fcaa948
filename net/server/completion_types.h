// net/server/completion_types.h — one completion as the engine side sees it: the job the server hands over (ids,
// sampling, stops, n), what it reports back per choice, and the flags the server and the engine thread share.
// Plain C++: the engine-side code that runs jobs (completion_task.h) has no Qt.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "rgemma/sampler.h"
#include "rgemma/tokenizer.h"

namespace rcserver {

struct CompletionJob {
    uint64_t id = 0;                      // chosen by the server, unique among running jobs
    std::vector<rgemma::TokenId> prompt;  // the whole rendered conversation or prompt, BOS included; not empty
    rgemma::SamplerSettings sampling;     // choice i draws from seed + i
    int32_t maxTokens = 0;                // per choice, >= 1
    int32_t choices = 1;                  // n, >= 1: alternatives continuing the same prompt
    std::vector<std::string> stops;       // stop strings: a choice's text ends before the first match
    bool stopAtEndOfTurn = true;          // false: <eos> and <end_of_turn> are ordinary tokens (llama.cpp ignore_eos)
};

enum class FinishReason { Stop, Length, Cancelled };

struct ChoiceResult {
    int32_t index = 0;
    std::string text;                  // exactly what was streamed for this choice (valid UTF-8)
    std::vector<rgemma::TokenId> ids;  // the ids behind `text`: a resent assistant message renders to these
    FinishReason finish = FinishReason::Stop;
    int64_t completionTokens = 0;  // tokens sampled, a final stop token and tokens past a stop string included
};

struct CompletionOutcome {
    uint64_t id = 0;
    int64_t promptTokens = 0;
    int64_t cachedTokens = 0;  // prompt tokens resumed from a kept state instead of fed
    std::vector<ChoiceResult> choices;
    std::string error;           // empty on success; else what failed (the choices are then incomplete)
    int64_t sampledAtStop = -1;  // tokens sampled (all choices) when stop() was asked; -1 if it was not
    int64_t sampledTotal = 0;    // tokens sampled (all choices) when the job ended
};

// Shared by the thread that asks to stop a job and the engine thread that runs it.
struct JobControl {
    std::atomic<bool> cancel{false};
    std::atomic<int64_t> sampled{0};         // tokens sampled so far, all choices
    std::atomic<int64_t> sampledAtStop{-1};  // `sampled` when cancel was first set

    void requestStop() {
        int64_t expected = -1;
        sampledAtStop.compare_exchange_strong(expected, sampled.load());
        cancel = true;
    }
};

const char* finishReasonName(FinishReason reason);  // "stop", "length", "cancelled"

}  // namespace rcserver
