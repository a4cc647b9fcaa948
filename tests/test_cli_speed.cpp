// test_cli_speed — the speed commands run as a user runs them: `rgemma bench --json` reports every key the issue
// asks for, consistent with each other (the fractions are the ratios of the figures beside them); `rgemma quantize
// --to int8` writes a folder every command loads, whose greedy tokens start like the original's. Timing itself is
// never asserted: only that the figures exist, are positive and agree.
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include "cli_run.h"

using namespace rctest;

namespace {

QString modelDir(const QString& name) { return QStringLiteral(RC_TEST_DATA_DIR "/") + name; }

}  // namespace

class TestCliSpeed : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

  private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void benchJsonHasConsistentFigures() {
        const CliRun run = runCli({"bench", "--model", modelDir("tiny-bf16"), "--threads", "1", "--prompt-tokens", "16",
                                   "--gen-tokens", "4", "--json"},
                                  {}, 120000);
        QVERIFY2(!run.crashed && run.exitCode == 0, run.err.constData());
        QJsonParseError error;
        const QJsonObject report = QJsonDocument::fromJson(run.out, &error).object();
        QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
        for (const char* key : {"prefill_tok_s", "decode_tok_s", "bytes_per_token", "read_gb_s", "decode_bw_fraction",
                                "peak_rss_mb", "load_s", "prefill_peak_fraction", "bf16_dot_gflops"}) {
            QVERIFY2(report.contains(QLatin1String(key)), key);
            QVERIFY2(report[QLatin1String(key)].toDouble() > 0 || QByteArray(key) == "load_s", key);
        }
        QCOMPARE(report["threads"].toInt(), 1);
        QCOMPARE(report["prompt_tokens"].toInt(), 16);
        QCOMPARE(report["gen_tokens"].toInt(), 4);
        const double bound = report["read_gb_s"].toDouble() * 1e9 / report["bytes_per_token"].toDouble();
        QVERIFY(qAbs(report["decode_tok_s"].toDouble() / bound - report["decode_bw_fraction"].toDouble()) <
                2e-3 + 1e-2 * bound);
        if (report.contains("prefill_flops_per_token")) {
            const double peakFraction = report["prefill_tok_s"].toDouble() *
                                        report["prefill_flops_per_token"].toDouble() /
                                        (report["bf16_dot_gflops"].toDouble() * 1e9);
            QVERIFY(qAbs(peakFraction - report["prefill_peak_fraction"].toDouble()) < 2e-3);
        }
    }

    void benchTextReport() {
        const CliRun run = runCli(
            {"bench", "--model", modelDir("tiny-f32"), "--threads", "1", "--prompt-tokens", "8", "--gen-tokens", "2"},
            {}, 120000);
        QVERIFY2(!run.crashed && run.exitCode == 0, run.err.constData());
        QVERIFY2(run.out.contains("decode") && run.out.contains("prefill"), run.out.constData());
    }

    void quantizeWritesALoadableFolder() {
        const QString out = m_dir.filePath(QStringLiteral("tiny-int8"));
        const CliRun run = runCli({"quantize", "--model", modelDir("tiny-f32"), "--to", "int8", "--out", out});
        QVERIFY2(!run.crashed && run.exitCode == 0, run.err.constData());
        QVERIFY(QFile::exists(out + "/config.json"));
        QVERIFY(QFile::exists(out + "/tokenizer.model"));

        const CliRun inspect = runCli({"inspect", "--model", out});
        QCOMPARE(inspect.exitCode, 0);
        QVERIFY2(inspect.out.toLower().contains("int8") || inspect.out.contains("I8"), inspect.out.constData());

        const QStringList greedy{"generate",     "--greedy", "--no-stop", "--print-ids",
                                 "--max-tokens", "10",       "--ids",     "2,17,33,4"};
        const CliRun original = runCli(greedy + QStringList{"--model", modelDir("tiny-f32")});
        const CliRun quantized = runCli(greedy + QStringList{"--model", out});
        QCOMPARE(quantized.exitCode, 0);
        QCOMPARE(parseIdLine(quantized.out).size(), std::size_t{10});
        // The golden tests hold int8 to the same first 10 greedy tokens on every golden case.
        QCOMPARE(parseIdLine(quantized.out), parseIdLine(original.out));

        // A second run into the same folder is refused, and nothing in it is touched.
        const QByteArray config = [&] {
            QFile file(out + "/config.json");
            return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
        }();
        expectRuntimeError(runCli({"quantize", "--model", modelDir("tiny-f32"), "--to", "int8", "--out", out}),
                           "not an empty folder");
        QFile file(out + "/config.json");
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), config);
    }

    void usageErrors_data() {
        QTest::addColumn<QStringList>("args");
        const QString dir = modelDir("tiny-f32");
        QTest::newRow("quantize to int4") << QStringList{"quantize", "--model", dir, "--to", "int4", "--out", "x"};
        QTest::newRow("quantize without --to") << QStringList{"quantize", "--model", dir};
        QTest::newRow("bench negative threads") << QStringList{"bench", "--model", dir, "--threads", "-1"};
        QTest::newRow("bench zero prompt") << QStringList{"bench", "--model", dir, "--prompt-tokens", "0"};
        QTest::newRow("bench words for numbers") << QStringList{"bench", "--model", dir, "--gen-tokens", "many"};
    }
    void usageErrors() {
        QFETCH(QStringList, args);
        expectUsageError(runCli(args));
    }
};

QTEST_GUILESS_MAIN(TestCliSpeed)
#include "test_cli_speed.moc"
