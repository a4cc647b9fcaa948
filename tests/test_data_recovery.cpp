// test_data_recovery — a conversation database damaged between two runs (issue 19, bug 2), on real SQLite files
// with real state files: the window opens a dialog naming the kept file; no state file is deleted, at that start or
// the next (they go aside with the damaged file; the recovered messages' states come back); what SQLite can still
// read is salvaged into the new database, message for message.
#include <QDir>
#include <QDirIterator>
#include <QQmlApplicationEngine>
#include <QQuickItem>
#include <QQuickWindow>
#include <QSettings>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtEndian>
#include <QtQml/QQmlExtensionPlugin>
#include <QtTest>
#include <optional>

#include "app_window.h"
#include "chat_controller.h"
#include "data_folder.h"
#include "fake_engine.h"
#include "file_bytes.h"
#include "window_inspection.h"

Q_IMPORT_QML_PLUGIN(RecurrentChatPlugin)

using rctest::readAll;
using rctest::writeAll;

namespace {

constexpr int kConversations = 40;
constexpr int kTurns = 2;  // user + model messages each

QString messageText(int conversation, int message) {
    // Long enough that a page holds only a few rows: one damaged page loses a few messages, not the table.
    return QStringLiteral("body-%1-%2 ").arg(conversation, 3, 10, QLatin1Char('0')).arg(message) +
           QString(300, QLatin1Char('x'));
}
QString stateName(int conversation, int message) {
    return QStringLiteral("c%1-m%2.rgstate").arg(conversation).arg(message);
}

// A data folder as the app leaves it: kConversations chats of kTurns turns, each reply with its state file.
void fillDataFolder(const QString& directory) {
    QDir().mkpath(directory + QStringLiteral("/states"));
    QString error;
    auto store =
        ConversationStore::open(directory + QStringLiteral("/conversations.sqlite3"), QStringLiteral("fill"), &error);
    QVERIFY2(store, qPrintable(error));
    for (int c = 0; c < kConversations; ++c) {
        NewConversation conversation;
        conversation.title = QStringLiteral("Chat %1").arg(c);
        conversation.createdAt = QDateTime::currentDateTimeUtc();
        for (int m = 0; m < 2 * kTurns; ++m) {
            StoredMessage message;
            message.parentId = m - 1;
            message.role = m % 2 == 0 ? MessageRole::User : MessageRole::Model;
            message.content = messageText(c, m);
            message.tokens = {c, m, 7};
            message.createdAt = QDateTime::currentDateTimeUtc();
            if (message.role == MessageRole::Model) {
                message.stateFile = stateName(c, m);
                message.modelFingerprint = QStringLiteral("fp");
                message.stopReason = QStringLiteral("end");
                writeAll(directory + QStringLiteral("/states/") + message.stateFile, message.content.toUtf8());
            }
            conversation.messages.append(message);
        }
        conversation.currentLeaf = conversation.messages.size() - 1;
        QVERIFY(store->insertConversation(conversation) != 0);
    }
}

// Overwrites the database page that holds `marker` (a leaf of the messages table) with garbage.
void damagePageHolding(const QString& database, const QString& marker) {
    QByteArray bytes = readAll(database);
    const int pageSizeField = qFromBigEndian<quint16>(bytes.constData() + 16);
    const qsizetype pageSize = pageSizeField == 1 ? 65536 : pageSizeField;
    const qsizetype at = bytes.indexOf(marker.toUtf8());
    QVERIFY2(at > pageSize, "the marker is not on a page after the first");
    const qsizetype page = at / pageSize;
    for (qsizetype i = page * pageSize; i < (page + 1) * pageSize; ++i) bytes[i] = char(0xA5);
    writeAll(database, bytes);
}

// Every state file under the data folder (states/ and what went aside with a damaged database), by name.
QStringList allStateFiles(const QString& directory) {
    QStringList names;
    QDirIterator it(directory, {QStringLiteral("*.rgstate")}, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) names << QFileInfo(it.next()).fileName();
    names.sort();
    return names;
}

QStringList expectedStateFiles() {
    QStringList names;
    for (int c = 0; c < kConversations; ++c)
        for (int m = 1; m < 2 * kTurns; m += 2) names << stateName(c, m);
    names.sort();
    return names;
}

}  // namespace

