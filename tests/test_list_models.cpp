// test_list_models — ConversationListModel and MessageModel over a real store, each watched by
// QAbstractItemModelTester through every operation: lazy paging, filtering, single-conversation updates without
// resets, branch roles, branch switches that keep the shared rows, and streaming that changes one row's content.
#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include "conversation_list_model.h"
#include "conversation_store.h"
#include "message_model.h"

namespace {

QList<qint64> idsOf(const ConversationListModel& model) {
    QList<qint64> ids;
    for (int row = 0; row < model.rowCount(); ++row) ids.append(model.idAt(row));
    return ids;
}

}  // namespace

class TestListModels : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    std::optional<ConversationStore> m_store;

  private slots:
    void init() {
        QVERIFY(m_dir.isValid());
        QString error;
        m_store =
            ConversationStore::open(m_dir.filePath(QStringLiteral("%1.sqlite3").arg(QTest::currentTestFunction())),
                                    QStringLiteral("models"), &error);
        QVERIFY2(m_store, qPrintable(error));
    }
    void cleanup() { m_store.reset(); }

    void conversationsArePagedLazily() {
        for (int i = 0; i < 120; ++i) m_store->createConversation(QStringLiteral("chat %1").arg(i));
        ConversationListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.rowCount(), 0);
        QVERIFY(!model.canFetchMore({}));
        model.setStore(&*m_store);
        QCOMPARE(model.rowCount(), 50);
        QVERIFY(model.canFetchMore({}));
        model.fetchMore({});
        QCOMPARE(model.rowCount(), 100);
        model.fetchMore({});
        QCOMPARE(model.rowCount(), 120);
        QVERIFY(!model.canFetchMore({}));
        QCOMPARE(model.property("count").toInt(), 120);

        const QModelIndex top = model.index(0);
        QCOMPARE(top.data(ConversationListModel::TitleRole).toString(), QStringLiteral("chat 119"));
        QCOMPARE(model.data(model.index(119), ConversationListModel::TitleRole).toString(), QStringLiteral("chat 0"));
        QCOMPARE(top.data(ConversationListModel::IdRole), top.data(ConversationListModel::ConversationIdRole));
        QCOMPARE(top.data(ConversationListModel::UpdatedAtRole).metaType(), QMetaType::fromType<QDateTime>());
        QVERIFY(!top.data(ConversationListModel::SubtitleRole).toString().isEmpty());
        QCOMPARE(top.data(ConversationListModel::SectionRole).toString(), QStringLiteral("Today"));
        QVERIFY(model.roleNames().values().contains("conversationId"));
        QCOMPARE(model.indexOfId(model.idAt(7)), 7);
        QCOMPARE(model.indexOfId(-5), -1);
        QCOMPARE(model.idAt(500), 0);
    }

    void filterRequeries() {
        for (int i = 0; i < 60; ++i)
            m_store->createConversation(QStringLiteral("%1 %2").arg(i % 2 ? "odd" : "even").arg(i));
        const qint64 body = m_store->createConversation(QStringLiteral("neither"));
        m_store->addMessage(body, 0, MessageRole::User, QStringLiteral("an ODD question"), {});
        ConversationListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setStore(&*m_store);
        QSignalSpy filterChanged(&model, &ConversationListModel::filterChanged);
        model.setFilter(QStringLiteral("odd"));
        QCOMPARE(filterChanged.size(), 1);
        QCOMPARE(model.rowCount(), 31);  // 30 titles and one message
        QCOMPARE(model.idAt(0), body);
        QVERIFY(!model.canFetchMore({}));
        model.setFilter(QStringLiteral("odd"));
        QCOMPARE(filterChanged.size(), 1);
        model.setFilter(QStringLiteral("no such thing"));
        QCOMPARE(model.rowCount(), 0);
        model.setFilter(QString());
        QCOMPARE(model.rowCount(), 50);
        QVERIFY(model.canFetchMore({}));
    }

    // Each write to one conversation moves, inserts, updates or removes one row; nothing resets.
    void singleConversationUpdates() {
        QList<qint64> ids;
        for (int i = 0; i < 120; ++i) ids.prepend(m_store->createConversation(QStringLiteral("chat %1").arg(i)));
        ConversationListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setStore(&*m_store);
        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
        QSignalSpy moves(&model, &QAbstractItemModel::rowsMoved);

        m_store->addMessage(ids[10], 0, MessageRole::User, QStringLiteral("hi"), {});
        model.conversationChanged(ids[10]);
        QCOMPARE(moves.size(), 1);
        QCOMPARE(model.idAt(0), ids[10]);
        QCOMPARE(model.idAt(10), ids[9]);

        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        m_store->renameConversation(ids[3], QStringLiteral("renamed"));
        model.conversationChanged(ids[3]);
        QCOMPARE(changed.size(), 1);
        QCOMPARE(model.data(model.index(model.indexOfId(ids[3])), ConversationListModel::TitleRole).toString(),
                 QStringLiteral("renamed"));

        const qint64 created = m_store->createConversation(QStringLiteral("new"));
        model.conversationChanged(created);
        QCOMPARE(model.idAt(0), created);
        QCOMPARE(model.rowCount(), 51);

        m_store->deleteConversation(ids[20]);
        model.conversationChanged(ids[20]);
        QCOMPARE(model.indexOfId(ids[20]), -1);
        m_store->restoreConversation(ids[20]);
        model.conversationChanged(ids[20]);
        QCOMPARE(model.idAt(model.indexOfId(ids[19]) + 1), ids[20]);  // back in its place

        // One not loaded yet (row 110 of the store) gets a message: it appears on top, and the later pages
        // neither repeat nor lose anything.
        m_store->addMessage(ids[110], 0, MessageRole::User, QStringLiteral("revived"), {});
        model.conversationChanged(ids[110]);
        QCOMPARE(model.idAt(0), ids[110]);
        model.conversationChanged(ids[115]);  // unchanged and not loaded: nothing to do
        QCOMPARE(model.indexOfId(ids[115]), -1);
        while (model.canFetchMore({})) model.fetchMore({});
        const QList<qint64> all = idsOf(model);
        QCOMPARE(all.size(), 121);
        QCOMPARE(QSet<qint64>(all.begin(), all.end()).size(), 121);
        QCOMPARE(resets.size(), 0);
        QVERIFY(!m_store->conversations(QString(), 0, 121).isEmpty());
        for (int row = 0; row < all.size(); ++row) QCOMPARE(all[row], m_store->conversations(QString(), row, 1)[0].id);

        // Under a filter, a conversation that stops matching leaves the list.
        model.setFilter(QStringLiteral("renamed"));
        QCOMPARE(model.rowCount(), 1);
        m_store->renameConversation(ids[3], QStringLiteral("other"));
        model.conversationChanged(ids[3]);
        QCOMPARE(model.rowCount(), 0);
        model.setStore(nullptr);
        QCOMPARE(model.rowCount(), 0);
    }

    void messageRowsCarryBranchInfo() {
        const qint64 c = m_store->createConversation(QStringLiteral("tree"));
        const qint64 u1 = m_store->addMessage(c, 0, MessageRole::User, QStringLiteral("q"), {});
        const qint64 m1 = m_store->addMessage(c, u1, MessageRole::Model, QStringLiteral("a"), {});
        const qint64 m1b = m_store->addMessage(c, u1, MessageRole::Model, QStringLiteral("a again"), {});
        const qint64 u2 = m_store->addMessage(c, m1b, MessageRole::User, QStringLiteral("more"), {});
        MessageModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.load(&*m_store, c);
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.property("count").toInt(), 3);
        const auto at = [&](int row, MessageModel::Role role) { return model.index(row).data(role); };
        QCOMPARE(at(0, MessageModel::RoleRole).toString(), QStringLiteral("user"));
        QCOMPARE(at(1, MessageModel::RoleRole).toString(), QStringLiteral("model"));
        QCOMPARE(at(1, MessageModel::ContentRole).toString(), QStringLiteral("a again"));
        QCOMPARE(at(1, MessageModel::SiblingIndexRole).toInt(), 1);
        QCOMPARE(at(1, MessageModel::SiblingCountRole).toInt(), 2);
        QCOMPARE(at(0, MessageModel::SiblingCountRole).toInt(), 1);
        QCOMPARE(at(2, MessageModel::MessageIdRole).toLongLong(), u2);
        QCOMPARE(at(2, MessageModel::StreamingRole).toBool(), false);
        QVERIFY(at(2, MessageModel::CreatedAtRole).toDateTime().isValid());
        QCOMPARE(model.rowOfMessage(m1b), 1);
        QCOMPARE(model.messageIdAt(1), m1b);
        QCOMPARE(model.contentAt(0), QStringLiteral("q"));
        QCOMPARE(model.contentAt(9), QString());

        // Switching to the other alternative keeps the first row and replaces the rest, without a reset.
        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        QVERIFY(m_store->selectBranch(m1));
        model.load(&*m_store, c);
        QCOMPARE(resets.size(), 0);
        QCOMPARE(removed.size(), 1);
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.messageIdAt(1), m1);
        QCOMPARE(at(1, MessageModel::SiblingIndexRole).toInt(), 0);

        const qint64 other = m_store->createConversation(QStringLiteral("other"));
        model.load(&*m_store, other);
        QCOMPARE(resets.size(), 1);
        QCOMPARE(model.rowCount(), 0);
        model.load(&*m_store, c);
        model.truncateFrom(1);
        QCOMPARE(model.rowCount(), 1);
        model.clear();
        QCOMPARE(model.rowCount(), 0);
    }

    void streamingChangesOnlyOneRowsContent() {
        const qint64 c = m_store->createConversation(QStringLiteral("stream"));
        const qint64 u1 = m_store->addMessage(c, 0, MessageRole::User, QStringLiteral("q"), {});
        const qint64 m1 = m_store->addMessage(c, u1, MessageRole::Model, QStringLiteral("first"), {});
        MessageModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.load(&*m_store, c);

        // Regenerate: the old reply goes, a streaming one takes its place.
        model.truncateFrom(1);
        const int row = model.appendStreamingReply();
        QCOMPARE(row, 1);
        QCOMPARE(model.index(row).data(MessageModel::StreamingRole).toBool(), true);
        QCOMPARE(model.messageIdAt(row), 0);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
        QSignalSpy layouts(&model, &QAbstractItemModel::layoutChanged);
        for (const char* piece : {"Hel", "lo", ", world"}) {
            changed.clear();
            model.appendText(row, QString::fromUtf8(piece));
            QCOMPARE(changed.size(), 1);
            QCOMPARE(changed[0][0].toModelIndex(), model.index(row));
            QCOMPARE(changed[0][1].toModelIndex(), model.index(row));
            QCOMPARE(changed[0][2].value<QList<int>>(), QList<int>{MessageModel::ContentRole});
        }
        QCOMPARE(model.contentAt(row), QStringLiteral("Hello, world"));
        QCOMPARE(resets.size(), 0);
        QCOMPARE(layouts.size(), 0);
        model.appendText(7, QStringLiteral("nowhere"));  // a stale row is ignored

        const qint64 m1b = m_store->addMessage(c, u1, MessageRole::Model, QStringLiteral("Hello, world"), {});
        model.finishStreaming(row, m1b);
        QCOMPARE(model.index(row).data(MessageModel::StreamingRole).toBool(), false);
        QCOMPARE(model.messageIdAt(row), m1b);
        QCOMPARE(model.index(row).data(MessageModel::SiblingIndexRole).toInt(), 1);
        QCOMPARE(model.index(row).data(MessageModel::SiblingCountRole).toInt(), 2);
        model.load(&*m_store, c);  // already in sync: nothing changes
        QCOMPARE(resets.size(), 0);
        QCOMPARE(model.rowCount(), 2);

        // Reloading after another generation turns the streamed row into the stored reply in place.
        const qint64 u2 = m_store->addMessage(c, m1b, MessageRole::User, QStringLiteral("q2"), {});
        QCOMPARE(model.appendMessage(*m_store->message(u2)), 2);
        const int streamed = model.appendStreamingReply();
        model.appendText(streamed, QStringLiteral("Hi"));
        const qint64 m2 = m_store->addMessage(c, u2, MessageRole::Model, QStringLiteral("Hi"), {});
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        model.load(&*m_store, c);
        QCOMPARE(inserted.size() + removed.size() + resets.size(), 0);
        QCOMPARE(model.messageIdAt(streamed), m2);
        QCOMPARE(model.index(streamed).data(MessageModel::StreamingRole).toBool(), false);

        // Edit: a sibling of the user message, appended after dropping the old tail.
        const qint64 u1b = m_store->addMessage(c, 0, MessageRole::User, QStringLiteral("q edited"), {});
        model.truncateFrom(0);
        QCOMPARE(model.appendMessage(*m_store->message(u1b)), 0);
        QCOMPARE(model.index(0).data(MessageModel::SiblingCountRole).toInt(), 2);
        const int reply = model.appendStreamingReply();
        model.appendText(reply, QStringLiteral("unsaved"));
        model.finishStreaming(reply, 0);  // the write failed: the text stays
        QCOMPARE(model.contentAt(reply), QStringLiteral("unsaved"));
        QCOMPARE(model.index(reply).data(MessageModel::StreamingRole).toBool(), false);
        model.setRowMessage(0, *m_store->message(m1));
        QCOMPARE(model.contentAt(0), QStringLiteral("first"));
    }
};

QTEST_GUILESS_MAIN(TestListModels)
#include "test_list_models.moc"
