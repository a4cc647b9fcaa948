// test_cli_compare — `rgemma compare` run as a user runs it: a checkpoint against itself agrees exactly, an int8 copy
// against its original reports a non-zero error and figures consistent with each other, checkpoints of different
// configs or tokenizers are refused with what differs, and malformed command lines are usage errors.
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

using namespace rctest;

namespace {

QString modelDir(const QString& name) { return QStringLiteral(RC_TEST_DATA_DIR "/") + name; }

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
    }
    void usageErrors() {
        QFETCH(QStringList, args);
        expectUsageError(runCli(args));
    }
};

QTEST_GUILESS_MAIN(TestCliCompare)
#include "test_cli_compare.moc"
