// hub_token_store.cpp — see hub_token_store.h. The keyring is QtKeychain's; the file is written with QSaveFile,
// made 0600 before the token is written into it, so it is never readable by others, not even for a moment.
#include "hub_token_store.h"

#include <qt6keychain/keychain.h>

#include <QDir>
#include <QFile>
#include <QSaveFile>

#include "hub_locations.h"

namespace {

const QString kService = QStringLiteral("recurrent-chat");
const QString kKey = QStringLiteral("huggingface-token");
const QString kFileName = QStringLiteral("huggingface-token");

}  // namespace

HubTokenStore::HubTokenStore(const QString& configDirectory, bool tryKeyring, QObject* parent)
    : QObject(parent), m_configDirectory(configDirectory), m_tryKeyring(tryKeyring) {}

const HubTokenStore& HubTokenStore::load() const {
    if (m_loaded) return *this;
    // Reading the store is not a change a caller sees: the getters stay const.
    auto* self = const_cast<HubTokenStore*>(this);
    self->m_loaded = true;
    if (m_tryKeyring) {
        self->probeKeyring();
    } else {
        self->useFile(false);
    }
    return *this;
}

QString HubTokenStore::fileName() const { return QDir(m_configDirectory).filePath(kFileName); }

// Reading is the probe: an answer (the token, or "no such entry") means a keyring runs; anything else (no
// backend, no D-Bus session, a locked or refused keyring) means the file.
void HubTokenStore::probeKeyring() {
    auto* job = new QKeychain::ReadPasswordJob(kService, this);
    job->setKey(kKey);
    job->setAutoDelete(true);
    connect(job, &QKeychain::Job::finished, this, [this, job] {
        if (job->error() == QKeychain::NoError || job->error() == QKeychain::EntryNotFound) {
            m_backend = Backend::Keyring;
            m_token = job->textData().trimmed();
            emit changed();
        } else {
            useFile(true);
        }
    });
    job->start();
}

void HubTokenStore::useFile(bool announce) {
    m_backend = Backend::File;
    QFile file(fileName());
    m_token = file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readLine(4096)).trimmed() : QString();
    if (announce) emit changed();
}

bool HubTokenStore::writeFile(const QString& token) {
    if (token.isEmpty()) {
        if (QFile::exists(fileName()) && !QFile::remove(fileName())) {
            emit failed(tr("Could not remove %1.").arg(fileName()));
            return false;
        }
        return true;
    }
    QDir().mkpath(m_configDirectory);
    QSaveFile file(fileName());
    const bool ok = file.open(QIODevice::WriteOnly) &&
                    file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner) &&
                    file.write(token.toUtf8() + '\n') > 0 && file.commit();
    if (!ok) emit failed(tr("Could not save the token in %1: %2").arg(fileName(), file.errorString()));
    return ok;
}

void HubTokenStore::writeKeyring(const QString& token) {
    QKeychain::Job* job = nullptr;
    if (token.isEmpty()) {
        job = new QKeychain::DeletePasswordJob(kService, this);
    } else {
        auto* write = new QKeychain::WritePasswordJob(kService, this);
        write->setTextData(token);
        job = write;
    }
    job->setKey(kKey);
    job->setAutoDelete(true);
    connect(job, &QKeychain::Job::finished, this, [this, job, token] {
        if (job->error() == QKeychain::NoError || (token.isEmpty() && job->error() == QKeychain::EntryNotFound)) {
            return;
        }
        // The keyring went away or refused: the file keeps the token instead.
        m_backend = Backend::File;
        writeFile(token);
        emit changed();
    });
    job->start();
}

void HubTokenStore::setToken(const QString& token) {
    const QString trimmed = token.trimmed();
    if (backend() == Backend::Keyring) {
        writeKeyring(trimmed);
    } else if (!writeFile(trimmed)) {
        return;
    }
    m_token = trimmed;
    emit changed();
}

QString HubTokenStore::storageText() const {
    switch (backend()) {
        case Backend::Probing:
            return tr("Looking for the system's keyring…");
        case Backend::Keyring:
            return tr("Your token is kept in the system's keyring.");
        case Backend::File:
            break;
    }
    return tr("No keyring service runs: your token is kept in %1, readable only by you.").arg(fileName());
}

QString HubTokenStore::activeTokenText() const {
    switch (hub::findToken(token()).source) {
        case hub::TokenSource::Given:
            return tr("Downloads use the token stored here.");
        case hub::TokenSource::Environment:
            return tr("Downloads use the token in $HF_TOKEN.");
        case hub::TokenSource::TokenFile:
            return tr("Downloads use the token saved by huggingface-cli login.");
        case hub::TokenSource::None:
            break;
    }
    return tr("No token: only public models can be downloaded.");
}
