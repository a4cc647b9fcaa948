// test_hostile_text — text that tries to break the app: a 1 MB prompt (132 KB under sanitizers), invalid UTF-8, NUL
// characters, lone surrogates, right-to-left and combining characters through the controller, the worker and the store
// with the golden model; and Markdown that tries to be HTML (tags, scripts, remote images, escaped backticks around
// tags) rendered the way MessageDelegate.qml renders it: shown as text, nothing fetched.
#include <QElapsedTimer>
#include <QSettings>
#include <QTemporaryDir>
#include <QTextBlock>
#include <QTextDocument>
#include <QTextFragment>
#include <QtTest>

#include "chat_controller.h"
#include "markdown_text.h"
#include "message_tools.h"
#include "threaded_engine.h"

namespace {

// The long prompt: 1 MB in the plain suite. Under AddressSanitizer its prefill took 233 s of Qt Test's 300 s watchdog
// on a 2-core AVX2 machine (the kernels' every load is checked), so sanitized builds feed 132 KB: still hundreds of
// prefill chunks, the growth of every buffer, and the same assertions.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr int kLongPromptRepeats = 3000;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
constexpr int kLongPromptRepeats = 3000;
#else
constexpr int kLongPromptRepeats = 24000;
#endif
#else
constexpr int kLongPromptRepeats = 24000;
#endif

const QString kModel = QStringLiteral(RC_TEST_DATA_DIR "/tiny-f32");

// The document Qt's Markdown importer makes of `markdown`, after renderableMarkdown (what TextEdit shows).
struct Rendered {
    QString text;
    int images = 0;
    int htmlTags = 0;
    QStringList resources;  // what the document asked to load
};

class RecordingDocument : public QTextDocument {
  public:
    QStringList requested;

  protected:
    QVariant loadResource(int type, const QUrl& name) override {
        requested << name.toString();
        return QTextDocument::loadResource(type, name);
    }
};

Rendered render(const QString& markdown) {
    RecordingDocument document;
    document.setMarkdown(renderableMarkdown(markdown));
    Rendered out;
    out.text = document.toPlainText();
    for (QTextBlock block = document.begin(); block.isValid(); block = block.next()) {
        for (auto it = block.begin(); !it.atEnd(); ++it) {
            if (it.fragment().charFormat().isImageFormat()) ++out.images;
        }
    }
    out.resources = document.requested;
    return out;
}

}  // namespace

class TestHostileText : public QObject {
    Q_OBJECT

  private slots:
    void markdownThatTriesToBeHtml_data() {
        QTest::addColumn<QString>("markdown");
        QTest::addColumn<QString>("shown");  // must appear as text
        QTest::newRow("script") << "<script>alert(1)</script>"
                                << "<script>";
        QTest::newRow("image tag") << "look <img src=\"https://example.com/x.png\"> here"
                                   << "<img";
        QTest::newRow("markdown image") << "![tracker](https://example.com/t.png)"
                                        << "tracker";
        QTest::newRow("html block") << "<div style=\"color:red\">\n<iframe src=\"https://x\"></iframe>\n</div>"
                                    << "<iframe";
        QTest::newRow("escaped backticks") << "\\`<img src=\"https://example.com/y.png\">\\`"
                                           << "<img";
        QTest::newRow("escaped backslash") << "\\\\`code` <img src=\"https://e.com/z.png\">"
                                           << "<img";
        QTest::newRow("reference image") << "![a][r]\n\n[r]: https://example.com/r.png"
                                         << "a";
        QTest::newRow("unclosed fence") << "```\n<img src=\"https://e.com/f.png\">"
                                        << "<img";
        QTest::newRow("comment") << "<!-- hidden --> visible"
                                 << "visible";
    }
    void markdownThatTriesToBeHtml() {
        QFETCH(QString, markdown);
        QFETCH(QString, shown);
        const Rendered rendered = render(markdown);
        QCOMPARE(rendered.images, 0);
        QVERIFY2(rendered.resources.isEmpty(), qPrintable(rendered.resources.join(u' ')));
        QVERIFY2(rendered.text.contains(shown), qPrintable(rendered.text));
    }

