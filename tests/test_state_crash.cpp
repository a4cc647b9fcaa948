// test_state_crash — a process saving state files is killed (SIGKILL) at random moments, many times: the file
// must always be the previous complete one or a new complete one, loadable, never torn.
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>
#include <set>

#include "rgemma/model.h"
#include "rgemma/state_file.h"

using namespace rgemma;

class TestStateCrash : public QObject {
    Q_OBJECT

  private slots:
    void killedMidSave() {
        const QString modelDir = QStringLiteral(RC_TEST_DATA_DIR "/tiny-f32");
        auto model = Model::load(modelDir.toStdString());
        QVERIFY(model.has_value());
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString file = dir.filePath("conversation.rgstate");

        // The file exists before the first kill: position 3, which the helper never writes.
        Runtime runtime(1);
        State state = (*model)->newState();
        std::vector<float> logits;
        const TokenId prompt[] = {2, 17, 33};
        QVERIFY((*model)->forward(runtime, state, prompt, LogitsMode::None, logits).has_value());
        QVERIFY(saveStateFile(file.toStdString(), state, **model).has_value());
        const std::set<int64_t> possible{3, 1, 5, 12, 22, 35, 51};  // ours, then the helper's (see its source)

        const quint32 seed = QRandomGenerator::global()->generate();
        qInfo("seed %u", seed);
        QRandomGenerator random(seed);
        QElapsedTimer clock;
        clock.start();
        int iterations = 0, killedMidWrite = 0, changed = 0;
        while (iterations < 200 && clock.elapsed() < 20000) {
            ++iterations;
            QFile before(file);
            QVERIFY(before.open(QIODevice::ReadOnly));
            const QByteArray previous = before.readAll();
            before.close();
            QProcess helper;
            helper.start(QStringLiteral(RC_STATE_WRITER_BIN), {modelDir, file});
            QVERIFY(helper.waitForStarted(5000));
            QByteArray out;
            while (!out.contains("ready\n") && helper.waitForReadyRead(5000)) out += helper.readAllStandardOutput();
            QVERIFY2(out.contains("ready\n"), helper.readAllStandardError().constData());
            QThread::usleep(random.bounded(8000u));
            helper.kill();
            QVERIFY(helper.waitForFinished(5000));
            QCOMPARE(helper.exitStatus(), QProcess::CrashExit);

            auto loaded = loadStateFile(file.toStdString(), **model);
            if (!loaded)
                QFAIL(qPrintable(QString("iteration %1: %2").arg(iterations).arg(loaded.error().message.c_str())));
            QVERIFY(possible.count(loaded->position) == 1);
            QFile after(file);
            QVERIFY(after.open(QIODevice::ReadOnly));
            changed += after.readAll() == previous ? 0 : 1;

            // A temporary file left behind means the kill landed between its creation and the rename.
            const QStringList temporaries = QDir(dir.path()).entryList({"conversation.rgstate.tmp-*"}, QDir::Files);
            killedMidWrite += temporaries.isEmpty() ? 0 : 1;
            for (const QString& name : temporaries) QVERIFY(QFile::remove(dir.filePath(name)));
        }
        qInfo("%d kills in %lld ms; %d landed mid-write (a temporary file was left); the file changed in %d",
              iterations, static_cast<long long>(clock.elapsed()), killedMidWrite, changed);
        QVERIFY(iterations >= 50);
        QVERIFY(killedMidWrite > 0);
    }
};

QTEST_GUILESS_MAIN(TestStateCrash)
#include "test_state_crash.moc"
