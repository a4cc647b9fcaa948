// test_starting_points.cpp — starting points on the demo model with real SQLite and state files: a long document
// read once and saved as a starting point; a new chat from it forks the state file (bit-identical) and answers its
// first question with only the question's tokens processed; list, rename, delete; the start-up sweep keeps the
// starting point's state even after its conversation is deleted for good.
#include <QFile>
#include <QSettings>
#include <QtTest>

#include "chat_controller.h"
#include "data_folder.h"
#include "file_bytes.h"
#include "rgemma/model.h"
#include "starting_points.h"
#include "threaded_engine.h"

namespace {

constexpr int kReplyWaitMs = 180000;
const QString kDemoModel = QStringLiteral(RC_DEMO_MODEL_DIR);

struct App {
    explicit App(const QString& dataDirectory)
        : settings(dataDirectory + QStringLiteral("/settings.ini"), QSettings::IniFormat),
          controller(dataDirectory, &settings, engine) {
        controller.preferences()->setTemperature(0);
        controller.preferences()->setMaxNewTokens(8);
        controller.loadModel(kDemoModel);
    }
    bool ready() {
        return QTest::qWaitFor([&] { return controller.modelStatus() == ChatController::ModelStatus::Ready; }, 60000);
    }
    qint64 say(const QString& text) {
        QSignalSpy stored(&controller, &ChatController::replyStored);
        if (!controller.send(text) || !stored.wait(kReplyWaitMs)) return 0;
        return stored.last().at(1).toLongLong();
    }
    QSettings settings;
    ThreadedEngine engine;
    ChatController controller;
};

}  // namespace

class TestStartingPoints : public QObject {
    Q_OBJECT

    QTemporaryDir m_home;

  private slots:
    void initTestCase() {
        QVERIFY(m_home.isValid());
        qputenv("XDG_CONFIG_HOME", m_home.filePath(QStringLiteral("config")).toUtf8());
    }

    void documentReadOnceThenOnlyTheQuestionIsProcessed() {
        const QString folder = m_home.filePath(QStringLiteral("data"));
        QString document;
        for (int i = 0; i < 40; ++i)
            document += QStringLiteral("Line %1 of the document: the cat sat on mat %1. ").arg(i);
        qint64 source = 0;
        qint64 reply = 0;
        {
            App app(folder);
            QVERIFY(app.ready());
            app.controller.setSystemPrompt(QStringLiteral("Answer from the document."));
            reply = app.say(document);
            QVERIFY(reply != 0);
            source = app.controller.currentConversationId();
            QVERIFY(app.engine.tokensFed() > 300);  // the document was read (once)
        }
        const QString fingerprint =
            QString::fromStdString(rgemma::Model::load(kDemoModel.toStdString()).value()->info().fingerprint);
        qint64 point = 0;
        qint64 documentTokens = 0;
        QByteArray pointState;
        {
            DataFolder data(folder);
            const qint64 question = data.store()->pathTo(reply).first().id;
            QVERIFY(!StartingPoints::save(data, question, QStringLiteral("user message")));  // a reply only
            const auto saved = StartingPoints::save(data, reply, QStringLiteral("The document"));
            QVERIFY2(saved, qPrintable(saved ? QString() : saved.error()));
            point = *saved;
            QVERIFY(StartingPoints::rename(data, point, QStringLiteral("Document, read once")));
            const QList<StartingPointInfo> points = StartingPoints::list(data, fingerprint);
            QCOMPARE(points.size(), 1);
            QCOMPARE(points.first().name, QStringLiteral("Document, read once"));
            QVERIFY(points.first().hasState);
            QVERIFY(points.first().matchesModel);
            QVERIFY(!StartingPoints::list(data, QString(32, u'0')).first().matchesModel);
            for (const StoredMessage& m : data.store()->pathTo(reply)) documentTokens += m.tokens.size();
            // The source conversation goes for good: the starting point stays, with its state.
            QVERIFY(data.store()->deleteConversation(source));
        }
        {
            DataFolder data(folder);  // purges the deleted conversation and sweeps orphaned state files
            QVERIFY(!data.store()->conversation(source));
            const auto stored = data.store()->startingPoint(point);
            QVERIFY(stored);
            pointState = rctest::readAll(data.statePath(stored->stateFile));
            QVERIFY(!pointState.isEmpty());
        }
        qint64 chat = 0;
        {
            DataFolder data(folder);
            const auto created = StartingPoints::newChat(data, point);
            QVERIFY2(created, qPrintable(created ? QString() : created.error()));
            chat = *created;
            const QList<StoredMessage> path = data.store()->currentPath(chat);
            QCOMPARE(path.size(), 2);
            QCOMPARE(path.first().content, document.trimmed());  // as sent
            QCOMPARE(data.store()->conversation(chat)->systemPrompt, QStringLiteral("Answer from the document."));
            QCOMPARE(data.store()->conversation(chat)->title, QStringLiteral("Document, read once"));
            QCOMPARE(rctest::readAll(data.statePath(path.last().stateFile)), pointState);  // a fork, bit for bit
        }
        {
            App app(folder);
            QVERIFY(app.ready());
            app.controller.openConversation(chat);
            const qint64 answer = app.say(QStringLiteral("Where did the cat sit?"));
            QVERIFY(answer != 0);
            QVERIFY2(!app.controller.notice().contains(QLatin1String("Rebuilding")),
                     qPrintable(app.controller.notice()));
            DataFolder data(m_home.filePath(QStringLiteral("data")));
            const QList<StoredMessage> path = data.store()->currentPath(chat);
            QCOMPARE(path.size(), 4);
            // Only the question (and the reply, fed back token by token, with the turn's closing markup) went
            // through the model.
            const qint64 turn = path.at(2).tokens.size() + path.at(3).tokens.size();
            QVERIFY2(app.engine.tokensFed() <= turn + 4,
                     qPrintable(QStringLiteral("fed %1, the turn has %2").arg(app.engine.tokensFed()).arg(turn)));
            QVERIFY(documentTokens > 10 * turn);
            qInfo("fed %lld tokens for the question and its reply; the starting point's branch has %lld",
                  app.engine.tokensFed(), documentTokens);
        }
        {
            DataFolder data(folder);
            const QString stateFile = data.store()->startingPoint(point)->stateFile;
            QVERIFY(StartingPoints::remove(data, point));
            QVERIFY(StartingPoints::list(data, fingerprint).isEmpty());
            QVERIFY(!QFile::exists(data.statePath(stateFile)));
            QVERIFY(QFile::exists(data.statePath(data.store()->currentPath(chat).at(1).stateFile)));  // the chat's own
            QVERIFY(!StartingPoints::newChat(data, point));
        }
    }
};

QTEST_GUILESS_MAIN(TestStartingPoints)
#include "test_starting_points.moc"
