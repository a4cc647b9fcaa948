// ui/message_model.h — MessageModel: the messages of one conversation's shown branch, root first, with each
// message's place among its alternatives, and the reply being streamed (appended to in place, never reset).
#pragma once

#include <QtQml/qqmlregistration.h>

#include <QAbstractListModel>
#include <QDateTime>
#include <QList>
#include <QString>
#include <optional>

#include "conversation_store.h"

class MessageModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT  // creatable, so QML component tests can fill one without a store

    Q_PROPERTY(int count READ rowCount NOTIFY countChanged)

        public : enum Role {
            MessageIdRole = Qt::UserRole + 1,  // 0 while the reply is streaming, and for a reply not saved yet
            RoleRole,                          // "user" / "model"
            ContentRole,
            SiblingIndexRole,  // 0-based position among the alternatives of this message, oldest first
            SiblingCountRole,  // 1 when there are no alternatives
            StreamingRole,
            CreatedAtRole,
            StopReasonRole,  // model messages: "end", "length", "stopped", "error" ("" while streaming)
            TokenCountRole,  // tokens this message fed to the model (its turn's chat markup included)
        };
    Q_ENUM(Role)

    explicit MessageModel(QObject* parent = nullptr);

    // Shows the current path of `conversationId`. Reloading the conversation already shown (after a branch switch,
    // a regenerate, an edit) keeps the rows both paths share and replaces only the rest: no reset, so the view
    // keeps its place. Another conversation is a reset. The store must outlive the model or the next load/clear.
    // `unsaved`: a reply the database refused (id 0); if it continues the path's last message it is shown after it,
    // as a finished reply that is not saved yet.
    void load(ConversationStore* store, qint64 conversationId, const std::optional<StoredMessage>& unsaved = {});
    Q_INVOKABLE void clear();
    qint64 conversationId() const { return m_conversationId; }

    // Appends a stored message (e.g. the user's turn just saved) with its sibling information.
    int appendMessage(const StoredMessage& message);
    // Removes `row` and every row after it (the old tail of an edited or regenerated branch).
    Q_INVOKABLE void truncateFrom(int row);
    // Adds an empty model row with streaming = true; returns its row.
    Q_INVOKABLE int appendStreamingReply();
    // Appends to the row's content; announces only that row's content role, so a view re-lays out one delegate.
    Q_INVOKABLE void appendText(int row, const QString& text);
    // The streamed reply was stored as `messageId`: the row takes the stored message and its sibling information.
    Q_INVOKABLE void finishStreaming(int row, qint64 messageId);
    void setRowMessage(int row, const StoredMessage& message);

    Q_INVOKABLE int rowOfMessage(qint64 messageId) const;
    Q_INVOKABLE QString contentAt(int row) const;
    Q_INVOKABLE qint64 messageIdAt(int row) const;

    int rowCount(const QModelIndex& parent = QModelIndex()) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

  signals:
    void countChanged();

  private:
    struct Row {
        qint64 messageId = 0;
        MessageRole role = MessageRole::User;
        QString content;
        int siblingIndex = 0;
        int siblingCount = 1;
        bool streaming = false;
        QDateTime createdAt;
        QString stopReason;
        int tokenCount = 0;
        bool operator==(const Row&) const = default;
    };

    Row rowFrom(const StoredMessage& message) const;
    bool validRow(int row) const { return row >= 0 && row < m_rows.size(); }

    ConversationStore* m_store = nullptr;
    qint64 m_conversationId = 0;
    QList<Row> m_rows;
};
