// test_cli_compare — `rgemma compare` run as a user runs it: a checkpoint against itself agrees exactly, an int8 copy
// against its original reports a non-zero error and figures consistent with each other, checkpoints of different
// configs or tokenizers are refused with what differs, and malformed command lines are usage errors. On a text
// (--text): the trained demo model's perplexity equals the one computed here from `rgemma logits`, windows and
// paragraphs cut the text as documented, replies alone are scored with --score replies, and the model's held-out
// sums are predicted almost surely (perplexity near 1), which an off-by-one between positions and tokens would break.
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>
#include <limits>

#include "cli_run.h"
#include "rgemma/tokenizer.h"

using namespace rctest;

namespace {

QString modelDir(const QString& name) { return QStringLiteral(RC_TEST_DATA_DIR "/") + name; }
const QString kDemoModel = QStringLiteral(RC_DEMO_MODEL_DIR);
// 23 held-out conversations of the demo model (tools/demo_model/heldout_text.py --per-kind 6), one paragraph each.
const QString kHeldOutText = QStringLiteral(RC_TEST_DATA_DIR "/demo-heldout-sample.txt");

QByteArray readAll(const QString& path) {
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

bool writeFile(const QString& path, const QByteArray& bytes) {
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}

// The held-out sample's conversations (its paragraphs).
QList<QByteArray> heldOutConversations() {
    QList<QByteArray> conversations;
    for (const QByteArray& part : readAll(kHeldOutText).split('\n')) {
        if (conversations.isEmpty() || part.isEmpty()) conversations.append(QByteArray());
        if (!part.isEmpty()) conversations.last() += (conversations.last().isEmpty() ? "" : "\n") + part;
    }
    conversations.removeAll(QByteArray());
    return conversations;
}

// exp(mean -log softmax(logits[p])[ids[p + 1]]) over positions p in [from, ids.size() - 1), from `rgemma logits
// --all-positions` on `ids`: the perplexity computed apart from compare.
double perplexityFromLogits(const std::vector<rgemma::TokenId>& ids, std::size_t from) {
    const CliRun run =
        runCli({"logits", "--model", kDemoModel, "--ids", joinIds(ids), "--all-positions", "--threads", "1"});
    if (run.crashed || run.exitCode != 0) return NAN;
    const QJsonArray rows = QJsonDocument::fromJson(run.out).array();
    if (rows.size() != static_cast<qsizetype>(ids.size())) return NAN;
    double sum = 0;
    for (std::size_t p = from; p + 1 < ids.size(); ++p) {
        const QJsonArray row = rows[static_cast<qsizetype>(p)].toArray();
        double top = -INFINITY;
        for (const auto& v : row) top = std::max(top, v.toDouble());
        double total = 0;
        for (const auto& v : row) total += std::exp(v.toDouble() - top);
        sum += top + std::log(total) - row[ids[p + 1]].toDouble();
    }
    return std::exp(sum / static_cast<double>(ids.size() - 1 - from));
}

// Runs `rgemma compare ... --json` and parses its one object; fails the test on any error.
QJsonObject compareJson(const QStringList& args) {
    const CliRun run = runCli(QStringList{"compare", "--threads", "1", "--json"} + args, {}, 120000);
    if (run.crashed || run.exitCode != 0) {
        qWarning("rgemma compare failed (%d): %s", run.exitCode, run.err.constData());
        return {};
    }
    QJsonParseError error;
    const QJsonObject report = QJsonDocument::fromJson(run.out, &error).object();
    if (error.error != QJsonParseError::NoError) qWarning("bad JSON: %s", run.out.constData());
    return report;
}

// The figures agree with each other whatever the models: counts are whole, fractions in [0, 1], mean <= max.
void verifyConsistent(const QJsonObject& report, int positions) {
    for (const char* key : {"positions", "top1_matches", "top1_agreement", "max_abs_error", "mean_abs_error", "margin",
                            "confident_positions", "confident_top1_agreement"}) {
        QVERIFY2(report.contains(QLatin1String(key)), key);
    }
    QCOMPARE(report["positions"].toInt(), positions);
    const double agreement = report["top1_agreement"].toDouble();
    QVERIFY(agreement >= 0.0 && agreement <= 1.0);
    const double matches = agreement * positions;
    QVERIFY2(std::fabs(matches - std::round(matches)) < 1e-6, qPrintable(QString::number(matches)));
    QCOMPARE(static_cast<int>(std::round(matches)), report["top1_matches"].toInt());
    QVERIFY(report["confident_positions"].toInt() >= 0 && report["confident_positions"].toInt() <= positions);
    if (report["confident_positions"].toInt() > 0) {
        const double confident = report["confident_top1_agreement"].toDouble();
        QVERIFY(confident >= 0.0 && confident <= 1.0);
    } else {
        QVERIFY(report["confident_top1_agreement"].isNull());
    }
    QVERIFY(report["mean_abs_error"].toDouble() >= 0.0);
    QVERIFY(report["mean_kl_divergence"].toDouble() >= 0.0);
    QVERIFY(report["mean_abs_error"].toDouble() <= report["max_abs_error"].toDouble());
}

}  // namespace

class TestCliCompare : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