class TestDataRecovery : public QObject {
    Q_OBJECT

  private:
    QTemporaryDir m_home;
    int m_folders = 0;

    // A data folder with a database whose page holding conversation 17's third message is garbage.
    QString damagedFolder() {
        const QString directory = m_home.filePath(QString::number(++m_folders));
        fillDataFolder(directory);
        damagePageHolding(directory + QStringLiteral("/conversations.sqlite3"), messageText(17, 2).left(10));
        return directory;
    }

  private slots:
    void initTestCase() {
        QVERIFY(m_home.isValid());
        qputenv("XDG_CONFIG_HOME", m_home.filePath("config").toUtf8());
        qputenv("XDG_DATA_HOME", m_home.filePath("data").toUtf8());
    }

    // The window tells the user in a dialog, naming the kept file, and offers to show it.
    void windowShowsADialogNamingTheKeptFile() {
        const QString directory = damagedFolder();
        QSettings settings(directory + QStringLiteral("/settings.ini"), QSettings::IniFormat);
        FakeEngine engine;
        ChatController controller(directory, &settings, engine);
        QQmlApplicationEngine qml;
        QQuickWindow* window = loadMainWindow(qml, controller, nullptr);
        QVERIFY(window);
        window->show();
        QVERIFY(QTest::qWaitForWindowExposed(window));

        const QStringList kept =
            QDir(directory).entryList({QStringLiteral("conversations.sqlite3.corrupt-*")}, QDir::Files);
        QCOMPARE(kept.size(), 1);
        QQuickItem* text = nullptr;
        QTRY_VERIFY((text = findVisibleItem(window, QStringLiteral("databaseNoticeText"))));
        const QString shown = text->property("text").toString();
        QVERIFY2(shown.contains(kept.first()), qPrintable(shown));
        QVERIFY2(shown.contains(QStringLiteral("could be recovered")), qPrintable(shown));
        QVERIFY(findVisibleItem(window, QStringLiteral("showKeptFileButton")));
        QVERIFY(controller.notice().isEmpty());  // not squeezed into the banner as well
        clickItem(window, findVisibleItem(window, QStringLiteral("databaseNoticeOk")));
        QTRY_VERIFY(!findVisibleItem(window, QStringLiteral("databaseNoticeText")));
    }

    // No state file is deleted because a database could not be read: not at the start that sets it aside, not at
    // the next one (whose orphan sweep runs against the new database).
    void stateFilesSurviveThisStartAndTheNext() {
        const QString directory = damagedFolder();
        QCOMPARE(allStateFiles(directory), expectedStateFiles());
        {
            DataFolder data(directory);
            QVERIFY(data.store());
            QVERIFY(!data.keptDatabase().isEmpty());
            QCOMPARE(allStateFiles(directory), expectedStateFiles());
        }
        {
            DataFolder data(directory);
            QVERIFY(data.store());
            QVERIFY(data.keptDatabase().isEmpty());  // the new database is healthy
            QCOMPARE(allStateFiles(directory), expectedStateFiles());
        }
    }

    // What SQLite still reads comes back: every conversation, every message not on the damaged page, word for
    // word, with its tokens and the state file beside the new database; children of a lost message become roots.
    void readableConversationsAreSalvaged() {
        const QString directory = damagedFolder();
        DataFolder data(directory);
        ConversationStore* store = data.store();
        QVERIFY(store);
        QCOMPARE(data.salvaged().conversations, kConversations);
        const int total = kConversations * 2 * kTurns;
        QVERIFY2(data.salvaged().messages < total && data.salvaged().messages > total - 20,
                 qPrintable(QString::number(data.salvaged().messages)));
        QVERIFY2(data.openingNotice().contains(QStringLiteral("40 conversation")), qPrintable(data.openingNotice()));

        const QList<ConversationSummary> list = store->conversations(QString(), 0, 1000);
        QCOMPARE(list.size(), kConversations);
        QCOMPARE(list.first().title, QStringLiteral("Chat %1").arg(kConversations - 1));  // order kept
        int messages = 0;
        bool lostOne = false;
        for (const ConversationSummary& summary : list) {
            const int c = summary.title.mid(5).toInt();
            const QList<StoredMessage> all = store->allMessages(summary.id);
            messages += int(all.size());
            lostOne = lostOne || all.size() < 2 * kTurns;
            for (const StoredMessage& m : all) {
                const int index = m.tokens.value(1, -1);
                QCOMPARE(m.tokens, (QVector<qint32>{c, index, 7}));
                QCOMPARE(m.content, messageText(c, index));
                if (!m.stateFile.isEmpty()) {
                    QCOMPARE(m.stateFile, stateName(c, index));
                    QCOMPARE(readAll(data.statePath(m.stateFile)), m.content.toUtf8());
                }
            }
            if (all.size() == 2 * kTurns) {
                QCOMPARE(store->currentPath(summary.id).size(), 2 * kTurns);  // whole: the same leaf
            }
        }
        QCOMPARE(messages, data.salvaged().messages);
        QVERIFY(lostOne);
    }

