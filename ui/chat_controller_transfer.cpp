// chat_controller_transfer.cpp — ChatController's share of moving chats in and out from the window: the file the
// export dialog offers, the export itself, and the import read on a ThreadJob (a file of hundreds of megabytes never
// stalls the window) whose result is inserted here, on the database's thread. The formats and their checks are
// ChatTransfer's (chat_export.cpp, chat_import.cpp).
#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>

#include "chat_controller.h"
#include "chat_transfer.h"
#include "thread_job.h"

namespace {

// Qt 6.4's own save dialog gives a typed file name as a URL without a scheme ("/home/me/chat.md"), not file://.
QString localPath(const QUrl& file) {
    if (file.isLocalFile()) return file.toLocalFile();
    return QUrl::fromPercentEncoding(file.toEncoded());
}

}  // namespace

QString ChatController::transferFolder() const {
    if (!m_transferFolder.isEmpty() && QFileInfo(m_transferFolder).isDir()) return m_transferFolder;
    const QString documents = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    if (!documents.isEmpty() && QFileInfo(documents).isDir()) return documents;
    return QDir::homePath();
}

QUrl ChatController::transferFolderUrl() const { return QUrl::fromLocalFile(transferFolder()); }

QUrl ChatController::exportFileUrl(qint64 id, const QString& format) const {
    const auto kind = ChatTransfer::formatNamed(format);
    const auto summary = m_data.store() ? m_data.store()->conversation(id) : std::nullopt;
    if (!kind || !summary) return {};
    return QUrl::fromLocalFile(
        QDir(transferFolder()).filePath(ChatTransfer::exportFileName(summary->title, id, *kind)));
}

QString ChatController::exportPath(const QUrl& file, const QString& format) const {
    const auto kind = ChatTransfer::formatNamed(format);
    QString path = localPath(file);
    if (kind && !path.isEmpty() && QFileInfo(path).suffix().isEmpty()) path += u'.' + ChatTransfer::suffix(*kind);
    return QDir::toNativeSeparators(path);
}

bool ChatController::exportWouldReplace(const QUrl& file, const QString& format) const {
    return QFileInfo::exists(QDir::fromNativeSeparators(exportPath(file, format)));
}

bool ChatController::exportChat(qint64 id, const QUrl& file, const QString& format) {
    const auto kind = ChatTransfer::formatNamed(format);
    Q_ASSERT(kind);  // the window names only these
    if (!kind) return false;
    const QString path = QDir::fromNativeSeparators(exportPath(file, format));
    if (const QString error = ChatTransfer::exportChat(m_data, id, *kind, path); !error.isEmpty()) {
        setNotice(error);
        return false;
    }
    m_transferFolder = QFileInfo(path).absolutePath();
    setNotice(tr("The chat was exported to %1.").arg(QDir::toNativeSeparators(path)));
    return true;
}

bool ChatController::importChat(const QUrl& file) {
    if (m_import) return false;
    if (!m_data.store()) {
        setNotice(m_data.storageError());
        return false;
    }
    const QString path = localPath(file);
    m_transferFolder = QFileInfo(path).absolutePath();
    // The result outlives the job either way: a prepared import nobody finishes removes its states.
    auto prepared = std::make_shared<ChatTransfer::PreparedImportResult>(tl::unexpected(QString()));
    m_import = std::make_unique<ThreadJob>(
        [prepared, path, states = m_data.stateDirectory()] { *prepared = ChatTransfer::readImport(path, states); });
    connect(m_import.get(), &ThreadJob::finished, this, [this, prepared] {
        m_import.release()->deleteLater();  // it is emitting the signal that brought us here
        onImportRead(std::exchange(*prepared, tl::unexpected(QString())));
    });
    m_import->start();
    emit importingChanged();
    return true;
}

void ChatController::onImportRead(ChatTransfer::PreparedImportResult prepared) {
    emit importingChanged();
    tl::expected<ChatTransfer::Imported, QString> imported = tl::unexpected(QString());
    if (!prepared) {
        imported = tl::unexpected(prepared.error());
    } else {
        const QString fingerprint = m_modelStatus == ModelStatus::Ready ? m_modelInfo.fingerprint : QString();
        imported = ChatTransfer::finishImport(m_data, **prepared, fingerprint);
    }
    if (!imported) {
        setNotice(imported.error());
        emit importFinished(0, imported.error());
        return;
    }
    m_conversations.conversationChanged(imported->conversationId);
    showConversation(imported->conversationId);
    setNotice(imported->report);
    emit importFinished(imported->conversationId, QString());
}
