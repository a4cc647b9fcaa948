// ui/conversation_store.cpp — ConversationStore: opening and checking the SQLite file, migrating it (the steps
// are in conversation_schema.h), and the queries behind the API.
#include "conversation_store.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>
#include <QtEndian>
#include <algorithm>
#include <utility>

#include "conversation_schema.h"

namespace {

using conversation_schema::Migration;
using conversation_schema::migrations;

constexpr int kSqliteNotADatabase = 26;  // SQLITE_NOTADB, as QSqlError::nativeErrorCode() reports it

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

QVector<qint32> tokensFromBlob(const QByteArray& blob) {
    QVector<qint32> tokens(blob.size() / qsizetype(sizeof(qint32)));
    if (!tokens.isEmpty()) qFromLittleEndian<qint32>(blob.constData(), tokens.size(), tokens.data());
    return tokens;
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
            tokensFromBlob(q.value(5).toByteArray()),
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

ConversationStore::ConversationStore(QString connectionName) : m_connectionName(std::move(connectionName)) {
    QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connectionName);
}

ConversationStore::ConversationStore(ConversationStore&& other) noexcept
    : m_connectionName(std::exchange(other.m_connectionName, QString())),
      m_lastStamp(other.m_lastStamp),
      m_lastError(std::move(other.m_lastError)) {}

ConversationStore& ConversationStore::operator=(ConversationStore&& other) noexcept {
    if (this == &other) return *this;
    closeConnection();
    m_connectionName = std::exchange(other.m_connectionName, QString());
    m_lastStamp = other.m_lastStamp;
    m_lastError = std::move(other.m_lastError);
    return *this;
}

ConversationStore::~ConversationStore() { closeConnection(); }

void ConversationStore::closeConnection() {
    if (m_connectionName.isEmpty()) return;  // moved from
    QSqlDatabase::database(m_connectionName, false).close();
    QSqlDatabase::removeDatabase(std::exchange(m_connectionName, QString()));
}

int ConversationStore::schemaVersion() { return migrations().constLast().version; }

QString ConversationStore::roleName(MessageRole role) {
    return role == MessageRole::Model ? QStringLiteral("model") : QStringLiteral("user");
}

QSqlDatabase ConversationStore::database() const { return QSqlDatabase::database(m_connectionName, false); }

std::optional<ConversationStore> ConversationStore::open(const QString& path, const QString& connectionName,
                                                         QString* error, OpenError* reason) {
    if (reason) *reason = OpenError::None;
    if (QSqlDatabase::contains(connectionName)) {
        if (error) *error = tr("The database connection “%1” is already open.").arg(connectionName);
        if (reason) *reason = OpenError::CannotOpen;
        return std::nullopt;
    }
    ConversationStore store(connectionName);  // its destructor drops the connection if we refuse
    if (!store.checkAndConfigure(path, error, reason) || !store.migrate(error, reason)) return std::nullopt;
    return std::optional<ConversationStore>(std::move(store));
}

// Everything here only reads until the file is known to be a healthy database of a version we understand: a
// refused file must stay byte-identical, so the user (or a newer app) still has it.
bool ConversationStore::checkAndConfigure(const QString& path, QString* error, OpenError* reason) {
    const auto refuse = [&](OpenError why, const QString& text) {
        if (error) *error = text;
        if (reason) *reason = why;
        return false;
    };
    QFile file(path);
    if (file.exists() && file.size() > 0) {
        // SQLite takes a garbage file shorter than a page for an empty database and would overwrite it.
        if (!file.open(QIODevice::ReadOnly))
            return refuse(OpenError::CannotOpen, tr("Cannot read %1: %2").arg(path, file.errorString()));
        if (file.read(16) != QByteArray("SQLite format 3", 16))
            return refuse(OpenError::NotADatabase, tr("%1 is not a conversation database.").arg(path));
        file.close();
    }
    QDir().mkpath(QFileInfo(path).absolutePath());
    QSqlDatabase db = database();
    db.setDatabaseName(path);
    if (!db.open()) return refuse(OpenError::CannotOpen, tr("Cannot open %1: %2").arg(path, db.lastError().text()));

    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("PRAGMA quick_check"))) {
        const bool notADatabase = q.lastError().nativeErrorCode().toInt() == kSqliteNotADatabase;
        return refuse(notADatabase ? OpenError::NotADatabase : OpenError::Corrupt,
                      tr("%1 is damaged: %2").arg(path, q.lastError().text()));
    }
    QStringList problems;
    while (q.next()) problems << q.value(0).toString();
    if (problems != QStringList{QStringLiteral("ok")})
        return refuse(OpenError::Corrupt, tr("%1 is damaged: %2").arg(path, problems.join(u'\n')));
    if (!q.exec(QStringLiteral("PRAGMA user_version")) || !q.next())
        return refuse(OpenError::Corrupt, tr("%1 is damaged: %2").arg(path, q.lastError().text()));
    const int version = q.value(0).toInt();
    if (version > schemaVersion())
        return refuse(OpenError::TooNew, tr("%1 was written by a newer version of Recurrent Chat (schema %2; this "
                                            "version knows up to %3). Update the app to open it.")
                                             .arg(path)
                                             .arg(version)
                                             .arg(schemaVersion()));

    // WAL: readers never block the writer and a crash mid-write leaves the last commit intact. synchronous=FULL
    // also syncs the WAL at each commit, so a power cut cannot take back a turn the user saw saved; we commit a
    // few times per turn, so the fsync costs nothing the user can notice (NORMAL would only save those fsyncs).
    for (const char* pragma : {"PRAGMA journal_mode=WAL", "PRAGMA foreign_keys=ON", "PRAGMA synchronous=FULL"}) {
        if (!q.exec(QLatin1String(pragma)))
            return refuse(OpenError::CannotOpen, tr("Cannot configure %1: %2").arg(path, q.lastError().text()));
    }
    return true;
}

