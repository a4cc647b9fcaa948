// cmd_download.cpp — `rgemma download`: fetches a checkpoint from the Hugging Face Hub into the Hugging Face cache
// with the app's download library (net/hub), shows progress on stderr and prints the snapshot folder last on stdout.
#include <unistd.h>

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QLocale>
#include <QTranslator>
#include <cstdio>

#include "cli_common.h"
#include "hub_locations.h"
#include "hub_protocol.h"
#include "model_download.h"

namespace rgemma::cli {

namespace {

constexpr std::string_view kName = "download";
constexpr qint64 kPlainProgressIntervalMs = 2000;  // into a file or a pipe: a line every 2 s, not a stream of them

QByteArray sizeText(qint64 bytes) {
    if (bytes < 1000) return QByteArray::number(bytes) + " B";
    return QLocale::c().formattedDataSize(bytes, 1, QLocale::DataSizeSIFormat).toUtf8();
}

QByteArray durationText(qint64 seconds) {
    if (seconds < 60) return QByteArray::number(seconds) + " s";
    if (seconds < 3600) return QByteArray::number(seconds / 60) + " min " + QByteArray::number(seconds % 60) + " s";
    return QByteArray::number(seconds / 3600) + " h " + QByteArray::number(seconds / 60 % 60) + " min";
}

// Progress on stderr: one line rewritten in place on a terminal, a line every few seconds elsewhere, and a line
// for each file as it is in place.
class ProgressPrinter {
  public:
    ProgressPrinter() : m_terminal(::isatty(STDERR_FILENO) == 1) { m_sincePrint.start(); }

    void planned(const hub::CheckpointPlan& plan) {
        m_plan = plan;
        line(plan.repo.toUtf8() + ": " + QByteArray::number(plan.files.size()) + " files, " +
             sizeText(plan.totalBytes) + ", " + sizeText(plan.bytesToFetch) + " to download");
    }

    void progress(const hub::DownloadProgress& p) {
        for (; m_filesDone < p.filesDone && m_filesDone < m_plan.files.size(); ++m_filesDone) {
            const hub::PlannedFile& file = m_plan.files.at(m_filesDone);
            line("  " + file.path.toUtf8() + " (" + sizeText(file.size) + ") in place");
        }
        if (p.bytesDone >= p.bytesTotal || p.file.isEmpty()) return;
        if (!m_terminal && m_sincePrint.elapsed() < kPlainProgressIntervalMs) return;
        QByteArray text = "  " + sizeText(p.bytesDone) + " / " + sizeText(p.bytesTotal) + " (" +
                          QByteArray::number(p.bytesTotal > 0 ? p.bytesDone * 100 / p.bytesTotal : 0) + "%)";
        if (p.bytesPerSecond > 0) text += ", " + sizeText(static_cast<qint64>(p.bytesPerSecond)) + "/s";
        if (p.secondsLeft >= 0) text += ", " + durationText(p.secondsLeft) + " left";
        text += ", " + p.file.toUtf8();
        if (m_terminal) {
            std::fprintf(stderr, "\r\033[K%s", text.constData());
            std::fflush(stderr);
            m_open = true;
        } else {
            line(text);
        }
        m_sincePrint.restart();
    }

    void line(const QByteArray& text) {
        endOpenLine();
        std::fprintf(stderr, "%s\n", text.constData());
        std::fflush(stderr);
    }

    void endOpenLine() {
        if (m_open) std::fputs("\r\033[K", stderr);
        m_open = false;
    }

