// database_salvage.cpp — see database_salvage.h. Why row by row through Qt SQL rather than `sqlite3 .recover`:
// Debian's libsqlite3 does not export the recovery extension, the shell would be a new package dependency and a
// process to run and parse at start, and what the app needs back is its own three tables, which a scan in rowid
// order that steps over damaged pages reads without either.
#include "database_salvage.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QFile>
#include <QHash>
#include <QMap>
#include <QSet>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QUrl>
#include <algorithm>
#include <functional>
#include <limits>

#include "conversation_store.h"

namespace {

// Every row of `table` that SQLite can still reach, in rowid order. A damaged page ends a scan with an error; the
// scan then starts again past the last row read, seeking further and further on (1, 2, 4... rowids) until a seek
// reads rows again, so the rows on the far side of the damage are read too. A table whose schema is lost yields
// nothing.
void readReachableRows(const QSqlDatabase& db, const QString& table,
                       const std::function<void(const QSqlRecord&)>& take) {
    constexpr qint64 kLastRowid = std::numeric_limits<qint64>::max();
    qint64 from = std::numeric_limits<qint64>::min();
    qint64 skip = 1;
    for (int attempt = 0; attempt < 4096; ++attempt) {
        QSqlQuery q(db);
        q.setForwardOnly(true);
        if (!q.prepare(
                QStringLiteral("SELECT rowid AS salvage_rowid, * FROM %1 WHERE rowid >= ? ORDER BY rowid").arg(table)))
            return;
        q.addBindValue(from);
        bool gotRows = false;
        qint64 last = from;
        if (q.exec()) {
            while (q.next()) {
                const QSqlRecord record = q.record();
                last = record.value(0).toLongLong();
                gotRows = true;
                take(record);
            }
        }
        if (!q.lastError().isValid()) return;  // read to the end
        if (gotRows) skip = 1;
        const qint64 base = gotRows ? last : from;
        if (base > kLastRowid - skip) return;  // past every rowid there can be
        from = base + skip;
        if (!gotRows) skip = skip > kLastRowid / 2 ? kLastRowid : skip * 2;
    }
}

QDateTime fromMs(const QVariant& ms) { return QDateTime::fromMSecsSinceEpoch(ms.toLongLong(), Qt::UTC); }

struct OldConversation {
    qint64 id = 0;
    qint64 updatedAt = 0;
    qint64 currentLeaf = 0;
    NewConversation conversation;
};

StoredMessage messageFrom(const QSqlRecord& r) {
    StoredMessage m;
    m.id = r.value(QStringLiteral("id")).toLongLong();
    m.conversationId = r.value(QStringLiteral("conversation_id")).toLongLong();
    m.parentId = r.value(QStringLiteral("parent_id")).toLongLong();
    m.role =
        r.value(QStringLiteral("role")).toString() == QLatin1String("model") ? MessageRole::Model : MessageRole::User;
    m.content = r.value(QStringLiteral("content")).toString();
    m.tokens = ConversationStore::tokensFromBlob(r.value(QStringLiteral("tokens")).toByteArray());
    m.createdAt = fromMs(r.value(QStringLiteral("created_at")));
    m.stateFile = r.value(QStringLiteral("state_file")).toString();
    m.modelFingerprint = r.value(QStringLiteral("model_fingerprint")).toString();
    m.stopReason = r.value(QStringLiteral("stop_reason")).toString();
    return m;
}

// Turns one old conversation's messages (ids ascending: parents were always written first) into the tree that
// insertConversation() takes: parents as indices, orphans as roots without their states.
void buildTree(OldConversation& old, QList<StoredMessage> messages) {
    std::sort(messages.begin(), messages.end(),
              [](const StoredMessage& a, const StoredMessage& b) { return a.id < b.id; });
    QHash<qint64, qsizetype> indexOf;
    QSet<qint64> uncertainHistory;  // lost a message above them: their states no longer match their path
    for (StoredMessage m : messages) {
        const qint64 oldId = m.id;
        const bool parentKept = m.parentId == 0 || indexOf.contains(m.parentId);
        if (!parentKept || uncertainHistory.contains(m.parentId)) {
            uncertainHistory.insert(oldId);
            m.stateFile.clear();
            m.modelFingerprint.clear();
        }
        m.parentId = parentKept && m.parentId != 0 ? indexOf.value(m.parentId) : -1;
        indexOf.insert(oldId, old.conversation.messages.size());
        old.conversation.messages.append(m);
    }
    if (!messages.isEmpty())
        old.conversation.currentLeaf = indexOf.value(old.currentLeaf, old.conversation.messages.size() - 1);
}

}  // namespace

