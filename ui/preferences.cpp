// preferences.cpp — QSettings-backed preferences; values are clamped to the ranges the engine accepts.
#include "preferences.h"

#include <QRandomGenerator>
#include <QThread>
#include <algorithm>

namespace {
const rgemma::SamplerSettings kDefaults;
constexpr int kDefaultMaxNewTokens = 512;
constexpr double kDefaultTemperature = 0.7;
constexpr int kDefaultFontSize = 11;
}  // namespace

Preferences::Preferences(QSettings* settings, QObject* parent) : QObject(parent), m_settings(settings) {}

QVariant Preferences::value(const char* key, const QVariant& fallback) const {
    return m_settings->value(QLatin1String(key), fallback);
}

void Preferences::store(const char* key, const QVariant& newValue) {
    if (m_settings->value(QLatin1String(key)) == newValue) return;
    m_settings->setValue(QLatin1String(key), newValue);
    emit changed();
}

// 0.7 like most chat apps: the engine's neutral default of 1 makes small models ramble.
double Preferences::temperature() const { return value("sampling/temperature", kDefaultTemperature).toDouble(); }
void Preferences::setTemperature(double v) { store("sampling/temperature", std::clamp(v, 0.01, 5.0)); }

int Preferences::topK() const { return value("sampling/topK", kDefaults.topK).toInt(); }
void Preferences::setTopK(int v) { store("sampling/topK", std::clamp(v, 0, 100000)); }

double Preferences::topP() const { return value("sampling/topP", kDefaults.topP).toDouble(); }
void Preferences::setTopP(double v) { store("sampling/topP", std::clamp(v, 0.01, 1.0)); }

double Preferences::minP() const { return value("sampling/minP", kDefaults.minP).toDouble(); }
void Preferences::setMinP(double v) { store("sampling/minP", std::clamp(v, 0.0, 0.99)); }

double Preferences::repeatPenalty() const {
    return value("sampling/repeatPenalty", kDefaults.repeatPenalty).toDouble();
}
void Preferences::setRepeatPenalty(double v) { store("sampling/repeatPenalty", std::clamp(v, 1.0, 3.0)); }

int Preferences::repeatWindow() const { return value("sampling/repeatWindow", kDefaults.repeatWindow).toInt(); }
void Preferences::setRepeatWindow(int v) { store("sampling/repeatWindow", std::clamp(v, 0, 4096)); }

int Preferences::maxNewTokens() const { return value("sampling/maxNewTokens", kDefaultMaxNewTokens).toInt(); }
void Preferences::setMaxNewTokens(int v) { store("sampling/maxNewTokens", std::clamp(v, 1, 32768)); }

bool Preferences::randomSeed() const { return value("sampling/randomSeed", true).toBool(); }
void Preferences::setRandomSeed(bool v) { store("sampling/randomSeed", v); }

qint64 Preferences::seed() const { return value("sampling/seed", 0).toLongLong(); }
void Preferences::setSeed(qint64 v) { store("sampling/seed", std::max<qint64>(v, 0)); }

int Preferences::threads() const { return value("engine/threads", 0).toInt(); }
void Preferences::setThreads(int v) { store("engine/threads", std::clamp(v, 0, maxThreads())); }
int Preferences::maxThreads() const { return std::max(1, QThread::idealThreadCount()); }
bool Preferences::fastPrefill() const { return value("engine/fastPrefill", true).toBool(); }
void Preferences::setFastPrefill(bool v) { store("engine/fastPrefill", v); }

Preferences::Theme Preferences::theme() const {
    return static_cast<Theme>(std::clamp(value("ui/theme", 0).toInt(), 0, 2));
}
void Preferences::setTheme(Theme v) { store("ui/theme", static_cast<int>(v)); }

int Preferences::fontSize() const { return value("ui/fontSize", kDefaultFontSize).toInt(); }
void Preferences::setFontSize(int v) { store("ui/fontSize", std::clamp(v, 7, 32)); }

QString Preferences::language() const { return value("ui/language", QString()).toString(); }
void Preferences::setLanguage(const QString& v) { store("ui/language", v); }

QString Preferences::modelDirectory() const { return value("model/directory", QString()).toString(); }
void Preferences::setModelDirectory(const QString& v) { store("model/directory", v); }

void Preferences::resetSampling() {
    m_settings->beginGroup(QStringLiteral("sampling"));
    m_settings->remove(QString());
    m_settings->endGroup();
    emit changed();
}

rgemma::SamplerSettings Preferences::samplerSettings() const {
    rgemma::SamplerSettings s;
    s.temperature = static_cast<float>(temperature());
    s.topK = topK();
    s.topP = static_cast<float>(topP());
    s.minP = static_cast<float>(minP());
    s.repeatPenalty = static_cast<float>(repeatPenalty());
    s.repeatWindow = repeatWindow();
    s.seed = randomSeed() ? QRandomGenerator::global()->generate64() : static_cast<uint64_t>(seed());
    return s;
}
