// model_quantizer.h — the quantized copies the Models page makes: the formats offered (one entry each: adding a
// format is adding a line to quantizeFormats()), and QuantizeJob, one copy written on a thread of its own into the
// app's data folder (never into the Hugging Face cache), reporting its progress as queued signals.
#pragma once

#include <QList>
#include <QObject>
#include <QString>
#include <QThread>
#include <atomic>
#include <functional>

#include "rgemma/checkpoint.h"

struct QuantizeFormat {
    QString id;           // "int8": what QML names, and the copy's folder suffix
    QString (*action)();  // the button's words, translated
    QString (*hint)();    // what the copy trades, translated (the button's tooltip), or null
    // Writes the copy of `source` into `target` (a new folder), telling `progress`; called on the job's thread.
    std::function<rgemma::Result<void>(const std::filesystem::path& source, const std::filesystem::path& target,
                                       const rgemma::QuantizeProgress& progress)>
        write;
};

const QList<QuantizeFormat>& quantizeFormats();
const QuantizeFormat* findQuantizeFormat(const QString& id);

class QuantizeJob : public QObject {
    Q_OBJECT
  public:
    // A copy of the checkpoint in `source` as `format`, named `name`-<format id> in `copiesDir`.
    QuantizeJob(const QuantizeFormat& format, const QString& source, const QString& copiesDir, const QString& name,
                QObject* parent = nullptr);
    // Stops the copy (its partial folder is removed) and waits for the thread: the writer checks between chunks.
    ~QuantizeJob() override;

    QString source() const { return m_source; }
    void start();

  signals:
    // Emitted from the job's thread: connect with a context on the GUI thread, which makes them queued.
    void progress(double fraction);
    // `folder` is the finished copy; `error` is "" on success, else what failed (translated).
    void finished(const QString& folder, const QString& error);

  private:
    void run();

    QuantizeFormat m_format;
    QString m_source;
    QString m_copiesDir;
    QString m_name;
    std::atomic<bool> m_stop = false;
    QThread* m_thread = nullptr;
};
