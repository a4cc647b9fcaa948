// test_kill_writer — crash safety, by killing for real: kill_writer_helper writes conversations, messages and
// state files the way the app does and is SIGKILLed at random moments, hundreds of times. After each kill the
// database must open, pass PRAGMA integrity_check and hold every message the helper reported committed; every
// state file must load and be the one reported last or the one being written when the kill came.
#include <QDir>
#include <QElapsedTimer>
#include <QHash>
#include <QProcess>
#include <QRandomGenerator>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>

#include "conversation_store.h"
#include "rgemma/model.h"
#include "rgemma/state_file.h"

using namespace rgemma;

namespace {

struct Committed {
    qint64 conversation = 0;
    qint64 length = 0;
};

// Everything the database holds: message id -> (conversation, content length); fails the test if it is damaged.
QHash<qint64, Committed> readDatabase(const QString& path, QString* problem) {
    QHash<qint64, Committed> rows;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("check"));
        db.setDatabaseName(path);
        QSqlQuery q(db);
        if (!db.open() || !q.exec(QStringLiteral("PRAGMA integrity_check")) || !q.next()) {
            *problem = QStringLiteral("cannot check: ") + db.lastError().text();
        } else if (q.value(0).toString() != u"ok") {
            *problem = QStringLiteral("integrity_check: ") + q.value(0).toString();
        } else if (!q.exec(QStringLiteral("SELECT 1 FROM sqlite_master WHERE name = 'messages'")) || !q.next()) {
            // Killed before the first migration committed: no tables yet, so nothing can have been committed.
        } else if (q.exec(QStringLiteral("SELECT id, conversation_id, length(content) FROM messages"))) {
            while (q.next()) rows.insert(q.value(0).toLongLong(), {q.value(1).toLongLong(), q.value(2).toLongLong()});
        } else {
            *problem = q.lastError().text();
        }
    }
    QSqlDatabase::removeDatabase(QStringLiteral("check"));
    return rows;
}

}  // namespace

class TestKillWriter : public QObject {
    Q_OBJECT

  private slots:
    void killedAtRandomMoments() {
        const QString modelDir = QStringLiteral(RC_TEST_DATA_DIR "/tiny-f32");
        auto model = Model::load(modelDir.toStdString());
        QVERIFY(model.has_value());
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString database = dir.filePath(QStringLiteral("conversations.sqlite3"));

        const quint32 seed = QRandomGenerator::global()->generate();
        qInfo("seed %u", seed);
        QRandomGenerator random(seed);
        QHash<qint64, Committed> committed;  // every message any helper reported, across all kills
        int64_t known[3] = {0, 0, 0};        // each state file's position at the last check (0: none yet)
        QElapsedTimer clock;
        clock.start();
        int iterations = 0, beforeReady = 0, statesChanged = 0, killedMidSave = 0;
        while (iterations < 400 && clock.elapsed() < 25000) {
            ++iterations;
            QProcess helper;
            helper.start(QStringLiteral(RC_KILL_WRITER_BIN),
                         {dir.path(), modelDir, QString::number(random.generate())});
            QVERIFY(helper.waitForStarted(5000));
            if (random.bounded(4) == 0) {  // while it opens (or creates, or migrates) the database
                QThread::usleep(random.bounded(30000u));
                ++beforeReady;
            } else {
                QByteArray out;
                while (!out.contains("ready\n") && helper.waitForReadyRead(5000)) out = helper.peek(1 << 20);
                QVERIFY2(out.contains("ready\n"), helper.readAllStandardError().constData());
                QThread::usleep(random.bounded(60000u));
            }
            helper.kill();
            QVERIFY(helper.waitForFinished(5000));
            QVERIFY2(helper.exitStatus() == QProcess::CrashExit, helper.readAllStandardError().constData());

            int64_t reported[3] = {-1, -1, -1};  // the last position this run reported per file
            for (const QByteArray& line : helper.readAllStandardOutput().split('\n')) {
                const QList<QByteArray> f = line.split(' ');
                if (f.size() == 4 && f[0] == "msg")
                    committed.insert(f[1].toLongLong(), {f[2].toLongLong(), f[3].toLongLong()});
                if (f.size() == 3 && f[0] == "state") reported[f[1].mid(1, 1).toInt()] = f[2].toLongLong();
            }

            QString problem;
            const QHash<qint64, Committed> rows = readDatabase(database, &problem);
            if (!problem.isEmpty()) QFAIL(qPrintable(QStringLiteral("kill %1: %2").arg(iterations).arg(problem)));
            for (auto it = committed.cbegin(); it != committed.cend(); ++it) {
                const auto row = rows.constFind(it.key());
                if (row == rows.cend() || row->conversation != it->conversation || row->length != it->length)
                    QFAIL(
                        qPrintable(QStringLiteral("kill %1: committed message %2 lost").arg(iterations).arg(it.key())));
            }
            for (int f = 0; f < 3; ++f) {
                const QString path = dir.filePath(QStringLiteral("states/s%1.rgstate").arg(f));
                if (!QFile::exists(path)) {
                    QCOMPARE(known[f], int64_t{0});
                    QCOMPARE(reported[f], int64_t{-1});
                    continue;
                }
                auto loaded = loadStateFile(path.toStdString(), **model);
                if (!loaded)
                    QFAIL(
                        qPrintable(QStringLiteral("kill %1: %2").arg(iterations).arg(loaded.error().message.c_str())));
                // Position after the helper's step n is n + 1, saved to file n % 3: old or new, nothing else.
                const int64_t old = reported[f] >= 0 ? reported[f] : known[f];
                const int64_t next = reported[f] >= 0 ? reported[f] + 3 : f + 1;
                if (loaded->position != old && loaded->position != next)
                    QFAIL(qPrintable(QStringLiteral("kill %1: s%2 at position %3, expected %4 or %5")
                                         .arg(iterations)
                                         .arg(f)
                                         .arg(loaded->position)
                                         .arg(old)
                                         .arg(next)));
                statesChanged += loaded->position != known[f] ? 1 : 0;
                known[f] = loaded->position;
            }
            // A temporary file left in states/ means the kill landed inside a save, between creation and rename.
            const QDir states(dir.filePath(QStringLiteral("states")));
            const QStringList temporaries = states.entryList({QStringLiteral("*.tmp-*")}, QDir::Files);
            killedMidSave += temporaries.isEmpty() ? 0 : 1;
            for (const QString& name : temporaries) QVERIFY(QFile::remove(states.filePath(name)));
            // The app opens what the kill left, too.
            QString error;
            QVERIFY2(ConversationStore::open(database, QStringLiteral("app"), &error).has_value(), qPrintable(error));
        }
        qInfo(
            "%d kills in %lld ms (%d while opening); %lld messages committed and all kept; state files changed "
            "%d times, %d kills inside a state save",
            iterations, static_cast<long long>(clock.elapsed()), beforeReady, static_cast<long long>(committed.size()),
            statesChanged, killedMidSave);
        QVERIFY(iterations >= 50);  // under a sanitizer the helper starts several times slower
        QVERIFY(committed.size() > 50);
    }
};

QTEST_GUILESS_MAIN(TestKillWriter)
#include "test_kill_writer.moc"
