// starting_point_queries.cpp — ConversationStore's queries on starting points (schema step 3): add, list, read one,
// rename, delete. Their state files are in referencedStateFiles(), so the start-up sweep keeps them.
#include <QSqlQuery>

#include "conversation_store.h"
#include "conversation_store_sql.h"

namespace {

StoredStartingPoint pointFrom(const QSqlQuery& q) {
    return {q.value(0).toLongLong(),
            q.value(1).toString(),
            QDateTime::fromMSecsSinceEpoch(q.value(2).toLongLong(), Qt::UTC),
            q.value(3).toByteArray(),
            q.value(4).toString(),
            q.value(5).toString()};
}

}  // namespace

qint64 ConversationStore::addStartingPoint(const StoredStartingPoint& point) {
    qint64 id = 0;
    const bool ok = inTransaction([&] {
        QSqlQuery q(database());
        if (!exec(q,
                  QStringLiteral("INSERT INTO starting_points (name, created_at, transcript, state_file, "
                                 "model_fingerprint) VALUES (coalesce(?, ''), ?, ?, coalesce(?, ''), coalesce(?, ''))"),
                  {point.name, nextTimestamp(), point.transcript, point.stateFile, point.modelFingerprint}))
            return false;
        id = q.lastInsertId().toLongLong();
        return true;
    });
    return ok ? id : 0;
}

QList<StoredStartingPoint> ConversationStore::startingPoints() const {
    return selectAll<StoredStartingPoint>(
        QStringLiteral("SELECT id, name, created_at, NULL, state_file, model_fingerprint FROM starting_points "
                       "ORDER BY created_at DESC, id DESC"),
        {}, pointFrom);
}

std::optional<StoredStartingPoint> ConversationStore::startingPoint(qint64 id) const {
    const auto rows = selectAll<StoredStartingPoint>(
        QStringLiteral("SELECT id, name, created_at, transcript, state_file, model_fingerprint FROM starting_points "
                       "WHERE id = ?"),
        {id}, pointFrom);
    return rows.isEmpty() ? std::nullopt : std::optional(rows.first());
}

bool ConversationStore::renameStartingPoint(qint64 id, const QString& name) {
    return updateOne(QStringLiteral("UPDATE starting_points SET name = coalesce(?, '') WHERE id = ?"), {name, id},
                     tr("No starting point %1.").arg(id));
}

bool ConversationStore::deleteStartingPoint(qint64 id) {
    return updateOne(QStringLiteral("DELETE FROM starting_points WHERE id = ?"), {id},
                     tr("No starting point %1.").arg(id));
}
