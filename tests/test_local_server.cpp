// test_local_server.cpp — the app's local API server end to end: turned on through Preferences in a real
// ChatController with the real engine on the demo model, spoken to over loopback with QNetworkAccessManager (a
// plain and a streamed chat completion, a resent conversation resumed from the server's kept states) while a
// window reply runs; a port in use gives the visible error; turning it off closes the port; no model gives 503.
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSettings>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QtTest>
#include <memory>

#include "backend_messages.h"
#include "chat_controller.h"
#include "data_folder.h"
#include "threaded_engine.h"

namespace {

constexpr int kWaitMs = 120'000;  // a reply of the demo model takes well under a second; the machine is shared

struct Response {
    int status = 0;
    QByteArray body;
};

// A port nothing listens on right now (the kernel's pick, released at once).
quint16 freePort() {
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0)) return 0;
    return probe.serverPort();
}

}  // namespace

class TestLocalServer : public QObject {
    Q_OBJECT

    struct App {
        QTemporaryDir home;
        QSettings settings{home.filePath("settings.ini"), QSettings::IniFormat};
        ThreadedEngine engine;
        std::unique_ptr<ChatController> controller;

        App() {
            controller = std::make_unique<ChatController>(home.filePath("data"), &settings, engine);
            controller->preferences()->setRandomSeed(false);
        }
        ~App() { controller.reset(); }  // before the engine
        Preferences& prefs() { return *controller->preferences(); }
        LocalServer& server() { return *controller->server(); }
        bool loadDemo() {
            const QString demo = ChatController::demoModelDirectory();
            if (demo.isEmpty()) return false;
            controller->loadModel(demo);
            return true;
        }
        QString serverStates() const { return QDir(home.filePath("data")).filePath("server-states"); }
    };

    QNetworkAccessManager m_http;