SalvageReport salvageDatabase(const QString& damagedPath, ConversationStore& into) {
    SalvageReport report;
    const QString connection = QStringLiteral("salvage-%1").arg(reinterpret_cast<quintptr>(&into));
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), connection);
        // Read only, so its WAL (set aside with it) is never checkpointed into it. Without a WAL the file is
        // opened immutable: a read-only WAL-mode database would otherwise get new -wal and -shm files beside it.
        if (QFile::exists(damagedPath + QStringLiteral("-wal"))) {
            db.setDatabaseName(damagedPath);
            db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY"));
        } else {
            db.setDatabaseName(QUrl::fromLocalFile(damagedPath).toString(QUrl::FullyEncoded) +
                               QStringLiteral("?immutable=1"));
            db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY;QSQLITE_OPEN_URI"));
        }
        if (db.open()) {
            QMap<qint64, OldConversation> conversations;
            QSet<qint64> deleted;
            readReachableRows(db, QStringLiteral("conversations"), [&](const QSqlRecord& r) {
                const qint64 id = r.value(QStringLiteral("id")).toLongLong();
                if (!r.value(QStringLiteral("deleted_at")).isNull()) {
                    deleted.insert(id);  // the user deleted it; it would be purged at this start anyway
                    return;
                }
                OldConversation& old = conversations[id];
                old.id = id;
                old.updatedAt = r.value(QStringLiteral("updated_at")).toLongLong();
                old.currentLeaf = r.value(QStringLiteral("current_leaf_id")).toLongLong();
                old.conversation.title = r.value(QStringLiteral("title")).toString();
                old.conversation.systemPrompt = r.value(QStringLiteral("system_prompt")).toString();
                old.conversation.createdAt = fromMs(r.value(QStringLiteral("created_at")));
            });
            QHash<qint64, QList<StoredMessage>> messages;
            readReachableRows(db, QStringLiteral("messages"), [&](const QSqlRecord& r) {
                const StoredMessage m = messageFrom(r);
                if (!deleted.contains(m.conversationId)) messages[m.conversationId].append(m);
            });
            for (auto it = messages.begin(); it != messages.end(); ++it) {
                OldConversation& old = conversations[it.key()];
                if (old.id == 0) {  // its row was lost: the messages still deserve a home
                    old.id = it.key();
                    old.conversation.title = QCoreApplication::translate("DatabaseSalvage", "Recovered chat");
                    old.conversation.createdAt = it->isEmpty() ? QDateTime() : it->constFirst().createdAt;
                    for (const StoredMessage& m : *it)
                        old.updatedAt = std::max(old.updatedAt, m.createdAt.toMSecsSinceEpoch());
                }
                buildTree(old, *it);
            }
            // Oldest first: each insert becomes the most recently updated, so the list keeps its order.
            QList<OldConversation> ordered = conversations.values();
            std::stable_sort(ordered.begin(), ordered.end(), [](const OldConversation& a, const OldConversation& b) {
                return a.updatedAt < b.updatedAt;
            });
            for (const OldConversation& old : ordered) {
                if (into.insertConversation(old.conversation) == 0) continue;
                ++report.conversations;
                report.messages += int(old.conversation.messages.size());
            }
            readReachableRows(db, QStringLiteral("starting_points"), [&](const QSqlRecord& r) {
                StoredStartingPoint point;
                point.name = r.value(QStringLiteral("name")).toString();
                point.transcript = r.value(QStringLiteral("transcript")).toByteArray();
                point.stateFile = r.value(QStringLiteral("state_file")).toString();
                point.modelFingerprint = r.value(QStringLiteral("model_fingerprint")).toString();
                if (into.addStartingPoint(point) != 0) ++report.startingPoints;
            });
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(connection);
    return report;
}
