// model_quantizer.cpp — see model_quantizer.h. A copy is written into a hidden partial folder beside its final
// place and renamed when complete, so the Models page never lists a half-written copy.
#include "model_quantizer.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>

namespace {

// The engine's writer for `format`, as a QuantizeFormat's `write`.
template <rgemma::QuantizeFormat format>
rgemma::Result<void> writeCopy(const std::filesystem::path& source, const std::filesystem::path& target,
                               const rgemma::QuantizeProgress& progress) {
    auto report = rgemma::quantizeCheckpoint(source, target, format, progress);
    if (!report) return tl::unexpected(report.error());
    return {};
}

}  // namespace

const QList<QuantizeFormat>& quantizeFormats() {
    static const QList<QuantizeFormat> formats = {
        {QStringLiteral("int8"), [] { return QCoreApplication::translate("QuantizeFormat", "Make an int8 copy"); },
         nullptr, writeCopy<rgemma::QuantizeFormat::Int8>},
        // Mixed 4-bit (Q4K, rgemma/checkpoint.h): ~0.64 of int8's bytes per token, a little further from the original.
        // Its hint promises the size only: on AVX2 its decode was measured no faster than int8's (issue 14).
        {QStringLiteral("q4k"), [] { return QCoreApplication::translate("QuantizeFormat", "Make a 4-bit copy"); },
         [] {
             return QCoreApplication::translate(
                 "QuantizeFormat",
                 "4-bit weights: about two thirds of an int8 copy's size, with slightly lower quality.");
         },
         writeCopy<rgemma::QuantizeFormat::Q4K>},
    };
    return formats;
}

const QuantizeFormat* findQuantizeFormat(const QString& id) {
    for (const QuantizeFormat& format : quantizeFormats()) {
        if (format.id == id) return &format;
    }
    return nullptr;
}

QuantizeJob::QuantizeJob(const QuantizeFormat& format, const QString& source, const QString& copiesDir,
                         const QString& name, QObject* parent)
    : QObject(parent), m_format(format), m_source(source), m_copiesDir(copiesDir), m_name(name) {}

QuantizeJob::~QuantizeJob() {
    m_stop = true;
    if (m_thread) {
        m_thread->wait();
        delete m_thread;
    }
}

void QuantizeJob::start() {
    if (m_thread) return;
    m_thread = QThread::create([this] { run(); });
    m_thread->start();
}

namespace {

std::filesystem::path fsPath(const QString& path) {
    return std::filesystem::path(QFile::encodeName(path).toStdString());
}

// `base`, else `base-2`, `base-3`…: a copy never replaces another.
QString freeName(const QDir& dir, const QString& base) {
    QString name = base;
    for (int n = 2; dir.exists(name); ++n) name = base + u'-' + QString::number(n);
    return name;
}

}  // namespace

void QuantizeJob::run() {
    const QDir copies(m_copiesDir);
    if (!copies.mkpath(QStringLiteral("."))) {
        emit finished(QString(), tr("Could not create %1.").arg(m_copiesDir));
        return;
    }
    const QString name = freeName(copies, m_name + u'-' + m_format.id);
    const QString partial = copies.filePath(u'.' + name + QStringLiteral(".partial"));
    QDir(partial).removeRecursively();  // left by a copy the app could not finish
    int lastPercent = -1;
    auto written =
        m_format.write(fsPath(m_source), fsPath(partial), [this, &lastPercent](uint64_t done, uint64_t total) {
            const int percent = total > 0 ? int(done * 100 / total) : 0;
            if (percent != lastPercent) {
                lastPercent = percent;
                emit progress(percent / 100.0);
            }
            return !m_stop.load();
        });
    if (!written) {
        QDir(partial).removeRecursively();
        emit finished(
            QString(),
            m_stop ? QString()
                   : tr("The copy of %1 failed: %2").arg(m_source, QString::fromStdString(written.error().message)));
        return;
    }
    const QString folder = copies.filePath(name);
    if (!QDir().rename(partial, folder)) {
        QDir(partial).removeRecursively();
        emit finished(QString(), tr("Could not move the copy to %1.").arg(folder));
        return;
    }
    emit finished(folder, QString());
}
