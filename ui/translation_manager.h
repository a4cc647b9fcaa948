// translation_manager.h — TranslationManager: the language the application speaks. Installs Recurrent Chat's
// catalogues (embedded under :/i18n) and Qt's own (qtbase, qtdeclarative: dialog buttons, command-line errors;
// from Qt's translations folder when qt6-translations-l10n is installed) for the system locale or a chosen
// language, and swaps them at run time.
#pragma once

#include <QObject>
#include <QString>
#include <QStringList>
#include <memory>
#include <optional>
#include <vector>

class QTranslator;

class TranslationManager : public QObject {
    Q_OBJECT

  public:
    explicit TranslationManager(QObject* parent = nullptr);
    ~TranslationManager() override;  // uninstalls its translators

    // "" follows the system locale; otherwise a language code such as "de". Replaces the installed translators and
    // emits languageChanged(); setting the language in effect again does nothing. A language without a catalogue
    // means English. Numbers, sizes and dates keep the system's formats (the user's regional settings, as on
    // GNOME and KDE), and QLocale::setDefault() must not change while the engine thread runs anyway.
    void setLanguage(const QString& language);
    QString language() const { return m_language.value_or(QString()); }
    // The language of the catalogue in use ("de", "fr", "en"), or "" when the source strings (English) are shown.
    QString catalogueLanguage() const { return m_catalogueLanguage; }

    // The languages Recurrent Chat ships a catalogue for, as codes ("de", "en", "fr").
    static QStringList availableLanguages();

  signals:
    void languageChanged();

  private:
    void install(std::unique_ptr<QTranslator> translator);
    void uninstallAll();

    std::optional<QString> m_language;  // unset until the first setLanguage()
    QString m_catalogueLanguage;
    std::vector<std::unique_ptr<QTranslator>> m_translators;
};