  private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void goldenCases_data() {
        QTest::addColumn<QString>("caseName");
        for (const char* name : {"tiny-f32", "tiny-bf16", "2b-shape-bf16"}) QTest::newRow(name) << QString(name);
    }

    // The same weights give the same logits bit for bit: agreement 1, error 0. The defaults: 8 prompts of 64.
    void itselfAgreesExactly_data() { goldenCases_data(); }
    void itselfAgreesExactly() {
        QFETCH(QString, caseName);
        const QJsonObject report = compareJson({"--model", modelDir(caseName), "--reference", modelDir(caseName)});
        verifyConsistent(report, 8 * 64);
        QCOMPARE(report["top1_agreement"].toDouble(), 1.0);
        QCOMPARE(report["max_abs_error"].toDouble(), 0.0);
        QCOMPARE(report["mean_abs_error"].toDouble(), 0.0);
        QCOMPARE(report["mean_kl_divergence"].toDouble(), 0.0);
        QCOMPARE(report["prompts"].toInt(), 8);
        QCOMPARE(report["prompt_tokens"].toInt(), 64);
    }

    // An int8 copy is not its original: the error is reported, not zero, and the figures hold together.
    void int8AgainstItsOriginal_data() { goldenCases_data(); }
    void int8AgainstItsOriginal() {
        QFETCH(QString, caseName);
        const QString out = m_dir.filePath(caseName + "-int8");
        const CliRun quantize = runCli({"quantize", "--model", modelDir(caseName), "--to", "int8", "--out", out});
        QVERIFY2(!quantize.crashed && quantize.exitCode == 0, quantize.err.constData());
        const QStringList args{"--model",   out, "--reference",     modelDir(caseName),
                               "--prompts", "3", "--prompt-tokens", "20",
                               "--seed",    "7"};
        const QJsonObject report = compareJson(args);
        verifyConsistent(report, 3 * 20);
        QVERIFY(report["max_abs_error"].toDouble() > 0.0);
        QVERIFY(report["mean_abs_error"].toDouble() > 0.0);
        QVERIFY(report["mean_kl_divergence"].toDouble() > 0.0);
        QCOMPARE(report["seed"].toInt(), 7);
        qInfo("%s int8 vs original: top-1 %.4f, max |diff| %.4f, mean |diff| %.5f", qPrintable(caseName),
              report["top1_agreement"].toDouble(), report["max_abs_error"].toDouble(),
              report["mean_abs_error"].toDouble());
        // The same seed draws the same prompts: the same figures.
        QCOMPARE(compareJson(args), report);
    }

