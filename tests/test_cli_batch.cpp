// test_cli_batch — `rgemma generate --ids-file / --prompts-file` run as a script runs it: every line generated in one
// batch gives, in the file's order, the reply its line gets alone (golden checkpoints with lines at very different
// lengths, the demo model's chat turns), and bad files are clear errors.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include "cli_run.h"
#include "golden_case.h"

namespace {

using rctest::CliRun;
using rctest::runCli;

QString modelDir(const QString& name) { return QStringLiteral(RC_TEST_DATA_DIR "/") + name; }
const QString kDemo = QStringLiteral(RC_DEMO_MODEL_DIR);

QString idList(const std::vector<int>& ids) {
    QStringList parts;
    for (int id : ids) parts << QString::number(id);
    return parts.join(u',');
}

QString writeFile(const QTemporaryDir& dir, const QString& name, const QByteArray& content) {
    const QString path = dir.filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(content) != content.size())
        qFatal("cannot write %s", qPrintable(path));
    return path;
}

}  // namespace

class TestCliBatch : public QObject {
    Q_OBJECT

  private slots:
    void idsFileEqualsEachLineAlone_data() {
        QTest::addColumn<QString>("caseName");
        for (const QString& name : goldenCaseNames()) QTest::newRow(qPrintable(name)) << name;
    }
    // Lines of 3 tokens, the prompt, and the prompt three times over (past the attention window), greedy, with and
    // without stopping: each output line is that line's `--ids` run.
    void idsFileEqualsEachLineAlone() {
        QFETCH(QString, caseName);
        const GoldenCase golden = loadGoldenCase(caseName);
        std::vector<int> longer;
        for (int i = 0; i < 3; ++i) longer.insert(longer.end(), golden.promptIds.begin(), golden.promptIds.end());
        const QStringList lines{idList({golden.promptIds.begin(), golden.promptIds.begin() + 3}),
                                idList(golden.promptIds), idList(longer)};
        QTemporaryDir dir;
        const QString file = writeFile(dir, "ids.txt", lines.join(u'\n').toUtf8() + "\n");
        const QStringList common{"--model", modelDir(caseName), "--greedy",  "--max-tokens",
                                 "20",      "--print-ids",      "--threads", "2"};
        const CliRun batch = runCli(QStringList{"generate", "--ids-file", file, "--no-stop"} + common);
        QVERIFY2(!batch.crashed && batch.exitCode == 0, batch.err.constData());
        const QList<QByteArray> outputs = batch.out.split('\n');
        QCOMPARE(outputs.size(), lines.size() + 1);  // a newline after each
        for (qsizetype i = 0; i < lines.size(); ++i) {
            const CliRun alone = runCli(QStringList{"generate", "--ids", lines[i], "--no-stop"} + common);
            QVERIFY2(alone.exitCode == 0, alone.err.constData());
            QCOMPARE(outputs[i], alone.out.trimmed());
            QCOMPARE(outputs[i].count(',') + 1, 20);
        }
    }

    // Chat turns on the demo model (which ends its replies with <end_of_turn>): the replies run alone, in order.
    void promptsFileChatTurns() {
        const QStringList prompts{"Hello!", "What is your name?", "Tell me a story about the sea."};
        QTemporaryDir dir;
        const QString file = writeFile(dir, "prompts.txt", prompts.join("\r\n").toUtf8());  // no final newline
        const QStringList common{"--model", kDemo, "--greedy", "--chat", "--max-tokens", "48", "--threads", "2"};
        const CliRun batch = runCli(QStringList{"generate", "--prompts-file", file, "--print-ids"} + common);
        QVERIFY2(!batch.crashed && batch.exitCode == 0, batch.err.constData());
        const QList<QByteArray> ids = batch.out.split('\n');
        QCOMPARE(ids.size(), prompts.size() + 1);
        const CliRun text = runCli(QStringList{"generate", "--prompts-file", file} + common);
        QVERIFY2(text.exitCode == 0, text.err.constData());
        for (qsizetype i = 0; i < prompts.size(); ++i) {
            const CliRun alone = runCli(QStringList{"generate", "--prompt", prompts[i], "--print-ids"} + common);
            QVERIFY2(alone.exitCode == 0, alone.err.constData());
            QCOMPARE(ids[i], alone.out.trimmed());
            const CliRun aloneText = runCli(QStringList{"generate", "--prompt", prompts[i]} + common);
            QVERIFY(text.out.contains(aloneText.out));
        }
    }

    void badFiles_data() {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("expected");
        QTest::newRow("empty file") << QByteArray() << "holds no lines";
        QTest::newRow("empty line") << QByteArray("2,3\n\n4,5\n") << "line 2 is empty";
        QTest::newRow("not ids") << QByteArray("2,3\n2,x\n") << "ids-file line 2";
        QTest::newRow("id outside the vocabulary") << QByteArray("2,3\n2,99999999\n") << "outside the vocabulary";
        QTest::newRow("too many lines") << QByteArray("2\n").repeated(257) << "more than 256 lines";
    }
    void badFiles() {
        QFETCH(QByteArray, content);
        QFETCH(QString, expected);
        QTemporaryDir dir;
        const QString file = writeFile(dir, "ids.txt", content);
        const CliRun run = runCli({"generate", "--model", modelDir("tiny-f32"), "--ids-file", file, "--print-ids"});
        QVERIFY(!run.crashed);
        QVERIFY(run.exitCode != 0);
        QVERIFY2(run.err.contains(expected.toUtf8()), run.err.constData());
        QVERIFY(run.out.isEmpty());
    }

    void usageErrors() {
        QTemporaryDir dir;
        const QString file = writeFile(dir, "ids.txt", "2,3\n");
        const QString model = modelDir("tiny-f32");
        for (const QStringList& args :
             {QStringList{"--ids-file", file, "--ids", "2"}, QStringList{"--ids-file", file, "--prompts-file", file},
              QStringList{"--ids-file", file, "--state-out", dir.filePath("s")},
              QStringList{"--ids-file", file, "--chat"}, QStringList{"--ids-file", ""}}) {
            const CliRun run = runCli(QStringList{"generate", "--model", model} + args);
            QVERIFY(!run.crashed);
            QVERIFY2(run.exitCode == 2, qPrintable(args.join(' ') + ": " + run.err));
        }
        const CliRun missing = runCli({"generate", "--model", model, "--ids-file", dir.filePath("none.txt")});
        rctest::expectRuntimeError(missing, "cannot read");
    }
};

QTEST_GUILESS_MAIN(TestCliBatch)
#include "test_cli_batch.moc"
