// test_translations.cpp — the shipped catalogues (translations/*.ts) are complete, current and correct for the
// sources (lupdate run afresh), every user-visible string in C++ and QML is marked for translation, plural forms
// read right in each language, and the real window switches language without a restart.
#include <QFile>
#include <QProcess>
#include <QQmlApplicationEngine>
#include <QQuickItem>
#include <QQuickWindow>
#include <QRegularExpression>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QXmlStreamReader>
#include <QtQml/QQmlExtensionPlugin>
#include <QtTest>

#include "app_window.h"
#include "chat_controller.h"
#include "source_strings.h"
#include "translation_manager.h"

Q_IMPORT_QML_PLUGIN(RecurrentChatPlugin)

namespace {

const QString kTranslationsDir = QStringLiteral(RC_TRANSLATIONS_DIR);

struct TsMessage {
    QString context;
    QString source;
    QString comment;
    bool numerus = false;
    QString type;  // "", "unfinished", "obsolete", "vanished"
    QStringList translations;
};

// The messages of a .ts file by context + source + comment.
QMap<QString, TsMessage> readTs(const QString& path, QString* language = nullptr) {
    QMap<QString, TsMessage> messages;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) return messages;
    QXmlStreamReader xml(&file);
    QString context;
    TsMessage message;
    while (!xml.atEnd()) {
        xml.readNext();
        if (!xml.isStartElement()) {
            if (xml.isEndElement() && xml.name() == u"message") {
                messages.insert(message.context + u'\x1f' + message.source + u'\x1f' + message.comment, message);
            }
            continue;
        }
        const auto name = xml.name();
        if (name == u"TS" && language) *language = xml.attributes().value(QLatin1String("language")).toString();
        if (name == u"name") context = xml.readElementText();
        if (name == u"message") {
            message = TsMessage{context, {}, {}, xml.attributes().value(QLatin1String("numerus")) == u"yes", {}, {}};
        }
        if (name == u"source") message.source = xml.readElementText();
        if (name == u"comment") message.comment = xml.readElementText();
        if (name == u"translation") {
            message.type = xml.attributes().value(QLatin1String("type")).toString();
            if (!message.numerus) message.translations << xml.readElementText();
        }
        if (name == u"numerusform") message.translations << xml.readElementText();
    }
    return messages;
}

// The placeholders of a text (%1, %2, %n), sorted, duplicates removed.
QStringList placeholders(const QString& text) {
    static const QRegularExpression placeholder(QStringLiteral("%(\\d+|n)"));
    QStringList found;
    for (auto it = placeholder.globalMatch(text); it.hasNext();) found << it.next().captured(0);
    found.sort();
    found.removeDuplicates();
    return found;
}

QString readText(const QString& path) {
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
}

QString describe(const TsMessage& m) { return QStringLiteral("[%1] \"%2\"").arg(m.context, m.source); }

QQuickItem* findItem(QQuickWindow* window, const char* objectName) {
    return window->findChild<QQuickItem*>(QString::fromLatin1(objectName));
}

}  // namespace

class TestTranslations : public QObject {
    Q_OBJECT

    QTemporaryDir m_home;
    QStringList m_sources;                 // what lupdate scans (ui/CMakeLists.txt)
    QMap<QString, TsMessage> m_extracted;  // lupdate's view of the sources now

  private slots:
    void initTestCase() {
        QVERIFY(m_home.isValid());
        m_sources = readText(QStringLiteral(RC_TRANSLATION_SOURCES)).split(u'\n', Qt::SkipEmptyParts);
        QVERIFY2(m_sources.size() > 10, "translation_sources.txt lists the sources lupdate scans");
        QProcess lupdate;
        const QString extracted = m_home.filePath(QStringLiteral("extracted_de.ts"));
        lupdate.start(QStringLiteral(RC_LUPDATE_BIN),
                      QStringList(m_sources) << QStringLiteral("-no-obsolete") << QStringLiteral("-locations")
                                             << QStringLiteral("none") << QStringLiteral("-ts") << extracted);
        QVERIFY(lupdate.waitForFinished(120000));
        QCOMPARE(lupdate.exitCode(), 0);
        m_extracted = readTs(extracted);
        QVERIFY(m_extracted.size() > 50);
    }