    Response send(const QString& url, const QByteArray& body = {}) {
        QNetworkRequest request{QUrl(url)};
        QNetworkReply* reply = nullptr;
        if (body.isEmpty()) {
            reply = m_http.get(request);
        } else {
            request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
            reply = m_http.post(request, body);
        }
        QSignalSpy done(reply, &QNetworkReply::finished);
        if (!done.wait(kWaitMs)) qWarning("no answer from %s", qPrintable(url));
        Response response{reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), reply->readAll()};
        reply->deleteLater();
        return response;
    }

    static QByteArray chat(const QJsonArray& messages, bool stream) {
        return QJsonDocument(QJsonObject{{"model", "anything"},
                                         {"messages", messages},
                                         {"max_tokens", 12},
                                         {"seed", 7},
                                         {"stream", stream}})
            .toJson(QJsonDocument::Compact);
    }

  private slots:
    void servesTheWindowModelWhileAReplyRuns() {
        App app;
        if (!app.loadDemo()) QSKIP("the demo model is not installed (resources/demo-model)");
        QTRY_COMPARE_WITH_TIMEOUT(app.controller->modelStatus(), ChatController::ModelStatus::Ready, kWaitMs);
        QVERIFY(!app.server().listening());  // off by default
        const quint16 port = freePort();
        QVERIFY(port != 0);
        app.prefs().setServerPort(port);
        app.prefs().setServerEnabled(true);
        QVERIFY2(app.server().listening(), qPrintable(app.server().error()));
        QCOMPARE(app.server().url(), QStringLiteral("http://127.0.0.1:%1/v1").arg(port));
        QVERIFY(app.server().warning().isEmpty());  // loopback

        // A window reply long enough to be running when the server's requests arrive: they share its queue.
        app.prefs().setMaxNewTokens(400);
        QSignalSpy stored(app.controller.get(), &ChatController::replyStored);
        QVERIFY(app.controller->send(QStringLiteral("Tell me a fortune.")));
        QVERIFY(app.controller->generating());

        const QJsonArray firstTurn{QJsonObject{{"role", "user"}, {"content", "What is 2 plus 3?"}}};
        const Response plain = send(app.server().url() + "/chat/completions", chat(firstTurn, false));
        QCOMPARE(plain.status, 200);
        const QJsonObject answer = QJsonDocument::fromJson(plain.body).object();
        const QString content = answer["choices"][0]["message"]["content"].toString();
        QVERIFY2(answer["usage"]["completion_tokens"].toInt() > 0, plain.body.constData());
        QCOMPARE(answer["model"].toString(), QStringLiteral("demo-model"));
        // One queue, first asked first served: the window's reply, asked first, had ended and was stored before the
        // server's completion ran.
        QCOMPARE(stored.count(), 1);

        const Response streamed = send(app.server().url() + "/chat/completions", chat(firstTurn, true));
        QCOMPARE(streamed.status, 200);
        QVERIFY2(streamed.body.contains("data: {") && streamed.body.contains("chat.completion.chunk") &&
                     streamed.body.endsWith("data: [DONE]\n\n"),
                 streamed.body.constData());

        // The window's reply was not disturbed: it was stored like any other.
        QVERIFY(stored.at(0).at(1).toLongLong() > 0);

        // The client resends the conversation with a new turn: it resumes from the state the server kept.
        QJsonArray secondTurn = firstTurn;
        secondTurn.append(QJsonObject{{"role", "assistant"}, {"content", content}});
        secondTurn.append(QJsonObject{{"role", "user"}, {"content", "And 4 plus 4?"}});
        const Response resent = send(app.server().url() + "/chat/completions", chat(secondTurn, false));
        QCOMPARE(resent.status, 200);
        const QJsonObject usage = QJsonDocument::fromJson(resent.body).object()["usage"].toObject();
        QVERIFY2(usage["prompt_tokens_details"]["cached_tokens"].toInt() > 0, resent.body.constData());

        // The window's log of recent requests, newest first.
        QTRY_COMPARE(app.server().recentRequests().size(), 3);
        const QVariantMap newest = app.server().recentRequests().first().toMap();
        QCOMPARE(newest["request"].toString(), QStringLiteral("POST /v1/chat/completions"));
        QCOMPARE(newest["status"].toInt(), 200);
        QVERIFY(!newest["tokens"].toString().isEmpty());
        QVERIFY(!newest["time"].toString().isEmpty());

        // Its kept states are in a folder of its own, which the data folder's clean-up leaves alone.
        const QString states = app.serverStates();
        const auto keptFiles = [&] {
            return QDir(states).entryList(QDir::Files | QDir::NoDotAndDotDot, QDir::Name).size() +
                   QDir(states).entryList(QDir::Dirs | QDir::NoDotAndDotDot).size();
        };
        QVERIFY(keptFiles() > 0);
        const QString fingerprintFolder = QDir(states).entryList(QDir::Dirs | QDir::NoDotAndDotDot).value(0);
        const int kept = QDir(QDir(states).filePath(fingerprintFolder)).entryList(QDir::Files).size();
        QVERIFY(kept > 0);
        app.controller.reset();
        { DataFolder reopened(app.home.filePath("data")); }
        QCOMPARE(QDir(QDir(states).filePath(fingerprintFolder)).entryList(QDir::Files).size(), kept);
    }

    void portInUseIsShownAndOffClosesThePort() {
        App app;
        QTcpServer squatter;
        QVERIFY(squatter.listen(QHostAddress::LocalHost, 0));
        app.prefs().setServerPort(squatter.serverPort());
        app.prefs().setServerEnabled(true);
        QVERIFY(!app.server().listening());
        QVERIFY2(app.server().error().contains(QString::number(squatter.serverPort())),
                 qPrintable(app.server().error()));

        // Another port: it listens, and the error goes.
        squatter.close();
        const quint16 port = freePort();
        app.prefs().setServerPort(port);
        QVERIFY(app.server().listening());
        QVERIFY(app.server().error().isEmpty());

        // No model loaded: a clear 503, not a hang.
        const Response health = send(app.server().url().replace("/v1", "/health"));
        QCOMPARE(health.status, 503);
        QVERIFY2(health.body.contains(rcserver::backend_messages::kNoModel), health.body.constData());
        const Response chatNow = send(app.server().url() + "/chat/completions",
                                      chat({QJsonObject{{"role", "user"}, {"content", "hi"}}}, false));
        QCOMPARE(chatNow.status, 503);

        // Off: the port is closed at once.
        app.prefs().setServerEnabled(false);
        QVERIFY(!app.server().listening());
        QVERIFY(app.server().url().isEmpty());
        QTcpSocket probe;
        QSignalSpy failed(&probe, &QTcpSocket::errorOccurred);
        probe.connectToHost(QHostAddress::LocalHost, port);
        QVERIFY(failed.wait(10'000));
        QCOMPARE(probe.error(), QAbstractSocket::ConnectionRefusedError);
    }

    // Bound beyond loopback without a key: the same warning as rgemma serve's, shown in the window; a key clears it.
    void openAddressWithoutKeyWarns() {
        App app;
        app.prefs().setServerAddress(QStringLiteral("0.0.0.0"));
        QVERIFY(!app.server().warning().isEmpty());
        app.prefs().setServerApiKey(QStringLiteral("secret"));
        QVERIFY(app.server().warning().isEmpty());
        app.prefs().setServerAddress(QStringLiteral("not an address"));
        app.prefs().setServerEnabled(true);
        QVERIFY(!app.server().listening());
        QVERIFY(app.server().error().contains(QStringLiteral("not an address")));
    }
};

QTEST_GUILESS_MAIN(TestLocalServer)
#include "test_local_server.moc"