    // Different dtypes of one config are what compare is for: f32 against its bf16 rounding.
    void dtypesMayDiffer() {
        const QJsonObject report = compareJson({"--model", modelDir("tiny-bf16"), "--reference", modelDir("tiny-f32"),
                                                "--prompts", "2", "--prompt-tokens", "16"});
        verifyConsistent(report, 2 * 16);
        QVERIFY(report["max_abs_error"].toDouble() > 0.0);
    }

    void textReport() {
        const CliRun run = runCli({"compare", "--model", modelDir("tiny-f32"), "--reference", modelDir("tiny-f32"),
                                   "--prompts", "1", "--prompt-tokens", "8", "--threads", "1"});
        QVERIFY2(!run.crashed && run.exitCode == 0, run.err.constData());
        QVERIFY2(run.out.contains("top-1 agreement     1.0000 (8 of 8)"), run.out.constData());
        QVERIFY2(run.out.contains("max |logit diff|"), run.out.constData());
    }

    void differentConfigsAreRefused() {
        const CliRun run =
            runCli({"compare", "--model", modelDir("tiny-f32"), "--reference", modelDir("2b-shape-bf16")});
        expectRuntimeError(run, "have different configs");
        QVERIFY2(run.err.contains("hidden_size 96 vs 160"), run.err.constData());
        QVERIFY(run.out.isEmpty());
    }

    // Same config, another vocabulary: the ids would mean other text, so the logits are not comparable.
    void differentTokenizersAreRefused() {
        const QString random = m_dir.filePath("random-tiny");
        const CliRun made = runCli({"make-random", "--shape", "tiny", "--out", random});
        QVERIFY2(!made.crashed && made.exitCode == 0, made.err.constData());
        const QString copy = m_dir.filePath("tiny-other-tokenizer");
        QVERIFY(QDir().mkpath(copy));
        for (const char* file : {"config.json", "model.safetensors"}) {
            QVERIFY(QFile::copy(modelDir("tiny-f32") + "/" + file, copy + "/" + file));
        }
        QVERIFY(QFile::copy(random + "/tokenizer.model", copy + "/tokenizer.model"));
        expectRuntimeError(runCli({"compare", "--model", copy, "--reference", modelDir("tiny-f32")}),
                           "the tokenizers differ");
    }

    // A NaN would make every figure NaN: the command fails and says where the first one came out.
    void nonFiniteLogitsAreReported() {
        const QString copy = m_dir.filePath("tiny-nan");
        QVERIFY(QDir().mkpath(copy));
        for (const char* file : {"config.json", "model.safetensors", "tokenizer.model"}) {
            QVERIFY(QFile::copy(modelDir("tiny-f32") + "/" + file, copy + "/" + file));
        }
        QFile weights(copy + "/model.safetensors");
        QVERIFY(weights.open(QIODevice::ReadWrite));
        quint64 headerSize = 0;
        QCOMPARE(weights.read(reinterpret_cast<char*>(&headerSize), 8), qint64{8});  // little-endian, as on x86-64
        const QJsonObject header = QJsonDocument::fromJson(weights.read(static_cast<qint64>(headerSize))).object();
        const QJsonObject norm = header["model.final_norm.weight"].toObject();
        QCOMPARE(norm["dtype"].toString(), QStringLiteral("F32"));
        const float nan = std::numeric_limits<float>::quiet_NaN();
        QVERIFY(weights.seek(8 + static_cast<qint64>(headerSize) + norm["data_offsets"].toArray()[0].toInteger()));
        QCOMPARE(weights.write(reinterpret_cast<const char*>(&nan), sizeof nan), qint64{sizeof nan});
        weights.close();
        expectRuntimeError(runCli({"compare", "--model", copy, "--reference", modelDir("tiny-f32")}),
                           "not finite at prompt 0 position 0");
    }

    void missingCheckpointIsARuntimeError() {
        expectRuntimeError(
            runCli({"compare", "--model", modelDir("tiny-f32"), "--reference", m_dir.filePath("no-such-model")}));
    }