    // Turns committed to the WAL but not yet written back (the app was killed): the WAL goes aside with the file,
    // unchanged (checking the file must not checkpoint it), and what it holds is salvaged too.
    void walContentsAreSalvaged() {
        const QString source = m_home.filePath(QString::number(++m_folders));
        const QString directory = m_home.filePath(QString::number(++m_folders));
        fillDataFolder(source);
        QDir().mkpath(directory + QStringLiteral("/states"));
        const QString database = QStringLiteral("/conversations.sqlite3");
        {
            QString error;
            auto store = ConversationStore::open(source + database, QStringLiteral("wal"), &error);
            QVERIFY2(store, qPrintable(error));
            QSqlDatabase raw = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("raw"));
            raw.setDatabaseName(source + database);
            QVERIFY(raw.open());
            QSqlQuery(raw).exec(QStringLiteral("PRAGMA wal_autocheckpoint = 0"));
            // The store stamps rows with a clock that runs ahead of the wall clock in a burst of writes
            // (nextTimestamp): wait until the wall clock has passed the filled folder's last stamp, so that the
            // conversation below is the newest, as it would be in use.
            QSqlQuery last(raw);
            QVERIFY(last.exec(QStringLiteral("SELECT max(updated_at) FROM conversations")) && last.next());
            const qint64 lastStamp = last.value(0).toLongLong();
            QTRY_VERIFY_WITH_TIMEOUT(QDateTime::currentMSecsSinceEpoch() > lastStamp, 60000);
            NewConversation late;
            late.title = QStringLiteral("Only in the WAL");
            late.createdAt = QDateTime::currentDateTimeUtc();
            QVERIFY(store->insertConversation(late) != 0);
            // A copy while both connections are open: as if the app had been killed now.
            for (const QString& suffix : {QString(), QStringLiteral("-wal")})
                QVERIFY(QFile::copy(source + database + suffix, directory + database + suffix));
            raw.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("raw"));
        QVERIFY(QFileInfo(directory + database + QStringLiteral("-wal")).size() > 0);
        damagePageHolding(directory + database, messageText(17, 2).left(10));
        const QByteArray damaged = readAll(directory + database);
        const QByteArray wal = readAll(directory + database + QStringLiteral("-wal"));

        DataFolder data(directory);
        QVERIFY(data.store());
        QVERIFY(!data.keptDatabase().isEmpty());
        QCOMPARE(data.salvaged().conversations, kConversations + 1);
        QCOMPARE(data.store()->conversations(QString(), 0, 1).value(0).title, QStringLiteral("Only in the WAL"));
        // Both kept as they were: checking the file did not write its WAL back into it.
        QCOMPARE(readAll(data.keptDatabase()), damaged);
        QCOMPARE(readAll(data.keptDatabase() + QStringLiteral("-wal")), wal);
    }

    // A file that is not a database at all: nothing to salvage, said so, and the app starts empty.
    void garbageSalvagesNothing() {
        const QString directory = m_home.filePath(QString::number(++m_folders));
        QDir().mkpath(directory);
        writeAll(directory + QStringLiteral("/conversations.sqlite3"), QByteArray(64 * 1024, char(0x5A)));
        DataFolder data(directory);
        QVERIFY(data.store());
        QCOMPARE(data.salvaged().conversations, 0);
        QVERIFY(data.openingNotice().contains(QStringLiteral("Nothing could be recovered")));
        QCOMPARE(data.store()->conversationCount(QString()), 0);
    }
};

QTEST_MAIN(TestDataRecovery)
#include "test_data_recovery.moc"
