// preferences.h — Preferences: the user's settings, persisted with QSettings, as properties QML binds to.
// Changes apply to the next generation; nothing here talks to the engine.
#pragma once

#include <QtQml/qqmlregistration.h>

#include <QObject>
#include <QSettings>
#include <QString>

#include "rgemma/sampler.h"

class Preferences : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Preferences belong to the application")

    Q_PROPERTY(double temperature READ temperature WRITE setTemperature NOTIFY changed)
    Q_PROPERTY(int topK READ topK WRITE setTopK NOTIFY changed)
    Q_PROPERTY(double topP READ topP WRITE setTopP NOTIFY changed)
    Q_PROPERTY(double minP READ minP WRITE setMinP NOTIFY changed)
    Q_PROPERTY(double repeatPenalty READ repeatPenalty WRITE setRepeatPenalty NOTIFY changed)
    Q_PROPERTY(int repeatWindow READ repeatWindow WRITE setRepeatWindow NOTIFY changed)
    Q_PROPERTY(int maxNewTokens READ maxNewTokens WRITE setMaxNewTokens NOTIFY changed)
    Q_PROPERTY(bool randomSeed READ randomSeed WRITE setRandomSeed NOTIFY changed)
    Q_PROPERTY(qint64 seed READ seed WRITE setSeed NOTIFY changed)
    Q_PROPERTY(int threads READ threads WRITE setThreads NOTIFY changed)
    Q_PROPERTY(int maxThreads READ maxThreads CONSTANT)
    Q_PROPERTY(bool fastPrefill READ fastPrefill WRITE setFastPrefill NOTIFY changed)
    Q_PROPERTY(Theme theme READ theme WRITE setTheme NOTIFY changed)
    Q_PROPERTY(int fontSize READ fontSize WRITE setFontSize NOTIFY changed)
    Q_PROPERTY(QString language READ language WRITE setLanguage NOTIFY changed)
    Q_PROPERTY(QString modelDirectory READ modelDirectory WRITE setModelDirectory NOTIFY changed)

  public:
    enum class Theme { System, Light, Dark };
    Q_ENUM(Theme)

    // `settings` must outlive this object (the app passes one bound to its XDG config file).
    explicit Preferences(QSettings* settings, QObject* parent = nullptr);

    double temperature() const;
    void setTemperature(double value);
    int topK() const;
    void setTopK(int value);
    double topP() const;
    void setTopP(double value);
    double minP() const;
    void setMinP(double value);
    double repeatPenalty() const;
    void setRepeatPenalty(double value);
    int repeatWindow() const;
    void setRepeatWindow(int value);
    int maxNewTokens() const;
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

    // Restores every sampling setting to its default.
    Q_INVOKABLE void resetSampling();

    // The sampler settings for the next generation (a fresh random seed each time when randomSeed is on).
    rgemma::SamplerSettings samplerSettings() const;

  signals:
    void changed();

  private:
    QVariant value(const char* key, const QVariant& fallback) const;
    void store(const char* key, const QVariant& value);
    QSettings* m_settings;
};