    // Mixed hostile lines up to the Markdown length limit (tags, remote images, code spans holding '<', backtick runs
    // that md4c pairs across lines): still inert, and quick. Longer messages are shown as plain text.
    void longMarkdownStaysInert() {
        QString text;
        for (int line = 0; text.size() < kMaxMarkdownLength - 200; ++line) {
            text += QStringLiteral(
                        "Line %1 <img src=\"https://e.com/%1.png\"> ![t](https://e.com/t%1.png) "
                        "`std::vector<int>` %2 and prose.\n")
                        .arg(line)
                        .arg(QString(line % 9 + 1, u'`'));
        }
        QVERIFY(rendersAsMarkdown(text));
        QVERIFY(!rendersAsMarkdown(text.repeated(2)));
        QElapsedTimer clock;
        clock.start();
        const QString escaped = renderableMarkdown(text);
        const qint64 escaping = clock.elapsed();
        const Rendered rendered = render(text);
        QCOMPARE(rendered.images, 0);
        QVERIFY(rendered.resources.isEmpty());
        QVERIFY(rendered.text.contains(QStringLiteral("img src=")));
        qInfo("%lld characters: escaped in %lld ms; escaped and rendered again in %lld ms",
              static_cast<long long>(text.size()), static_cast<long long>(escaping),
              static_cast<long long>(clock.elapsed() - escaping));
        QVERIFY(escaping < 20000);
    }

    void hostilePromptsThroughTheController_data() {
        QTest::addColumn<QString>("prompt");
        QString invalid = QString::fromUtf8("ok \xff\xfe \xc3( \xed\xa0\x80 end");  // decoded as U+FFFD
        QTest::newRow("invalid UTF-8") << invalid;
        QTest::newRow("NUL characters") << QStringLiteral("before") + QChar(0) + QStringLiteral("after") + QChar(0);
        QTest::newRow("lone surrogates") << QString(QChar(0xD800)) + QStringLiteral("x") + QChar(0xDC00);
        QTest::newRow("right to left") << QStringLiteral("שלום עולם \u202Eevil.exe\u202C مرحبا");
        QTest::newRow("combining") << QStringLiteral("Z") + QString(500, QChar(0x0351)) + QStringLiteral("algo");
        QTest::newRow("markdown html") << QStringLiteral("<script>alert(1)</script> ![x](https://e.com/i.png)");
        QTest::newRow("long prompt")
            << QStringLiteral("All work and no play makes Jack a dull boy. ").repeated(kLongPromptRepeats);
    }
    void hostilePromptsThroughTheController() {
        QFETCH(QString, prompt);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QSettings settings(dir.filePath(QStringLiteral("settings.ini")), QSettings::IniFormat);
        ThreadedEngine engine;
        ChatController controller(dir.path(), &settings, engine);
        controller.preferences()->setRandomSeed(false);
        controller.preferences()->setMaxNewTokens(4);
        controller.loadModel(kModel);
        QTRY_COMPARE_WITH_TIMEOUT(controller.modelStatus(), ChatController::ModelStatus::Ready, 30000);
        QSignalSpy stored(&controller, &ChatController::replyStored);
        QElapsedTimer clock;
        clock.start();
        controller.send(prompt);
        QTRY_COMPARE_WITH_TIMEOUT(stored.count(), 1, 240000);
        QCOMPARE(controller.messages()->rowCount(), 2);
        // The user's words are stored as given (trimmed; a lone surrogate becomes U+FFFD, as in UTF-8).
        QCOMPARE(controller.messages()->contentAt(0), QString::fromUtf8(prompt.toUtf8()).trimmed());
        QVERIFY(controller.messages()->contentAt(0).isValidUtf16());
        // What the message bubbles ask of MessageTools, for these messages.
        const MessageTools tools;
        QCOMPARE(tools.rendersAsMarkdown(prompt), prompt.size() <= kMaxMarkdownLength);
        (void)tools.renderableMarkdown(controller.messages()->contentAt(0));
        (void)tools.renderableMarkdown(controller.messages()->contentAt(1));
        qInfo("%lld characters: reply stored after %lld ms", static_cast<long long>(prompt.size()),
              static_cast<long long>(clock.elapsed()));
    }
};

QTEST_MAIN(TestHostileText)
#include "test_hostile_text.moc"
