// rgemma/scheduler.h — many conversations replying at once: up to a capacity of Sessions advance together, one
// batched forward pass (Model::forwardBatch) per step, while sessions join (their input fed in pieces between decode
// steps) and leave (finished, or stopped at any step). Plain C++ with no threads of its own: its owner (the app's
// engine thread, the local server, the CLI) calls step() in a loop and hands each token on.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "rgemma/error.h"
#include "rgemma/model.h"
#include "rgemma/runtime.h"
#include "rgemma/session.h"

namespace rgemma {

using SessionId = uint64_t;

struct SchedulerOptions {
    // The most sessions held at once (generating or finished but not yet left).
    int capacity = 4;
    // Input tokens a step feeds for joining sessions before its batched decode: what the generating ones wait for
    // beside their own token. Fed in whole pieces of kSessionFeedChunk (at least one a step), so that a joining
    // session's input is cut where Session::step cuts it alone (the same numbers).
    int64_t inputTokensPerStep = kSessionFeedChunk;
};

// A token a step sampled for one session.
struct ScheduledToken {
    SessionId id = 0;
    SessionToken token;
};

class Scheduler {
  public:
    // `model` and `runtime` are borrowed and must outlive the scheduler; the runtime is used by step() only.
    Scheduler(const Model& model, Runtime& runtime, const SchedulerOptions& options = {});

    // Takes a session whose turn has begun (Session::beginTurn; generating()). Errors: at capacity, no turn begun.
    Result<SessionId> join(Session session);
    // Hands a session back (finished, or stopped where it is: between steps nothing is half done), for its state to
    // be kept or saved; nullopt for an unknown id.
    std::optional<Session> leave(SessionId id);

    // One step: up to inputTokensPerStep of the joining sessions' input fed (in join order), then every session
    // that is generating and has its input fed advances by one token: those needing a forward pass in one
    // forwardBatch, those whose input was just fed from its logits. Returns the sampled tokens in join order. A
    // session whose reply finished stays (not generating) until it leaves. On an error no session advanced.
    Result<std::vector<ScheduledToken>> step();

    // Whether some session is still generating (step() has work).
    bool busy() const;
    std::size_t size() const { return m_entries.size(); }
    int capacity() const { return m_options.capacity; }
    // The session `id`, or null.
    const Session* find(SessionId id) const;

  private:
    struct Entry {
        SessionId id;
        Session session;
    };
    Result<void> feedJoining();

    const Model* m_model;
    Runtime* m_runtime;
    SchedulerOptions m_options;
    std::vector<Entry> m_entries;  // in join order
    SessionId m_nextId = 1;
    // Reused each step.
    std::vector<State*> m_states;
    std::vector<TokenId> m_tokens;
    std::vector<std::size_t> m_rows;
    std::vector<float> m_logits;
};

}  // namespace rgemma