    // The scanners below find what they should, so their silence about the sources means something.
    void scannersWork() {
        const QString qml = QStringLiteral(
            "import QtQuick\nItem {\n  objectName: \"sendButton\"\n  Label { text: \"Hello\" }\n"
            "  Label { text: qsTr(\"Fine\") }\n  // text: \"a comment\"\n  property string s: \"two words\"\n"
            "  Shortcut { sequence: \"Esc\" }\n  color: \"transparent\"\n  Label { text: \"Deutsch\" }\n}\n");
        QCOMPARE(rctest::unmarkedUserStrings(qml, rctest::SourceLanguage::Qml, {QStringLiteral("Deutsch")}),
                 QStringList({QStringLiteral("4: Hello"), QStringLiteral("7: two words")}));
        const QString cpp = QStringLiteral(
            "// \"A comment here\"\nauto a = tr(\"Marked text\");\nauto b = QStringLiteral(\"Not marked text\");\n"
            "auto c = QStringLiteral(\"SELECT id FROM t\");\nqWarning(\"a log line here\");\n"
            "auto d = QCoreApplication::translate(\"ctx\", \"Split \"\n    \"text\");\n#include \"two words.h\"\n"
            "auto e = QStringLiteral(R\"(Raw text \"quoted\" here)\");\nchar f = u'\"';\nint g = 1'000;\n");
        QCOMPARE(rctest::unmarkedUserStrings(cpp, rctest::SourceLanguage::Cpp, {}),
                 QStringList({QStringLiteral("3: Not marked text"), QStringLiteral("9: Raw text \"quoted\" here")}));
        const auto calls = rctest::translationCalls(cpp, rctest::SourceLanguage::Cpp);
        QCOMPARE(calls.size(), 2);
        QCOMPARE(calls.at(1), QStringList({QStringLiteral("ctx"), QStringLiteral("Split text")}));
    }

    // Every string a user can see in QML is inside qsTr(). Language names are shown in their own language.
    void qmlStringsAreMarked() {
        const QStringList endonyms = {QStringLiteral("English"), QStringLiteral("Deutsch"), QStringLiteral("Français")};
        QStringList unmarked;
        for (const QString& path : m_sources) {
            if (!path.endsWith(QStringLiteral(".qml"))) continue;
            for (const QString& s : rctest::unmarkedUserStrings(readText(path), rctest::SourceLanguage::Qml, endonyms))
                unmarked << QFileInfo(path).fileName() + u':' + s;
        }
        QVERIFY2(unmarked.isEmpty(), qPrintable(QStringLiteral("not in qsTr():\n") + unmarked.join(u'\n')));
    }

    // Every sentence in C++ is inside tr() or translate(), but product names and file signatures.
    void cppStringsAreMarked() {
        const QStringList notText = {QStringLiteral("Recurrent Chat"), QStringLiteral("SQLite format 3")};
        QStringList unmarked;
        for (const QString& path : m_sources) {
            if (path.endsWith(QStringLiteral(".qml"))) continue;
            for (const QString& s : rctest::unmarkedUserStrings(readText(path), rctest::SourceLanguage::Cpp, notText))
                unmarked << QFileInfo(path).fileName() + u':' + s;
        }
        QVERIFY2(unmarked.isEmpty(), qPrintable(QStringLiteral("not in tr():\n") + unmarked.join(u'\n')));
    }

