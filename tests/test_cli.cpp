// test_cli — runs the rgemma binary as scripts do and checks its output against the golden reference cases
// (logits, greedy ids from ids / text / a chat turn), the chat loop's turn bookkeeping, and its exit statuses.
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>
#include <vector>

#include "cli_run.h"
#include "rgemma/chat_format.h"
#include "rgemma/generate.h"
#include "rgemma/tokenizer.h"

namespace {

using rctest::CliRun;
using rctest::joinIds;
using rctest::runCli;

QString joinIds(const QJsonArray& ids) {
    QStringList parts;
    for (const QJsonValue& id : ids) parts << QString::number(id.toInt());
    return parts.join(u',');
}

// "1,2,3\n" -> [1, 2, 3]; "\n" -> [].
QJsonArray parseIdLine(const QByteArray& out) {
    QJsonArray ids;
    const QByteArray line = out.trimmed();
    if (line.isEmpty()) return ids;
    for (const QByteArray& part : line.split(',')) ids.append(part.toInt());
    return ids;
}

double maxAbsDiff(const QJsonArray& actual, const QJsonArray& expected) {
    if (actual.size() != expected.size()) return INFINITY;
    double worst = 0;
    for (qsizetype i = 0; i < actual.size(); ++i) {
        if (!actual[i].isDouble()) return INFINITY;
        worst = std::max(worst, std::abs(actual[i].toDouble() - expected[i].toDouble()));
    }
    return worst;
}

// The last line on stderr must be the one "error: " line.
}  // namespace

class TestCli : public QObject {
    Q_OBJECT

  private:
    QMap<QString, QJsonObject> m_golden;  // folder name -> golden.json

    QString modelDir(const QString& name) const { return QStringLiteral(RC_TEST_DATA_DIR "/") + name; }

    void addGoldenRows() {
        QTest::addColumn<QString>("folder");
        for (const QString& name : m_golden.keys()) QTest::newRow(qPrintable(name)) << name;
    }

    // Logits JSON for `ids` from a fresh state; `extra` selects --all-positions or threads.
    QJsonArray logits(const QString& folder, const QJsonArray& ids, const QStringList& extra) {
        const CliRun run = runCli(QStringList{"logits", "--model", modelDir(folder), "--ids", joinIds(ids)} + extra);
        if (run.crashed || run.exitCode != 0) qWarning() << run.err;
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(run.out, &error);
        if (error.error != QJsonParseError::NoError) qWarning() << "bad JSON:" << error.errorString();
        return doc.array();
    }

    QJsonArray greedyIds(const QString& folder, const QStringList& input, int maxTokens) {
        const CliRun run =
            runCli(QStringList{"generate", "--model", modelDir(folder)} + input +
                   QStringList{"--greedy", "--print-ids", "--no-stop", "--max-tokens", QString::number(maxTokens)});
        if (run.crashed || run.exitCode != 0) qWarning() << run.err;
        return parseIdLine(run.out);
    }

