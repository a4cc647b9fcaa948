// ui/conversation_queries.cpp — ConversationStore's queries: conversations (list, search, rename, delete and
// undo), messages and their branches, and the state files they name. Every write is one transaction.
#include <QSqlError>
#include <QSqlQuery>
#include <QtEndian>

#include "conversation_store.h"
#include "conversation_store_sql.h"

namespace {

// Qt binds a null QString as NULL and the text columns are NOT NULL: text parameters are written as
// coalesce(?, ''), so a null string is stored as an empty one.
const char* const kConversationColumns =
    "c.id, c.title, c.system_prompt, c.created_at, c.updated_at, c.current_leaf_id";
const char* const kMessageColumns =
    "m.id, m.conversation_id, m.parent_id, m.role, m.content, m.tokens, m.created_at, m.state_file, "
    "m.model_fingerprint, m.stop_reason";

QDateTime fromMs(const QVariant& ms) { return QDateTime::fromMSecsSinceEpoch(ms.toLongLong(), Qt::UTC); }

QByteArray tokensToBlob(const QVector<qint32>& tokens) {
    QByteArray blob(tokens.size() * qsizetype(sizeof(qint32)), Qt::Uninitialized);
    // Not for none: an empty vector's data() is null, and memcpy from null is undefined even for 0 bytes.
    if (!tokens.isEmpty()) qToLittleEndian<qint32>(tokens.constData(), tokens.size(), blob.data());
    return blob;
}

ConversationSummary summaryFrom(const QSqlQuery& q) {
    return {q.value(0).toLongLong(), q.value(1).toString(), q.value(2).toString(),
            fromMs(q.value(3)),      fromMs(q.value(4)),    q.value(5).toLongLong()};
}

StoredMessage messageFrom(const QSqlQuery& q) {
    return {q.value(0).toLongLong(),
            q.value(1).toLongLong(),
            q.value(2).toLongLong(),
            q.value(3).toString() == QLatin1String("model") ? MessageRole::Model : MessageRole::User,
            q.value(4).toString(),
            ConversationStore::tokensFromBlob(q.value(5).toByteArray()),
            fromMs(q.value(6)),
            q.value(7).toString(),
            q.value(8).toString(),
            q.value(9).toString()};
}

// NULL for 0: roots have no parent, and a foreign key cannot point at 0.
QVariant idOrNull(qint64 id) { return id == 0 ? QVariant() : QVariant(id); }

// The WHERE clause of the list queries: live conversations, matching `filter` in the title or any message when it
// is not empty. LIKE is enough for thousands of conversations; % and _ in the user's text are matched literally.
QString listWhere(const QString& filter, QVariantList* values) {
    QString where = QStringLiteral("c.deleted_at IS NULL");
    if (filter.isEmpty()) return where;
    QString escaped = filter;
    escaped.replace(u'\\', QLatin1String("\\\\"))
        .replace(u'%', QLatin1String("\\%"))
        .replace(u'_', QLatin1String("\\_"));
    const QString pattern = u'%' + escaped + u'%';
    values->append(pattern);
    values->append(pattern);
    return where + QStringLiteral(R"( AND (c.title LIKE ? ESCAPE '\' OR EXISTS (SELECT 1 FROM messages m
                                      WHERE m.conversation_id = c.id AND m.content LIKE ? ESCAPE '\')))");
}

}  // namespace

qint64 ConversationStore::createConversation(const QString& title) {
    qint64 id = 0;
    const bool ok = inTransaction([&] {
        const qint64 now = nextTimestamp();
        QSqlQuery q(database());
        if (!exec(q,
                  QStringLiteral("INSERT INTO conversations (title, created_at, updated_at) "
                                 "VALUES (coalesce(?, ''), ?, ?)"),
                  {title, now, now}))
            return false;
        id = q.lastInsertId().toLongLong();
        return true;
    });
    return ok ? id : 0;
}

QList<ConversationSummary> ConversationStore::conversations(const QString& filter, int offset, int limit) const {
    QVariantList values;
    const QString where = listWhere(filter, &values);
    values << limit << offset;
    return selectAll<ConversationSummary>(
        QStringLiteral("SELECT %1 FROM conversations c WHERE %2 ORDER BY c.updated_at DESC, c.id DESC LIMIT ? OFFSET ?")
            .arg(QLatin1String(kConversationColumns), where),
        values, summaryFrom);
}

int ConversationStore::conversationCount(const QString& filter) const {
    QVariantList values;
    const QString where = listWhere(filter, &values);
    const auto count = selectAll<int>(QStringLiteral("SELECT count(*) FROM conversations c WHERE %1").arg(where),
                                      values, [](const QSqlQuery& q) { return q.value(0).toInt(); });
    return count.value(0, 0);
}

bool ConversationStore::conversationMatches(qint64 id, const QString& filter) const {
    QVariantList values{id};
    const QString where = listWhere(filter, &values);
    return !selectAll<int>(QStringLiteral("SELECT 1 FROM conversations c WHERE c.id = ? AND %1").arg(where), values,
                           [](const QSqlQuery&) { return 1; })
                .isEmpty();
}

std::optional<ConversationSummary> ConversationStore::conversation(qint64 id) const {
    const auto rows = selectAll<ConversationSummary>(
        QStringLiteral("SELECT %1 FROM conversations c WHERE c.id = ? AND c.deleted_at IS NULL")
            .arg(QLatin1String(kConversationColumns)),
        {id}, summaryFrom);
    return rows.isEmpty() ? std::nullopt : std::optional(rows.first());
}

bool ConversationStore::renameConversation(qint64 id, const QString& title) {
    return updateOne(QStringLiteral("UPDATE conversations SET title = coalesce(?, '') "
                                    "WHERE id = ? AND deleted_at IS NULL"),
                     {title, id}, tr("No conversation %1.").arg(id));
}

bool ConversationStore::setSystemPrompt(qint64 id, const QString& systemPrompt) {
    return updateOne(QStringLiteral("UPDATE conversations SET system_prompt = coalesce(?, '') "
                                    "WHERE id = ? AND deleted_at IS NULL"),
                     {systemPrompt, id}, tr("No conversation %1.").arg(id));
}

bool ConversationStore::deleteConversation(qint64 id) {
    return updateOne(QStringLiteral("UPDATE conversations SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL"),
                     {nextTimestamp(), id}, tr("No conversation %1.").arg(id));
}

bool ConversationStore::restoreConversation(qint64 id) {
    return updateOne(
        QStringLiteral("UPDATE conversations SET deleted_at = NULL WHERE id = ? AND deleted_at IS NOT NULL"), {id},
        tr("No deleted conversation %1.").arg(id));
}

bool ConversationStore::purgeDeleted() {
    return inTransaction([&] {
        QSqlQuery q(database());
        return exec(q, QStringLiteral("DELETE FROM conversations WHERE deleted_at IS NOT NULL"));
    });
}

qint64 ConversationStore::addMessage(qint64 conversationId, qint64 parentId, MessageRole role, const QString& content,
                                     const QVector<qint32>& tokens) {
    qint64 id = 0;
    const bool ok = inTransaction([&] {
        QSqlQuery q(database());
        if (parentId != 0) {
            if (!exec(q, QStringLiteral("SELECT conversation_id FROM messages WHERE id = ?"), {parentId})) return false;
            if (!q.next() || q.value(0).toLongLong() != conversationId)
                return fail(tr("Message %1 is not in conversation %2.").arg(parentId).arg(conversationId));
        }
        const qint64 now = nextTimestamp();
        if (!exec(q,
                  QStringLiteral("INSERT INTO messages (conversation_id, parent_id, role, content, tokens, created_at) "
                                 "VALUES (?, ?, ?, coalesce(?, ''), ?, ?)"),
                  {conversationId, idOrNull(parentId), roleName(role), content, tokensToBlob(tokens), now}))
            return false;
        id = q.lastInsertId().toLongLong();
        if (!exec(q, QStringLiteral("UPDATE conversations SET current_leaf_id = ?, updated_at = ? WHERE id = ?"),
                  {id, now, conversationId}))
            return false;
        return q.numRowsAffected() > 0 || fail(tr("No conversation %1.").arg(conversationId));
    });
    return ok ? id : 0;
}

bool ConversationStore::updateMessage(qint64 id, const QString& content, const QVector<qint32>& tokens,
                                      const QString& stopReason) {
    return inTransaction([&] {
        QSqlQuery q(database());
        if (!exec(q,
                  QStringLiteral("UPDATE messages SET content = coalesce(?, ''), tokens = ?, "
                                 "stop_reason = coalesce(?, '') WHERE id = ?"),
                  {content, tokensToBlob(tokens), stopReason, id}))
            return false;
        if (q.numRowsAffected() == 0) return fail(tr("No message %1.").arg(id));
        return exec(q,
                    QStringLiteral("UPDATE conversations SET updated_at = ? "
                                   "WHERE id = (SELECT conversation_id FROM messages WHERE id = ?)"),
                    {nextTimestamp(), id});
    });
}

qint64 ConversationStore::addReply(const FinishedReply& reply) {
    qint64 id = 0;
    const bool ok = inTransaction([&] {
        QSqlQuery q(database());
        if (!exec(q, QStringLiteral("UPDATE messages SET tokens = ? WHERE id = ? AND conversation_id = ? AND role = ?"),
                  {tokensToBlob(reply.userTokens), reply.userMessageId, reply.conversationId,
                   roleName(MessageRole::User)}))
            return false;
        if (q.numRowsAffected() == 0)
            return fail(tr("Message %1 is not a user message in conversation %2.")
                            .arg(reply.userMessageId)
                            .arg(reply.conversationId));
        const qint64 now = nextTimestamp();
        if (!exec(q,
                  QStringLiteral("INSERT INTO messages (conversation_id, parent_id, role, content, tokens, created_at, "
                                 "stop_reason, state_file, model_fingerprint) "
                                 "VALUES (?, ?, ?, coalesce(?, ''), ?, ?, coalesce(?, ''), coalesce(?, ''), "
                                 "coalesce(?, ''))"),
                  {reply.conversationId, reply.userMessageId, roleName(MessageRole::Model), reply.text,
                   tokensToBlob(reply.tokens), now, reply.stopReason, reply.stateFile, reply.modelFingerprint}))
            return false;
        id = q.lastInsertId().toLongLong();
        if (!exec(q, QStringLiteral("UPDATE conversations SET current_leaf_id = ?, updated_at = ? WHERE id = ?"),
                  {id, now, reply.conversationId}))
            return false;
        return q.numRowsAffected() > 0 || fail(tr("No conversation %1.").arg(reply.conversationId));
    });
    return ok ? id : 0;
}

bool ConversationStore::setMessageState(qint64 id, const QString& stateFile, const QString& modelFingerprint) {
    return updateOne(QStringLiteral("UPDATE messages SET state_file = coalesce(?, ''), "
                                    "model_fingerprint = coalesce(?, '') WHERE id = ?"),
                     {stateFile, modelFingerprint, id}, tr("No message %1.").arg(id));
}

std::optional<StoredMessage> ConversationStore::message(qint64 id) const {
    const auto rows = selectAll<StoredMessage>(
        QStringLiteral("SELECT %1 FROM messages m WHERE m.id = ?").arg(QLatin1String(kMessageColumns)), {id},
        messageFrom);
    return rows.isEmpty() ? std::nullopt : std::optional(rows.first());
}

QList<StoredMessage> ConversationStore::pathUpFrom(const QString& start, qint64 id) const {
    // Up through parent_id in one query; the depth bound only guards against a damaged, cyclic tree.
    return selectAll<StoredMessage>(QStringLiteral(R"(WITH RECURSIVE up(id, depth) AS (
                                                          %1
                                                          UNION ALL
                                                          SELECT m.parent_id, up.depth + 1
                                                          FROM messages m JOIN up ON m.id = up.id
                                                          WHERE m.parent_id IS NOT NULL AND up.depth < 1000000)
                                                      SELECT %2 FROM up JOIN messages m ON m.id = up.id
                                                      ORDER BY up.depth DESC)")
                                        .arg(start, QLatin1String(kMessageColumns)),
                                    {id}, messageFrom);
}

