// test_chat_transfer_window.cpp — export and import as the window does them (ChatController's exportChat and
// importChat, the import read on its worker thread), between real data folders on the demo model with the real
// engine: the file offered is named after the chat; an exported .rgchat imported into another folder gives the same
// conversation (every branch, the state file bit-identical) and opens it; Markdown and JSON come out as the command
// line writes them; truncated and foreign files are refused with a notice that names them, and change nothing; an
// import cut short by closing the app leaves no state file behind.
#include <QDir>
#include <QFileInfo>
#include <QSignalSpy>
#include <QThread>
#include <QtTest>

#include "chat_transfer.h"
#include "chat_transfer_support.h"
#include "file_bytes.h"

using rctest::App;
using rctest::kReplyWaitMs;
using rctest::snapshot;
using rctest::treeOf;

namespace {

const QString kDemoModel = QStringLiteral(RC_DEMO_MODEL_DIR);

// treeOf() without the states' fingerprints: the window exports the state at the end of the current branch only
// (a reply elsewhere rebuilds its own), so only that one travels.
QString transcriptTree(const QList<StoredMessage>& messages) {
    QStringList rows = treeOf(messages);
    for (QString& row : rows) row.truncate(row.lastIndexOf(u'|'));
    return rows.join(u'\n');
}

// Imports `file` as the window does; the importFinished arguments (id, error), or a failure if it never ends.
QPair<qint64, QString> importThroughTheWindow(ChatController& controller, const QString& file) {
    QSignalSpy finished(&controller, &ChatController::importFinished);
    if (!controller.importChat(QUrl::fromLocalFile(file))) return {-1, QStringLiteral("not started")};
    if (!controller.importing()) return {-1, QStringLiteral("not running")};
    if (!finished.wait(60000)) return {-1, QStringLiteral("never finished")};
    return {finished.first().at(0).toLongLong(), finished.first().at(1).toString()};
}

}  // namespace

class TestChatTransferWindow : public QObject {
    Q_OBJECT

    QTemporaryDir m_home;
    QString folder(const QString& name) const { return m_home.filePath(name); }

  private slots:
    void initTestCase() {
        QVERIFY(m_home.isValid());
        qputenv("XDG_CONFIG_HOME", m_home.filePath(QStringLiteral("config")).toUtf8());
    }

    // The file name an export is offered: the title as the user reads it, without what a file system refuses or
    // hides, short enough for a dialog; "chat-<id>" when nothing is left.
    void fileNamesFromTitles_data() {
        QTest::addColumn<QString>("title");
        QTest::addColumn<QString>("name");
        QTest::newRow("plain") << QStringLiteral("Trip to Lyon") << QStringLiteral("Trip to Lyon.md");
        QTest::newRow("separators") << QStringLiteral("a/b\\c:d") << QStringLiteral("a b c d.md");
        QTest::newRow("climbing") << QStringLiteral("../../etc/passwd") << QStringLiteral("etc passwd.md");
        QTest::newRow("hidden") << QStringLiteral(".profile") << QStringLiteral("profile.md");
        QTest::newRow("trailing dots") << QStringLiteral("Wait...") << QStringLiteral("Wait.md");
        QTest::newRow("control characters") << QStringLiteral(
                                                   "a\tb\x01"
                                                   "c\nd")
                                            << QStringLiteral("a b c d.md");
        QTest::newRow("nothing left") << QStringLiteral("?*|") << QStringLiteral("chat-42.md");
        QTest::newRow("empty") << QString() << QStringLiteral("chat-42.md");
        QTest::newRow("long") << QString(200, u'x') << QString(80, u'x') + QStringLiteral(".md");
        // A character outside the BMP across the cut: not split in half.
        QTest::newRow("surrogates at the cut")
            << QString(79, u'x') + QStringLiteral("😀tail") << QString(79, u'x') + QStringLiteral(".md");
    }
    void fileNamesFromTitles() {
        QFETCH(QString, title);
        QFETCH(QString, name);
        QCOMPARE(ChatTransfer::exportFileName(title, 42, ChatTransfer::Format::Markdown), name);
    }

