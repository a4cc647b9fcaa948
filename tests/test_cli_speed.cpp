// test_cli_speed — the speed commands run as a user runs them: `rgemma bench --json` reports every key the issue
// asks for, consistent with each other (the fractions are the ratios of the figures beside them, against the peak
// of the reported path's arithmetic), at the best kernel level and forced down with RGEMMA_ISA; `rgemma quantize
// --to int8` writes a folder every command loads, whose greedy tokens start like the original's. Timing itself is
// never asserted, nor any figure that depends on the CPU model: only that the figures exist, are positive, are null
// exactly where the level has no such arithmetic, and agree.
// The engine's internal headers include oneTBB, which must come before Qt defines its `emit` macro.
#include "kernels/matmul_kernels.h"
#include "layers/weight_plan.h"

// Qt after oneTBB.
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>
#include <optional>

#include "cli_run.h"

using namespace rctest;
using rgemma::Isa;

namespace {

QString modelDir(const QString& name) { return QStringLiteral(RC_TEST_DATA_DIR "/") + name; }

// Sets (or, with an empty value, keeps) RGEMMA_ISA for the processes started while it lives.
class ScopedIsa {
  public:
    explicit ScopedIsa(const QByteArray& value)
        : m_old(qgetenv("RGEMMA_ISA")), m_hadOld(qEnvironmentVariableIsSet("RGEMMA_ISA")) {
        if (!value.isEmpty()) qputenv("RGEMMA_ISA", value);
    }
    ~ScopedIsa() {
        if (m_hadOld) {
            qputenv("RGEMMA_ISA", m_old);
        } else {
            qunsetenv("RGEMMA_ISA");
        }
    }
    ScopedIsa(const ScopedIsa&) = delete;
    ScopedIsa& operator=(const ScopedIsa&) = delete;

  private:
    QByteArray m_old;
    bool m_hadOld;
};

// The level rgemma runs with RGEMMA_ISA = `requested` (empty: as this test was started): the named level where the
// CPU runs it, else the best one (and then a warning).
Isa expectedIsa(const QByteArray& requested) {
    if (requested.isEmpty()) return rgemma::defaultIsa();
    const auto named = rgemma::isaFromName(requested.toStdString());
    if (named && rgemma::isaSupported(*named)) return *named;
    Isa best = Isa::Portable;
    for (Isa isa : {Isa::Avx2, Isa::Avx512, Isa::Avx512Vnni, Isa::Avx512Bf16}) {
        if (rgemma::isaSupported(isa)) best = isa;
    }
    return best;
}

// A positive number, or null where `present` is false; anything else (absent, 0, a string) fails.
void checkPeak(const QJsonObject& report, const char* key, bool present) {
    QVERIFY2(report.contains(QLatin1String(key)), key);
    const QJsonValue value = report[QLatin1String(key)];
    if (present) {
        QVERIFY2(value.isDouble() && value.toDouble() > 0, key);
    } else {
        QVERIFY2(value.isNull(), key);
    }
}

}  // namespace

