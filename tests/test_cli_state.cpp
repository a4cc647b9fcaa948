// test_cli_state — the rgemma commands around state files, run as scripts run them: generate --state-out and
// --state-in continuing bit-for-bit, state inspect on valid, damaged and foreign files, chat --session across
// runs (and a bad session file kept aside), bench resume on a tiny model, make-random producing a usable model.
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include "cli_run.h"
#include "rgemma/model.h"
#include "rgemma/tokenizer.h"

using namespace rctest;

namespace {

const QStringList kModels{"tiny-f32", "tiny-bf16", "2b-shape-bf16"};

QString modelDir(const QString& name) { return QStringLiteral(RC_TEST_DATA_DIR "/") + name; }

}  // namespace

class TestCliState : public QObject {
    Q_OBJECT

  private:
    QTemporaryDir m_dir;
    QString path(const QString& name) const { return m_dir.filePath(name); }

    std::vector<rgemma::TokenId> greedy(const QStringList& args, int maxTokens) {
        const CliRun run = runCli(QStringList{"generate", "--greedy", "--no-stop", "--print-ids", "--max-tokens",
                                              QString::number(maxTokens)} +
                                  args);
        if (run.crashed || run.exitCode != 0) qWarning() << run.err;
        return parseIdLine(run.out);
    }

