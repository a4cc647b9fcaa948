// test_storage_failures — the controller when the disk lets it down: a damaged database found at start is kept
// aside (conversations.sqlite3.corrupt-<time>), a new one is started and the user is told; a newer one is left
// alone; a state file that cannot be written, or a database that refuses writes, is reported and the conversation
// stays usable in memory.
#include <QDir>
#include <QFile>
#include <QRandomGenerator>
#include <QSettings>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>
#include <memory>

#include "chat_controller.h"

namespace {

const QString kModel = QStringLiteral(RC_TEST_DATA_DIR "/tiny-f32");

QByteArray readAll(const QString& path) {
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

void writeAll(const QString& path, const QByteArray& bytes) {
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    QCOMPARE(file.write(bytes), bytes.size());
}

// One start of the app's non-GUI half.
struct Run {
    explicit Run(const QString& dataDirectory)
        : settings(dataDirectory + QStringLiteral("/settings.ini"), QSettings::IniFormat),
          controller(dataDirectory, &settings) {
        controller.preferences()->setRandomSeed(false);
        controller.preferences()->setSeed(3);
        controller.preferences()->setMaxNewTokens(8);
    }
    QSettings settings;
    ChatController controller;
};

}  // namespace

class TestStorageFailures : public QObject {
    Q_OBJECT

  private slots:
    void damagedDatabaseIsKeptAsideAndANewOneStarted_data() {
        QTest::addColumn<bool>("garbage");
        QTest::newRow("not a database") << true;
        QTest::newRow("damaged pages") << false;
    }
    void damagedDatabaseIsKeptAsideAndANewOneStarted() {
        QFETCH(bool, garbage);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString database = dir.filePath(QStringLiteral("conversations.sqlite3"));
        if (garbage) {
            QByteArray bytes(64 * 1024, Qt::Uninitialized);
            for (char& byte : bytes) byte = char(QRandomGenerator::global()->bounded(256));
            writeAll(database, bytes);
        } else {
            {
                Run run(dir.path());
                for (int i = 0; i < 200; ++i) {
                    run.controller.setSystemPrompt(QStringLiteral("prompt %1").arg(i));
                    run.controller.newConversation();
                }
                QCOMPARE(run.controller.conversations()->rowCount(), 200);
            }
            QByteArray bytes = readAll(database);
            QVERIFY(bytes.size() > 4 * 4096);
            for (int i = 2 * 4096; i < 4 * 4096; ++i) bytes[i] = char(0xA5);
            writeAll(database, bytes);
        }
        const QByteArray damaged = readAll(database);

        Run run(dir.path());
        QVERIFY2(run.controller.storageError().isEmpty(), qPrintable(run.controller.storageError()));
        QVERIFY2(run.controller.notice().contains(QStringLiteral("kept as")), qPrintable(run.controller.notice()));
        const QStringList aside = QDir(dir.path()).entryList({QStringLiteral("conversations.sqlite3.corrupt-*")});
        QCOMPARE(aside.size(), 1);
        QVERIFY(run.controller.notice().contains(aside.first()));
        QCOMPARE(readAll(dir.filePath(aside.first())), damaged);  // kept byte for byte
        // The new database works.
        QCOMPARE(run.controller.conversations()->rowCount(), 0);
        run.controller.setSystemPrompt(QStringLiteral("fresh start"));
        QCOMPARE(run.controller.conversations()->rowCount(), 1);
    }

    void newerDatabaseIsLeftAlone() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString database = dir.filePath(QStringLiteral("conversations.sqlite3"));
        { Run run(dir.path()); }
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("raw"));
            db.setDatabaseName(database);
            QVERIFY(db.open());
            QSqlQuery q(db);
            QVERIFY(q.exec(QStringLiteral("PRAGMA user_version = 999")));
            db.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("raw"));
        const QByteArray before = readAll(database);
        Run run(dir.path());
        QVERIFY(run.controller.storageError().contains(QStringLiteral("newer version")));
        QCOMPARE(readAll(database), before);
        QVERIFY(QDir(dir.path()).entryList({QStringLiteral("*.corrupt-*")}).isEmpty());
    }

    // The states folder replaced by a file: every state save fails (even as root, unlike a read-only folder).
    void stateThatCannotBeSavedIsReported() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        Run run(dir.path());
        run.controller.loadModel(kModel);
        QTRY_COMPARE_WITH_TIMEOUT(run.controller.modelStatus(), ChatController::ModelStatus::Ready, 30000);
        QVERIFY(QDir(dir.filePath(QStringLiteral("states"))).removeRecursively());
        writeAll(dir.filePath(QStringLiteral("states")), "not a folder");

        QSignalSpy stored(&run.controller, &ChatController::replyStored);
        run.controller.send(QStringLiteral("Hello"));
        QTRY_COMPARE_WITH_TIMEOUT(stored.count(), 1, 30000);
        QVERIFY2(run.controller.notice().contains(QStringLiteral("state could not be saved")),
                 qPrintable(run.controller.notice()));
        QCOMPARE(run.controller.messages()->rowCount(), 2);
        QVERIFY(!run.controller.messages()->contentAt(1).isEmpty());
        // The conversation goes on (from the state in memory, or rebuilt from the transcript).
        run.controller.send(QStringLiteral("And then?"));
        QTRY_COMPARE_WITH_TIMEOUT(stored.count(), 2, 30000);
        QCOMPARE(run.controller.messages()->rowCount(), 4);
    }
    // A state file gone or damaged between two runs of the app: rebuilt from the transcript, and the user is told.
    void lostStateIsRebuiltFromTheTranscript_data() {
        QTest::addColumn<bool>("remove");
        QTest::newRow("missing") << true;
        QTest::newRow("damaged") << false;
    }
    void lostStateIsRebuiltFromTheTranscript() {
        QFETCH(bool, remove);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        qint64 conversation = 0;
        {
            Run run(dir.path());
            run.controller.loadModel(kModel);
            QTRY_COMPARE_WITH_TIMEOUT(run.controller.modelStatus(), ChatController::ModelStatus::Ready, 30000);
            QSignalSpy stored(&run.controller, &ChatController::replyStored);
            run.controller.send(QStringLiteral("Hello"));
            QTRY_COMPARE_WITH_TIMEOUT(stored.count(), 1, 30000);
            conversation = run.controller.currentConversationId();
        }
        const QDir states(dir.filePath(QStringLiteral("states")));
        const QStringList files = states.entryList({QStringLiteral("*.rgstate")}, QDir::Files);
        QCOMPARE(files.size(), 1);
        if (remove) {
            QVERIFY(QFile::remove(states.filePath(files.first())));
        } else {
            QByteArray bytes = readAll(states.filePath(files.first()));
            bytes[bytes.size() / 2] = char(bytes[bytes.size() / 2] ^ 0x5A);
            writeAll(states.filePath(files.first()), bytes);
        }
        Run run(dir.path());
        run.controller.loadModel(kModel);
        QTRY_COMPARE_WITH_TIMEOUT(run.controller.modelStatus(), ChatController::ModelStatus::Ready, 30000);
        run.controller.openConversation(conversation);
        QSignalSpy stored(&run.controller, &ChatController::replyStored);
        run.controller.send(QStringLiteral("Again"));
        QTRY_COMPARE_WITH_TIMEOUT(stored.count(), 1, 30000);
        QVERIFY2(run.controller.notice().contains(QStringLiteral("Rebuilding")), qPrintable(run.controller.notice()));
        QCOMPARE(run.controller.messages()->rowCount(), 4);
    }
};

QTEST_MAIN(TestStorageFailures)
#include "test_storage_failures.moc"
