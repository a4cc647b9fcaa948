// ui/message_model.cpp — MessageModel: loading a branch from the store (diffing against the rows shown), the
// streamed reply, and the roles QML delegates bind to.
#include "message_model.h"

#include <algorithm>

MessageModel::MessageModel(QObject* parent) : QAbstractListModel(parent) {}

MessageModel::Row MessageModel::rowFrom(const StoredMessage& message) const {
    Row row{message.id,
            message.role,
            message.content,
            0,
            1,
            false,
            message.createdAt,
            message.stopReason,
            static_cast<int>(message.tokens.size())};
    if (m_store && message.id != 0) {
        const QList<qint64> siblings = m_store->siblings(message.id);
        row.siblingIndex = std::max(0, int(siblings.indexOf(message.id)));
        row.siblingCount = std::max(1, int(siblings.size()));
    }
    return row;
}

void MessageModel::load(ConversationStore* store, qint64 conversationId, const std::optional<StoredMessage>& unsaved) {
    const bool sameConversation = store == m_store && conversationId == m_conversationId && conversationId != 0;
    const qsizetype oldCount = m_rows.size();
    m_store = store;
    QList<Row> rows;
    qint64 leaf = 0;
    if (store) {
        for (const StoredMessage& message : store->currentPath(conversationId)) {
            rows.append(rowFrom(message));
            leaf = message.id;
        }
    }
    if (unsaved && leaf != 0 && unsaved->conversationId == conversationId && unsaved->parentId == leaf) {
        rows.append(rowFrom(*unsaved));  // id 0: no alternatives, and shown as not saved
    }
    if (!sameConversation) {
        beginResetModel();
        m_conversationId = conversationId;
        m_rows = rows;
        endResetModel();
        if (m_rows.size() != oldCount) emit countChanged();
        return;
    }

    // The rows both paths share keep their delegates. A reply streamed into the view (id 0) becomes the stored
    // reply in place, so reloading after a generation does not rebuild the message the user was reading.
    const auto sameMessage = [](const Row& shown, const Row& stored) {
        return shown.messageId == 0 ? shown.role == MessageRole::Model && stored.role == MessageRole::Model
                                    : shown.messageId == stored.messageId;
    };
    qsizetype shared = 0;
    while (shared < std::min(m_rows.size(), rows.size()) && sameMessage(m_rows.at(shared), rows.at(shared))) ++shared;
    if (shared < m_rows.size()) {
        beginRemoveRows(QModelIndex(), int(shared), int(m_rows.size() - 1));
        m_rows.resize(shared);
        endRemoveRows();
    }
    for (qsizetype i = 0; i < shared; ++i) {  // a finished reply, a sibling count that grew with an alternative
        if (m_rows.at(i) == rows.at(i)) continue;
        m_rows[i] = rows.at(i);
        emit dataChanged(index(int(i)), index(int(i)));
    }
    if (rows.size() > shared) {
        beginInsertRows(QModelIndex(), int(shared), int(rows.size() - 1));
        m_rows.append(rows.mid(shared));
        endInsertRows();
    }
    if (m_rows.size() != oldCount) emit countChanged();
}

void MessageModel::clear() {
    const bool hadRows = !m_rows.isEmpty();
    beginResetModel();
    m_store = nullptr;
    m_conversationId = 0;
    m_rows.clear();
    endResetModel();
    if (hadRows) emit countChanged();
}

int MessageModel::appendMessage(const StoredMessage& message) {
    const int row = int(m_rows.size());
    beginInsertRows(QModelIndex(), row, row);
    m_rows.append(rowFrom(message));
    endInsertRows();
    emit countChanged();
    return row;
}

void MessageModel::truncateFrom(int row) {
    row = std::max(row, 0);
    if (row >= m_rows.size()) return;
    beginRemoveRows(QModelIndex(), row, int(m_rows.size() - 1));
    m_rows.resize(row);
    endRemoveRows();
    emit countChanged();
}

int MessageModel::appendStreamingReply() {
    const int row = int(m_rows.size());
    beginInsertRows(QModelIndex(), row, row);
    Row reply;
    reply.role = MessageRole::Model;
    reply.streaming = true;
    reply.createdAt = QDateTime::currentDateTimeUtc();
    m_rows.append(reply);
    endInsertRows();
    emit countChanged();
    return row;
}

void MessageModel::appendText(int row, const QString& text) {
    if (!validRow(row) || text.isEmpty()) return;
    m_rows[row].content += text;
    const QModelIndex changed = index(row);
    emit dataChanged(changed, changed, {ContentRole});
}

void MessageModel::finishStreaming(int row, qint64 messageId) {
    if (!validRow(row)) return;
    if (const auto stored = m_store ? m_store->message(messageId) : std::nullopt) {
        setRowMessage(row, *stored);
        return;
    }
    // Not stored (no store, or the write failed): the text stays as streamed.
    m_rows[row].messageId = messageId;
    m_rows[row].streaming = false;
    const QModelIndex changed = index(row);
    emit dataChanged(changed, changed, {MessageIdRole, StreamingRole});
}

void MessageModel::setRowMessage(int row, const StoredMessage& message) {
    if (!validRow(row)) return;
    m_rows[row] = rowFrom(message);
    const QModelIndex changed = index(row);
    emit dataChanged(changed, changed);
}

int MessageModel::rowOfMessage(qint64 messageId) const {
    for (int row = 0; row < m_rows.size(); ++row)
        if (m_rows.at(row).messageId == messageId) return row;
    return -1;
}

QString MessageModel::contentAt(int row) const { return validRow(row) ? m_rows.at(row).content : QString(); }

qint64 MessageModel::messageIdAt(int row) const { return validRow(row) ? m_rows.at(row).messageId : 0; }

int MessageModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : int(m_rows.size()); }

QVariant MessageModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) return {};
    const Row& row = m_rows.at(index.row());
    switch (role) {
        case MessageIdRole:
            return row.messageId;
        case RoleRole:
            return ConversationStore::roleName(row.role);
        case Qt::DisplayRole:
        case ContentRole:
            return row.content;
        case SiblingIndexRole:
            return row.siblingIndex;
        case SiblingCountRole:
            return row.siblingCount;
        case StreamingRole:
            return row.streaming;
        case CreatedAtRole:
            return row.createdAt;
        case TokenCountRole:
            return row.tokenCount;
        case StopReasonRole:
            return row.stopReason;
        default:
            return {};
    }
}

QHash<int, QByteArray> MessageModel::roleNames() const {
    return {{MessageIdRole, "messageId"},       {RoleRole, "role"},
            {ContentRole, "content"},           {SiblingIndexRole, "siblingIndex"},
            {SiblingCountRole, "siblingCount"}, {StreamingRole, "streaming"},
            {CreatedAtRole, "createdAt"},       {StopReasonRole, "stopReason"},
            {TokenCountRole, "tokenCount"}};
}