    // A bf16 checkpoint against itself with the model's prefill changed: exact gives zero error; bf16-emulated (any
    // CPU) moves the logits a little; the JSON says which ran.
    void prefillAgainstItself() {
        const QString dir = modelDir("tiny-bf16");
        const QStringList common{"--model", dir, "--reference", dir, "--prompts", "2", "--prompt-tokens", "16"};
        const QJsonObject exact = compareJson(common + QStringList{"--prefill", "exact"});
        verifyConsistent(exact, 32);
        QCOMPARE(exact["prefill"].toString(), QStringLiteral("exact"));
        QCOMPARE(exact["max_abs_error"].toDouble(), 0.0);
        const QJsonObject bf16 = compareJson(common + QStringList{"--prefill", "bf16-emulated"});
        verifyConsistent(bf16, 32);
        QCOMPARE(bf16["prefill"].toString(), QStringLiteral("bf16-emulated"));
        QVERIFY(bf16["max_abs_error"].toDouble() > 0.0 && bf16["max_abs_error"].toDouble() < 1.0);
        QVERIFY(bf16["mean_kl_divergence"].toDouble() > 0.0);
    }

    // One conversation against itself: the perplexity is the one computed from the logits, over every token or, with
    // --score replies, over the reply's (the tokens after the prompt's, which are a prefix of the conversation's).
    void textPerplexityMatchesLogits() {
        const QByteArray conversation = heldOutConversations().first();
        const QString path = m_dir.filePath("one-conversation.txt");
        QVERIFY(writeFile(path, conversation));
        auto tokenizer = rgemma::Tokenizer::load((kDemoModel + "/tokenizer.model").toStdString());
        QVERIFY(tokenizer.has_value());
        std::vector<rgemma::TokenId> ids{tokenizer->bos()};
        for (rgemma::TokenId id : tokenizer->encode(conversation.toStdString())) ids.push_back(id);
        const QByteArray prompt = conversation.left(conversation.indexOf("<start_of_turn>model\n") + 21);
        const std::vector<rgemma::TokenId> promptIds = tokenizer->encode(prompt.toStdString());
        QVERIFY(std::equal(promptIds.begin(), promptIds.end(), ids.begin() + 1));

        const QJsonObject all = compareJson({"--model", kDemoModel, "--reference", kDemoModel, "--text", path});
        verifyConsistent(all, static_cast<int>(ids.size() - 1));
        QCOMPARE(all["text_tokens"].toInt(), static_cast<int>(ids.size() - 1));
        QCOMPARE(all["windows"].toInt(), 1);
        QCOMPARE(all["score"].toString(), QStringLiteral("all"));
        QCOMPARE(all["perplexity"].toDouble(), all["reference_perplexity"].toDouble());
        const double expectedAll = perplexityFromLogits(ids, 0);
        QVERIFY2(std::fabs(all["perplexity"].toDouble() / expectedAll - 1) < 1e-5,
                 qPrintable(QString("%1 vs %2").arg(all["perplexity"].toDouble()).arg(expectedAll)));

        const QJsonObject replies =
            compareJson({"--model", kDemoModel, "--reference", kDemoModel, "--text", path, "--score", "replies"});
        verifyConsistent(replies, static_cast<int>(ids.size() - 1 - promptIds.size()));
        const double expectedReplies = perplexityFromLogits(ids, promptIds.size());
        QVERIFY2(std::fabs(replies["perplexity"].toDouble() / expectedReplies - 1) < 1e-5,
                 qPrintable(QString("%1 vs %2").arg(replies["perplexity"].toDouble()).arg(expectedReplies)));
        // A reply is what the model was trained to write: far likelier than the user's words.
        QVERIFY(expectedReplies < expectedAll);
    }

