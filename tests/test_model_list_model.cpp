// test_model_list_model — the Models page's list (ModelListModel) without QML, on real files and a fake Hub on
// loopback: a checkpoint huggingface-cli left in the cache is found with its size, dtype and state size; a download
// that was under way when the app quit goes on at the next start with a Range request; an int8 and a 4-bit copy are
// made on their thread with progress into the app's data folder (never into the cache), load, and answer like the
// original within their format's tolerance; the copy can be deleted, and nothing outside the copies' folder can.
#include "rgemma/chat_format.h"
#include "rgemma/generate.h"
#include "rgemma/model.h"
#include "rgemma/runtime.h"
#include "rgemma/sampler.h"
#include "rgemma/tokenizer.h"

// Qt after the engine.
#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QtTest>
#include <cmath>

#include "hub_test_support.h"
#include "model_list_model.h"
#include "preferences.h"

using namespace rctest;

namespace {

// One start of the app's model list, with its settings file.
struct ListRun {
    ListRun(const QString& home, const FakeHub* hub)
        : settings(home + QStringLiteral("/config/settings.ini"), QSettings::IniFormat),
          preferences(&settings),
          models((settings.setValue(QStringLiteral("hub/useKeyring"), false), home + QStringLiteral("/data")),
                 &settings, &preferences) {
        models.setHubLocation(hub ? hub->endpoint() : QUrl(), home + QStringLiteral("/cache"));
        models.setDownloadPatience(3000, 2, 10);
    }
    QSettings settings;
    Preferences preferences;
    ModelListModel models;
    QAbstractItemModelTester tester{&models, QAbstractItemModelTester::FailureReportingMode::QtTest};
};

int rowNamed(const ModelListModel& models, const QString& name) {
    for (int row = 0; row < models.rowCount(); ++row) {
        if (models.index(row).data(ModelListModel::NameRole).toString() == name) return row;
    }
    return -1;
}

QVariant dataOf(const ModelListModel& models, const QString& name, int role) {
    return models.index(rowNamed(models, name)).data(role);
}

bool refreshed(ModelListModel& models) {
    QSignalSpy spy(&models, &ModelListModel::refreshed);
    models.refresh();
    return spy.wait(20000);
}

// The logits of the last position after `text` as a first user turn.
std::vector<float> lastLogits(const QString& dir, const std::string& text) {
    auto model = rgemma::Model::load(QFile::encodeName(dir).toStdString());
    auto tokenizer = rgemma::Tokenizer::load(QFile::encodeName(dir + "/tokenizer.model").toStdString());
    if (!model || !tokenizer) return {};
    rgemma::Runtime runtime(1);
    rgemma::State state = (*model)->newState();
    const std::vector<rgemma::TokenId> tokens = rgemma::firstTurnTokens(*tokenizer, text);
    std::vector<float> logits;
    if (!(*model)->forward(runtime, state, tokens, rgemma::LogitsMode::Last, logits)) return {};
    return logits;
}

// The JSON header of a safetensors file (its 8-byte little-endian length, then the text), or "" when unreadable.
QByteArray safetensorsHeader(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) return {};
    const QByteArray size = file.read(8);
    if (size.size() != 8) return {};
    quint64 length = 0;
    for (int i = 7; i >= 0; --i) length = length << 8 | static_cast<uint8_t>(size[i]);
    return length < (1u << 24) ? file.read(static_cast<qint64>(length)) : QByteArray();
}

// The greedy reply of the model in `dir` to `message` as a first user turn, up to its end of turn.
std::string greedyReply(const QString& dir, const std::string& message) {
    auto model = rgemma::Model::load(QFile::encodeName(dir).toStdString());
    auto tokenizer = rgemma::Tokenizer::load(QFile::encodeName(dir + "/tokenizer.model").toStdString());
    if (!model || !tokenizer) return "<does not load>";
    rgemma::Runtime runtime(1);
    rgemma::State state = (*model)->newState();
    rgemma::SamplerSettings settings;
    settings.greedy = true;
    rgemma::Sampler sampler(settings);
    rgemma::GenerateOptions options;
    options.maxNewTokens = 32;
    options.stopTokens = rgemma::defaultStopTokens(*tokenizer);
    auto result =
        rgemma::generate(**model, runtime, state, rgemma::firstTurnTokens(*tokenizer, message), sampler, options);
    if (!result || result->stop != rgemma::StopReason::EndOfTurn) return "<no end of turn>";
    std::vector<rgemma::TokenId> tokens = result->tokens;
    tokens.pop_back();
    return tokenizer->decode(tokens);
}

}  // namespace

class TestModelListModel : public QObject {
    Q_OBJECT