  private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        QVERIFY(QFile::exists(QStringLiteral(RC_RGEMMA_BIN)));
    }

    // generate 20 with --state-out, then --state-in with the unfed 20th token for 20 more == 40 in one go.
    void continuation_data() {
        QTest::addColumn<QString>("folder");
        QTest::addColumn<QString>("prompt");
        for (const QString& name : kModels) {
            QTest::newRow(qPrintable(name + " short prompt")) << name << "2,17,33";
            QTest::newRow(qPrintable(name + " long prompt"))
                << name << "2,651,12,99,4,8,301,77,12,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20";
        }
    }
    void continuation() {
        QFETCH(QString, folder);
        QFETCH(QString, prompt);
        const QString model = modelDir(folder);
        const QString file = path(folder + "-continuation.rgstate");
        const auto whole = greedy({"--model", model, "--ids", prompt}, 40);
        QCOMPARE(whole.size(), std::size_t{40});
        const auto head = greedy({"--model", model, "--ids", prompt, "--state-out", file}, 20);
        QCOMPARE(head.size(), std::size_t{20});
        const auto tail = greedy({"--model", model, "--state-in", file, "--ids", QString::number(head.back())}, 20);
        std::vector<rgemma::TokenId> joined = head;
        joined.insert(joined.end(), tail.begin(), tail.end());
        QCOMPARE(joined, whole);
    }

    void stateInspect() {
        const QString file = path("inspect.rgstate");
        QCOMPARE(greedy({"--model", modelDir("tiny-f32"), "--ids", "2,3,4", "--state-out", file}, 5).size(),
                 std::size_t{5});

        const CliRun valid = runCli({"state", "inspect", file});
        QCOMPARE(valid.exitCode, 0);
        QVERIFY(valid.err.isEmpty());
        QVERIFY(valid.out.contains("valid        yes"));
        QVERIFY(valid.out.contains("position     7 tokens"));  // 3 prompt + 4 of the 5 generated
        QVERIFY(valid.out.contains("7 of 8 slots"));

        const CliRun matching = runCli({"state", "inspect", file, "--model", modelDir("tiny-f32")});
        QCOMPARE(matching.exitCode, 0);
        QVERIFY(matching.out.contains("matches 'tiny-f32'"));

        const CliRun foreign = runCli({"state", "inspect", file, "--model", modelDir("tiny-bf16")});
        expectRuntimeError(foreign, "another model");
        QVERIFY(foreign.out.contains("does not match 'tiny-bf16'"));

        QFile damaged(file);
        QVERIFY(damaged.open(QIODevice::ReadWrite));
        damaged.seek(damaged.size() / 2);
        const char flipped = static_cast<char>(damaged.peek(1)[0] ^ 1);
        damaged.write(&flipped, 1);
        damaged.close();
        const CliRun corrupt = runCli({"state", "inspect", file});
        expectRuntimeError(corrupt, "checksum mismatch");
        QVERIFY(corrupt.out.contains("valid        no"));
        expectRuntimeError(runCli({"state", "inspect", path("missing.rgstate")}), "No such file");
        expectRuntimeError(runCli({"generate", "--model", modelDir("tiny-f32"), "--state-in", file, "--ids", "5"}),
                           "checksum mismatch");
    }

    // Two runs with --session give what one run of both messages gives, which is what chat without a session
    // prints (replies cut by --max-tokens, so the pending-token bookkeeping is exercised too).
    void chatSession() {
        const QString dir = modelDir("2b-shape-bf16");
        const QString file = path("chat.rgstate");
        const QStringList args{"chat", "--model", dir, "--greedy", "--max-tokens", "6"};
        const CliRun first = runCli(args + QStringList{"--session", file}, "Hello! Can you copy this file?\n");
        QCOMPARE(first.exitCode, 0);
        QVERIFY(first.err.isEmpty());
        QVERIFY(QFile::exists(file));
        const CliRun second = runCli(args + QStringList{"--session", file}, "Thanks, and another one\n");
        QCOMPARE(second.exitCode, 0);
        QVERIFY(second.err.isEmpty());

        const QByteArray both = "Hello! Can you copy this file?\nThanks, and another one\n";
        const CliRun once = runCli(args + QStringList{"--session", path("chat-once.rgstate")}, both);
        QCOMPARE(first.out + second.out, once.out);
        QCOMPARE(runCli(args, both).out, once.out);
        // Both session files hold the same conversation.
        QFile a(file), b(path("chat-once.rgstate"));
        QVERIFY(a.open(QIODevice::ReadOnly) && b.open(QIODevice::ReadOnly));
        QCOMPARE(a.readAll(), b.readAll());
    }

    // A session file that does not load is reported and kept aside, never silently overwritten.
    void chatBadSession() {
        const QString file = path("bad-session.rgstate");
        QFile bad(file);
        QVERIFY(bad.open(QIODevice::WriteOnly));
        bad.write("not a state file");
        bad.close();
        const CliRun run = runCli(
            {"chat", "--model", modelDir("tiny-f32"), "--greedy", "--max-tokens", "3", "--session", file}, "Hello\n");
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(run.err.contains("cannot resume") && run.err.contains(".bad"), run.err.constData());
        QFile kept(file + ".bad");
        QVERIFY(kept.open(QIODevice::ReadOnly));
        QCOMPARE(kept.readAll(), QByteArray("not a state file"));
        const CliRun inspect = runCli({"state", "inspect", file, "--model", modelDir("tiny-f32")});
        QCOMPARE(inspect.exitCode, 0);  // the new conversation was saved in its place
    }

    void benchResumeTiny() {
        const CliRun run = runCli({"bench", "resume", "--model", modelDir("tiny-f32"), "--n", "5,30", "--json"});
        QCOMPARE(run.exitCode, 0);
        const QJsonObject report = QJsonDocument::fromJson(run.out).object();
        const QJsonArray results = report["results"].toArray();
        QCOMPARE(results.size(), 2);
        for (const QJsonValue& row : results) {
            QVERIFY(row["bit_identical"].toBool());
            QVERIFY(row["file_bytes"].toInt() > 0);
        }
        QVERIFY(results[0]["file_bytes"].toInt() < results[1]["file_bytes"].toInt());  // 5 of 8 slots vs 8
    }

    void makeRandomTiny() {
        const QString out = path("random-tiny");
        const CliRun run = runCli({"make-random", "--shape", "tiny", "--dtype", "bf16", "--out", out, "--seed", "5"});
        QCOMPARE(run.exitCode, 0);
        auto model = rgemma::Model::load(out.toStdString());
        QVERIFY2(model.has_value(), model ? "" : model.error().message.c_str());
        QCOMPARE((*model)->config().vocabSize, int64_t{1000});
        QCOMPARE((*model)->info().dtype, rgemma::DType::BF16);

        auto tokenizer = rgemma::Tokenizer::load((out + "/tokenizer.model").toStdString());
        QVERIFY(tokenizer.has_value());
        QCOMPARE(tokenizer->vocabSize(), 1000);
        QCOMPARE(tokenizer->startOfTurn().value_or(-1), 106);
        QCOMPARE(tokenizer->endOfTurn().value_or(-1), 107);
        const std::string text = "hello world, 42 <start_of_turn>user\nnaïve text";
        QCOMPARE(tokenizer->decode(tokenizer->encode(text)), text);
        for (rgemma::TokenId id = 0; id < 1000; ++id) (void)tokenizer->decode(std::vector<rgemma::TokenId>{id});

        const CliRun reply = runCli({"generate", "--model", out, "--prompt", "hello", "--max-tokens", "8"});
        QCOMPARE(reply.exitCode, 0);
        // Same seed, same files; another folder is refused if not empty.
        const CliRun again = runCli({"make-random", "--shape", "tiny", "--dtype", "bf16", "--out", out});
        expectRuntimeError(again, "not empty");
        const QString twin = path("random-tiny-twin");
        QCOMPARE(runCli({"make-random", "--shape", "tiny", "--dtype", "bf16", "--out", twin, "--seed", "5"}).exitCode,
                 0);
        QFile a(out + "/model.safetensors"), b(twin + "/model.safetensors");
        QVERIFY(a.open(QIODevice::ReadOnly) && b.open(QIODevice::ReadOnly));
        QCOMPARE(a.readAll(), b.readAll());
    }

    void usageErrors_data() {
        QTest::addColumn<QStringList>("args");
        const QString dir = modelDir("tiny-f32");
        QTest::newRow("state-in without ids")
            << QStringList{"generate", "--model", dir, "--state-in", "x", "--prompt", "a"};
        QTest::newRow("state alone") << QStringList{"state"};
        QTest::newRow("state inspect without file") << QStringList{"state", "inspect"};
        QTest::newRow("state inspect two files") << QStringList{"state", "inspect", "a", "b"};
        QTest::newRow("make-random bad shape") << QStringList{"make-random", "--shape", "7b", "--out", "x"};
        QTest::newRow("make-random bad dtype")
            << QStringList{"make-random", "--shape", "tiny", "--dtype", "f16", "--out", "x"};
        QTest::newRow("make-random no out") << QStringList{"make-random", "--shape", "tiny"};
        QTest::newRow("bench resume zero n") << QStringList{"bench", "resume", "--model", dir, "--n", "0"};
        QTest::newRow("chat empty session") << QStringList{"chat", "--model", dir, "--session", ""};
    }
    void usageErrors() {
        QFETCH(QStringList, args);
        expectUsageError(runCli(args));
    }

    void help() {
        const CliRun main = runCli({"--help"});
        for (const char* command : {"state inspect", "bench resume", "make-random"}) {
            QVERIFY2(main.out.contains(command), command);
        }
        QVERIFY(runCli({"generate", "--help"}).out.contains("--state-out"));
        QVERIFY(runCli({"chat", "--help"}).out.contains("--session"));
        QCOMPARE(runCli({"state", "inspect", "--help"}).exitCode, 0);
        QCOMPARE(runCli({"help", "bench", "resume"}).exitCode, 0);
        QVERIFY(runCli({"help", "bench", "resume"}).out.contains("--n LIST"));
    }
};

QTEST_GUILESS_MAIN(TestCliState)
#include "test_cli_state.moc"
