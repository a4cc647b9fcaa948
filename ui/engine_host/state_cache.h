// state_cache.h — the few conversation states the engine thread keeps in memory, each under the name of its state
// file (the app names a reply's state file before it asks for the reply), so that continuing, regenerating or
// editing the newest turn needs neither reading that file nor recomputing the state.
#pragma once

#include <QString>
#include <QtGlobal>
#include <optional>
#include <vector>

#include "rgemma/state.h"

class StateCache {
  public:
    // `capacity`: states kept at most; the least recently used one goes first. A state is a few to a few tens of
    // megabytes (bounded by the attention window), so a handful costs little next to the weights.
    explicit StateCache(std::size_t capacity);

    // A copy of the state kept under `key`, if any: a fork, so the entry stays for a sibling (regenerate, edit)
    // while the copy is advanced. Never for an empty key.
    std::optional<rgemma::State> fork(const QString& key);
    // Keeps `state` under `key` (a state file's path), replacing an older one; an empty key keeps nothing.
    void put(const QString& key, rgemma::State state);
    void clear();

  private:
    struct Entry {
        QString key;
        quint64 lastUse;
        rgemma::State state;
    };

    std::size_t m_capacity;
    quint64 m_clock = 0;  // bumped on every use: the order of last uses
    std::vector<Entry> m_entries;
};
