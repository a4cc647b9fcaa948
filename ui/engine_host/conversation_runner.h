// conversation_runner.h — one reply, run on the engine thread: find the parent state (memory, state file, fresh or
// rebuilt from the transcript), feed the user turn, sample the reply while streaming its text in batches, complete
// the state and keep it (in memory and in its state file). Qt types at the edges, engine calls inside.
#pragma once

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QString>
#include <atomic>
#include <functional>
#include <optional>
#include <span>
#include <tl/expected.hpp>

#include "engine_types.h"
#include "rgemma/model.h"
#include "rgemma/runtime.h"
#include "rgemma/state.h"
#include "rgemma/tokenizer.h"
#include "state_cache.h"

class ConversationRunner {
    Q_DECLARE_TR_FUNCTIONS(ConversationRunner)

  public:
    // What the runner reports while it works; both are called on the engine thread.
    struct Events {
        std::function<void(const QString& reason)> rebuilding;                          // before re-feeding history
        std::function<void(const QString& text, double tokensPerSecond)> textAppended;  // a batch of reply text
        std::function<void(qint64 done, qint64 total)> promptProgress;  // tokens of the prompt fed so far
    };

    // Everything is borrowed and must outlive the runner. `cancel` is read once per token (or feed chunk);
    // `tokensFed` is increased by every token fed to the model.
    ConversationRunner(const rgemma::Model& model, const rgemma::Tokenizer& tokenizer, rgemma::Runtime& runtime,
                       StateCache& cache, const std::atomic<bool>& cancel, std::atomic<qint64>& tokensFed);

    // The reply, or a translated message saying why there is none. A cancelled request is a result (stopReason
    // "stopped"), not an error.
    tl::expected<GenerationResult, QString> run(const GenerationRequest& request, const Events& events);

  private:
    struct Parent {
        std::optional<rgemma::State> state;  // nullopt: cancelled while rebuilding
        ParentStateSource source = ParentStateSource::Fresh;
    };
    enum class Fed { All, Cancelled };

    tl::expected<Parent, QString> obtainParent(const GenerationRequest& request, const Events& events);
    // Why the state file cannot be used, or the state it holds.
    tl::expected<rgemma::State, QString> loadParentFile(const GenerationRequest& request);
    // Feeds `tokens` without logits in chunks small enough that a Stop waits for one chunk at most.
    tl::expected<Fed, rgemma::Error> feed(rgemma::State& state, std::span<const rgemma::TokenId> tokens,
                                          const std::atomic<bool>* cancel);
    bool matchesHistory(const GenerationRequest& request, const rgemma::State& state) const;
    // Feeds the user turn and samples the reply into `result` (text, tokens, stop reason, speed), streaming its
    // text. Cancelled: stopped before the turn was fed whole, no reply.
    tl::expected<Fed, QString> reply(const GenerationRequest& request, rgemma::State& state,
                                     std::span<const rgemma::TokenId> userTokens, const Events& events,
                                     GenerationResult& result);
    // Saves the complete state after the reply (if asked) and keeps it in memory under the same name.
    void keep(const GenerationRequest& request, rgemma::State state, GenerationResult& result);
    GenerationResult stoppedBeforeReply(GenerationResult result) const;
    // Tells events.promptProgress that `done` tokens of the prompt are fed: always when `force`, else at most every
    // 100 ms.
    void reportProgress(qint64 done, bool force);

    const rgemma::Model& m_model;
    const rgemma::Tokenizer& m_tokenizer;
    rgemma::Runtime& m_runtime;
    StateCache& m_cache;
    const std::atomic<bool>& m_cancel;
    std::atomic<qint64>& m_tokensFed;
    qint64 m_fedThisRequest = 0;
    const Events* m_events = nullptr;  // of the request running
    qint64 m_promptTotal = 0;          // the tokens this request feeds before sampling
    QElapsedTimer m_progressClock;
};
