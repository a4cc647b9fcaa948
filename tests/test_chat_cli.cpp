// test_chat_cli.cpp — recurrent-chat's chat commands (--list-chats, --export-chat, --export-all, --import) on a real
// data folder: run by the command itself when no window is running, and by the running window (the real binary,
// offscreen) through its single-instance socket when one is; exit 0, or 1 with an "error:" line.
#include <QLocalSocket>
#include <QProcess>
#include <QtTest>

#include "chat_transfer.h"
#include "data_folder.h"
#include "file_bytes.h"
#include "single_instance.h"

namespace {

struct Run {
    int exitCode = -1;
    QString out;
    QString err;
};

}  // namespace

class TestChatCli : public QObject {
    Q_OBJECT

    QTemporaryDir m_home;  // XDG folders and the runtime folder (mode 0700)
    QString m_data;        // the app's data folder in it
    qint64 m_first = 0;
    qint64 m_second = 0;

    QProcessEnvironment environment() const {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), m_home.filePath(QStringLiteral("config")));
        env.insert(QStringLiteral("XDG_DATA_HOME"), m_home.filePath(QStringLiteral("data")));
        env.insert(QStringLiteral("XDG_RUNTIME_DIR"), m_home.path());
        env.insert(QStringLiteral("LC_ALL"), QStringLiteral("C"));
        env.remove(QStringLiteral("LANGUAGE"));
        return env;
    }

    Run app(const QStringList& args) const {
        QProcess process;
        process.setProcessEnvironment(environment());
        process.setWorkingDirectory(m_home.path());  // relative paths are the caller's
        process.start(QStringLiteral(RC_APP_BIN), args);
        Run result;
        if (!process.waitForFinished(120000)) {
            process.kill();
            process.waitForFinished();
            result.err = QStringLiteral("timed out");
            return result;
        }
        result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
        result.out = QString::fromUtf8(process.readAllStandardOutput());
        result.err = QString::fromUtf8(process.readAllStandardError());
        return result;
    }

    int chatCount() const {
        DataFolder data(m_data);
        return data.store()->conversationCount({});
    }

    // What every run must show: done (exit 0, no error) or failed (exit 1, one "error:" line).
    static void expectFailure(const Run& run) {
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.startsWith(QLatin1String("error: ")), qPrintable(run.err));
    }

  private slots:
    void initTestCase() {
        QVERIFY(m_home.isValid());
        qputenv("XDG_RUNTIME_DIR", m_home.path().toUtf8());
        m_data = m_home.filePath(QStringLiteral("data/recurrent-chat"));
        DataFolder data(m_data);
        ConversationStore& store = *data.store();
        m_first = store.createConversation(QStringLiteral("Sums"));
        const qint64 q = store.addMessage(m_first, 0, MessageRole::User, QStringLiteral("2+3?"), {2, 7, 9});
        store.addMessage(m_first, q, MessageRole::Model, QStringLiteral("5"), {11});
        m_second = store.createConversation(QStringLiteral("Définitions"));
        store.addMessage(m_second, 0, MessageRole::User, QStringLiteral("Define cat."), {2, 8});
        rctest::writeAll(m_home.filePath(QStringLiteral("garbage.rgchat")), QByteArray("RGCHAT\0\0 not really", 20));
    }

    void headlessCommands() {
        const Run list = app({QStringLiteral("--list-chats")});
        QCOMPARE(list.exitCode, 0);
        const QStringList lines = list.out.split(u'\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 2);
        QVERIFY2(lines.at(0).startsWith(QString::number(m_second) + u'\t'), qPrintable(list.out));  // newest first
        QVERIFY(lines.at(0).endsWith(QStringLiteral("\tDéfinitions")));
        QVERIFY(lines.at(1).endsWith(QStringLiteral("\tSums")));

        const Run md = app({QStringLiteral("--export-chat"), QString::number(m_first), QStringLiteral("--format"),
                            QStringLiteral("md"), QStringLiteral("--out"), QStringLiteral("sums.md")});
        QCOMPARE(md.exitCode, 0);
        {
            DataFolder data(m_data);
            QCOMPARE(QString::fromUtf8(rctest::readAll(m_home.filePath(QStringLiteral("sums.md")))),
                     ChatTransfer::markdown(QStringLiteral("Sums"), data.store()->currentPath(m_first)));
        }

        const Run all = app({QStringLiteral("--export-all"), QStringLiteral("--format"), QStringLiteral("json"),
                             QStringLiteral("--out"), QStringLiteral("all")});
        QCOMPARE(all.exitCode, 0);
        QCOMPARE(QDir(m_home.filePath(QStringLiteral("all"))).entryList(QDir::Files).size(), 2);
        QVERIFY(QFile::exists(m_home.filePath(QStringLiteral("all/chat-%1.json").arg(m_second))));

        const Run rgchat = app({QStringLiteral("--export-chat"), QString::number(m_first), QStringLiteral("--out"),
                                QStringLiteral("sums.rgchat")});
        QCOMPARE(rgchat.exitCode, 0);
        const Run import = app({QStringLiteral("--import"), QStringLiteral("sums.rgchat")});
        QCOMPARE(import.exitCode, 0);
        QVERIFY2(import.out.contains(QStringLiteral("Imported “Sums” as chat")), qPrintable(import.out));
        QVERIFY2(import.out.contains(QLatin1String("(2 messages)")), qPrintable(import.out));  // English plural
        QCOMPARE(chatCount(), 3);

        expectFailure(app({QStringLiteral("--import"), QStringLiteral("garbage.rgchat")}));
        expectFailure(app({QStringLiteral("--import"), QStringLiteral("missing.rgchat")}));
        expectFailure(app({QStringLiteral("--export-chat"), QStringLiteral("9999"), QStringLiteral("--out"),
                           QStringLiteral("x.md")}));
        expectFailure(app({QStringLiteral("--export-chat"), QString::number(m_first), QStringLiteral("--format"),
                           QStringLiteral("pdf"), QStringLiteral("--out"), QStringLiteral("x.pdf")}));
        expectFailure(app({QStringLiteral("--export-all")}));
        QCOMPARE(chatCount(), 3);
    }

    // With the window running, the commands go through its socket: the command cannot take the data folder's lock,
    // and the window is the one writer of the database.
    void commandsThroughTheRunningWindow() {
        QProcess window;
        window.setProcessEnvironment(environment());
        window.start(QStringLiteral(RC_APP_BIN),
                     {QStringLiteral("--model"), QStringLiteral(RC_TEST_DATA_DIR "/tiny-f32"),
                      QStringLiteral("--quit-after-ms"), QStringLiteral("120000")});
        QVERIFY(window.waitForStarted(10000));
        const QString socketPath = SingleInstance(m_data).socketPath();
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                QLocalSocket probe;
                probe.connectToServer(socketPath);
                return probe.waitForConnected(200);
            }(),
            60000);

        const Run list = app({QStringLiteral("--list-chats")});
        QCOMPARE(list.exitCode, 0);
        QCOMPARE(list.out.split(u'\n', Qt::SkipEmptyParts).size(), 3);
        const Run import = app({QStringLiteral("--import"), QStringLiteral("sums.rgchat")});
        QCOMPARE(import.exitCode, 0);
        QVERIFY2(import.out.contains(QStringLiteral("Imported “Sums” as chat")), qPrintable(import.out));
        expectFailure(app({QStringLiteral("--import"), QStringLiteral("garbage.rgchat")}));
        const Run md = app({QStringLiteral("--export-chat"), QString::number(m_second), QStringLiteral("--format"),
                            QStringLiteral("md"), QStringLiteral("--out"), QStringLiteral("running.md")});
        QCOMPARE(md.exitCode, 0);
        QVERIFY(QString::fromUtf8(rctest::readAll(m_home.filePath(QStringLiteral("running.md"))))
                    .contains(QLatin1String("Define cat.")));
        const Run listed = app({QStringLiteral("--list-chats")});
        QCOMPARE(listed.out.split(u'\n', Qt::SkipEmptyParts).size(), 4);
        QCOMPARE(window.state(), QProcess::Running);  // the window did the work and goes on

        window.terminate();
        QVERIFY(window.waitForFinished(30000));
        QCOMPARE(chatCount(), 4);  // committed by the window
    }
};

QTEST_GUILESS_MAIN(TestChatCli)
#include "test_chat_cli.moc"