    void exportThenImportInAnotherFolder() {
        const QString out = folder(QStringLiteral("exports"));
        QVERIFY(QDir().mkpath(out));
        qint64 original = 0;
        QString originalTree;
        QByteArray originalState;
        {
            App a(folder(QStringLiteral("a")), kDemoModel);
            QVERIFY(a.ready());
            a.controller.setSystemPrompt(QStringLiteral("You are a terse calculator."));
            QVERIFY(!a.say(QStringLiteral("What is 2 plus 3?")).isEmpty());
            original = a.controller.currentConversationId();
            QSignalSpy stored(&a.controller, &ChatController::replyStored);
            a.controller.regenerate();  // a second branch
            QVERIFY(stored.wait(kReplyWaitMs));
            QVERIFY(!a.say(QStringLiteral("Define cat.")).isEmpty());

            // The file offered: the title, without what file systems refuse, with the format's suffix.
            const QUrl offered = a.controller.exportFileUrl(original, QStringLiteral("rgchat"));
            QCOMPARE(QFileInfo(offered.toLocalFile()).fileName(), QStringLiteral("What is 2 plus 3.rgchat"));
            // Chosen without a suffix (as typed into the dialog, a URL without a scheme): the suffix is added.
            QVERIFY(a.controller.exportChat(original, QUrl(out + QStringLiteral("/calc")), QStringLiteral("rgchat")));
            QVERIFY(QFileInfo::exists(out + QStringLiteral("/calc.rgchat")));
            QVERIFY2(a.controller.notice().contains(QDir::toNativeSeparators(out + QStringLiteral("/calc.rgchat"))),
                     qPrintable(a.controller.notice()));
            QCOMPARE(a.controller.transferFolderUrl(), QUrl::fromLocalFile(out));
            QVERIFY(a.controller.exportWouldReplace(QUrl::fromLocalFile(out + QStringLiteral("/calc")),
                                                    QStringLiteral("rgchat")));
            QVERIFY(a.controller.exportChat(original, QUrl::fromLocalFile(out + QStringLiteral("/calc.md")),
                                            QStringLiteral("md")));
            QVERIFY(a.controller.exportChat(original, QUrl::fromLocalFile(out + QStringLiteral("/calc.json")),
                                            QStringLiteral("json")));
        }
        {
            DataFolder a(folder(QStringLiteral("a")));
            const QList<StoredMessage> path = a.store()->currentPath(original);
            QCOMPARE(path.size(), 4);
            originalTree = transcriptTree(a.store()->allMessages(original));
            originalState = rctest::readAll(a.statePath(path.last().stateFile));
            QVERIFY(!originalState.isEmpty());
            // Markdown and JSON as the command line writes them.
            for (const auto format : {ChatTransfer::Format::Markdown, ChatTransfer::Format::Json}) {
                const QString cli = folder(QStringLiteral("cli.") + ChatTransfer::suffix(format));
                QCOMPARE(ChatTransfer::exportChat(a, original, format, cli), QString());
                QCOMPARE(rctest::readAll(out + QStringLiteral("/calc.") + ChatTransfer::suffix(format)),
                         rctest::readAll(cli));
            }
        }

        App b(folder(QStringLiteral("b")), kDemoModel);
        QVERIFY(b.ready());
        const auto [imported, error] = importThroughTheWindow(b.controller, out + QStringLiteral("/calc.rgchat"));
        QCOMPARE(error, QString());
        QVERIFY(imported > 0);
        QVERIFY(!b.controller.importing());
        // Opened, listed, and said so.
        QCOMPARE(b.controller.currentConversationId(), imported);
        QCOMPARE(b.controller.currentSystemPrompt(), QStringLiteral("You are a terse calculator."));
        QCOMPARE(b.controller.messages()->rowCount(), 4);
        QCOMPARE(b.controller.conversations()->indexOfId(imported), 0);
        QVERIFY2(b.controller.notice().contains(QLatin1String("continues instantly")),
                 qPrintable(b.controller.notice()));
        DataFolder data(folder(QStringLiteral("b")));
        QCOMPARE(transcriptTree(data.store()->allMessages(imported)), originalTree);
        QCOMPARE(data.store()->siblings(data.store()->currentPath(imported).at(1).id).size(), 2);
        QCOMPARE(rctest::readAll(data.statePath(data.store()->currentPath(imported).last().stateFile)), originalState);
        QCOMPARE(b.controller.transferFolderUrl(), QUrl::fromLocalFile(out));
    }

