// preferences.h — Preferences: the user's settings, persisted with QSettings, as properties QML binds to, each
// with its own change signal. Values are clamped to their ranges: the sampling settings' ranges and defaults are
// the engine's (rgemma/sampler.h), read from there; range() tells QML every range, so no dialog repeats one.
// Changes apply to the next reply; nothing here talks to the engine.
#pragma once

#include <QtQml/qqmlregistration.h>

#include <QObject>
#include <QSettings>
#include <QString>
#include <QVariantMap>

#include "rgemma/sampler.h"

class Preferences : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Preferences belong to the application")

    Q_PROPERTY(double temperature READ temperature WRITE setTemperature NOTIFY temperatureChanged)
    Q_PROPERTY(int topK READ topK WRITE setTopK NOTIFY topKChanged)
    Q_PROPERTY(double topP READ topP WRITE setTopP NOTIFY topPChanged)
    Q_PROPERTY(double minP READ minP WRITE setMinP NOTIFY minPChanged)
    Q_PROPERTY(double repeatPenalty READ repeatPenalty WRITE setRepeatPenalty NOTIFY repeatPenaltyChanged)
    Q_PROPERTY(int repeatWindow READ repeatWindow WRITE setRepeatWindow NOTIFY repeatWindowChanged)
    Q_PROPERTY(int maxNewTokens READ maxNewTokens WRITE setMaxNewTokens NOTIFY maxNewTokensChanged)
    Q_PROPERTY(bool randomSeed READ randomSeed WRITE setRandomSeed NOTIFY randomSeedChanged)
    Q_PROPERTY(qint64 seed READ seed WRITE setSeed NOTIFY seedChanged)
    Q_PROPERTY(int threads READ threads WRITE setThreads NOTIFY threadsChanged)
    Q_PROPERTY(int maxThreads READ maxThreads CONSTANT)
    Q_PROPERTY(bool fastPrefill READ fastPrefill WRITE setFastPrefill NOTIFY fastPrefillChanged)
    Q_PROPERTY(Theme theme READ theme WRITE setTheme NOTIFY themeChanged)
    Q_PROPERTY(int fontSize READ fontSize WRITE setFontSize NOTIFY fontSizeChanged)
    Q_PROPERTY(QString language READ language WRITE setLanguage NOTIFY languageChanged)
    Q_PROPERTY(QString modelDirectory READ modelDirectory WRITE setModelDirectory NOTIFY modelDirectoryChanged)
    // The local API server (LocalServer): off until turned on, on loopback unless the user chooses an address.
    Q_PROPERTY(bool serverEnabled READ serverEnabled WRITE setServerEnabled NOTIFY serverEnabledChanged)
    Q_PROPERTY(int serverPort READ serverPort WRITE setServerPort NOTIFY serverPortChanged)
    Q_PROPERTY(QString serverAddress READ serverAddress WRITE setServerAddress NOTIFY serverAddressChanged)
    Q_PROPERTY(QString serverApiKey READ serverApiKey WRITE setServerApiKey NOTIFY serverApiKeyChanged)

  public:
    enum class Theme { System, Light, Dark };
    Q_ENUM(Theme)

    // 0.7 like most chat apps: the engine's neutral default of 1 makes small models ramble. Its range stays the
    // engine's.
    static constexpr rgemma::SettingRange kTemperature = [] {
        rgemma::SettingRange range = rgemma::kTemperatureRange;
        range.defaultValue = 0.7;
        return range;
    }();

    // `settings` must outlive this object (the app passes one bound to its XDG config file).
    explicit Preferences(QSettings* settings, QObject* parent = nullptr);

    // Sampling, stored under sampling/<the range's name>.
    double temperature() const { return sampling(kTemperature); }
    void setTemperature(double v) { setSampling(kTemperature, v, &Preferences::temperatureChanged); }
    int topK() const { return int(sampling(rgemma::kTopKRange)); }
    void setTopK(int v) { setSampling(rgemma::kTopKRange, v, &Preferences::topKChanged); }
    double topP() const { return sampling(rgemma::kTopPRange); }
    void setTopP(double v) { setSampling(rgemma::kTopPRange, v, &Preferences::topPChanged); }
    double minP() const { return sampling(rgemma::kMinPRange); }
    void setMinP(double v) { setSampling(rgemma::kMinPRange, v, &Preferences::minPChanged); }
    double repeatPenalty() const { return sampling(rgemma::kRepeatPenaltyRange); }
    void setRepeatPenalty(double v) { setSampling(rgemma::kRepeatPenaltyRange, v, &Preferences::repeatPenaltyChanged); }
    int repeatWindow() const { return int(sampling(rgemma::kRepeatWindowRange)); }
    void setRepeatWindow(int v) { setSampling(rgemma::kRepeatWindowRange, v, &Preferences::repeatWindowChanged); }
    // The settings above as the engine takes them (the seed is set by samplerSettings()).
    rgemma::SamplerSettings storedSampling() const {
        rgemma::SamplerSettings s;
        s.temperature = float(temperature());
        s.topK = topK();
        s.topP = float(topP());
        s.minP = float(minP());
        s.repeatPenalty = float(repeatPenalty());
        s.repeatWindow = repeatWindow();
        return s;
    }

    int maxNewTokens() const;  // the engine's default reply length unless set
    void setMaxNewTokens(int value);
    bool randomSeed() const;
    void setRandomSeed(bool value);
    qint64 seed() const;
    void setSeed(qint64 value);
    int threads() const;  // 0: all cores
    void setThreads(int value);
    int maxThreads() const;
    // Prompts multiplied in bf16 (rgemma::PrefillPrecision::Fast) on bf16 weights where the CPU can: on by default.
    bool fastPrefill() const;
    void setFastPrefill(bool value);
    Theme theme() const;
    void setTheme(Theme value);
    int fontSize() const;
    void setFontSize(int value);
    QString language() const;  // "" follows the system
    void setLanguage(const QString& value);
    QString modelDirectory() const;
    void setModelDirectory(const QString& value);
    bool serverEnabled() const;
    void setServerEnabled(bool value);
    int serverPort() const;
    void setServerPort(int value);
    QString serverAddress() const;  // an IP address or "localhost"; "" is never stored (the loopback default)
    void setServerAddress(const QString& value);
    QString serverApiKey() const;  // "": no key asked for
    void setServerApiKey(const QString& value);

    // The range of a numeric setting, by its property name: {min, max, minIncluded, maxIncluded, defaultValue}.
    // Empty for a name that has none.
    Q_INVOKABLE QVariantMap range(const QString& name) const;
    // Restores every sampling setting to its default.
    Q_INVOKABLE void resetSampling();

    // The sampler settings for the next reply (a fresh random seed each time when randomSeed is on).
    rgemma::SamplerSettings samplerSettings() const;

  signals:
    void temperatureChanged();
    void topKChanged();
    void topPChanged();
    void minPChanged();
    void repeatPenaltyChanged();
    void repeatWindowChanged();
    void maxNewTokensChanged();
    void randomSeedChanged();
    void seedChanged();
    void threadsChanged();
    void fastPrefillChanged();
    void themeChanged();
    void fontSizeChanged();
    void languageChanged();
    void modelDirectoryChanged();
    void serverEnabledChanged();
    void serverPortChanged();
    void serverAddressChanged();
    void serverApiKeyChanged();

  private:
    using Signal = void (Preferences::*)();
    QVariant value(const QString& key, const QVariant& fallback) const;
    // Writes `value` and emits `changed` if it differs from what is stored.
    void store(const QString& key, const QVariant& value, Signal changed);
    double sampling(const rgemma::SettingRange& range) const;
    void setSampling(const rgemma::SettingRange& range, double value, Signal changed);

    QSettings* m_settings;
};
