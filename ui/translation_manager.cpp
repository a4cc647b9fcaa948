// translation_manager.cpp — loading, installing and swapping the translators of the application.
#include "translation_manager.h"

#include <QCoreApplication>
#include <QDir>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

namespace {

// Where qt_add_translations embeds the .qm files (RESOURCE_PREFIX in ui/CMakeLists.txt), and their names.
const QString kCatalogueDirectory = QStringLiteral(":/i18n");
const QString kCatalogueName = QStringLiteral("recurrent-chat");

}  // namespace

TranslationManager::TranslationManager(QObject* parent) : QObject(parent) {}

TranslationManager::~TranslationManager() { uninstallAll(); }

QStringList TranslationManager::availableLanguages() {
    const QString prefix = kCatalogueName + u'_';
    QStringList codes;
    for (const QString& file : QDir(kCatalogueDirectory).entryList({prefix + QStringLiteral("*.qm")}, QDir::Files)) {
        codes << file.mid(prefix.size(), file.size() - prefix.size() - 3);
    }
    codes.sort();
    return codes;
}

void TranslationManager::setLanguage(const QString& language) {
    if (m_language == language) return;
    m_language = language;
    uninstallAll();
    m_catalogueLanguage.clear();

    const QLocale locale = language.isEmpty() ? QLocale::system() : QLocale(language);
    auto ours = std::make_unique<QTranslator>();
    // Tries each of the locale's UI languages in turn ("de-CH", "de", …), so LANGUAGE=fr:de falls back to German.
    // No catalogue for the user's languages (or the C locale): English, whose catalogue holds the plural forms.
    if (ours->load(locale, kCatalogueName, QStringLiteral("_"), kCatalogueDirectory) ||
        ours->load(QLocale(QLocale::English), kCatalogueName, QStringLiteral("_"), kCatalogueDirectory)) {
        m_catalogueLanguage = ours->language();
        install(std::move(ours));
        // Qt's strings only in the language of our catalogue: never a French dialog button in an English window.
        const QLocale catalogueLocale(m_catalogueLanguage);
        const QString qtDirectory = QLibraryInfo::path(QLibraryInfo::TranslationsPath);
        for (const QString& name : {QStringLiteral("qtbase"), QStringLiteral("qtdeclarative")}) {
            auto qt = std::make_unique<QTranslator>();
            if (qt->load(catalogueLocale, name, QStringLiteral("_"), qtDirectory)) install(std::move(qt));
        }
    }
    emit languageChanged();
}

void TranslationManager::install(std::unique_ptr<QTranslator> translator) {
    QCoreApplication::installTranslator(translator.get());
    m_translators.push_back(std::move(translator));
}

void TranslationManager::uninstallAll() {
    for (const auto& translator : m_translators) QCoreApplication::removeTranslator(translator.get());
    m_translators.clear();
}
