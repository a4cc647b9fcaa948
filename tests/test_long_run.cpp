// test_long_run — long runs at constant memory: 100,000 tokens generated in one conversation on a golden model
// (one State, the decode path, logits of the last position) and thousands of conversation switches through the
// controller. Resident memory, read from /proc/self/statm, must stop growing after a warm-up: a RecurrentGemma
// state has a fixed size, and nothing else may accumulate per token or per switch.
#include <unistd.h>

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QSettings>
#include <QTemporaryDir>
#include <algorithm>
#include <vector>

#include "rgemma/model.h"
#include "rgemma/runtime.h"

// Qt after the engine headers (Qt's emit macro and oneTBB's headers do not mix).
#include <QtTest>

#include "chat_controller.h"
#include "conversation_store.h"
#include "threaded_engine.h"

namespace {

constexpr double kMiB = 1024.0 * 1024.0;

// Under a sanitizer, freed memory waits in a quarantine before it is reused, so resident memory grows whatever the
// code does: there the runs are shorter, and leaks are LeakSanitizer's to find.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif

// Resident set size in bytes (the second field of /proc/self/statm, in pages).
double residentBytes() {
    QFile statm(QStringLiteral("/proc/self/statm"));
    if (!statm.open(QIODevice::ReadOnly)) return 0;
    const QList<QByteArray> fields = statm.readAll().split(' ');
    return fields.size() > 1 ? fields[1].toDouble() * double(::sysconf(_SC_PAGESIZE)) : 0;
}

}  // namespace

class TestLongRun : public QObject {
    Q_OBJECT

  private slots:
    void hundredThousandTokensAtConstantMemory() {
        auto loaded = rgemma::Model::load(RC_TEST_DATA_DIR "/tiny-f32");
        QVERIFY(loaded.has_value());
        const rgemma::Model& model = **loaded;
        rgemma::Runtime runtime(1);
        rgemma::State state = model.newState();
        std::vector<float> logits;
        rgemma::TokenId token = 2;
        const QList<int> marks =
            kSanitized ? QList<int>{100, 1000, 5000, 10000} : QList<int>{1000, 10000, 50000, 100000};
        QList<double> rss;
        QElapsedTimer clock;
        clock.start();
        for (int step = 1; step <= marks.last(); ++step) {
            const auto fed = model.forward(runtime, state, std::span(&token, 1), rgemma::LogitsMode::Last, logits);
            if (!fed) QFAIL(fed.error().message.c_str());
            // Greedy, but never the end of text (the run goes on) and never a control id.
            token = rgemma::TokenId(std::max_element(logits.begin() + 3, logits.end()) - logits.begin());
            if (marks.contains(step)) rss.append(residentBytes());
        }
        QCOMPARE(state.position, int64_t{marks.last()});
        qInfo("%d tokens in %lld ms; RSS %.2f MiB at %d, %.2f at %d, %.2f at %d, %.2f at %d", marks.last(),
              static_cast<long long>(clock.elapsed()), rss[0] / kMiB, marks[0], rss[1] / kMiB, marks[1], rss[2] / kMiB,
              marks[2], rss[3] / kMiB, marks[3]);
        if (kSanitized) return;
        QVERIFY2(rss[3] - rss[1] < 1.0 * kMiB, "resident memory grew by more than 1 MiB from 10k to 100k tokens");
    }

    void thousandsOfConversationSwitchesAtConstantMemory() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QList<qint64> ids;
        {
            QString error;
            auto store = ConversationStore::open(dir.filePath(QStringLiteral("conversations.sqlite3")),
                                                 QStringLiteral("fill"), &error);
            QVERIFY2(store.has_value(), qPrintable(error));
            for (int c = 0; c < 30; ++c) {
                const qint64 id = store->createConversation(QStringLiteral("chat %1").arg(c));
                qint64 parent = 0;
                for (int m = 0; m < 12; ++m) {
                    parent = store->addMessage(id, parent, m % 2 ? MessageRole::Model : MessageRole::User,
                                               QStringLiteral("message %1 of chat %2 ").arg(m).arg(c).repeated(20),
                                               QVector<qint32>(50, 7));
                }
                ids.append(id);
            }
        }
        QSettings settings(dir.filePath(QStringLiteral("settings.ini")), QSettings::IniFormat);
        ThreadedEngine engine;
        ChatController controller(dir.path(), &settings, engine);
        QCOMPARE(controller.conversations()->rowCount(), 30);
        double warm = 0;
        const int kSwitches = kSanitized ? 1000 : 4000, kWarmUp = 500;
        for (int i = 0; i < kSwitches; ++i) {
            const qint64 id = ids[i % ids.size()];
            controller.openConversation(id);
            QCOMPARE(controller.messages()->rowCount(), 12);
            if (i % 7 == 0) controller.renameConversation(id, QStringLiteral("renamed %1").arg(i));
            if (i % 11 == 0) {
                controller.deleteConversation(id);
                controller.undoDelete();
            }
            controller.newConversation();
            if (i + 1 == kWarmUp) warm = residentBytes();
        }
        const double end = residentBytes();
        qInfo("%d switches: RSS %.2f MiB after %d, %.2f MiB at the end", kSwitches, warm / kMiB, kWarmUp, end / kMiB);
        QCOMPARE(controller.conversations()->rowCount(), 30);
        if (kSanitized) return;
        QVERIFY2(end - warm < 1.0 * kMiB, "resident memory grew by more than 1 MiB over the switches");
    }
};

QTEST_MAIN(TestLongRun)
#include "test_long_run.moc"
