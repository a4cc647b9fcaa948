// net/server/choice_sequence.cpp — the token bookkeeping of one choice. rgemma::generate() leaves the last sampled
// token unfed; so does this loop: the state always holds the prompt and every generated token but the last, which
// is what a reply ending in <end_of_turn> needs (the next turn's chat format closes it), and a reply cut by the
// token limit is resumed from one token earlier (the next prompt carries that token).
#include "choice_sequence.h"

#include <algorithm>

#include "rgemma/chat_format.h"

namespace rcserver {

namespace {

rgemma::SamplerSettings samplingFor(rgemma::SamplerSettings settings, int32_t index) {
    settings.seed += static_cast<uint64_t>(index);  // each alternative draws its own numbers
    return settings;
}

}  // namespace

ChoiceSequence::ChoiceSequence(const EngineRefs& engine, const CompletionJob& job, int32_t index, rgemma::State state,
                               std::vector<float> logits, std::span<const rgemma::TokenId> promptTail)
    : m_engine(engine),
      m_job(job),
      m_state(std::move(state)),
      m_logits(std::move(logits)),
      m_sampler(samplingFor(job.sampling, index)),
      m_decoder(engine.tokenizer),
      m_matcher(job.stops) {
    m_result.index = index;
    for (rgemma::TokenId id : promptTail) m_sampler.accept(id);  // as if generate() had fed the whole prompt
}

bool ChoiceSequence::isStopToken(rgemma::TokenId id) const {
    return m_job.stopAtEndOfTurn && rgemma::isEndOfTurn(m_engine.tokenizer, id);
}

rgemma::Result<void> ChoiceSequence::feed(rgemma::State& state, std::span<const rgemma::TokenId> ids) {
    if (ids.empty()) return {};
    std::vector<float> noLogits;
    return m_engine.model.forward(m_engine.runtime, state, ids, rgemma::LogitsMode::None, noLogits);
}

rgemma::Result<std::string> ChoiceSequence::step() {
    const rgemma::TokenId token = m_sampler.sample(m_logits);
    m_generated.push_back(token);
    m_result.completionTokens = static_cast<int64_t>(m_generated.size());

    bool stopped = false;
    std::string text;
    if (isStopToken(token)) {
        text = drain(stopped);
        m_result.text += text;
        if (!stopped) finishWhole(FinishReason::Stop, m_generated.size() - 1);  // the stop token is not text
    } else {
        StopMatcher::Step matched = m_matcher.push(m_decoder.push(token));
        text = std::move(matched.released);
        stopped = matched.stopped;
        if (!stopped && m_generated.size() >= static_cast<std::size_t>(m_job.maxTokens)) {
            text += drain(stopped);
            m_result.text += text;
            if (!stopped) finishWhole(FinishReason::Length, m_generated.size());
        } else {
            m_result.text += text;
        }
    }
    if (stopped) {
        if (auto done = finishAtStopString(); !done) return tl::unexpected(done.error());
    }
    if (m_finished) return text;

    if (!m_matcher.holdsBack()) {
        m_snapshot.reset();
    } else if (!m_snapshot) {
        m_snapshot = m_state.fork();  // before `token`, which produced the first held-back text
        m_snapshotTokens = m_generated.size() - 1;
    }
    const rgemma::TokenId one[] = {token};
    auto fed = m_engine.model.forward(m_engine.runtime, m_state, one, rgemma::LogitsMode::Last, m_logits);
    if (!fed) return tl::unexpected(fed.error());
    m_sampler.accept(token);
    return text;
}

std::string ChoiceSequence::drain(bool& stopped) {
    StopMatcher::Step rest = m_matcher.push(m_decoder.flush());
    stopped = rest.stopped;
    if (!stopped) rest.released += m_matcher.flush();
    return std::move(rest.released);
}

void ChoiceSequence::cancel() {
    if (m_finished) return;
    m_finished = true;
    m_result.finish = FinishReason::Cancelled;
    m_result.ids = m_generated;
    m_snapshot.reset();
}

void ChoiceSequence::finishWhole(FinishReason reason, std::size_t idsBehindText) {
    m_finished = true;
    m_result.finish = reason;
    m_result.ids.assign(m_generated.begin(), m_generated.begin() + static_cast<std::ptrdiff_t>(idsBehindText));
    m_keptIds.assign(m_generated.begin(), m_generated.end() - 1);  // the last one was not fed
    m_keptState = std::move(m_state);
    m_snapshot.reset();
}

// The text ends before the stop string, possibly inside a token. The ids behind it are the most generated tokens
// whose text lies wholly inside it, then the encoded rest; the kept state is the one after those tokens, found
// among the states this sequence can still rebuild (the current one, or the snapshot plus a few tokens).
rgemma::Result<void> ChoiceSequence::finishAtStopString() {
    m_finished = true;
    m_result.finish = FinishReason::Stop;
    const std::string& text = m_result.text;
    const std::size_t unfed = m_generated.size() - 1;  // the state has consumed m_generated[0, unfed)
    const std::size_t lowest = m_snapshot ? m_snapshotTokens : unfed;
    std::optional<std::size_t> whole;
    std::string wholeText;
    for (std::size_t k = unfed + 1; k-- > lowest;) {
        wholeText = m_engine.tokenizer.decode(std::span(m_generated).first(k));
        if (text.compare(0, wholeText.size(), wholeText) == 0) {
            whole = k;
            break;
        }
    }
    if (!whole) {  // not rebuildable (a character split across the cut): no state, the text encoded afresh
        m_result.ids = m_engine.tokenizer.encode(text);
        m_snapshot.reset();
        return {};
    }
    m_result.ids.assign(m_generated.begin(), m_generated.begin() + static_cast<std::ptrdiff_t>(*whole));
    if (text.size() > wholeText.size()) {
        const std::vector<rgemma::TokenId> rest = m_engine.tokenizer.encode(text.substr(wholeText.size()));
        m_result.ids.insert(m_result.ids.end(), rest.begin(), rest.end());
    }
    m_keptIds.assign(m_generated.begin(), m_generated.begin() + static_cast<std::ptrdiff_t>(*whole));
    if (*whole == unfed) {
        m_keptState = std::move(m_state);
    } else {
        rgemma::State rebuilt = std::move(*m_snapshot);
        const auto missing = std::span(m_generated).subspan(m_snapshotTokens, *whole - m_snapshotTokens);
        if (auto fed = feed(rebuilt, missing); !fed) return tl::unexpected(fed.error());
        m_keptState = std::move(rebuilt);
    }
    m_snapshot.reset();
    return {};
}

}  // namespace rcserver
