// cmd_serve.cpp — `rgemma serve`: the local OpenAI-compatible API server (net/server) over the engine on a thread of
// its own. Prints "listening on http://HOST:PORT" as its first stdout line once it accepts connections (the model
// then loads; /health answers 503 until it is ready), logs each request on stderr, and on SIGINT or SIGTERM lets
// every running reply finish its current token, then exits 0.
#include <fcntl.h>
#include <unistd.h>

#include <QCoreApplication>
#include <QHostAddress>
#include <QSocketNotifier>
#include <QStandardPaths>
#include <csignal>
#include <cstdio>
#include <limits>

#include "api_server.h"
#include "cli_common.h"
#include "queued_engine_backend.h"

namespace rgemma::cli {

namespace {

constexpr std::string_view kName = "serve";
constexpr int64_t kDefaultPort = 8080;
constexpr int64_t kDefaultParallel = 4;
constexpr int64_t kDefaultStateCacheMb = 1024;
constexpr int64_t kDefaultStateDiskMb = 4096;
constexpr int64_t kMaxMb = int64_t{1} << 24;

int g_signalPipe[2] = {-1, -1};

void onSignal(int) {
    const char byte = 1;
    [[maybe_unused]] const auto written = ::write(g_signalPipe[1], &byte, 1);
}

// SIGINT and SIGTERM become a readable byte on a pipe, read by the event loop (a handler may do nothing more).
bool installSignalPipe() {
    if (::pipe2(g_signalPipe, O_CLOEXEC | O_NONBLOCK) != 0) return false;
    struct sigaction action = {};
    action.sa_handler = onSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    return ::sigaction(SIGINT, &action, nullptr) == 0 && ::sigaction(SIGTERM, &action, nullptr) == 0;
}

QString defaultStateFolder() {
    return QStandardPaths::writableLocation(QStandardPaths::GenericCacheLocation) +
           QStringLiteral("/recurrent-chat/server-states");
}

struct ServeOptions {
    QHostAddress address;
    QString host;
    quint16 port = 0;
    QString apiKey;
    rcserver::EngineSettings engine;
};

Parsed<ServeOptions> parseOptions(const CliArgs& args) {
    ServeOptions options;
    auto model = modelDir(args);
    if (!model) return tl::unexpected(model.error());
    auto threads = threadCount(args);
    if (!threads) return tl::unexpected(threads.error());
    options.host = QString::fromStdString(args.value("host").value_or("127.0.0.1"));
    options.address =
        options.host == QLatin1String("localhost") ? QHostAddress(QHostAddress::LocalHost) : QHostAddress(options.host);
    if (options.address.isNull()) {
        return tl::unexpected<std::string>("--host must be an IP address (127.0.0.1, ::1, 0.0.0.0) or localhost");
    }
    auto port = optionalInteger(args, "port", 0, 65535);
    auto parallel = optionalInteger(args, "parallel", 1, 64);
    auto memoryMb = optionalInteger(args, "state-cache-mb", 0, kMaxMb);
    auto diskMb = optionalInteger(args, "state-disk-mb", 0, kMaxMb);
    for (const auto* parsed : {&port, &parallel, &memoryMb, &diskMb}) {
        if (!*parsed) return tl::unexpected(parsed->error());
    }
    if (auto key = args.value("api-key")) {
        if (key->empty()) return tl::unexpected<std::string>("--api-key: the key is empty");
        options.apiKey = QString::fromStdString(*key);
    }
    options.port = static_cast<quint16>(port->value_or(kDefaultPort));
    options.engine.modelDir = *model;
    options.engine.threads = *threads;
    options.engine.parallel = static_cast<int>(parallel->value_or(kDefaultParallel));
    options.engine.stateMemoryBytes = static_cast<uint64_t>(memoryMb->value_or(kDefaultStateCacheMb)) << 20;
    options.engine.stateDiskBytes = static_cast<uint64_t>(diskMb->value_or(kDefaultStateDiskMb)) << 20;
    const std::string folder = args.value("state-dir").value_or(defaultStateFolder().toStdString());
    if (folder.empty()) return tl::unexpected<std::string>("--state-dir: the folder name is empty");
    options.engine.stateFolder = folder;
    return options;
}

void printErrorLine(const QString& text) { std::fprintf(stderr, "error: %s\n", qPrintable(text)); }

int run(const CliArgs& args) {
    auto options = parseOptions(args);
    if (!options) return usageError(kName, options.error());
    if (!installSignalPipe()) return runtimeError({ErrorCode::Io, "cannot install the signal handlers"});

    int argc = 1;
    char name[] = "rgemma";
    char* argv[] = {name, nullptr};
    QCoreApplication app(argc, argv);
    rcserver::QueuedEngineBackend backend(options->engine);
    rcserver::ApiServer server(&backend, rcserver::ApiServerOptions{options->apiKey, rcserver::HttpLimits{}});
    if (const QString failure = server.listen(options->address, options->port); !failure.isEmpty()) {
        return runtimeError({ErrorCode::Io, "cannot listen on " + options->host.toStdString() + ":" +
                                                std::to_string(options->port) + ": " + failure.toStdString()});
    }
    if (!options->address.isLoopback() && options->apiKey.isEmpty()) {
        std::fprintf(stderr,
                     "warning: serving on %s without --api-key: anyone who can reach this machine can use "
                     "the model\n",
                     qPrintable(options->host));
    }
    const QString host = options->address.protocol() == QAbstractSocket::IPv6Protocol
                             ? QLatin1Char('[') + options->host + QLatin1Char(']')
                             : options->host;
    std::printf("listening on http://%s:%u\n", qPrintable(host), static_cast<unsigned>(server.port()));
    std::fflush(stdout);

    QObject::connect(&server, &rcserver::ApiServer::requestLogged, &app, [](const rcserver::RequestLogEntry& entry) {
        std::fprintf(stderr, "%s\n", qPrintable(entry.toText()));
    });
    QObject::connect(&backend, &rcserver::CompletionBackend::statusChanged, &app, [&] {
        if (backend.status() == rcserver::BackendStatus::Failed) {
            printErrorLine(QStringLiteral("cannot load the model: ") + backend.failure());
            app.exit(kExitRuntimeError);
            return;
        }
        std::fprintf(stderr, "model ready: %s\n", qPrintable(backend.model().name));
        if (!backend.stateWarning().isEmpty()) {
            std::fprintf(stderr, "warning: %s; states are kept in memory only\n", qPrintable(backend.stateWarning()));
        }
    });
    QSocketNotifier signalNotifier(g_signalPipe[0], QSocketNotifier::Read);
    QObject::connect(&server, &rcserver::ApiServer::drained, &app, [&app] { app.exit(kExitOk); });
    QObject::connect(&signalNotifier, &QSocketNotifier::activated, &app, [&] {
        char drain[16];
        while (::read(g_signalPipe[0], drain, sizeof drain) > 0) {
        }
        std::fprintf(stderr, "stopping: finishing the current token of %d running replies\n",
                     server.runningCompletions());
        server.shutDown();
    });
    backend.load();
    return app.exec();
}

}  // namespace

const Command& serveCommand() {
    static const Command command{
        kName,
        "serve the model over a local OpenAI-compatible HTTP API",
        "rgemma serve [--model DIR] [--host ADDRESS] [--port N] [--api-key KEY] [--parallel N]\n"
        "                    [--state-cache-mb M] [--state-disk-mb M] [--state-dir DIR] [--threads N]",
        "Serves GET /v1/models, GET /health, POST /v1/chat/completions and POST /v1/completions in the JSON shapes\n"
        "OpenAI's clients expect (streaming with Server-Sent Events). Prints 'listening on http://HOST:PORT' as its\n"
        "first line once it accepts connections; the model then loads (/health answers 503 until it is ready).\n"
        "After every reply the model's state is kept, keyed by the exact tokens it consumed, in memory and on disk:\n"
        "a client that resends a conversation with a new message is answered after feeding only the new message\n"
        "(usage.prompt_tokens_details.cached_tokens says how many tokens were resumed). Requests beyond --parallel\n"
        "wait in a queue. SIGINT or SIGTERM: the running replies finish their current token, then it exits 0.",
        {
            modelOption(),
            {"host", "ADDRESS", "address to listen on (default 127.0.0.1; anything else warns without --api-key)"},
            {"port", "N", "TCP port (default " + std::to_string(kDefaultPort) + "; 0 picks a free one)"},
            {"api-key", "KEY", "require 'Authorization: Bearer KEY' on every request but /health"},
            {"parallel", "N",
             "replies generated at once, 1-64 (default " + std::to_string(kDefaultParallel) +
                 "); more wait in a queue"},
            {"state-cache-mb", "M",
             "memory for kept states (default " + std::to_string(kDefaultStateCacheMb) +
                 "; 0 with --state-disk-mb 0 turns reuse off)"},
            {"state-disk-mb", "M", "disk for kept states (default " + std::to_string(kDefaultStateDiskMb) + ")"},
            {"state-dir", "DIR", "folder of kept states (default $XDG_CACHE_HOME/recurrent-chat/server-states)"},
            threadsOption(),
        },
        run,
    };
    return command;
}

}  // namespace rgemma::cli