    // A translation call lupdate cannot read (a context in a variable, a computed string) never gets translated.
    void everyTranslationCallIsExtracted() {
        QSet<QString> sources;
        for (const TsMessage& m : std::as_const(m_extracted)) sources.insert(m.source);
        QStringList lost;
        for (const QString& path : m_sources) {
            const auto language =
                path.endsWith(QStringLiteral(".qml")) ? rctest::SourceLanguage::Qml : rctest::SourceLanguage::Cpp;
            for (const QStringList& call : rctest::translationCalls(readText(path), language)) {
                if (std::none_of(call.begin(), call.end(), [&](const QString& s) { return sources.contains(s); }))
                    lost << QFileInfo(path).fileName() + QStringLiteral(": ") + call.join(QStringLiteral(" | "));
            }
        }
        QVERIFY2(lost.isEmpty(), qPrintable(QStringLiteral("lupdate does not see:\n") + lost.join(u'\n')));
    }

    void catalogueIsComplete_data() {
        QTest::addColumn<QString>("language");
        QTest::addColumn<int>("pluralForms");
        QTest::newRow("de") << QStringLiteral("de") << 2;
        QTest::newRow("fr") << QStringLiteral("fr") << 2;
    }

    // The catalogue holds exactly the sources' messages, each finished, with the source's placeholders, and
    // every plural form of the language.
    void catalogueIsComplete() {
        QFETCH(QString, language);
        QFETCH(int, pluralForms);
        QString declared;
        const auto shipped =
            readTs(kTranslationsDir + QStringLiteral("/recurrent-chat_%1.ts").arg(language), &declared);
        QCOMPARE(declared, language);
        QStringList problems;
        for (const TsMessage& m : std::as_const(m_extracted)) {
            if (!shipped.contains(m.context + u'\x1f' + m.source + u'\x1f' + m.comment))
                problems << QStringLiteral("missing (run update_translations): ") + describe(m);
        }
        for (const TsMessage& m : shipped) {
            if (!m_extracted.contains(m.context + u'\x1f' + m.source + u'\x1f' + m.comment))
                problems << QStringLiteral("no longer in the sources: ") + describe(m);
            if (!m.type.isEmpty()) problems << m.type + QStringLiteral(": ") + describe(m);
            if (m.translations.size() != (m.numerus ? pluralForms : 1))
                problems << QStringLiteral("wrong number of forms: ") + describe(m);
            for (const QString& t : m.translations) {
                if (t.trimmed().isEmpty()) problems << QStringLiteral("empty: ") + describe(m);
                if (placeholders(t) != placeholders(m.source))
                    problems << QStringLiteral("placeholders differ in \"%1\": ").arg(t) + describe(m);
            }
        }
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
    }

    // English needs a catalogue only for its plurals ("1 token", "2 tokens"): exactly the %n messages.
    void englishPluralsAreComplete() {
        QString declared;
        const auto shipped = readTs(kTranslationsDir + QStringLiteral("/recurrent-chat_en.ts"), &declared);
        QCOMPARE(declared, QStringLiteral("en"));
        int plurals = 0;
        for (const TsMessage& m : std::as_const(m_extracted)) {
            if (!m.numerus) continue;
            ++plurals;
            const auto it = shipped.constFind(m.context + u'\x1f' + m.source + u'\x1f' + m.comment);
            QVERIFY2(it != shipped.constEnd(), qPrintable(describe(m)));
            QVERIFY2(it->type.isEmpty() && it->translations.size() == 2, qPrintable(describe(m)));
            QVERIFY(!it->translations.at(0).contains(u"(s)") && !it->translations.at(1).contains(u"(s)"));
        }
        QCOMPARE(shipped.size(), plurals);
    }

    void languagesAreEmbedded() {
        QCOMPARE(TranslationManager::availableLanguages(),
                 QStringList({QStringLiteral("de"), QStringLiteral("en"), QStringLiteral("fr")}));
    }

