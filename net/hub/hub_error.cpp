// hub_error.cpp — the translated sentences of Hub errors and of the notes shown while a download retries.
#include "hub_error.h"

#include <QLocale>

namespace hub {

namespace {

HubError make(ErrorKind kind, QString message) { return HubError{kind, std::move(message)}; }

// "0.3", "30": seconds with a decimal only where it matters (tests use sub-second timeouts).
QString seconds(int ms) { return QLocale().toString(ms / 1000.0, 'f', ms < 10000 && ms % 1000 != 0 ? 1 : 0); }

}  // namespace

HubError HubMessages::gated(const QUrl& repoPage, bool tokenGiven) {
    const QString page = repoPage.toString();
    if (tokenGiven) {
        return make(ErrorKind::Gated, tr("The Hugging Face Hub did not accept the access token. Check the token, and "
                                         "accept the model's licence at %1.")
                                          .arg(page));
    }
    return make(ErrorKind::Gated,
                tr("This model is gated. Accept its licence at %1 and enter a Hugging Face access token.").arg(page));
}

HubError HubMessages::noAccess(const QUrl& repoPage) {
    return make(ErrorKind::NoAccess,
                tr("Your token does not have access yet: accept the licence at %1 (approval can take a while).")
                    .arg(repoPage.toString()));
}

HubError HubMessages::repoNotFound(const QString& repo, const QUrl& endpoint) {
    return make(ErrorKind::NotFound,
                tr("There is no model %1 on %2 (or it is private and needs a token).").arg(repo, endpoint.host()));
}

HubError HubMessages::revisionNotFound(const QString& repo, const QString& revision) {
    return make(ErrorKind::NotFound, tr("The model %1 has no revision %2.").arg(repo, revision));
}

HubError HubMessages::fileNotFound(const QString& repo, const QString& file) {
    return make(ErrorKind::NotFound, tr("The model %1 has no file %2.").arg(repo, file));
}

HubError HubMessages::network(const QString& host, const QString& detail, int attempts) {
    return make(ErrorKind::Network,
                tr("Could not download from %1 (%2), %n attempt(s) made. Check the network connection and try "
                   "again: the download resumes where it stopped.",
                   nullptr, attempts)
                    .arg(host, detail));
}

HubError HubMessages::stalled(const QString& host, int stallMs, int attempts) {
    return make(ErrorKind::Network,
                tr("%1 sent no data for %2 s, %n attempt(s) made. Try again later: the download resumes where it "
                   "stopped.",
                   nullptr, attempts)
                    .arg(host, seconds(stallMs)));
}

HubError HubMessages::serverError(const QString& host, int status, int attempts) {
    return make(ErrorKind::Network,
                tr("%1 answered with HTTP status %2, %n attempt(s) made. Try again later: the download resumes where "
                   "it stopped.",
                   nullptr, attempts)
                    .arg(host, QString::number(status)));
}

HubError HubMessages::tls(const QString& host, const QString& detail) {
    return make(ErrorKind::Tls, tr("The secure connection to %1 could not be verified (%2). Nothing was downloaded "
                                   "from it. Check the system's date and certificates, or a proxy that intercepts "
                                   "connections.")
                                    .arg(host, detail));
}

HubError HubMessages::diskFull(const QString& path, const QString& detail) {
    return make(ErrorKind::DiskFull, tr("The disk is full: %1 could not be written (%2). Free some space and try "
                                        "again: the download resumes where it stopped.")
                                         .arg(path, detail));
}

HubError HubMessages::notEnoughSpace(const QString& folder, qint64 needed, qint64 available) {
    return make(ErrorKind::NotEnoughSpace, tr("Not enough free space in %1: the download needs %2, and %3 are free.")
                                               .arg(folder, size(needed), size(available)));
}

HubError HubMessages::wrongSize(const QString& file, qint64 actual, qint64 expected) {
    return make(ErrorKind::Corrupt, tr("%1 arrived with %2 bytes instead of %3, so it was deleted. Try again.")
                                        .arg(file, QString::number(actual), QString::number(expected)));
}

HubError HubMessages::wrongChecksum(const QString& file) {
    return make(ErrorKind::Corrupt,
                tr("%1 arrived damaged (its SHA-256 checksum differs from the Hub's), so it was deleted. Try again.")
                    .arg(file));
}

HubError HubMessages::badAnswer(const QString& host, const QString& detail) {
    return make(ErrorKind::BadAnswer, tr("%1 sent an answer that cannot be used: %2.").arg(host, detail));
}

HubError HubMessages::changedDuringDownload(const QString& repo, const QString& file) {
    return make(
        ErrorKind::BadAnswer,
        tr("The model %1 changed on the Hub while it was downloading (%2). Start the download again.").arg(repo, file));
}

HubError HubMessages::notACheckpoint(const QString& repo, const QString& missing) {
    return make(
        ErrorKind::NotACheckpoint,
        tr("%1 is not a RecurrentGemma checkpoint in the Hugging Face format: it has no %2.").arg(repo, missing));
}

HubError HubMessages::io(const QString& path, const QString& detail) {
    return make(ErrorKind::Io, tr("Could not write %1 (%2).").arg(path, detail));
}

HubError HubMessages::badEndpoint(const QString& endpoint) {
    return make(ErrorKind::Network,
                tr("The Hub's address \"%1\" is not an http(s) URL (check HF_ENDPOINT).").arg(endpoint));
}

QString HubMessages::size(qint64 bytes) {
    if (bytes < 1000) return tr("%n byte(s)", nullptr, int(bytes));
    return QLocale().formattedDataSize(bytes, 1, QLocale::DataSizeSIFormat);
}

QString HubMessages::retrying(const QString& reason, int attempt, int maxAttempts, int delayMs) {
    // One multi-argument arg(): a reason quoting a URL ("%2F") must not be taken for a placeholder.
    return tr("%1; attempt %2 of %3 in %4 s.")
        .arg(reason, QString::number(attempt), QString::number(maxAttempts), seconds(delayMs));
}

QString HubMessages::rangeIgnored(const QString& file) {
    return tr("The server cannot resume %1: downloading it again from the start.").arg(file);
}

QString HubMessages::waitingForLock(const QString& file) {
    return tr("Another program is downloading %1 into the same cache: waiting for it.").arg(file);
}

QString HubMessages::connectionDropped(const QString& host, const QString& detail) {
    return tr("The connection to %1 failed (%2)").arg(host, detail);
}

QString HubMessages::noDataFor(const QString& host, int stallMs) {
    return tr("%1 sent no data for %2 s").arg(host, seconds(stallMs));
}

QString HubMessages::serverStatus(const QString& host, int status) {
    return tr("%1 answered with HTTP status %2").arg(host, QString::number(status));
}

}  // namespace hub