  private slots:
    void initTestCase() {
        QVERIFY(QFile::exists(QStringLiteral(RC_RGEMMA_BIN)));
        const QDir data(QStringLiteral(RC_TEST_DATA_DIR));
        for (const QString& name : data.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name)) {
            QFile file(data.filePath(name + "/golden.json"));
            if (!file.open(QIODevice::ReadOnly)) continue;
            m_golden.insert(name, QJsonDocument::fromJson(file.readAll()).object());
        }
        QVERIFY(!m_golden.isEmpty());
    }

    void logitsLastPosition_data() { addGoldenRows(); }
    void logitsLastPosition() {
        QFETCH(QString, folder);
        const QJsonObject golden = m_golden[folder];
        const QJsonArray ids = golden["prompt"].toObject()["ids"].toArray();
        const QJsonArray expected = golden["prefill"].toObject()["logits"].toArray();
        const QJsonArray actual = logits(folder, ids, {"--threads", "1"});
        const double diff = maxAbsDiff(actual, expected.last().toArray());
        QVERIFY2(diff <= 1e-3, qPrintable(QString("max |diff| %1").arg(diff)));
    }

    void logitsAllPositions_data() { addGoldenRows(); }
    void logitsAllPositions() {
        QFETCH(QString, folder);
        const QJsonObject golden = m_golden[folder];
        const QJsonArray ids = golden["prompt"].toObject()["ids"].toArray();
        const QJsonArray expected = golden["prefill"].toObject()["logits"].toArray();
        const QJsonArray actual = logits(folder, ids, {"--all-positions"});
        QCOMPARE(actual.size(), ids.size());
        for (qsizetype t = 0; t < ids.size(); ++t) {
            const double diff = maxAbsDiff(actual[t].toArray(), expected[t].toArray());
            QVERIFY2(diff <= 1e-3, qPrintable(QString("position %1: max |diff| %2").arg(t).arg(diff)));
        }
    }

    void greedyFromIds_data() { addGoldenRows(); }
    void greedyFromIds() {
        QFETCH(QString, folder);
        const QJsonObject golden = m_golden[folder];
        const QJsonArray ids = golden["prompt"].toObject()["ids"].toArray();
        QCOMPARE(greedyIds(folder, {"--ids", joinIds(ids)}, 30), golden["greedy"].toObject()["tokens"].toArray());
    }

    // Exact ids in, ids out: a checkpoint folder without tokenizer.model (weights and config only) still works.
    void greedyFromIdsWithoutTokenizer() {
        const QString folder = m_golden.firstKey();
        QTemporaryDir temp;
        QVERIFY(temp.isValid());
        for (const char* name : {"config.json", "model.safetensors"}) {
            QVERIFY(QFile::copy(QDir(modelDir(folder)).filePath(name), temp.filePath(name)));
        }
        const QJsonObject golden = m_golden[folder];
        const QJsonArray ids = golden["prompt"].toObject()["ids"].toArray();
        const CliRun run = runCli({"generate", "--model", temp.path(), "--ids", joinIds(ids), "--greedy", "--print-ids",
                                   "--no-stop", "--max-tokens", "30"});
        QCOMPARE(run.exitCode, 0);
        QCOMPARE(run.out.trimmed(), joinIds(golden["greedy"].toObject()["tokens"].toArray()));
        // Text needs the tokenizer: a clear error.
        expectRuntimeError(runCli({"generate", "--model", temp.path(), "--prompt", "Hi"}));
    }

    // No --model: the built-in demo model (resources/demo-model), as in the app.
    void defaultsToTheDemoModel() {
        const CliRun run = runCli({"inspect"});
        QCOMPARE(run.exitCode, 0);
        QVERIFY(run.out.contains("demo-model"));
    }

    // --prompt adds BOS, so the text gives the same ids as the golden prompt.ids.
    void greedyFromPrompt_data() { addGoldenRows(); }
    void greedyFromPrompt() {
        QFETCH(QString, folder);
        const QJsonObject golden = m_golden[folder];
        const QString text = golden["prompt"].toObject()["text"].toString();
        QCOMPARE(greedyIds(folder, {"--prompt", text}, 30), golden["greedy"].toObject()["tokens"].toArray());
    }

    void greedyChatTurn_data() { addGoldenRows(); }
    void greedyChatTurn() {
        QFETCH(QString, folder);
        const QJsonObject chat = m_golden[folder]["chat"].toObject();
        QCOMPARE(greedyIds(folder, {"--prompt", chat["user_message"].toString(), "--chat"}, 16),
                 chat["greedy_tokens"].toArray());
    }

    // Streaming text and --print-ids describe the same reply; the text ends with one newline.
    void generateStreamsText() {
        const QString folder = m_golden.firstKey();
        const CliRun run = runCli({"generate", "--model", modelDir(folder), "--prompt", "Hello", "--max-tokens", "8",
                                   "--temperature", "0.8", "--seed", "7"});
        QVERIFY(!run.crashed);
        QCOMPARE(run.exitCode, 0);
        QVERIFY(run.out.endsWith('\n'));
        // Same seed, same reply.
        const CliRun again = runCli({"generate", "--model", modelDir(folder), "--prompt", "Hello", "--max-tokens", "8",
                                     "--temperature", "0.8", "--seed", "7"});
        QCOMPARE(again.out, run.out);
    }

    void inspect_data() { addGoldenRows(); }
    void inspect() {
        QFETCH(QString, folder);
        const CliRun run = runCli({"inspect", "--model", modelDir(folder)});
        QVERIFY(!run.crashed);
        QCOMPARE(run.exitCode, 0);
        QVERIFY(run.out.contains("model.embed_tokens.weight"));
        QVERIFY(run.out.contains("non-embedding"));
        QVERIFY(run.out.contains("attention_window_size"));
    }

    // Two user lines: each reply must be what a fresh greedy generate gives for the whole conversation so far,
    // which checks that chat feeds exactly the right tokens between turns (including the pending last token of
    // a reply cut by --max-tokens).
    void chatTwoTurns() {
        const QString folder = m_golden.firstKey();
        const QString dir = modelDir(folder);
        const QString first = "Hello! Can you copy this file?";
        const QString second = "Thanks, and another one";
        const QStringList limits{"--greedy", "--max-tokens", "6"};

        const CliRun chat =
            runCli(QStringList{"chat", "--model", dir} + limits, (first + "\n\n" + second + "\n").toUtf8());
        QVERIFY(!chat.crashed);
        QCOMPARE(chat.exitCode, 0);
        QVERIFY(chat.err.isEmpty());  // not a terminal: no prompts

        auto tokenizer = rgemma::Tokenizer::load((dir + "/tokenizer.model").toStdString());
        QVERIFY(tokenizer.has_value());
        std::vector<rgemma::TokenId> conversation = rgemma::firstTurnTokens(*tokenizer, first.toStdString());
        const QStringList firstInput{"--ids", joinIds(conversation)};
        const CliRun replyIds = runCli(QStringList{"generate", "--model", dir, "--print-ids"} + firstInput + limits);
        const CliRun replyText = runCli(QStringList{"generate", "--model", dir} + firstInput + limits);
        QCOMPARE(replyIds.exitCode, 0);
        QCOMPARE(replyText.exitCode, 0);
        for (const QJsonValue& id : parseIdLine(replyIds.out)) conversation.push_back(id.toInt());
        const std::vector<rgemma::TokenId> next = rgemma::nextTurnTokens(*tokenizer, second.toStdString());
        conversation.insert(conversation.end(), next.begin(), next.end());
        const CliRun secondText =
            runCli(QStringList{"generate", "--model", dir, "--ids", joinIds(conversation)} + limits);
        QCOMPARE(secondText.exitCode, 0);

        QCOMPARE(chat.out, replyText.out + secondText.out);
    }

    // After /reset the same message gets the same reply as a fresh one-turn generate; /quit stops reading.
    void chatCommands() {
        const QString dir = modelDir(m_golden.firstKey());
        const QStringList limits{"--greedy", "--max-tokens", "5"};
        const QByteArray input = "Hello\n/reset\n  Hello  \n/quit\nnever read\n";
        const CliRun run = runCli(QStringList{"chat", "--model", dir} + limits, input);
        QVERIFY(!run.crashed);
        QCOMPARE(run.exitCode, 0);
        const CliRun reply = runCli(QStringList{"generate", "--model", dir, "--prompt", "Hello", "--chat"} + limits);
        QCOMPARE(reply.exitCode, 0);
        QVERIFY(!reply.out.trimmed().isEmpty());
        QCOMPARE(run.out, reply.out + reply.out);
    }

    void chatEmptyInput() {
        const CliRun run = runCli({"chat", "--model", modelDir(m_golden.firstKey())});
        QVERIFY(!run.crashed);
        QCOMPARE(run.exitCode, 0);
        QVERIFY(run.out.isEmpty());
    }

    void versionAndHelp() {
        const CliRun version = runCli({"--version"});
        QCOMPARE(version.exitCode, 0);
        QVERIFY(version.out.startsWith("rgemma "));

        const CliRun help = runCli({"--help"});
        QCOMPARE(help.exitCode, 0);
        for (const char* command : {"inspect", "logits", "generate", "chat"}) QVERIFY(help.out.contains(command));

        const CliRun generateHelp = runCli({"generate", "--help"});
        QCOMPARE(generateHelp.exitCode, 0);
        for (const char* option : {"--model", "--ids", "--prompt", "--chat", "--max-tokens", "--greedy",
                                   "--temperature", "--top-k", "--top-p", "--min-p", "--repeat-penalty",
                                   "--repeat-window", "--seed", "--print-ids", "--no-stop", "--threads"}) {
            QVERIFY2(generateHelp.out.contains(option), option);
        }
        // The default reply length is the engine's (GenerateOptions), not a number of the CLI's own.
        const QByteArray maxTokens = "(default " + QByteArray::number(rgemma::GenerateOptions{}.maxNewTokens) + ")";
        QVERIFY2(generateHelp.out.contains("stop after N generated tokens " + maxTokens), generateHelp.out.constData());
        const CliRun logitsHelp = runCli({"logits", "--help"});
        QCOMPARE(logitsHelp.exitCode, 0);
        QVERIFY(logitsHelp.out.contains("--all-positions"));
        QCOMPARE(runCli({"chat", "--help"}).exitCode, 0);
        QCOMPARE(runCli({"inspect", "--help"}).exitCode, 0);
    }

    void usageErrors_data() {
        QTest::addColumn<QStringList>("args");
        const QString dir = modelDir(m_golden.firstKey());
        QTest::newRow("no command") << QStringList{};
        QTest::newRow("unknown command") << QStringList{"frobnicate"};
        QTest::newRow("unknown option") << QStringList{"logits", "--model", dir, "--ids", "2", "--bogus"};
        QTest::newRow("missing --ids") << QStringList{"logits", "--model", dir};
        QTest::newRow("missing value") << QStringList{"logits", "--model", dir, "--ids"};
        QTest::newRow("positional") << QStringList{"inspect", dir};
        QTest::newRow("empty item") << QStringList{"logits", "--model", dir, "--ids", "2,,3"};
        QTest::newRow("not a number") << QStringList{"logits", "--model", dir, "--ids", "x"};
        QTest::newRow("trailing comma") << QStringList{"logits", "--model", dir, "--ids", "2,"};
        QTest::newRow("beyond int32") << QStringList{"logits", "--model", dir, "--ids", "2,99999999999"};
        QTest::newRow("bad threads") << QStringList{"logits", "--model", dir, "--ids", "2", "--threads", "-1"};
        QTest::newRow("ids and prompt") << QStringList{"generate", "--model", dir, "--ids", "2", "--prompt", "x"};
        QTest::newRow("no input") << QStringList{"generate", "--model", dir};
        QTest::newRow("chat with ids") << QStringList{"generate", "--model", dir, "--ids", "2", "--chat"};
        QTest::newRow("zero max tokens") << QStringList{"generate", "--model",      dir, "--prompt",
                                                        "a",        "--max-tokens", "0"};
        QTest::newRow("zero temperature")
            << QStringList{"generate", "--model", dir, "--prompt", "a", "--temperature", "0"};
        QTest::newRow("nan top-p") << QStringList{"generate", "--model", dir, "--prompt", "a", "--top-p", "nan"};
        QTest::newRow("flag with value") << QStringList{"generate", "--model", dir, "--prompt", "a", "--greedy=1"};
        QTest::newRow("twice") << QStringList{"generate", "--model", dir, "--prompt", "a", "--prompt", "b"};
        QTest::newRow("chat bad seed") << QStringList{"chat", "--model", dir, "--seed", "-3"};
    }
    void usageErrors() {
        QFETCH(QStringList, args);
        expectUsageError(runCli(args));
    }

    void runtimeErrors_data() {
        QTest::addColumn<QStringList>("args");
        const QString dir = modelDir(m_golden.firstKey());
        const QString missing = QStringLiteral(RC_TEST_DATA_DIR "/no-such-model");
        QTest::newRow("missing dir logits") << QStringList{"logits", "--model", missing, "--ids", "2"};
        QTest::newRow("missing dir inspect") << QStringList{"inspect", "--model", missing};
        QTest::newRow("missing dir generate") << QStringList{"generate", "--model", missing, "--prompt", "a"};
        QTest::newRow("missing dir chat") << QStringList{"chat", "--model", missing};
        QTest::newRow("id >= vocab") << QStringList{"logits", "--model", dir, "--ids", "2,1000"};
        QTest::newRow("negative id") << QStringList{"logits", "--model", dir, "--ids", "-1"};
        QTest::newRow("generate id >= vocab")
            << QStringList{"generate", "--model", dir, "--ids", "2,5000", "--greedy", "--print-ids"};
    }
    void runtimeErrors() {
        QFETCH(QStringList, args);
        const CliRun run = runCli(args);
        expectRuntimeError(run);
        QVERIFY(run.out.isEmpty());
    }

    // A folder whose weights file is cut short, or absent, is an error, never a crash.
    void brokenCheckpoint() {
        QTemporaryDir temp;
        QVERIFY(temp.isValid());
        const QDir source(modelDir(m_golden.firstKey()));
        for (const char* name : {"config.json", "tokenizer.model"}) {
            QVERIFY(QFile::copy(source.filePath(name), temp.filePath(name)));
        }
        expectRuntimeError(runCli({"inspect", "--model", temp.path()}));

        QFile weights(source.filePath("model.safetensors"));
        QVERIFY(weights.open(QIODevice::ReadOnly));
        QFile truncated(temp.filePath("model.safetensors"));
        QVERIFY(truncated.open(QIODevice::WriteOnly));
        truncated.write(weights.read(weights.size() / 2));
        truncated.close();
        expectRuntimeError(runCli({"inspect", "--model", temp.path()}));
        expectRuntimeError(runCli({"logits", "--model", temp.path(), "--ids", "2"}));
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "test_cli.moc"
