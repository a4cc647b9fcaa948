// test_models_e2e — the whole path a new user takes, in the real window (Main.qml, offscreen) on the real engine:
// open the Models page from the model bar, enter a Hugging Face token in the Preferences, download the gated
// RecurrentGemma checkpoint (the demo model, served by a fake Hub on loopback), "Use this model", and chat with it.
#include <QQmlApplicationEngine>
#include <QQuickItem>
#include <QQuickWindow>
#include <QSettings>
#include <QtQml/QQmlExtensionPlugin>
#include <QtTest>

#include "app_window.h"
#include "chat_controller.h"
#include "hub_test_support.h"
#include "threaded_engine.h"
Q_IMPORT_QML_PLUGIN(RecurrentChatPlugin)

using namespace rctest;

namespace {

constexpr int kReplyWaitMs = 180000;  // bounds a hang only (ThreadSanitizer runs are slow)
const QString kRepo = QStringLiteral("google/recurrentgemma-2b-it");

QQuickItem* findItem(QObject* root, const QString& objectName) { return root->findChild<QQuickItem*>(objectName); }

// A delegate of the Models page's list, by its visual children (a view's delegates need not be its QObject children).
QQuickItem* findRow(QObject* page, const QString& objectName) {
    QList<QQuickItem*> items{findItem(page, QStringLiteral("modelList"))};
    while (!items.isEmpty()) {
        QQuickItem* item = items.takeFirst();
        if (!item) continue;
        if (item->objectName() == objectName) return item;
        items << item->childItems();
    }
    return nullptr;
}

// Clicks `item` at its centre, once it is visible and enabled.
bool click(QQuickWindow* window, QQuickItem* item) {
    if (!item || !QTest::qWaitFor([item] { return item->isVisible() && item->isEnabled(); }, 30000)) return false;
    QTest::mouseClick(window, Qt::LeftButton, {},
                      item->mapToScene(QPointF(item->width() / 2, item->height() / 2)).toPoint());
    return true;
}

}  // namespace

class TestModelsEndToEnd : public QObject {
    Q_OBJECT

    QTemporaryDir m_home;

  private slots:
    void initTestCase() {
        QVERIFY(m_home.isValid());
        qputenv("XDG_CONFIG_HOME", m_home.filePath("config").toUtf8());
        qputenv("XDG_DATA_HOME", m_home.filePath("data").toUtf8());
        isolateEnvironment(m_home.filePath("hf-home"));
    }

    void downloadUseAndChat() {
        FakeHub hub;
        hub.addRepo(kRepo, demoRepo());  // gated
        hub.setGrantedToken(kGrantedToken);
        QSettings settings(m_home.filePath("config/settings.ini"), QSettings::IniFormat);
        settings.setValue(QStringLiteral("hub/useKeyring"), false);
        ThreadedEngine engine;
        ChatController controller(m_home.filePath("data"), &settings, engine);
        controller.models()->setHubLocation(hub.endpoint(), m_home.filePath("cache"));
        controller.preferences()->setRandomSeed(false);
        controller.preferences()->setMaxNewTokens(12);
        QQmlApplicationEngine qml;
        QQuickWindow* window = loadMainWindow(qml, controller);
        QVERIFY(window);
        QVERIFY(QTest::qWaitForWindowExposed(window));

        // The token, through the Preferences.
        controller.models()->tokenStore()->setToken(kGrantedToken);  // the field is covered by tst_models_page
        QVERIFY(controller.models()->tokenStore()->storageText().contains(QStringLiteral("readable only by you")));

        // Models page → Download on the 2b-it row → Use this model.
        QVERIFY(click(window, findItem(window, QStringLiteral("modelsButton"))));
        QObject* page = qml.rootObjects().constFirst()->findChild<QObject*>(QStringLiteral("modelsPage"));
        QVERIFY(page);
        QTRY_VERIFY(page->property("opened").toBool());
        QQuickItem* row = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT((row = findRow(page, QStringLiteral("modelRow_recurrentgemma-2b-it"))), 20000);
        QVERIFY(click(window, findItem(row, QStringLiteral("downloadButton"))));
        // Ready once the scan that follows the download rebuilt the rows: find the row again at each look.
        const auto ready = [&row, page] {
            row = findRow(page, QStringLiteral("modelRow_recurrentgemma-2b-it"));
            return row && row->property("status").toInt() == int(ModelListModel::Status::Ready) &&
                   !row->property("folder").toString().isEmpty();
        };
        QVERIFY2(QTest::qWaitFor(ready, 60000), row ? qPrintable(row->property("message").toString()) : "no row");
        const QString folder = row->property("folder").toString();
        QVERIFY(click(window, findItem(row, QStringLiteral("useButton"))));
        QTRY_COMPARE_WITH_TIMEOUT(controller.modelStatus(), ChatController::ModelStatus::Ready, 60000);
        QCOMPARE(controller.preferences()->modelDirectory(), folder);
        QVERIFY(folder.startsWith(m_home.filePath("cache")));

        // Chat with it.
        QSignalSpy stored(&controller, &ChatController::replyStored);
        QVERIFY(controller.send(QStringLiteral("Hello!")));
        QVERIFY(stored.wait(kReplyWaitMs));
        QVERIFY(stored.first().at(1).toLongLong() > 0);
        const QModelIndex last = controller.messages()->index(controller.messages()->rowCount() - 1);
        QVERIFY(!last.data(MessageModel::ContentRole).toString().trimmed().isEmpty());
    }
};

QTEST_MAIN(TestModelsEndToEnd)
#include "test_models_e2e.moc"
