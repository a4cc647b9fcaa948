// test_conversation_store — ConversationStore against real SQLite files in a temporary folder: conversations,
// messages and their branches, search, soft delete and purge, reopening, WAL and the schema version, migration
// from a hand-made v1 file, and refusing (without touching) newer, damaged and non-database files.
#include <QRandomGenerator>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

#include "conversation_store.h"
#include "file_bytes.h"

using rctest::readAll;
using rctest::writeAll;

namespace {

// Runs SQL on `path` through a connection of the test's own, as another program (or an older app) would.
QVariant rawQuery(const QString& path, const QStringList& statements) {
    QVariant last;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("raw"));
        db.setDatabaseName(path);
        if (!db.open()) qFatal("cannot open %s", qPrintable(path));
        QSqlQuery q(db);
        for (const QString& statement : statements) {
            if (!q.exec(statement)) qFatal("%s: %s", qPrintable(statement), qPrintable(q.lastError().text()));
            last = q.next() ? q.value(0) : QVariant();
        }
    }
    QSqlDatabase::removeDatabase(QStringLiteral("raw"));
    return last;
}

}  // namespace

class TestConversationStore : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString path(const QString& name) const { return m_dir.filePath(name); }

    static ConversationStore openOrFail(const QString& file) {
        QString error;
        auto store = ConversationStore::open(file, QStringLiteral("test"), &error);
        if (!store) qFatal("open failed: %s", qPrintable(error));
        return std::move(*store);
    }

    // Opening `file` must fail for `expected` and leave its bytes, and its folder, exactly as they were.
    void expectRefused(const QString& file, ConversationStore::OpenError expected) {
        const QByteArray before = readAll(file);
        const QStringList filesBefore = QDir(m_dir.path()).entryList(QDir::Files);
        QString error;
        ConversationStore::OpenError reason = ConversationStore::OpenError::None;
        QVERIFY(!ConversationStore::open(file, QStringLiteral("test"), &error, &reason));
        QCOMPARE(reason, expected);
        QVERIFY(!error.isEmpty());
        QCOMPARE(readAll(file), before);
        QCOMPARE(QDir(m_dir.path()).entryList(QDir::Files), filesBefore);
        QVERIFY(!QSqlDatabase::contains(QStringLiteral("test")));  // the refused connection is gone
    }

  private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void createAndListMostRecentFirst() {
        auto store = openOrFail(path("list.sqlite3"));
        const qint64 a = store.createConversation(QStringLiteral("a"));
        const qint64 b = store.createConversation(QStringLiteral("b"));
        const qint64 c = store.createConversation(QStringLiteral("c"));
        QVERIFY(a > 0 && b > a && c > b);
        QCOMPARE(store.conversationCount(QString()), 3);
        auto list = store.conversations(QString(), 0, 10);
        QCOMPARE(list.size(), 3);
        QCOMPARE(list[0].id, c);
        QCOMPARE(list[2].id, a);
        QVERIFY(list[0].updatedAt > list[1].updatedAt);  // a total order even within one millisecond

        QVERIFY(store.addMessage(a, 0, MessageRole::User, QStringLiteral("hi"), {}) > 0);  // touches a
        QCOMPARE(store.conversations(QString(), 0, 1).at(0).id, a);
        QVERIFY(store.renameConversation(b, QStringLiteral("renamed")));  // a rename does not reorder
        QCOMPARE(store.conversations(QString(), 0, 1).at(0).id, a);
        QCOMPARE(store.conversation(b)->title, QStringLiteral("renamed"));
        QVERIFY(store.setSystemPrompt(b, QStringLiteral("Be brief.")));
        QCOMPARE(store.conversation(b)->systemPrompt, QStringLiteral("Be brief."));
        QVERIFY(!store.renameConversation(9999, QStringLiteral("x")));
        QVERIFY(!store.lastError().isEmpty());
        QCOMPARE(store.conversations(QString(), 1, 1).size(), 1);  // offset and limit
        QVERIFY(!store.conversation(9999));
    }

    void messagesPathAndTokens() {
        auto store = openOrFail(path("messages.sqlite3"));
        const qint64 c = store.createConversation(QStringLiteral("chat"));
        const QVector<qint32> tokens{2, 106, -1, 0x7fffffff, std::numeric_limits<qint32>::min(), 255999};
        const qint64 u1 = store.addMessage(c, 0, MessageRole::User, QStringLiteral("Hello"), tokens);
        const qint64 m1 = store.addMessage(c, u1, MessageRole::Model, QString(), {});
        QVERIFY(store.updateMessage(m1, QStringLiteral("Hi! ✓"), {7, 8, 9}, QStringLiteral("end")));
        QVERIFY(store.setMessageState(m1, QStringLiteral("m1.rgstate"), QStringLiteral("fp")));
        const qint64 u2 = store.addMessage(c, m1, MessageRole::User, QStringLiteral("More"), {10});
        QCOMPARE(store.conversation(c)->currentLeafId, u2);

        const auto path = store.currentPath(c);
        QCOMPARE(path.size(), 3);
        QCOMPARE(path[0].id, u1);
        QCOMPARE(path[0].tokens, tokens);  // int32 little-endian BLOB round trip, extremes included
        QCOMPARE(path[0].parentId, 0);
        QCOMPARE(path[1].role, MessageRole::Model);
        QCOMPARE(path[1].content, QStringLiteral("Hi! ✓"));
        QCOMPARE(path[1].tokens, (QVector<qint32>{7, 8, 9}));
        QCOMPARE(path[1].stopReason, QStringLiteral("end"));
        QCOMPARE(path[1].stateFile, QStringLiteral("m1.rgstate"));
        QCOMPARE(path[1].modelFingerprint, QStringLiteral("fp"));
        QCOMPARE(path[2].parentId, m1);
        QCOMPARE(store.message(u1)->conversationId, c);
        QVERIFY(store.message(u1)->createdAt.isValid());
        QCOMPARE(store.referencedStateFiles(), QStringList{QStringLiteral("m1.rgstate")});
        QVERIFY(store.currentPath(store.createConversation(QString())).isEmpty());

        // A parent from another conversation, or a missing conversation, is refused.
        const qint64 other = store.createConversation(QStringLiteral("other"));
        QCOMPARE(store.addMessage(other, u1, MessageRole::User, QStringLiteral("x"), {}), 0);
        QVERIFY(store.lastError().contains(QString::number(u1)));
        QCOMPARE(store.addMessage(9999, 0, MessageRole::User, QStringLiteral("x"), {}), 0);
        QVERIFY(store.currentPath(other).isEmpty());
        QVERIFY(!store.updateMessage(9999, QString(), {}, QString()));
    }

    // A finished turn in one transaction: the user message's tokens and the reply with its stop reason and state.
    // A reply that names a model message, or a message of another conversation, as its user turn writes nothing.
    void addReplyIsOneTransaction() {
        auto store = openOrFail(path("reply.sqlite3"));
        const qint64 c = store.createConversation(QStringLiteral("chat"));
        const qint64 u = store.addMessage(c, 0, MessageRole::User, QStringLiteral("Hello"), {});
        FinishedReply reply;
        reply.conversationId = c;
        reply.userMessageId = u;
        reply.userTokens = {2, 106, 1000};
        reply.text = QStringLiteral("Hi");
        reply.tokens = {5, 6};
        reply.stopReason = QStringLiteral("end");
        reply.stateFile = QStringLiteral("r.rgstate");
        reply.modelFingerprint = QStringLiteral("fp");
        const qint64 r = store.addReply(reply);
        QVERIFY2(r != 0, qPrintable(store.lastError()));
        const auto path = store.currentPath(c);
        QCOMPARE(path.size(), 2);
        QCOMPARE(path[0].tokens, reply.userTokens);
        QCOMPARE(path[0].content, QStringLiteral("Hello"));
        QCOMPARE(path[1].id, r);
        QCOMPARE(path[1].parentId, u);
        QCOMPARE(path[1].role, MessageRole::Model);
        QCOMPARE(path[1].content, reply.text);
        QCOMPARE(path[1].tokens, reply.tokens);
        QCOMPARE(path[1].stopReason, reply.stopReason);
        QCOMPARE(path[1].stateFile, reply.stateFile);
        QCOMPARE(path[1].modelFingerprint, reply.modelFingerprint);

        FinishedReply wrong = reply;
        wrong.userMessageId = r;  // a model message
        QCOMPARE(store.addReply(wrong), 0);
        QVERIFY(!store.lastError().isEmpty());
        wrong.userMessageId = u;
        wrong.conversationId = store.createConversation(QStringLiteral("other"));
        QCOMPARE(store.addReply(wrong), 0);
        QCOMPARE(store.currentPath(c).size(), 2);
        QVERIFY(store.currentPath(wrong.conversationId).isEmpty());
        QCOMPARE(store.siblings(r).size(), 1);
    }

    // Regenerate: a sibling of a model message. Edit: a sibling of a user message (here the first one, a root).
    void branches() {
        auto store = openOrFail(path("branches.sqlite3"));
        const qint64 c = store.createConversation(QStringLiteral("tree"));
        const qint64 u1 = store.addMessage(c, 0, MessageRole::User, QStringLiteral("q1"), {});
        const qint64 m1 = store.addMessage(c, u1, MessageRole::Model, QStringLiteral("a1"), {});
        const qint64 u2 = store.addMessage(c, m1, MessageRole::User, QStringLiteral("q2"), {});
        const qint64 m2 = store.addMessage(c, u2, MessageRole::Model, QStringLiteral("a2"), {});
        const qint64 m2b = store.addMessage(c, u2, MessageRole::Model, QStringLiteral("a2 again"), {});
        QCOMPARE(store.siblings(m2), (QList<qint64>{m2, m2b}));
        QCOMPARE(store.siblings(m2b), (QList<qint64>{m2, m2b}));
        QCOMPARE(store.currentPath(c).constLast().id, m2b);

        const qint64 u1b = store.addMessage(c, 0, MessageRole::User, QStringLiteral("q1 edited"), {});
        const qint64 m1b = store.addMessage(c, u1b, MessageRole::Model, QStringLiteral("a1b"), {});
        QCOMPARE(store.siblings(u1), (QList<qint64>{u1, u1b}));  // roots of this conversation only
        QCOMPARE(store.currentPath(c).size(), 2);

        // Back to the first root: the leaf is the newest descendant (the regenerated reply).
        QVERIFY(store.selectBranch(u1));
        auto path = store.currentPath(c);
        QCOMPARE(path.size(), 4);
        QCOMPARE(path.constLast().id, m2b);
        QVERIFY(store.selectBranch(m2));
        QCOMPARE(store.currentPath(c).constLast().id, m2);
        QVERIFY(store.selectBranch(u1b));
        QCOMPARE(store.currentPath(c).constLast().id, m1b);
        QVERIFY(!store.selectBranch(9999));
        QVERIFY(store.siblings(9999).isEmpty());

        const qint64 other = store.createConversation(QStringLiteral("other"));
        const qint64 root = store.addMessage(other, 0, MessageRole::User, QStringLiteral("x"), {});
        QCOMPARE(store.siblings(root), QList<qint64>{root});
    }

    void search() {
        auto store = openOrFail(path("search.sqlite3"));
        const qint64 percent = store.createConversation(QStringLiteral("100% Done"));
        const qint64 hundred = store.createConversation(QStringLiteral("100 done"));
        const qint64 snake = store.createConversation(QStringLiteral("snake_case"));
        const qint64 snakeX = store.createConversation(QStringLiteral("snakeXcase"));
        const qint64 body = store.createConversation(QStringLiteral("untitled"));
        store.addMessage(body, 0, MessageRole::User, QStringLiteral("Where is the C:\\Temp folder?"), {});
        const auto ids = [&](const QString& filter) {
            QList<qint64> result;
            for (const auto& summary : store.conversations(filter, 0, 100)) result.append(summary.id);
            std::sort(result.begin(), result.end());
            return result;
        };
        QCOMPARE(ids(QStringLiteral("DONE")), (QList<qint64>{percent, hundred}));  // case-insensitive
        QCOMPARE(ids(QStringLiteral("0% d")), QList<qint64>{percent});             // % is literal
        QCOMPARE(ids(QStringLiteral("%")), QList<qint64>{percent});
        QCOMPARE(ids(QStringLiteral("e_c")), QList<qint64>{snake});   // _ is literal
        QCOMPARE(ids(QStringLiteral("temp")), QList<qint64>{body});   // message content
        QCOMPARE(ids(QStringLiteral("c:\\t")), QList<qint64>{body});  // a backslash is literal too
        QCOMPARE(ids(QStringLiteral("nothing like it")), QList<qint64>{});
        QCOMPARE(store.conversationCount(QStringLiteral("case")), 2);
        QVERIFY(store.conversationMatches(snakeX, QStringLiteral("xcase")));
        QVERIFY(!store.conversationMatches(snake, QStringLiteral("xcase")));
        QVERIFY(store.conversationMatches(snake, QString()));
    }

    void softDeleteRestoreAndPurge() {
        auto store = openOrFail(path("delete.sqlite3"));
        const qint64 keep = store.createConversation(QStringLiteral("keep"));
        const qint64 gone = store.createConversation(QStringLiteral("gone"));
        const qint64 last = store.createConversation(QStringLiteral("last"));
        const qint64 u = store.addMessage(gone, 0, MessageRole::User, QStringLiteral("secret"), {});
        const qint64 m = store.addMessage(gone, u, MessageRole::Model, QStringLiteral("reply"), {});
        QVERIFY(store.setMessageState(m, QStringLiteral("gone.rgstate"), QStringLiteral("fp")));

        QVERIFY(store.deleteConversation(gone));
        QVERIFY(!store.conversation(gone));
        QCOMPARE(store.conversationCount(QString()), 2);
        QCOMPARE(store.conversationCount(QStringLiteral("secret")), 0);
        QVERIFY(!store.deleteConversation(gone));                                         // already deleted
        QVERIFY(store.referencedStateFiles()->contains(QStringLiteral("gone.rgstate")));  // still undoable

        QVERIFY(store.restoreConversation(gone));
        const auto list = store.conversations(QString(), 0, 10);
        QCOMPARE(list.size(), 3);
        QCOMPARE(list[0].id, gone);  // back where it was (it was the most recently updated)
        QCOMPARE(store.currentPath(gone).size(), 2);
        QVERIFY(!store.restoreConversation(gone));  // not deleted

        QVERIFY(store.deleteConversation(gone));
        QVERIFY(store.deleteConversation(last));
        QVERIFY(store.purgeDeleted());
        QVERIFY(!store.restoreConversation(gone));
        QVERIFY(!store.message(u));  // ON DELETE CASCADE: foreign keys are on
        QVERIFY(!store.message(m));
        QCOMPARE(store.referencedStateFiles(), QStringList());
        QCOMPARE(store.conversations(QString(), 0, 10).size(), 1);
        QCOMPARE(store.conversations(QString(), 0, 10).at(0).id, keep);
    }

    void reopenFindsEverythingInWalMode() {
        const QString file = path("reopen.sqlite3");
        qint64 c = 0, u = 0, m = 0;
        {
            auto store = openOrFail(file);
            c = store.createConversation(QStringLiteral("persisted"));
            QVERIFY(store.setSystemPrompt(c, QStringLiteral("sys")));
            u = store.addMessage(c, 0, MessageRole::User, QStringLiteral("q"), {1, 2});
            m = store.addMessage(c, u, MessageRole::Model, QStringLiteral("a"), {3});
            QVERIFY(store.selectBranch(u));
            // Another connection sees WAL (a property of the file) and the current schema version.
            QCOMPARE(rawQuery(file, {QStringLiteral("PRAGMA journal_mode")}).toString(), QStringLiteral("wal"));
        }
        QCOMPARE(rawQuery(file, {QStringLiteral("PRAGMA user_version")}).toInt(), ConversationStore::schemaVersion());
        auto store = openOrFail(file);
        const auto summary = store.conversation(c);
        QVERIFY(summary);
        QCOMPARE(summary->title, QStringLiteral("persisted"));
        QCOMPARE(summary->systemPrompt, QStringLiteral("sys"));
        QCOMPARE(summary->currentLeafId, m);
        const auto path = store.currentPath(c);
        QCOMPARE(path.size(), 2);
        QCOMPARE(path[0].tokens, (QVector<qint32>{1, 2}));
        QCOMPARE(path[1].content, QStringLiteral("a"));
    }

    void secondConnectionWithTheSameNameIsRefused() {
        auto store = openOrFail(path("name.sqlite3"));
        QString error;
        QVERIFY(!ConversationStore::open(path("name2.sqlite3"), QStringLiteral("test"), &error));
        QVERIFY(error.contains(QStringLiteral("test")));
        QVERIFY(store.createConversation(QString()) > 0);  // the first one is unharmed
    }

    // A v1 file as the first release wrote it, made here by hand, is upgraded in place with its data.
    void migratesVersion1() {
        const QString file = path("v1.sqlite3");
        rawQuery(file, {
                           QStringLiteral("CREATE TABLE conversations (id INTEGER PRIMARY KEY, title TEXT NOT NULL "
                                          "DEFAULT '', system_prompt TEXT NOT NULL DEFAULT '', created_at INTEGER "
                                          "NOT NULL, updated_at INTEGER NOT NULL, current_leaf_id INTEGER)"),
                           QStringLiteral("CREATE TABLE messages (id INTEGER PRIMARY KEY, conversation_id INTEGER NOT "
                                          "NULL REFERENCES conversations(id) ON DELETE CASCADE, parent_id INTEGER "
                                          "REFERENCES messages(id) ON DELETE CASCADE, role TEXT NOT NULL CHECK (role "
                                          "IN ('user', 'model')), content TEXT NOT NULL DEFAULT '', tokens BLOB, "
                                          "created_at INTEGER NOT NULL, state_file TEXT NOT NULL DEFAULT '', "
                                          "model_fingerprint TEXT NOT NULL DEFAULT '', stop_reason TEXT NOT NULL "
                                          "DEFAULT '')"),
                           QStringLiteral("CREATE INDEX conversations_by_updated ON conversations(updated_at DESC, "
                                          "id DESC)"),
                           QStringLiteral("CREATE INDEX messages_by_parent ON messages(parent_id, created_at)"),
                           QStringLiteral("CREATE INDEX messages_by_conversation ON messages(conversation_id)"),
                           QStringLiteral("INSERT INTO conversations VALUES (7, 'old chat', '', 1000, 2000, 11)"),
                           QStringLiteral("INSERT INTO messages (id, conversation_id, parent_id, role, content, "
                                          "tokens, created_at) VALUES (10, 7, NULL, 'user', 'q', x'0200000001000000', "
                                          "1000), (11, 7, 10, 'model', 'a', NULL, 2000)"),
                           QStringLiteral("PRAGMA user_version = 1"),
                       });
        auto store = openOrFail(file);
        const auto path = store.currentPath(7);
        QCOMPARE(path.size(), 2);
        QCOMPARE(path[0].tokens, (QVector<qint32>{2, 1}));
        QCOMPARE(store.conversation(7)->updatedAt, QDateTime::fromMSecsSinceEpoch(2000, Qt::UTC));
        QVERIFY(store.deleteConversation(7));  // version 2's soft delete works on the old data
        QCOMPARE(store.conversationCount(QString()), 0);
        QVERIFY(store.restoreConversation(7));
        QCOMPARE(rawQuery(file, {QStringLiteral("PRAGMA user_version")}).toInt(), ConversationStore::schemaVersion());
    }

    void newerVersionIsRefusedAndUntouched() {
        const QString file = path("newer.sqlite3");
        rawQuery(file, {QStringLiteral("CREATE TABLE future (x)"),
                        QStringLiteral("PRAGMA user_version = %1").arg(ConversationStore::schemaVersion() + 1)});
        expectRefused(file, ConversationStore::OpenError::TooNew);
    }

    void garbageIsRefusedAndUntouched_data() {
        QTest::addColumn<int>("size");
        QTest::newRow("short") << 50;  // SQLite alone would take this for an empty database and overwrite it
        QTest::newRow("pages") << 64 * 1024;
    }
    void garbageIsRefusedAndUntouched() {
        QFETCH(int, size);
        const QString file = path(QStringLiteral("garbage%1.bin").arg(size));
        QByteArray bytes(size, Qt::Uninitialized);
        QRandomGenerator generator(size);
        for (char& byte : bytes) byte = char(generator.bounded(256));
        writeAll(file, bytes);
        expectRefused(file, ConversationStore::OpenError::NotADatabase);
    }

    void damagedDatabaseIsRefusedAndUntouched() {
        const QString file = path("damaged.sqlite3");
        {
            auto store = openOrFail(file);
            for (int i = 0; i < 300; ++i) store.createConversation(QStringLiteral("conversation %1").arg(i));
        }  // the last connection checkpoints the WAL into the file
        QByteArray bytes = readAll(file);
        QVERIFY(bytes.size() > 4 * 4096);
        for (int i = 2 * 4096; i < 4 * 4096; ++i) bytes[i] = char(0xA5);  // b-tree pages of the conversations
        writeAll(file, bytes);
        expectRefused(file, ConversationStore::OpenError::Corrupt);
    }

    // A zero-length file is what SQLite leaves if the app dies before the first write: there is nothing to keep,
    // so it becomes a new, empty database.
    void zeroLengthFileIsANewDatabase() {
        const QString file = path("empty.sqlite3");
        writeAll(file, QByteArray());
        auto store = openOrFail(file);
        QCOMPARE(store.conversationCount(QString()), 0);
        QVERIFY(store.createConversation(QStringLiteral("first")) > 0);
    }

    void aThousandConversationsPage() {
        auto store = openOrFail(path("thousand.sqlite3"));
        for (int i = 0; i < 1000; ++i) QVERIFY(store.createConversation(QStringLiteral("chat %1").arg(i)) > 0);
        QCOMPARE(store.conversationCount(QString()), 1000);
        const auto first = store.conversations(QString(), 0, 50);
        QCOMPARE(first.size(), 50);
        QCOMPARE(first[0].title, QStringLiteral("chat 999"));
        QCOMPARE(store.conversations(QString(), 50, 50).at(0).title, QStringLiteral("chat 949"));
        QCOMPARE(store.conversations(QString(), 990, 50).size(), 10);
        QCOMPARE(store.conversationCount(QStringLiteral("chat 99")), 11);
    }
};

QTEST_GUILESS_MAIN(TestConversationStore)
#include "test_conversation_store.moc"