    void pluralsReadRight_data() {
        QTest::addColumn<QString>("language");
        QTest::addColumn<int>("n");
        QTest::addColumn<QString>("expected");
        QTest::newRow("en 1") << QStringLiteral("en") << 1 << QStringLiteral("1 token in this conversation");
        QTest::newRow("en 2") << QStringLiteral("en") << 2 << QStringLiteral("2 tokens in this conversation");
        QTest::newRow("en 0") << QStringLiteral("en") << 0 << QStringLiteral("0 tokens in this conversation");
        QTest::newRow("de 1") << QStringLiteral("de") << 1 << QStringLiteral("1 Token in dieser Unterhaltung");
        QTest::newRow("de 5") << QStringLiteral("de") << 5 << QStringLiteral("5 Tokens in dieser Unterhaltung");
        QTest::newRow("fr 0") << QStringLiteral("fr") << 0
                              << QStringLiteral("0 jeton dans cette conversation");  // French: 0 is singular
        QTest::newRow("fr 1") << QStringLiteral("fr") << 1 << QStringLiteral("1 jeton dans cette conversation");
        QTest::newRow("fr 2") << QStringLiteral("fr") << 2 << QStringLiteral("2 jetons dans cette conversation");
        // No Japanese catalogue: the English one, whose plural forms still apply.
        QTest::newRow("ja falls back to English")
            << QStringLiteral("ja") << 2 << QStringLiteral("2 tokens in this conversation");
    }

    void pluralsReadRight() {
        QFETCH(QString, language);
        QFETCH(int, n);
        QFETCH(QString, expected);
        TranslationManager translations;
        translations.setLanguage(language);
        QCOMPARE(translations.catalogueLanguage(), language == u"ja" ? QStringLiteral("en") : language);
        QCOMPARE(QCoreApplication::translate("StatusBar", "%n token(s) in this conversation", nullptr, n), expected);
    }

    // The real window, offscreen: Preferences.language changes what it shows at once, C++ texts included.
    void switchesLanguageWithoutRestart() {
        QSettings settings(m_home.filePath(QStringLiteral("settings.ini")), QSettings::IniFormat);
        ChatController controller(m_home.filePath(QStringLiteral("data")), &settings);
        Preferences& preferences = *controller.preferences();
        preferences.setLanguage(QStringLiteral("en"));
        QQmlApplicationEngine engine;
        QQuickWindow* window = loadMainWindow(engine, controller);
        QVERIFY(window != nullptr);
        QQuickItem* send = findItem(window, "sendButton");
        QQuickItem* input = findItem(window, "composerInput");
        QQuickItem* languageBox = findItem(window, "languageBox");
        QQuickItem* themeBox = findItem(window, "themeBox");
        QVERIFY(send && input && languageBox && themeBox);
        preferences.setTheme(Preferences::Theme::Dark);
        QCOMPARE(send->property("text").toString(), QStringLiteral("Send"));

        QSignalSpy modelTexts(&controller, &ChatController::modelChanged);
        preferences.setLanguage(QStringLiteral("de"));
        QTRY_COMPARE(send->property("text").toString(), QStringLiteral("Senden"));
        QCOMPARE(input->property("placeholderText").toString(),
                 QStringLiteral("Nachricht (Eingabe zum Senden, Umschalt+Eingabe für eine neue Zeile)"));
        QCOMPARE(languageBox->property("currentText").toString(), QStringLiteral("Deutsch"));
        QCOMPARE(themeBox->property("currentText").toString(), QStringLiteral("Dunkel"));
        QVERIFY(modelTexts.count() > 0);  // C++ texts (model details) are read again

        preferences.setLanguage(QStringLiteral("fr"));
        QTRY_COMPARE(send->property("text").toString(), QStringLiteral("Envoyer"));
        QCOMPARE(languageBox->property("currentText").toString(), QStringLiteral("Français"));
        preferences.setLanguage(QStringLiteral("en"));
        QTRY_COMPARE(send->property("text").toString(), QStringLiteral("Send"));
    }
};

QTEST_MAIN(TestTranslations)
#include "test_translations.moc"