    QTemporaryDir m_home;

  private slots:
    void initTestCase() {
        QVERIFY(m_home.isValid());
        isolateEnvironment(m_home.filePath("hf-home"));
    }

    // Another tool's download of a catalog model fills its row; a model outside the catalog gets a row of its own.
    void findsWhatHuggingfaceCliDownloaded() {
        QTemporaryDir home;
        const QMap<QString, QByteArray> files = demoModelFiles();
        const QString snapshot = makeHfCache(home.filePath("cache"), QStringLiteral("google/recurrentgemma-2b-it"),
                                             kDemoCommit, files, {QStringLiteral("model.safetensors")});
        QVERIFY(!snapshot.isEmpty());
        QVERIFY(!makeHfCache(home.filePath("cache"), QStringLiteral("someone/tiny-griffin"), kDemoCommit, files, {})
                     .isEmpty());
        ListRun run(home.path(), nullptr);
        QSignalSpy spy(&run.models, &ModelListModel::refreshed);
        QMetaObject::invokeMethod(&run.models, [&run] { run.models.resumeDownloads(); });  // the scan, no network
        QVERIFY(spy.wait(20000));
        const QString name = QStringLiteral("recurrentgemma-2b-it");
        QCOMPARE(dataOf(run.models, name, ModelListModel::StatusRole).toInt(), int(ModelListModel::Status::Ready));
        QCOMPARE(dataOf(run.models, name, ModelListModel::FolderRole).toString(), snapshot);
        const QString details = dataOf(run.models, name, ModelListModel::DetailsRole).toString();
        QVERIFY2(details.contains(QStringLiteral("MB")) && details.contains(QStringLiteral("state")),
                 qPrintable(details));
        QVERIFY(rowNamed(run.models, QStringLiteral("someone/tiny-griffin")) >= 0);
        QCOMPARE(dataOf(run.models, QStringLiteral("someone/tiny-griffin"), ModelListModel::SourceRole).toString(),
                 QStringLiteral("cache"));
        QCOMPARE(rowNamed(run.models, QStringLiteral("recurrentgemma-9b")), 3);  // the catalog, not downloaded
    }

    // Quitting mid-download keeps the partial file; the next start goes on from there (the server sees a Range).
    void resumesADownloadAfterARestart() {
        QTemporaryDir home;
        FakeHub hub;
        FakeRepo repo = demoRepo();
        repo.gated = false;
        hub.addRepo(QStringLiteral("google/recurrentgemma-2b"), repo);
        hub.setFault(QStringLiteral("model.safetensors"), Fault::Slow);
        const QString name = QStringLiteral("recurrentgemma-2b");
        {
            ListRun run(home.path(), &hub);
            QVERIFY(refreshed(run.models));
            run.models.download(rowNamed(run.models, name));
            QTRY_VERIFY_WITH_TIMEOUT(dataOf(run.models, name, ModelListModel::ProgressRole).toDouble() > 0.1, 20000);
        }  // the app quits
        hub.setFault(QStringLiteral("model.safetensors"), Fault::None);
        hub.clearRequests();
        ListRun run(home.path(), &hub);
        QSignalSpy spy(&run.models, &ModelListModel::refreshed);
        run.models.resumeDownloads();
        QVERIFY(spy.wait(20000));
        QTRY_COMPARE_WITH_TIMEOUT(dataOf(run.models, name, ModelListModel::StatusRole).toInt(),
                                  int(ModelListModel::Status::Ready), 30000);
        QTRY_VERIFY(!dataOf(run.models, name, ModelListModel::FolderRole).toString().isEmpty());
        bool ranged = false;
        for (const SeenRequest& request : storageRequests(hub)) ranged |= request.headers.contains("range");
        QVERIFY(ranged);
        QVERIFY(run.settings.value(QStringLiteral("models/activeDownloads")).toStringList().isEmpty());
    }

