// preferences.cpp — QSettings-backed preferences, the ranges of the settings the engine does not define, and the
// sampler settings of the next reply.
#include "preferences.h"

#include <QMetaProperty>
#include <QRandomGenerator>
#include <QThread>
#include <algorithm>
#include <limits>

#include "rgemma/generate.h"

namespace {

const QString kSamplingGroup = QStringLiteral("sampling");

// The app's own settings; the sampling settings' ranges are the engine's.
const rgemma::SettingRange kMaxNewTokens{"maxNewTokens", 1,    32768,
                                         true,           true, double(rgemma::GenerateOptions{}.maxNewTokens)};
// A seed as a spin box can show it: 31 bits.
const rgemma::SettingRange kSeed{"seed", 0, double(std::numeric_limits<int32_t>::max()), true, true, 0};
const rgemma::SettingRange kFontSize{"fontSize", 7, 32, true, true, 11};
// rgemma serve's default port (llama.cpp's too); 0 ("any free port") is for tests, not offered.
const rgemma::SettingRange kServerPort{"serverPort", 1, 65535, true, true, 8080};
const QString kServerLoopback = QStringLiteral("127.0.0.1");

QString samplingKey(const char* name) { return kSamplingGroup + u'/' + QLatin1String(name); }

QVariantMap toMap(const rgemma::SettingRange& range) {
    return {{QStringLiteral("min"), range.min},
            {QStringLiteral("max"), range.max},
            {QStringLiteral("minIncluded"), range.minIncluded},
            {QStringLiteral("maxIncluded"), range.maxIncluded},
            {QStringLiteral("defaultValue"), range.defaultValue}};
}

}  // namespace

Preferences::Preferences(QSettings* settings, QObject* parent) : QObject(parent), m_settings(settings) {}

QVariant Preferences::value(const QString& key, const QVariant& fallback) const {
    return m_settings->value(key, fallback);
}

void Preferences::store(const QString& key, const QVariant& newValue, Signal changed) {
    if (m_settings->value(key) == newValue) return;
    m_settings->setValue(key, newValue);
    emit(this->*changed)();
}

double Preferences::sampling(const rgemma::SettingRange& range) const {
    return rgemma::clampToRange(range, value(samplingKey(range.name), range.defaultValue).toDouble());
}

void Preferences::setSampling(const rgemma::SettingRange& range, double v, Signal changed) {
    store(samplingKey(range.name), rgemma::clampToRange(range, v), changed);
}

int Preferences::maxNewTokens() const { return int(sampling(kMaxNewTokens)); }
void Preferences::setMaxNewTokens(int v) { setSampling(kMaxNewTokens, v, &Preferences::maxNewTokensChanged); }

bool Preferences::randomSeed() const { return value(samplingKey("randomSeed"), true).toBool(); }
void Preferences::setRandomSeed(bool v) { store(samplingKey("randomSeed"), v, &Preferences::randomSeedChanged); }

qint64 Preferences::seed() const { return qint64(sampling(kSeed)); }
void Preferences::setSeed(qint64 v) { setSampling(kSeed, double(v), &Preferences::seedChanged); }

int Preferences::threads() const { return value(QStringLiteral("engine/threads"), 0).toInt(); }
void Preferences::setThreads(int v) {
    store(QStringLiteral("engine/threads"), std::clamp(v, 0, maxThreads()), &Preferences::threadsChanged);
}
int Preferences::maxThreads() const { return std::max(1, QThread::idealThreadCount()); }
bool Preferences::fastPrefill() const { return value(QStringLiteral("engine/fastPrefill"), true).toBool(); }
void Preferences::setFastPrefill(bool v) {
    store(QStringLiteral("engine/fastPrefill"), v, &Preferences::fastPrefillChanged);
}

Preferences::Theme Preferences::theme() const {
    return static_cast<Theme>(std::clamp(value(QStringLiteral("ui/theme"), 0).toInt(), 0, 2));
}
void Preferences::setTheme(Theme v) {
    store(QStringLiteral("ui/theme"), static_cast<int>(v), &Preferences::themeChanged);
}