    // Windows cut the whole text; --paragraphs cuts each paragraph apart (one window each when they are shorter).
    void textWindowsAndParagraphs() {
        const int conversations = static_cast<int>(heldOutConversations().size());
        QCOMPARE(conversations, 23);
        const QStringList common{"--model", kDemoModel, "--reference", kDemoModel, "--text", kHeldOutText};
        const QJsonObject whole = compareJson(common + QStringList{"--window", "64"});
        const int tokens = whole["text_tokens"].toInt();
        verifyConsistent(whole, tokens);
        QCOMPARE(whole["windows"].toInt(), (tokens + 63) / 64);
        QCOMPARE(whole["paragraphs"].toBool(), false);
        const QJsonObject paragraphs = compareJson(common + QStringList{"--paragraphs", "--window", "1000"});
        QCOMPARE(paragraphs["windows"].toInt(), conversations);
        QCOMPARE(paragraphs["paragraphs"].toBool(), true);
        // The blank lines between paragraphs are not fed.
        QVERIFY(paragraphs["text_tokens"].toInt() < tokens);
        verifyConsistent(paragraphs, paragraphs["text_tokens"].toInt());
        const QJsonObject first = compareJson(common + QStringList{"--paragraphs", "--max-windows", "2"});
        QCOMPARE(first["windows"].toInt(), 2);
    }

    // The int8 copy of the trained demo model on its held-out conversations, replies scored: close to the original,
    // not equal; the held-out sums are near certain for both (perplexity ~1), the fortunes it never saw are not.
    void int8OnHeldOutText() {
        const QString int8 = m_dir.filePath("demo-int8");
        const CliRun quantize = runCli({"quantize", "--model", kDemoModel, "--to", "int8", "--out", int8});
        QVERIFY2(!quantize.crashed && quantize.exitCode == 0, quantize.err.constData());
        const QStringList args{"--model", int8, "--reference", kDemoModel, "--paragraphs", "--score", "replies"};
        const QJsonObject report = compareJson(args + QStringList{"--text", kHeldOutText});
        verifyConsistent(report, report["positions"].toInt());
        QVERIFY(report["positions"].toInt() > 100 && report["positions"].toInt() < report["text_tokens"].toInt());
        QVERIFY(report["mean_kl_divergence"].toDouble() > 0.0 && report["mean_kl_divergence"].toDouble() < 0.01);
        QVERIFY(report["top1_agreement"].toDouble() > 0.9);
        const double ratio = report["perplexity"].toDouble() / report["reference_perplexity"].toDouble();
        QVERIFY2(ratio != 1.0 && std::fabs(ratio - 1.0) < 0.05, qPrintable(QString::number(ratio)));
        qInfo("int8 vs f32 on held-out replies: perplexity %.4f vs %.4f, KL %.5f, top-1 %.4f",
              report["perplexity"].toDouble(), report["reference_perplexity"].toDouble(),
              report["mean_kl_divergence"].toDouble(), report["top1_agreement"].toDouble());

        QByteArray sums, fortunes;
        for (const QByteArray& conversation : heldOutConversations()) {
            if (conversation.contains(" = ") && conversation.endsWith(".<end_of_turn>")) sums += conversation + "\n\n";
            if (conversation.contains("<start_of_turn>user\nTell me a fortune.")) fortunes += conversation + "\n\n";
        }
        QVERIFY(writeFile(m_dir.filePath("sums.txt"), sums) && writeFile(m_dir.filePath("fortunes.txt"), fortunes));
        const QJsonObject onSums = compareJson(args + QStringList{"--text", m_dir.filePath("sums.txt")});
        QVERIFY2(onSums["reference_perplexity"].toDouble() < 1.1 && onSums["perplexity"].toDouble() < 1.1,
                 qPrintable(QString::number(onSums["reference_perplexity"].toDouble())));
        const QJsonObject onFortunes = compareJson(args + QStringList{"--text", m_dir.filePath("fortunes.txt")});
        QVERIFY(onFortunes["reference_perplexity"].toDouble() > 10.0);
    }

