// net/server/stop_matcher.cpp — the held-back tail is the longest suffix that is a proper prefix of a stop string.
// Both are valid UTF-8, so a match or a held tail starts on a character boundary (a lead byte never equals a
// continuation byte): released text is always whole characters.
#include "stop_matcher.h"

#include <algorithm>

namespace rcserver {

StopMatcher::StopMatcher(std::vector<std::string> stops) {
    for (std::string& stop : stops) {
        if (!stop.empty()) m_stops.push_back(std::move(stop));
    }
}

StopMatcher::Step StopMatcher::push(std::string_view text) {
    Step step;
    if (m_stops.empty()) {
        step.released = std::string(text);
        m_released += text.size();
        return step;
    }
    m_held.append(text);
    std::size_t first = std::string::npos;
    for (const std::string& stop : m_stops) first = std::min(first, m_held.find(stop));
    if (first != std::string::npos) {
        step.released = m_held.substr(0, first);
        step.stopped = true;
        m_released += first;
        m_held.clear();
        return step;
    }
    std::size_t keep = 0;  // length of the longest suffix of m_held that some stop string starts with
    for (const std::string& stop : m_stops) {
        for (std::size_t n = std::min(stop.size() - 1, m_held.size()); n > keep; --n) {
            if (std::string_view(m_held).substr(m_held.size() - n) == std::string_view(stop).substr(0, n)) {
                keep = n;
                break;
            }
        }
    }
    step.released = m_held.substr(0, m_held.size() - keep);
    m_held.erase(0, m_held.size() - keep);
    m_released += step.released.size();
    return step;
}

std::string StopMatcher::flush() {
    std::string rest = std::move(m_held);
    m_held.clear();
    m_released += rest.size();
    return rest;
}

}  // namespace rcserver