QList<StoredMessage> ConversationStore::currentPath(qint64 conversationId) const {
    return pathUpFrom(QStringLiteral("SELECT current_leaf_id, 0 FROM conversations WHERE id = ?"), conversationId);
}

QList<StoredMessage> ConversationStore::pathTo(qint64 messageId) const {
    return pathUpFrom(QStringLiteral("SELECT id, 0 FROM messages WHERE id = ?"), messageId);
}

QList<qint64> ConversationStore::siblings(qint64 id) const {
    return selectAll<qint64>(
        QStringLiteral("SELECT s.id FROM messages s JOIN messages m ON m.id = ? "
                       "WHERE s.conversation_id = m.conversation_id AND s.parent_id IS m.parent_id "
                       "ORDER BY s.created_at, s.id"),
        {id}, [](const QSqlQuery& q) { return q.value(0).toLongLong(); });
}

bool ConversationStore::selectBranch(qint64 id) {
    return inTransaction([&] {
        QSqlQuery q(database());
        // Down from `id`, each step to the newest child, until a message has none.
        if (!exec(q, QStringLiteral(R"(WITH RECURSIVE down(id, depth) AS (
                                        SELECT id, 0 FROM messages WHERE id = ?
                                        UNION ALL
                                        SELECT (SELECT c.id FROM messages c WHERE c.parent_id = down.id
                                                ORDER BY c.created_at DESC, c.id DESC LIMIT 1), down.depth + 1
                                        FROM down WHERE down.id IS NOT NULL AND down.depth < 1000000)
                                    SELECT down.id, m.conversation_id FROM down JOIN messages m ON m.id = down.id
                                    ORDER BY down.depth DESC LIMIT 1)"),
                  {id}))
            return false;
        if (!q.next()) return fail(tr("No message %1.").arg(id));
        const qint64 leaf = q.value(0).toLongLong();
        const qint64 conversationId = q.value(1).toLongLong();
        q.finish();
        return exec(q, QStringLiteral("UPDATE conversations SET current_leaf_id = ? WHERE id = ?"),
                    {leaf, conversationId});
    });
}

