// net/server/choice_sequence.h — one alternative (one of a job's n choices) being generated: its own state,
// sampler, text decoder and stop strings, advanced one token per step. When it ends it knows the text it returned,
// the ids behind that text, and the state after those ids (or after the longest prefix of them it can rebuild).
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "completion_types.h"
#include "engine_refs.h"
#include "rgemma/error.h"
#include "rgemma/sampler.h"
#include "rgemma/state.h"
#include "rgemma/tokenizer.h"
#include "stop_matcher.h"

namespace rcserver {

class ChoiceSequence {
  public:
    // `state` has consumed the whole prompt and `logits` are its last position's; `promptTail` is the end of the
    // prompt, for the sampler's repetition history.
    ChoiceSequence(const EngineRefs& engine, const CompletionJob& job, int32_t index, rgemma::State state,
                   std::vector<float> logits, std::span<const rgemma::TokenId> promptTail);

    // Samples one token and feeds it unless the choice ends with it. Returns the text that became final.
    rgemma::Result<std::string> step();
    void cancel();
    bool finished() const { return m_finished; }

    const ChoiceResult& result() const { return m_result; }
    // After finished(): the ids after the prompt that the kept state consumed, and that state (nullopt: nothing to
    // keep, e.g. cancelled).
    const std::vector<rgemma::TokenId>& keptIds() const { return m_keptIds; }
    std::optional<rgemma::State> takeKeptState() { return std::move(m_keptState); }

  private:
    bool isStopToken(rgemma::TokenId id) const;
    // Runs the rest of the decoder and the matcher's held text through; returns what it releases.
    std::string drain(bool& stopped);
    rgemma::Result<void> finishAtStopString();
    void finishWhole(FinishReason reason, std::size_t idsBehindText);
    rgemma::Result<void> feed(rgemma::State& state, std::span<const rgemma::TokenId> ids);

    const EngineRefs& m_engine;
    const CompletionJob& m_job;
    rgemma::State m_state;  // has consumed the prompt and every generated token but the last
    std::vector<float> m_logits;
    rgemma::Sampler m_sampler;
    rgemma::StreamingDecoder m_decoder;
    StopMatcher m_matcher;
    std::vector<rgemma::TokenId> m_generated;
    // While the matcher holds text back, the state before the first token that produced it: a stop string found
    // there ends the text before the state the sequence is at, and the kept state is rebuilt from this one.
    std::optional<rgemma::State> m_snapshot;
    std::size_t m_snapshotTokens = 0;  // generated tokens the snapshot has consumed
    bool m_finished = false;
    ChoiceResult m_result;
    std::vector<rgemma::TokenId> m_keptIds;
    std::optional<rgemma::State> m_keptState;
};

}  // namespace rcserver