    // Each format the Models page offers, on the demo model (opened before, so listed as a folder): progress, a
    // folder in the app's data folder that loads and answers like the original (int8: logits within its error;
    // 4-bit: the file is Q4K and gives the sum test_quantize_q4 records), and deleting it.
    void makesAndDeletesACopy_data() {
        QTest::addColumn<QString>("format");
        QTest::addColumn<double>("maxRelativeError");  // of the last logits, against the original's
        QTest::newRow("int8") << QStringLiteral("int8") << 0.05;
        QTest::newRow("q4k") << QStringLiteral("q4k") << 0.15;  // measured 0.079
    }
    void makesAndDeletesACopy() {
        QFETCH(QString, format);
        QFETCH(double, maxRelativeError);
        QTemporaryDir home;
        ListRun run(home.path(), nullptr);
        run.preferences.setModelDirectory(QStringLiteral(RC_DEMO_MODEL_DIR));
        QVERIFY(refreshed(run.models));
        const int source = rowNamed(run.models, QStringLiteral("demo-model"));
        QVERIFY(source >= 0);
        QCOMPARE(run.models.index(source).data(ModelListModel::SourceRole).toString(), QStringLiteral("folder"));
        QStringList offered, hints;
        for (const QVariant& item : run.models.quantizeFormatList()) {
            offered << item.toMap().value("id").toString();
            hints << item.toMap().value("hint").toString();
        }
        QCOMPARE(offered, (QStringList{QStringLiteral("int8"), QStringLiteral("q4k")}));
        QVERIFY2(hints[1].contains(QStringLiteral("4-bit")) && hints[1].contains(QStringLiteral("lower quality")),
                 qPrintable(hints[1]));
        QList<double> fractions;  // what the source row showed while the copy was made
        connect(&run.models, &QAbstractItemModel::dataChanged, this, [&run, &fractions, source](const QModelIndex& at) {
            const double f = at.row() == source ? at.data(ModelListModel::QuantizeProgressRole).toDouble() : -1;
            if (f >= 0) fractions << f;
        });
        const QString name = QStringLiteral("demo-model-") + format;
        run.models.quantize(source, format);
        QTRY_VERIFY_WITH_TIMEOUT(rowNamed(run.models, name) >= 0, 60000);
        QVERIFY(fractions.size() >= 3);
        QVERIFY(std::is_sorted(fractions.begin(), fractions.end()));
        QCOMPARE(fractions.last(), 1.0);
        const QString copy = dataOf(run.models, name, ModelListModel::FolderRole).toString();
        QCOMPARE(QFileInfo(copy).absolutePath(), QFileInfo(run.models.copiesDirectory()).absoluteFilePath());
        QVERIFY(copy.startsWith(home.filePath("data")));
        QCOMPARE(dataOf(run.models, name, ModelListModel::SourceRole).toString(), QStringLiteral("copy"));
        QVERIFY(dataOf(run.models, name, ModelListModel::CanDeleteRole).toBool());
        // The row names the dense matrices' format: I8, or Q4K for the 4-bit copy (whose embedding stays int8).
        const QString details = dataOf(run.models, name, ModelListModel::DetailsRole).toString();
        QVERIFY2(details.contains(format == QStringLiteral("q4k") ? QStringLiteral(" · Q4K · ")
                                                                  : QStringLiteral(" · I8 · ")),
                 qPrintable(details));
        QCOMPARE(safetensorsHeader(copy + QStringLiteral("/model.safetensors")).contains("\"rgemma_q4k\":\"1\""),
                 format == QStringLiteral("q4k"));
        QCOMPARE(dataOf(run.models, QStringLiteral("demo-model"), ModelListModel::QuantizeProgressRole).toDouble(),
                 -1.0);

        // The copy answers like the original: the same next token, logits within the format's error.
        const std::vector<float> original = lastLogits(QStringLiteral(RC_DEMO_MODEL_DIR), "Tell me about the sea.");
        const std::vector<float> quantized = lastLogits(copy, "Tell me about the sea.");
        QVERIFY(!original.empty() && original.size() == quantized.size());
        double diff = 0, norm = 0;
        for (std::size_t i = 0; i < original.size(); ++i) {
            diff += (original[i] - quantized[i]) * (original[i] - quantized[i]);
            norm += original[i] * original[i];
        }
        const double relative = std::sqrt(diff / norm);
        qInfo("%s copy: relative logit error %.4f", qPrintable(format), relative);
        QVERIFY2(relative < maxRelativeError, qPrintable(QString::number(relative)));
        QCOMPARE(std::max_element(quantized.begin(), quantized.end()) - quantized.begin(),
                 std::max_element(original.begin(), original.end()) - original.begin());

        if (format == QStringLiteral("q4k"))
            QCOMPARE(greedyReply(copy, "What is 23 + 58?"), std::string("23 + 58 = 81."));

        // Only copies can be deleted; deleting one removes its folder.
        QVERIFY(!run.models.remove(rowNamed(run.models, QStringLiteral("demo-model"))));
        QVERIFY(QFileInfo::exists(QStringLiteral(RC_DEMO_MODEL_DIR "/model.safetensors")));
        QVERIFY(run.models.remove(rowNamed(run.models, name)));
        QVERIFY(!QFileInfo::exists(copy));
        QTRY_COMPARE_WITH_TIMEOUT(rowNamed(run.models, name), -1, 20000);
    }
};

QTEST_GUILESS_MAIN(TestModelListModel)
#include "test_model_list_model.moc"
