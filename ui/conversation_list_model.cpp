// ui/conversation_list_model.cpp — ConversationListModel: pages from the store, filtering, and keeping the
// loaded rows in the store's order (most recently updated first) as single conversations change.
#include "conversation_list_model.h"

#include <QLocale>
#include <QScopedValueRollback>

namespace {

// The order of the store's list: newest update first, then newest id (ties only across sessions).
bool sortsBefore(const ConversationSummary& a, const ConversationSummary& b) {
    return a.updatedAt != b.updatedAt ? a.updatedAt > b.updatedAt : a.id > b.id;
}

}  // namespace

ConversationListModel::ConversationListModel(QObject* parent) : QAbstractListModel(parent) {}

void ConversationListModel::setStore(ConversationStore* store) {
    m_store = store;
    reload();
}

void ConversationListModel::setFilter(const QString& filter) {
    if (filter == m_filter) return;
    m_filter = filter;
    reload();
    emit filterChanged();
}

int ConversationListModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant ConversationListModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) return {};
    const ConversationSummary& row = m_rows.at(index.row());
    const QDateTime updated = row.updatedAt.toLocalTime();
    const QDate today = QDate::currentDate();
    const qint64 daysAgo = updated.date().daysTo(today);
    switch (role) {
        case IdRole:
        case ConversationIdRole:
            return row.id;
        case Qt::DisplayRole:
        case TitleRole:
            return row.title;
        case UpdatedAtRole:
            return row.updatedAt;
        case SubtitleRole:
            if (daysAgo == 0) return QLocale().toString(updated.time(), QLocale::ShortFormat);
            if (daysAgo == 1) return tr("Yesterday");
            if (daysAgo > 1 && daysAgo < 7) return QLocale().dayName(updated.date().dayOfWeek());
            return QLocale().toString(updated.date(), QLocale::ShortFormat);
        case SectionRole:
            if (daysAgo <= 0) return tr("Today");
            if (daysAgo == 1) return tr("Yesterday");
            if (daysAgo < 7) return tr("Previous 7 days");
            if (daysAgo < 30) return tr("Previous 30 days");
            return tr("Older");
        default:
            return {};
    }
}

QHash<int, QByteArray> ConversationListModel::roleNames() const {
    return {{IdRole, "id"},
            {ConversationIdRole, "conversationId"},
            {TitleRole, "title"},
            {UpdatedAtRole, "updatedAt"},
            {SubtitleRole, "subtitle"},
            {SectionRole, "section"}};
}

bool ConversationListModel::canFetchMore(const QModelIndex& parent) const {
    return !parent.isValid() && m_store && !m_atEnd;
}

// Offset paging stays consistent because conversationChanged() keeps the loaded rows an exact prefix of the
// store's order: whatever moves, appears or disappears in the store does the same here.
// A view (or QAbstractItemModelTester) may call fetchMore from a slot connected to one of our own change signals;
// an insertion nested in a change still in flight is invalid, so that call is ignored: the view asks again when
// it next lays out.
void ConversationListModel::fetchMore(const QModelIndex& parent) {
    if (m_changing || !canFetchMore(parent)) return;
    const QScopedValueRollback changing(m_changing, true);
    const QList<ConversationSummary> page = m_store->conversations(m_filter.trimmed(), int(m_rows.size()), kPageSize);
    m_atEnd = page.size() < kPageSize;
    if (page.isEmpty()) return;
    beginInsertRows(QModelIndex(), int(m_rows.size()), int(m_rows.size() + page.size() - 1));
    m_rows.append(page);
    endInsertRows();
    emit countChanged();
}

void ConversationListModel::reload() {
    const QScopedValueRollback changing(m_changing, true);
    beginResetModel();
    m_rows = m_store ? m_store->conversations(m_filter.trimmed(), 0, kPageSize) : QList<ConversationSummary>();
    m_atEnd = m_rows.size() < kPageSize;
    endResetModel();
    emit countChanged();
}

void ConversationListModel::conversationChanged(qint64 id) {
    const QScopedValueRollback changing(m_changing, true);
    const int old = indexOfId(id);
    const auto summary = m_store ? m_store->conversation(id) : std::nullopt;
    const bool shown =
        summary && (m_filter.trimmed().isEmpty() || m_store->conversationMatches(id, m_filter.trimmed()));
    // Where it belongs among the other loaded rows; past the last one while more pages remain means "not loaded
    // yet": a later page will bring it.
    int target = shown ? sortedPosition(*summary) : -1;
    if (target >= 0 && target == m_rows.size() - (old >= 0 ? 1 : 0) && !m_atEnd) target = -1;

    if (target < 0) {
        if (old < 0) return;
        beginRemoveRows(QModelIndex(), old, old);
        m_rows.removeAt(old);
        endRemoveRows();
        emit countChanged();
        return;
    }
    if (old < 0) {
        beginInsertRows(QModelIndex(), target, target);
        m_rows.insert(target, *summary);
        endInsertRows();
        emit countChanged();
        return;
    }
    if (target != old) {
        beginMoveRows(QModelIndex(), old, old, QModelIndex(), target > old ? target + 1 : target);
        m_rows.move(old, target);
        endMoveRows();
    }
    m_rows[target] = *summary;
    emit dataChanged(index(target), index(target));
}

// The row `summary` takes when inserted among the loaded rows other than its own.
int ConversationListModel::sortedPosition(const ConversationSummary& summary) const {
    int position = 0;
    for (const ConversationSummary& row : m_rows) {
        if (row.id == summary.id) continue;
        if (!sortsBefore(row, summary)) break;
        ++position;
    }
    return position;
}

int ConversationListModel::indexOfId(qint64 id) const {
    for (int row = 0; row < m_rows.size(); ++row)
        if (m_rows.at(row).id == id) return row;
    return -1;
}

qint64 ConversationListModel::idAt(int row) const { return row >= 0 && row < m_rows.size() ? m_rows.at(row).id : 0; }

void ConversationListModel::retranslate() {
    if (m_rows.isEmpty()) return;
    emit dataChanged(index(0), index(int(m_rows.size()) - 1), {SubtitleRole, SectionRole});
}
