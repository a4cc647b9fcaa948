// kill_writer_helper — a process for test_kill_writer to SIGKILL at random moments: it writes conversations and
// messages through ConversationStore and saves state files through the engine, the way the app does, forever.
// After each commit it prints (and flushes) what is now durable, so the test knows what must survive the kill:
//   msg <id> <conversation> <content length>    a message whose transaction committed
//   state <file name> <position>                 a state file saved (renamed into place)
// Usage: kill_writer_helper DATA_DIR MODEL_DIR SEED
#include <QCoreApplication>
#include <QDir>
#include <QRandomGenerator>
#include <cstdio>
#include <vector>

#include "conversation_store.h"
#include "rgemma/model.h"
#include "rgemma/state_file.h"

namespace {

// The text of message `n`: its number first, then filler of a length that varies so writes straddle pages.
QString contentOf(quint32 n, quint32 length) {
    QString text = QStringLiteral("message %1 ").arg(n);
    while (quint32(text.size()) < length) text += QStringLiteral("lorem ipsum ");
    return text;
}

}  // namespace

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    if (argc != 4) {
        std::fprintf(stderr, "usage: kill_writer_helper DATA_DIR MODEL_DIR SEED\n");
        return 2;
    }
    const QDir data(QString::fromLocal8Bit(argv[1]));
    QString error;
    auto store = ConversationStore::open(data.filePath(QStringLiteral("conversations.sqlite3")),
                                         QStringLiteral("writer"), &error);
    if (!store) {
        std::fprintf(stderr, "error: %s\n", qPrintable(error));
        return 1;
    }
    auto model = rgemma::Model::load(argv[2]);
    if (!model) {
        std::fprintf(stderr, "error: %s\n", model.error().message.c_str());
        return 1;
    }
    QDir().mkpath(data.filePath(QStringLiteral("states")));
    rgemma::Runtime runtime(1);
    rgemma::State state = (*model)->newState();
    std::vector<float> logits;
    QRandomGenerator random(QString::fromLocal8Bit(argv[3]).toUInt());
    std::printf("ready\n");
    std::fflush(stdout);

    for (quint32 n = 0;; ++n) {
        const qint64 conversation = store->createConversation(QStringLiteral("chat %1").arg(n));
        qint64 parent = 0;
        for (int turn = 0; turn < 3; ++turn) {
            const QString content = contentOf(n * 3 + turn, random.bounded(20u, 6000u));
            const QVector<qint32> tokens(random.bounded(1, 200), 7);
            const qint64 id = store->addMessage(conversation, parent, turn % 2 ? MessageRole::Model : MessageRole::User,
                                                content, tokens);
            if (id <= 0) {
                std::fprintf(stderr, "error: %s\n", qPrintable(store->lastError()));
                return 1;
            }
            std::printf("msg %lld %lld %lld\n", static_cast<long long>(id), static_cast<long long>(conversation),
                        static_cast<long long>(content.size()));
            std::fflush(stdout);
            parent = id;
        }
        // One more token into the state, then an atomic save over one of a few files.
        const rgemma::TokenId token = static_cast<rgemma::TokenId>(5 + n % 900);
        if (!(*model)->forward(runtime, state, std::span(&token, 1), rgemma::LogitsMode::None, logits)) return 1;
        const std::string name = "s" + std::to_string(n % 3) + ".rgstate";
        const auto path = data.filePath(QStringLiteral("states/%1").arg(QString::fromStdString(name))).toStdString();
        if (auto saved = rgemma::saveStateFile(path, state, **model); !saved) {
            std::fprintf(stderr, "error: %s\n", saved.error().message.c_str());
            return 1;
        }
        if (!store->setMessageState(parent, QString::fromStdString(name), QString())) return 1;
        std::printf("state %s %lld\n", name.c_str(), static_cast<long long>(state.position));
        std::fflush(stdout);
    }
}