    void truncatedAndForeignFilesChangeNothing() {
        const QString good = folder(QStringLiteral("exports/calc.rgchat"));
        const QByteArray bytes = rctest::readAll(good);
        QVERIFY2(bytes.size() > 1000, "exportThenImportInAnotherFolder writes it");
        App b(folder(QStringLiteral("b")), kDemoModel);
        QVERIFY(b.ready());
        const qint64 shown = b.controller.conversations()->idAt(0);
        b.controller.openConversation(shown);
        QString before;
        {
            DataFolder data(folder(QStringLiteral("b")));
            before = snapshot(data);
        }
        // Read from the folder itself too: a DataFolder sweeps orphaned states away.
        const QDir states(folder(QStringLiteral("b/states")));
        const QStringList statesBefore = states.entryList(QDir::Files | QDir::Hidden);
        const QString bad = folder(QStringLiteral("bad.rgchat"));
        const QList<QPair<QString, QByteArray>> files = {
            {QStringLiteral("empty"), {}},
            {QStringLiteral("header only"), bytes.left(16)},
            {QStringLiteral("cut in the middle"), bytes.left(bytes.size() / 2)},
            {QStringLiteral("last byte missing"), bytes.left(bytes.size() - 1)},
            {QStringLiteral("a Markdown file"), rctest::readAll(folder(QStringLiteral("exports/calc.md")))},
        };
        for (const auto& [name, content] : files) {
            rctest::writeAll(bad, content);
            const auto [imported, error] = importThroughTheWindow(b.controller, bad);
            QVERIFY2(imported == 0, qPrintable(name + QStringLiteral(": ") + error));
            QVERIFY2(error.contains(QDir::toNativeSeparators(bad)), qPrintable(name + QStringLiteral(": ") + error));
            QCOMPARE(b.controller.notice(), error);
            QCOMPARE(b.controller.currentConversationId(), shown);
            QCOMPARE(states.entryList(QDir::Files | QDir::Hidden), statesBefore);
            DataFolder data(folder(QStringLiteral("b")));
            QCOMPARE(snapshot(data), before);
        }
        const auto [imported, error] = importThroughTheWindow(b.controller, folder(QStringLiteral("missing.rgchat")));
        QCOMPARE(imported, 0);
        QVERIFY2(error.contains(QLatin1String("Cannot read")), qPrintable(error));
    }

    // Closing the app while an import is being read: the states it wrote go with it, nothing is inserted. (Read
    // from the folder itself: a DataFolder opened on it would sweep orphaned states away and hide them.)
    void closingDuringAnImportLeavesNothing() {
        const QDir states(folder(QStringLiteral("b/states")));
        const auto listing = [&] { return states.entryList(QDir::Files | QDir::Hidden); };
        QStringList before;
        qint64 conversations = 0;
        {
            App b(folder(QStringLiteral("b")), kDemoModel);
            before = listing();
            conversations = b.controller.conversations()->rowCount();
            QVERIFY(b.controller.importChat(QUrl::fromLocalFile(folder(QStringLiteral("exports/calc.rgchat")))));
            QVERIFY(!b.controller.importChat(QUrl::fromLocalFile(folder(QStringLiteral("exports/calc.rgchat")))));
            // Most likely read by now, its state written; whether or not, its result is never taken.
            QThread::msleep(200);
        }
        QCOMPARE(listing(), before);
        App b(folder(QStringLiteral("b")), kDemoModel);
        QCOMPARE(b.controller.conversations()->rowCount(), conversations);
    }
};

QTEST_GUILESS_MAIN(TestChatTransferWindow)
#include "test_chat_transfer_window.moc"
