// transfer_rate.h — TransferRate: bytes per second over the last few seconds of a download, for the rate and the
// time left that progress shows. A window rather than the whole download's average, so a resume, a stall or a
// slower network shows within seconds.
#pragma once

#include <QtGlobal>
#include <deque>
#include <utility>

namespace hub {

class TransferRate {
  public:
    explicit TransferRate(qint64 windowMs = 5000) : m_windowMs(windowMs) {}

    // `receivedBytes`: all bytes received so far (it only grows); `nowMs`: a monotonic clock.
    void add(qint64 receivedBytes, qint64 nowMs) {
        m_samples.emplace_back(nowMs, receivedBytes);
        while (m_samples.size() > 2 && m_samples.front().first < nowMs - m_windowMs) m_samples.pop_front();
    }
    void reset() { m_samples.clear(); }

    // 0 until two samples at least 200 ms apart.
    double bytesPerSecond() const {
        if (m_samples.size() < 2) return 0;
        const auto& [firstMs, firstBytes] = m_samples.front();
        const auto& [lastMs, lastBytes] = m_samples.back();
        if (lastMs - firstMs < 200) return 0;
        return double(lastBytes - firstBytes) * 1000.0 / double(lastMs - firstMs);
    }
    // Seconds to fetch `remainingBytes` at the current rate; -1 while the rate is unknown or zero.
    qint64 secondsLeft(qint64 remainingBytes) const {
        const double rate = bytesPerSecond();
        if (rate <= 0) return remainingBytes <= 0 ? 0 : -1;
        return static_cast<qint64>(double(remainingBytes) / rate + 0.5);
    }

  private:
    qint64 m_windowMs;
    std::deque<std::pair<qint64, qint64>> m_samples;  // (time ms, bytes received)
};

}  // namespace hub
