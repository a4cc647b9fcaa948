// net/server/stop_matcher.h — stop strings in streamed text: text is released as soon as it can no longer be the
// start of a stop string, the tail that still could be is held back, and a match ends the text before it.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace rcserver {

class StopMatcher {
  public:
    // Empty strings never match and are dropped.
    explicit StopMatcher(std::vector<std::string> stops);

    struct Step {
        std::string released;  // text that is final now
        bool stopped = false;  // a stop string matched: `released` ends where it began; nothing follows
    };
    // Appends generated text.
    Step push(std::string_view text);
    // The end of generation without a match: everything held back.
    std::string flush();

    // Bytes of text released so far, and where the held-back tail begins (== released()).
    std::size_t released() const { return m_released; }
    bool holdsBack() const { return !m_held.empty(); }

  private:
    std::vector<std::string> m_stops;
    std::string m_held;  // text not yet released: a proper prefix of some stop string, or empty
    std::size_t m_released = 0;
};

}  // namespace rcserver