std::optional<QStringList> ConversationStore::referencedStateFiles() const {
    QSqlQuery q(database());
    if (!exec(q, QStringLiteral("SELECT state_file FROM messages WHERE state_file <> '' UNION "
                                "SELECT state_file FROM starting_points WHERE state_file <> ''")))
        return std::nullopt;
    QStringList names;
    while (q.next()) names.append(q.value(0).toString());
    if (q.lastError().isValid()) return std::nullopt;  // a read that failed half way is not the whole list
    return names;
}

QList<StoredMessage> ConversationStore::allMessages(qint64 conversationId) const {
    // A parent is always written before its children (addMessage, addReply, insertConversation), so ids order them.
    return selectAll<StoredMessage>(
        QStringLiteral("SELECT %1 FROM messages m WHERE m.conversation_id = ? ORDER BY m.id")
            .arg(QLatin1String(kMessageColumns)),
        {conversationId}, messageFrom);
}

QVector<qint32> ConversationStore::tokensFromBlob(const QByteArray& blob) {
    QVector<qint32> tokens(blob.size() / qsizetype(sizeof(qint32)));
    if (!tokens.isEmpty()) qFromLittleEndian<qint32>(blob.constData(), tokens.size(), tokens.data());
    return tokens;
}

qint64 ConversationStore::insertConversation(const NewConversation& conversation) {
    qint64 conversationId = 0;
    const bool ok = inTransaction([&] {
        const qint64 now = nextTimestamp();
        QSqlQuery q(database());
        if (!exec(q,
                  QStringLiteral("INSERT INTO conversations (title, system_prompt, created_at, updated_at) "
                                 "VALUES (coalesce(?, ''), coalesce(?, ''), ?, ?)"),
                  {conversation.title, conversation.systemPrompt, conversation.createdAt.toMSecsSinceEpoch(), now}))
            return false;
        conversationId = q.lastInsertId().toLongLong();
        QVector<qint64> ids;
        ids.reserve(conversation.messages.size());
        for (const StoredMessage& m : conversation.messages) {
            if (m.parentId >= ids.size()) return fail(tr("Message %1 comes before its parent.").arg(ids.size()));
            const qint64 parent = m.parentId < 0 ? 0 : ids.at(m.parentId);
            if (!exec(q,
                      QStringLiteral("INSERT INTO messages (conversation_id, parent_id, role, content, tokens, "
                                     "created_at, stop_reason, state_file, model_fingerprint) VALUES (?, ?, ?, "
                                     "coalesce(?, ''), ?, ?, coalesce(?, ''), coalesce(?, ''), coalesce(?, ''))"),
                      {conversationId, idOrNull(parent), roleName(m.role), m.content, tokensToBlob(m.tokens),
                       m.createdAt.toMSecsSinceEpoch(), m.stopReason, m.stateFile, m.modelFingerprint}))
                return false;
            ids.append(q.lastInsertId().toLongLong());
        }
        const qint64 leaf = conversation.currentLeaf < 0 ? 0 : ids.value(conversation.currentLeaf, 0);
        return exec(q, QStringLiteral("UPDATE conversations SET current_leaf_id = ? WHERE id = ?"),
                    {idOrNull(leaf), conversationId});
    });
    return ok ? conversationId : 0;
}