int Preferences::fontSize() const {
    return int(
        rgemma::clampToRange(kFontSize, value(QStringLiteral("ui/fontSize"), kFontSize.defaultValue).toDouble()));
}
void Preferences::setFontSize(int v) {
    store(QStringLiteral("ui/fontSize"), int(rgemma::clampToRange(kFontSize, v)), &Preferences::fontSizeChanged);
}

QString Preferences::language() const { return value(QStringLiteral("ui/language"), QString()).toString(); }
void Preferences::setLanguage(const QString& v) {
    store(QStringLiteral("ui/language"), v, &Preferences::languageChanged);
}

QString Preferences::modelDirectory() const { return value(QStringLiteral("model/directory"), QString()).toString(); }
void Preferences::setModelDirectory(const QString& v) {
    store(QStringLiteral("model/directory"), v, &Preferences::modelDirectoryChanged);
}

bool Preferences::serverEnabled() const { return value(QStringLiteral("server/enabled"), false).toBool(); }
void Preferences::setServerEnabled(bool v) {
    store(QStringLiteral("server/enabled"), v, &Preferences::serverEnabledChanged);
}

int Preferences::serverPort() const {
    return int(
        rgemma::clampToRange(kServerPort, value(QStringLiteral("server/port"), kServerPort.defaultValue).toDouble()));
}
void Preferences::setServerPort(int v) {
    store(QStringLiteral("server/port"), int(rgemma::clampToRange(kServerPort, v)), &Preferences::serverPortChanged);
}

QString Preferences::serverAddress() const {
    const QString stored = value(QStringLiteral("server/address"), kServerLoopback).toString().trimmed();
    return stored.isEmpty() ? kServerLoopback : stored;
}
void Preferences::setServerAddress(const QString& v) {
    const QString trimmed = v.trimmed();
    store(QStringLiteral("server/address"), trimmed.isEmpty() ? kServerLoopback : trimmed,
          &Preferences::serverAddressChanged);
}

QString Preferences::serverApiKey() const { return value(QStringLiteral("server/apiKey"), QString()).toString(); }
void Preferences::setServerApiKey(const QString& v) {
    store(QStringLiteral("server/apiKey"), v.trimmed(), &Preferences::serverApiKeyChanged);
}

QVariantMap Preferences::range(const QString& name) const {
    if (name == QLatin1String(kTemperature.name)) return toMap(kTemperature);
    for (const rgemma::SettingRange& range : rgemma::samplerSettingRanges()) {
        if (name == QLatin1String(range.name)) return toMap(range);
    }
    for (const rgemma::SettingRange& range : {kMaxNewTokens, kSeed, kFontSize, kServerPort}) {
        if (name == QLatin1String(range.name)) return toMap(range);
    }
    if (name == u"threads") return toMap({"threads", 0, double(maxThreads()), true, true, 0});
    return {};
}

void Preferences::resetSampling() {
    // Each property that changes announces itself, whichever of them are stored in the sampling group.
    const QMetaObject* meta = metaObject();
    QVariantList before;
    for (int i = meta->propertyOffset(); i < meta->propertyCount(); ++i) before.append(meta->property(i).read(this));
    m_settings->beginGroup(kSamplingGroup);
    m_settings->remove(QString());
    m_settings->endGroup();
    for (int i = meta->propertyOffset(); i < meta->propertyCount(); ++i) {
        const QMetaProperty property = meta->property(i);
        if (property.hasNotifySignal() && property.read(this) != before.at(i - meta->propertyOffset())) {
            property.notifySignal().invoke(this);
        }
    }
}

rgemma::SamplerSettings Preferences::samplerSettings() const {
    rgemma::SamplerSettings s = storedSampling();
    s.seed = randomSeed() ? QRandomGenerator::global()->generate64() : static_cast<uint64_t>(seed());
    return s;
}