bool ConversationStore::migrate(QString* error, OpenError* reason) {
    QSqlQuery q(database());
    const int version = q.exec(QStringLiteral("PRAGMA user_version")) && q.next() ? q.value(0).toInt() : -1;
    q.finish();
    for (const Migration& step : migrations()) {
        if (step.version <= version) continue;
        // user_version is part of the database header, so setting it inside the transaction makes the step atomic.
        const bool done = inTransaction([&] {
            QSqlQuery s(database());
            for (const QString& statement : step.statements)
                if (!exec(s, statement)) return false;
            return exec(s, QStringLiteral("PRAGMA user_version = %1").arg(step.version));
        });
        if (!done) {
            if (error)
                *error =
                    tr("Cannot upgrade the conversation database to schema %1: %2").arg(step.version).arg(m_lastError);
            if (reason) *reason = OpenError::MigrationFailed;
            return false;
        }
    }
    return true;
}

// Strictly increasing within a session, so that "most recently updated first" is a total order even when several
// writes land in the same millisecond.
qint64 ConversationStore::nextTimestamp() {
    m_lastStamp = std::max(QDateTime::currentMSecsSinceEpoch(), m_lastStamp + 1);
    return m_lastStamp;
}

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

bool ConversationStore::exec(QSqlQuery& query, const QString& sql, const QVariantList& values) const {
    query.setForwardOnly(true);
    if (!query.prepare(sql)) return fail(tr("Database error: %1").arg(query.lastError().text()));
    for (const QVariant& value : values) query.addBindValue(value);
    if (!query.exec()) return fail(tr("Database error: %1").arg(query.lastError().text()));
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

bool ConversationStore::fail(const QString& message) const {
    m_lastError = message;
    return false;
}

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

// Runs one UPDATE/DELETE that must change at least one row, in its own transaction; `missing` is the error if
// it changes none.
bool ConversationStore::updateOne(const QString& sql, const QVariantList& values, const QString& missing) {
    return inTransaction([&] {
        QSqlQuery q(database());
        if (!exec(q, sql, values)) return false;
        return q.numRowsAffected() > 0 || fail(missing);
    });
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

QList<StoredMessage> ConversationStore::currentPath(qint64 conversationId) const {
    // Up from the leaf through parent_id; the depth bound only guards against a damaged, cyclic tree.
    return selectAll<StoredMessage>(QStringLiteral(R"(WITH RECURSIVE up(id, depth) AS (
                                                          SELECT current_leaf_id, 0 FROM conversations WHERE id = ?
                                                          UNION ALL
                                                          SELECT m.parent_id, up.depth + 1
                                                          FROM messages m JOIN up ON m.id = up.id
                                                          WHERE m.parent_id IS NOT NULL AND up.depth < 1000000)
                                                      SELECT %1 FROM up JOIN messages m ON m.id = up.id
                                                      ORDER BY up.depth DESC)")
                                        .arg(QLatin1String(kMessageColumns)),
                                    {conversationId}, messageFrom);
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
    if (!exec(q, QStringLiteral("SELECT DISTINCT state_file FROM messages WHERE state_file <> ''")))
        return std::nullopt;
    QStringList names;
    while (q.next()) names.append(q.value(0).toString());
    if (q.lastError().isValid()) return std::nullopt;  // a read that failed half way is not the whole list
    return names;
}
