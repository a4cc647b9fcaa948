// server_fixture.h — the local API server in the test's own process: the real ApiServer on a loopback port over the
// real QueuedEngineBackend (its engine thread) with the demo model, kept states in a temporary folder, and the
// request log collected.
#pragma once

#include <QHostAddress>
#include <QList>
#include <QTemporaryDir>
#include <memory>

#include "api_server.h"
#include "http_test_client.h"
#include "queued_engine_backend.h"

namespace rctest {

struct ServerFixture {
    QTemporaryDir folder;
    std::unique_ptr<rcserver::QueuedEngineBackend> backend;
    std::unique_ptr<rcserver::ApiServer> server;
    QList<rcserver::RequestLogEntry> log;
    quint16 port = 0;

    // Loads the demo model unless `load` is false (the server then answers 503 while it "loads").
    bool start(rcserver::ApiServerOptions options = {}, int parallel = 4, bool load = true,
               uint64_t stateMemoryBytes = uint64_t{256} << 20) {
        rcserver::EngineSettings engine;
        engine.modelDir = RC_DEMO_MODEL_DIR;
        engine.threads = 1;
        engine.parallel = parallel;
        engine.stateMemoryBytes = stateMemoryBytes;
        engine.stateDiskBytes = stateMemoryBytes;
        engine.stateFolder = folder.filePath(QStringLiteral("states")).toStdString();
        backend = std::make_unique<rcserver::QueuedEngineBackend>(engine);
        server = std::make_unique<rcserver::ApiServer>(backend.get(), options);
        QObject::connect(server.get(), &rcserver::ApiServer::requestLogged, server.get(),
                         [this](const rcserver::RequestLogEntry& entry) { log.append(entry); });
        if (!server->listen(QHostAddress::LocalHost, 0).isEmpty()) return false;
        port = server->port();
        if (!load) return true;
        backend->load();
        return spinUntil([this] { return backend->status() == rcserver::BackendStatus::Ready; }, 30000);
    }

    // The log entry of the last completion that ended, once it has.
    std::optional<rcserver::RequestLogEntry> lastCompletion(int timeoutMs = 30000) {
        std::optional<rcserver::RequestLogEntry> found;
        spinUntil(
            [&] {
                for (auto it = log.crbegin(); it != log.crend(); ++it) {
                    if (it->path.endsWith("completions") && it->status != 400) {
                        found = *it;
                        return true;
                    }
                }
                return false;
            },
            timeoutMs);
        return found;
    }
};

}  // namespace rctest