    void textReportPrintsPerplexity() {
        const CliRun run = runCli({"compare", "--model", kDemoModel, "--reference", kDemoModel, "--text", kHeldOutText,
                                   "--paragraphs", "--max-windows", "3", "--threads", "1"});
        QVERIFY2(!run.crashed && run.exitCode == 0, run.err.constData());
        QVERIFY2(run.out.startsWith("3 windows of 128 tokens of "), run.out.constData());
        QVERIFY2(run.out.contains("top-1 agreement     1.0000"), run.out.constData());
        QVERIFY2(run.out.contains("perplexity ") && run.out.contains("+0.00%)"), run.out.constData());
    }

    void badTextsAreRuntimeErrors() {
        const QStringList common{"compare", "--model", kDemoModel, "--reference", kDemoModel, "--text"};
        expectRuntimeError(runCli(common + QStringList{m_dir.filePath("no-such-text.txt")}), "no-such-text.txt");
        const QString empty = m_dir.filePath("empty.txt");
        QVERIFY(writeFile(empty, "\n\n  \n"));
        expectRuntimeError(runCli(common + QStringList{empty, "--paragraphs"}), "the text has no tokens");
        const QString plain = m_dir.filePath("plain.txt");
        QVERIFY(writeFile(plain, "What does capital mean? Nothing here is a model turn.\n"));
        expectRuntimeError(runCli(common + QStringList{plain, "--score", "replies"}), "no model turn");
        // Invalid UTF-8 is text like any other (byte fallback), not an error.
        const QString bytes = m_dir.filePath("bytes.txt");
        QVERIFY(writeFile(bytes, QByteArray("caf\xc3 \xff\xfe ok", 11)));
        QCOMPARE(compareJson({"--model", kDemoModel, "--reference", kDemoModel, "--text", bytes})["top1_agreement"]
                     .toDouble(),
                 1.0);
    }

    void usageErrors_data() {
        QTest::addColumn<QStringList>("args");
        const QString dir = modelDir("tiny-f32");
        QTest::newRow("no reference") << QStringList{"compare", "--model", dir};
        QTest::newRow("empty reference") << QStringList{"compare", "--model", dir, "--reference", ""};
        QTest::newRow("zero prompts") << QStringList{"compare", "--model", dir, "--reference", dir, "--prompts", "0"};
        QTest::newRow("one token") << QStringList{"compare", "--model",         dir, "--reference",
                                                  dir,       "--prompt-tokens", "1"};
        QTest::newRow("seed in words") << QStringList{"compare", "--model", dir, "--reference", dir, "--seed", "abc"};
        QTest::newRow("negative margin") << QStringList{"compare", "--model",  dir, "--reference",
                                                        dir,       "--margin", "-1"};
        QTest::newRow("negative threads")
            << QStringList{"compare", "--model", dir, "--reference", dir, "--threads", "-2"};
        QTest::newRow("unknown option") << QStringList{"compare", "--model", dir, "--reference", dir, "--fast"};
        QTest::newRow("unknown prefill") << QStringList{"compare", "--model",   dir,  "--reference",
                                                        dir,       "--prefill", "bf8"};
        const QStringList text{"compare", "--model", dir, "--reference", dir, "--text", kHeldOutText};
        QTest::newRow("text and prompts") << text + QStringList{"--prompts", "2"};
        QTest::newRow("text and seed") << text + QStringList{"--seed", "2"};
        QTest::newRow("zero window") << text + QStringList{"--window", "0"};
        QTest::newRow("zero windows") << text + QStringList{"--max-windows", "0"};
        QTest::newRow("unknown score") << text + QStringList{"--score", "questions"};
        QTest::newRow("empty text name") << QStringList{"compare", "--model", dir, "--reference", dir, "--text", ""};
        QTest::newRow("window without text")
            << QStringList{"compare", "--model", dir, "--reference", dir, "--window", "8"};
        QTest::newRow("paragraphs without text")
            << QStringList{"compare", "--model", dir, "--reference", dir, "--paragraphs"};
    }
    void usageErrors() {
        QFETCH(QStringList, args);
        expectUsageError(runCli(args));
    }
};

QTEST_GUILESS_MAIN(TestCliCompare)
#include "test_cli_compare.moc"