  private:
    bool m_terminal;
    bool m_open = false;  // a progress line without its newline is on the terminal
    hub::CheckpointPlan m_plan;
    qsizetype m_filesDone = 0;
    QElapsedTimer m_sincePrint;
};

// The options as DownloadOptions, or the usage error.
Parsed<hub::DownloadOptions> downloadOptions(const CliArgs& args) {
    hub::DownloadOptions options;
    options.repo = QString::fromStdString(args.operand().value_or(""));
    if (options.repo.isEmpty())
        return tl::unexpected<std::string>("REPO is missing (e.g. google/recurrentgemma-2b-it)");
    if (!hub::isRepoId(options.repo)) return tl::unexpected<std::string>("'" + *args.operand() + "' is not a repo id");
    if (auto revision = args.value("revision")) {
        options.revision = QString::fromStdString(*revision);
        if (!hub::isSafeRevision(options.revision))
            return tl::unexpected<std::string>("--revision: '" + *revision + "' is not a branch, tag or commit");
    }
    if (auto endpoint = args.value("endpoint")) {
        options.endpoint = hub::parseEndpoint(QString::fromStdString(*endpoint));
        if (!options.endpoint.isValid())
            return tl::unexpected<std::string>("--endpoint: '" + *endpoint + "' is not an http(s) URL");
    } else if (!hub::defaultEndpoint().isValid()) {
        return tl::unexpected<std::string>("$HF_ENDPOINT is not an http(s) URL");
    }
    if (auto token = args.value("token")) {
        options.token = QString::fromStdString(*token);
        if (!hub::isSendableToken(options.token)) return tl::unexpected<std::string>("--token: not a token");
    }
    options.cacheDir = QString::fromStdString(args.value("cache-dir").value_or(""));
    if (auto stall = args.value("stall-timeout")) {
        auto seconds = parseFloat(*stall, "stall-timeout");
        if (!seconds) return tl::unexpected(seconds.error());
        if (*seconds < 0.05f || *seconds > 3600.0f)
            return tl::unexpected<std::string>("--stall-timeout: must be between 0.05 and 3600 seconds");
        options.stallTimeoutMs = static_cast<int>(*seconds * 1000.0f);
    }
    auto retries = optionalInteger(args, "retries", 1, 100);
    if (!retries) return tl::unexpected(retries.error());
    if (*retries) options.maxAttempts = static_cast<int>(**retries);
    return options;
}

int run(const CliArgs& args) {
    auto options = downloadOptions(args);
    if (!options) return usageError(kName, options.error());

    int argc = 1;
    char programName[] = "rgemma";
    char* argv[] = {programName, nullptr};
    QCoreApplication app(argc, argv);
    // The library's messages in the user's language, from the app's catalogues (compiled into rgemma); English
    // (whose catalogue holds the plural forms) where there is none, as in the app.
    QTranslator translator;
    const QString catalogue = QStringLiteral("recurrent-chat");
    const QString folder = QStringLiteral(":/i18n");
    if (translator.load(QLocale::system(), catalogue, QStringLiteral("_"), folder) ||
        translator.load(QLocale(QLocale::English), catalogue, QStringLiteral("_"), folder)) {
        QCoreApplication::installTranslator(&translator);
    }

    hub::ModelDownload download(*options);
    ProgressPrinter printer;
    int status = kExitRuntimeError;
    QString snapshot;
    QObject::connect(&download, &hub::ModelDownload::planned, &app,
                     [&](const hub::CheckpointPlan& plan) { printer.planned(plan); });
    QObject::connect(&download, &hub::ModelDownload::progress, &app,
                     [&](const hub::DownloadProgress& progress) { printer.progress(progress); });
    QObject::connect(&download, &hub::ModelDownload::notice, &app,
                     [&](const QString& text) { printer.line("note: " + text.toUtf8()); });
    QObject::connect(&download, &hub::ModelDownload::finished, &app, [&](const QString& snapshotDir) {
        printer.endOpenLine();
        snapshot = snapshotDir;
        status = kExitOk;
        QCoreApplication::quit();
    });
    QObject::connect(&download, &hub::ModelDownload::failed, &app, [&](const hub::HubError& error) {
        printer.line("error: " + error.message.toUtf8());
        QCoreApplication::quit();
    });
    download.start();
    QCoreApplication::exec();
    if (status == kExitOk) writeOut(snapshot.toStdString() + "\n");
    return status;
}

}  // namespace

const Command& downloadCommand() {
    static const Command command{
        kName,
        "download a checkpoint from the Hugging Face Hub",
        "rgemma download REPO [--revision REV] [--endpoint URL] [--token TOKEN] [--cache-dir DIR]",
        "Downloads what a checkpoint needs (config.json, tokenizer.model, the safetensors weights and their index) of\n"
        "the Hugging Face repo REPO (e.g. google/recurrentgemma-2b-it) into the Hugging Face cache, shared with\n"
        "huggingface-cli: files already there are not fetched again, and an interrupted download resumes where it\n"
        "stopped. Every file's size and every LFS file's SHA-256 is checked before it enters the cache. Progress goes\n"
        "to stderr; the last line on stdout is the snapshot folder, which --model takes.\n"
        "The token (for gated repos such as google/recurrentgemma-*: accept the licence on the repo's page first)\n"
        "is --token, else $HF_TOKEN, else the file $HF_HOME/token that `huggingface-cli login` writes. The cache is\n"
        "--cache-dir, else $HF_HUB_CACHE, else $HF_HOME/hub (~/.cache/huggingface/hub); the Hub is --endpoint, else\n"
        "$HF_ENDPOINT, else https://huggingface.co. The system's proxy settings apply.",
        {{"revision", "REV", "branch, tag or commit (default: main)"},
         {"endpoint", "URL", "the Hub's address (default: $HF_ENDPOINT, else https://huggingface.co)"},
         {"token", "TOKEN", "Hugging Face access token (default: $HF_TOKEN, else $HF_HOME/token)"},
         {"cache-dir", "DIR", "the hub cache (default: $HF_HUB_CACHE, else $HF_HOME/hub)"},
         {"stall-timeout", "SECONDS", "a connection that sends nothing this long is retried (default: 30)"},
         {"retries", "N", "tries of a request that makes no progress before giving up (default: 5)"}},
        run,
        "REPO",
    };
    return command;
}

}  // namespace rgemma::cli
