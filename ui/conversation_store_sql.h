// ui/conversation_store_sql.h — ConversationStore's query templates, for its own .cpp files only (opening and
// queries): a transaction around a body, and a SELECT mapped row by row.
#pragma once

#include <QSqlError>
#include <QSqlQuery>

#include "conversation_store.h"

template <typename Body>
bool ConversationStore::inTransaction(Body body) {
    QSqlDatabase db = database();
    if (!db.transaction()) return fail(tr("Database error: %1").arg(db.lastError().text()));
    if (!body()) {  // the body's queries are gone by now, so nothing keeps the transaction busy
        db.rollback();
        return false;
    }
    if (!db.commit()) {
        const QString text = db.lastError().text();
        db.rollback();
        return fail(tr("Database error: %1").arg(text));
    }
    return true;
}

template <typename T, typename Read>
QList<T> ConversationStore::selectAll(const QString& sql, const QVariantList& values, Read read) const {
    QSqlQuery q(database());
    QList<T> rows;
    if (exec(q, sql, values))
        while (q.next()) rows.append(read(q));
    return rows;
}
