// state_cache.h — the few conversation states the engine thread keeps in memory, keyed by the message they follow,
// so that continuing, regenerating or editing the newest turn needs neither a state file nor a recomputation.
// A reply's state is cached before its message exists: under its request id, until bind() names the message.
#pragma once

#include <QtGlobal>
#include <optional>
#include <vector>

#include "rgemma/state.h"

class StateCache {
  public:
    // `capacity`: states kept at most; the least recently used one goes first. A state is a few to a few tens of
    // megabytes (bounded by the attention window), so a handful costs little next to the weights.
    explicit StateCache(std::size_t capacity);

    // A copy of the state after (conversationId, messageId), if cached: a fork, so the entry stays for a sibling
    // (regenerate, edit) while the copy is advanced.
    std::optional<rgemma::State> fork(qint64 conversationId, qint64 messageId);
    // Stores `state` as the one after (conversationId, messageId), replacing an older entry for it.
    void put(qint64 conversationId, qint64 messageId, rgemma::State state);
    // Stores `state` as the one after the reply of request `requestId`, whose message id is not known yet.
    void putPending(qint64 conversationId, qint64 requestId, rgemma::State state);
    // The reply of `requestId` was stored as `messageId`. Nothing happens if that state is no longer cached.
    void bind(qint64 requestId, qint64 messageId);
    void dropConversation(qint64 conversationId);
    void clear();

  private:
    struct Entry {
        qint64 conversationId;
        qint64 messageId;  // 0 while pending
        qint64 requestId;  // the request that produced it, while pending; else 0
        quint64 lastUse;
        rgemma::State state;
    };
    void insert(Entry entry);

    std::size_t m_capacity;
    quint64 m_clock = 0;  // bumped on every use: the order of last uses
    std::vector<Entry> m_entries;
};
