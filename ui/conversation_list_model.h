// ui/conversation_list_model.h — ConversationListModel: the sidebar's list of conversations, most recent first,
// read lazily from the ConversationStore a page at a time so that the app starts fast with thousands of them.
#pragma once

#include <QtQml/qqmlregistration.h>

#include <QAbstractListModel>
#include <QList>
#include <QString>

#include "conversation_store.h"

class ConversationListModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The chat controller owns the conversation list")

    // Case-insensitive substring of a title or of any message; setting it re-queries from the top.
    Q_PROPERTY(QString filter READ filter WRITE setFilter NOTIFY filterChanged)
    Q_PROPERTY(int count READ rowCount NOTIFY countChanged)

  public:
    enum Role {
        // "id" is what the brief names; QML delegates cannot declare a property called id, so they use
        // conversationId.
        IdRole = Qt::UserRole + 1,
        ConversationIdRole,
        TitleRole,
        UpdatedAtRole,
        SubtitleRole,  // when it was last updated, relative to now ("14:03", "Yesterday", "Monday", a date)
        SectionRole,   // "Today", "Yesterday", "Previous 7 days", "Older": for ListView.section
    };
    Q_ENUM(Role)

    static constexpr int kPageSize = 50;

    explicit ConversationListModel(QObject* parent = nullptr);

    // The store must outlive the model, or be unset (nullptr) first.
    void setStore(ConversationStore* store);

    QString filter() const { return m_filter; }
    void setFilter(const QString& filter);

    int rowCount(const QModelIndex& parent = QModelIndex()) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;
    bool canFetchMore(const QModelIndex& parent) const override;
    void fetchMore(const QModelIndex& parent) override;

    // Re-reads the first page (a reset).
    Q_INVOKABLE void reload();
    // Brings one conversation up to date after a write (created, renamed, a message added, deleted or restored):
    // updates, moves, inserts or removes its row without a reset.
    Q_INVOKABLE void conversationChanged(qint64 id);
    Q_INVOKABLE int indexOfId(qint64 id) const;
    Q_INVOKABLE qint64 idAt(int row) const;
    // After a language change: the subtitles and sections ("Yesterday", day names) of every row changed.
    void retranslate();

  signals:
    void filterChanged();
    void countChanged();

  private:
    int sortedPosition(const ConversationSummary& summary) const;

    ConversationStore* m_store = nullptr;
    QString m_filter;
    QList<ConversationSummary> m_rows;
    bool m_atEnd = true;      // every matching conversation is in m_rows
    bool m_changing = false;  // between a begin…() and its end…(), signals included (see fetchMore)
};