class TestCliSpeed : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

  private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void benchJsonHasConsistentFigures_data() {
        QTest::addColumn<QByteArray>("requested");
        QTest::newRow("level in force") << QByteArray();
        QTest::newRow("RGEMMA_ISA=avx2") << QByteArray("avx2");
        QTest::newRow("RGEMMA_ISA=portable") << QByteArray("portable");
    }
    void benchJsonHasConsistentFigures() {
        QFETCH(QByteArray, requested);
        const ScopedIsa scoped(requested);
        const CliRun run = runCli({"bench", "--model", modelDir("tiny-bf16"), "--threads", "1", "--prompt-tokens", "16",
                                   "--gen-tokens", "4", "--json"},
                                  {}, 120000);
        QVERIFY2(!run.crashed && run.exitCode == 0, run.err.constData());
        QJsonParseError error;
        const QJsonObject report = QJsonDocument::fromJson(run.out, &error).object();
        QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
        for (const char* key : {"prefill_tok_s", "prefill_exact_tok_s", "decode_tok_s", "bytes_per_token", "read_gb_s",
                                "decode_bw_fraction", "peak_rss_mb", "load_s", "prefill_flops_per_token",
                                "prefill_peak_fraction", "prefill_exact_peak_fraction", "eigen_gemm_gflops"}) {
            QVERIFY2(report.contains(QLatin1String(key)) && report[QLatin1String(key)].isDouble(), key);
            QVERIFY2(report[QLatin1String(key)].toDouble() > 0 || QByteArray(key) == "load_s", key);
        }
        QCOMPARE(report["threads"].toInt(), 1);
        QCOMPARE(report["prompt_tokens"].toInt(), 16);
        QCOMPARE(report["gen_tokens"].toInt(), 4);

        // The level that ran, what was asked for, and a warning exactly when the two differ.
        const QByteArray asked = requested.isEmpty() ? qgetenv("RGEMMA_ISA") : requested;
        const Isa isa = expectedIsa(requested);
        QCOMPARE(report["isa"].toString(), QString::fromLatin1(rgemma::isaName(isa).data()));
        if (asked.isEmpty()) {
            QVERIFY(report["isa_requested"].isNull());
        } else {
            QCOMPARE(report["isa_requested"].toString(), QString::fromLatin1(asked));
        }
        const bool honoured = asked.isEmpty() || rgemma::isaFromName(asked.toStdString()) == std::optional<Isa>(isa);
        QVERIFY2(run.err.contains("warning: RGEMMA_ISA=") != honoured, run.err.constData());

        // The peaks of that level: f32 always, int8 dot products above portable, bf16 only with AVX512_BF16.
        checkPeak(report, "fp32_fma_gflops", true);
        checkPeak(report, "int8_dot_gops", isa != Isa::Portable);
        checkPeak(report, "bf16_dot_gflops", isa == Isa::Avx512Bf16);
        if (QTest::currentTestFailed()) return;
        const QJsonObject instructions = report["peak_instructions"].toObject();
        QVERIFY(!instructions["fp32"].toString().isEmpty());
        QCOMPARE(instructions["int8"].isNull(), report["int8_dot_gops"].isNull());
        QCOMPARE(instructions["bf16"].isNull(), report["bf16_dot_gflops"].isNull());

        // The app's prompt path is the engine's choice at that level for these bf16 weights, and its fraction is
        // taken against the peak of its arithmetic; the exact path's against the f32 peak. JSON carries the figures
        // to 3-4 significant digits or better: 0.1 % covers the rounding, a wrong peak is off by far more.
        const auto path =
            rgemma::prefillArithmetic(rgemma::matmulKernels(isa), rgemma::PrefillPrecision::Fast, rgemma::DType::BF16);
        QCOMPARE(report["prefill_path"].toString(), QString::fromLatin1(rgemma::prefillArithmeticName(path).data()));
        const char* peakKey = path == rgemma::PrefillArithmetic::Bf16   ? "bf16_dot_gflops"
                              : path == rgemma::PrefillArithmetic::Int8 ? "int8_dot_gops"
                                                                        : "fp32_fma_gflops";
        const double flops = report["prefill_flops_per_token"].toDouble();
        const auto checkFraction = [&](const char* tokS, const char* peak, const char* fraction) {
            const double expected =
                report[QLatin1String(tokS)].toDouble() * flops / (report[QLatin1String(peak)].toDouble() * 1e9);
            const double got = report[QLatin1String(fraction)].toDouble();
            QVERIFY2(
                qAbs(got - expected) <= 1e-4 + 1e-3 * expected,
                qPrintable(QString("%1: %2, recomputed %3 from %4").arg(fraction).arg(got).arg(expected).arg(peak)));
        };
        checkFraction("prefill_tok_s", peakKey, "prefill_peak_fraction");
        checkFraction("prefill_exact_tok_s", "fp32_fma_gflops", "prefill_exact_peak_fraction");
        if (path == rgemma::PrefillArithmetic::Exact) {
            QCOMPARE(report["prefill_tok_s"].toDouble(), report["prefill_exact_tok_s"].toDouble());
        }

        const double bound = report["read_gb_s"].toDouble() * 1e9 / report["bytes_per_token"].toDouble();
        QVERIFY(qAbs(report["decode_tok_s"].toDouble() / bound - report["decode_bw_fraction"].toDouble()) <
                2e-3 + 1e-2 * bound);
    }

    // An RGEMMA_ISA that names no level is said on stderr, for any command, which still runs.
    void unknownIsaIsReported() {
        const ScopedIsa scoped("avx3");
        const CliRun run = runCli({"inspect", "--model", modelDir("tiny-f32")});
        QVERIFY2(!run.crashed && run.exitCode == 0, run.err.constData());
        QVERIFY2(run.err.startsWith("warning: RGEMMA_ISA=avx3 is not a kernel level"), run.err.constData());
    }

    void benchTextReport() {
        const CliRun run = runCli(
            {"bench", "--model", modelDir("tiny-f32"), "--threads", "1", "--prompt-tokens", "8", "--gen-tokens", "2"},
            {}, 120000);
        QVERIFY2(!run.crashed && run.exitCode == 0, run.err.constData());
        QVERIFY2(run.out.contains("decode") && run.out.contains("prefill"), run.out.constData());
    }

    // --batch adds one object per size and position, with the keys the issue names and figures that agree with
    // each other (aggregate = size × per sequence; the fractions positive); --positions needs --batch.
    void benchBatchJson() {
        const CliRun run = runCli({"bench", "--model", modelDir("tiny-bf16"), "--threads", "2", "--prompt-tokens", "8",
                                   "--gen-tokens", "3", "--batch", "1,3", "--positions", "8,40", "--json"},
                                  {}, 120000);
        QVERIFY2(!run.crashed && run.exitCode == 0, run.err.constData());
        QJsonParseError error;
        const QJsonObject report = QJsonDocument::fromJson(run.out, &error).object();
        QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
        const QJsonArray batch = report["batch"].toArray();
        QCOMPARE(batch.size(), 4);
        const int sizes[] = {1, 3, 1, 3}, positions[] = {8, 8, 40, 40};
        for (qsizetype i = 0; i < batch.size(); ++i) {
            const QJsonObject figure = batch[i].toObject();
            QCOMPARE(figure["size"].toInt(), sizes[i]);
            QCOMPARE(figure["position"].toInt(), positions[i]);
            for (const char* key : {"decode_tok_s", "per_sequence_tok_s", "step_ms", "bytes_per_step", "flops_per_step",
                                    "bw_fraction", "peak_fraction"}) {
                QVERIFY2(figure[QLatin1String(key)].toDouble() > 0, key);
            }
            QCOMPARE(figure["path"].toString(), QString("exact"));  // up to 8 sequences: the decode matvec
            const double aggregate = figure["decode_tok_s"].toDouble();
            QVERIFY(std::abs(aggregate - sizes[i] * figure["per_sequence_tok_s"].toDouble()) <= 1e-2 * aggregate);
        }
        const CliRun text = runCli({"bench", "--model", modelDir("tiny-f32"), "--threads", "1", "--prompt-tokens", "8",
                                    "--gen-tokens", "2", "--batch", "2"},
                                   {}, 120000);
        QVERIFY2(!text.crashed && text.exitCode == 0, text.err.constData());
        QVERIFY2(text.out.contains("batched decode"), text.out.constData());
        QCOMPARE(runCli({"bench", "--model", modelDir("tiny-f32"), "--positions", "8"}).exitCode, 2);
        QCOMPARE(runCli({"bench", "--model", modelDir("tiny-f32"), "--batch", "0"}).exitCode, 2);
        QCOMPARE(runCli({"bench", "--model", modelDir("tiny-f32"), "--batch", "2", "--positions", "3"}).exitCode, 2);
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

    // --to q4k: the mixed 4-bit copy loads, inspect says so (4-bit matrices, U8 tensors, the same parameter count as
    // the original), and generate and bench run on it (the golden tests hold its logits; on random weights its
    // greedy tokens are not the float model's).
    void quantizeQ4kWritesALoadableFolder() {
        const QString out = m_dir.filePath(QStringLiteral("tiny-q4k"));
        const CliRun run = runCli({"quantize", "--model", modelDir("tiny-f32"), "--to", "q4k", "--out", out});
        QVERIFY2(!run.crashed && run.exitCode == 0, run.err.constData());
        QVERIFY2(run.out.contains("as 4-bit (q4k)"), run.out.constData());
        QVERIFY(QFile::exists(out + "/tokenizer.model"));

        const CliRun inspect = runCli({"inspect", "--model", out});
        QCOMPARE(inspect.exitCode, 0);
        QVERIFY2(inspect.out.contains("matrices 4-bit (Q4K") && inspect.out.contains(" U8 "), inspect.out.constData());
        const CliRun inspectOriginal = runCli({"inspect", "--model", modelDir("tiny-f32")});
        const auto totalLine = [](const QByteArray& text) {
            for (const QByteArray& line : text.split('\n')) {
                if (line.trimmed().startsWith("total")) return line;
            }
            return QByteArray();
        };
        QVERIFY(!totalLine(inspect.out).isEmpty());
        QCOMPARE(totalLine(inspect.out), totalLine(inspectOriginal.out));

        const CliRun generated = runCli({"generate", "--greedy", "--no-stop", "--print-ids", "--max-tokens", "10",
                                         "--ids", "2,17,33,4", "--model", out});
        QCOMPARE(generated.exitCode, 0);
        QCOMPARE(parseIdLine(generated.out).size(), std::size_t{10});
        const CliRun bench = runCli(
            {"bench", "--model", out, "--threads", "1", "--prompt-tokens", "8", "--gen-tokens", "2"}, {}, 120000);
        QVERIFY2(!bench.crashed && bench.exitCode == 0, bench.err.constData());
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
