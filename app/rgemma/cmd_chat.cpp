// cmd_chat.cpp — `rgemma chat`: an interactive conversation in the terminal, one line of stdin per user turn,
// the model's replies streamed to stdout; with --session, kept in a state file across runs.
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <functional>
#include <iostream>
#include <optional>
#include <string>

#include "chat_session.h"
#include "cli_common.h"
#include "generation_options.h"
#include "rgemma/model.h"
#include "rgemma/runtime.h"
#include "rgemma/state_file.h"

namespace rgemma::cli {

namespace {

constexpr std::string_view kName = "chat";

std::string_view trimmed(std::string_view text) {
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) return {};
    const auto last = text.find_last_not_of(" \t\r\n");
    return text.substr(first, last - first + 1);
}

// A session file that exists but cannot be loaded is moved aside, never silently overwritten: the first free
// name of FILE.bad, FILE.bad.2, ... Returns the new name, or nothing if it could not be moved.
std::optional<std::filesystem::path> keepAside(const std::filesystem::path& file) {
    for (int n = 1; n <= 100; ++n) {
        std::filesystem::path aside = file;
        aside += n == 1 ? ".bad" : ".bad." + std::to_string(n);
        std::error_code ec;
        if (std::filesystem::exists(aside, ec) || ec) continue;
        std::filesystem::rename(file, aside, ec);
        if (!ec) return aside;
        return std::nullopt;
    }
    return std::nullopt;
}

// --session FILE: resume the conversation it holds, or say on stderr why not and start a new one.
void resumeSession(const std::filesystem::path& file, const Model& model, ChatSession& session,
                   const std::function<void(const std::string&)>& notice) {
    std::error_code ec;
    if (!std::filesystem::exists(file, ec) && !ec) {
        notice("(new conversation, saved to '" + file.string() + "' after each reply)\n");
        return;
    }
    auto state = loadStateFile(file, model);
    if (state) {
        notice("(resumed a conversation of " + std::to_string(state->position) + " tokens from '" + file.string() +
               "')\n");
        session.restore(std::move(*state));
        return;
    }
    std::string message = "warning: cannot resume the conversation: " + state.error().message + "; starting a new one";
    if (auto aside = keepAside(file)) {
        message += " (the unreadable file was moved to '" + aside->string() + "')";
    } else {
        message += " that will replace '" + file.string() + "' after the first reply (copy it to '" + file.string() +
                   ".bad' now to keep it)";
    }
    std::fprintf(stderr, "%s\n", message.c_str());
}

// After each reply and /reset: the whole conversation, the pending token included, to the session file.
bool saveSession(const std::filesystem::path& file, const Model& model, ChatSession& session) {
    auto saved = session.commitPending();
    if (saved) saved = saveStateFile(file, session.state(), model);
    if (!saved) std::fprintf(stderr, "warning: cannot save the conversation: %s\n", saved.error().message.c_str());
    return saved.has_value();
}

// Streams one reply to stdout, leaving out the stop token, and ends it with a newline.
Result<void> streamReply(ChatSession& session, const Tokenizer& tokenizer, std::string_view message) {
    StreamingDecoder decoder(tokenizer);
    auto result = session.reply(message, [&](TokenId id) {
        if (!session.isStopToken(id)) writeOut(decoder.push(id));
        return true;
    });
    writeOut(decoder.flush() + "\n");
    if (!result) return tl::unexpected<Error>(result.error());
    return {};
}

int run(const CliArgs& args) {
    auto dir = modelDir(args);
    if (!dir) return usageError(kName, dir.error());
    auto threads = threadCount(args);
    if (!threads) return usageError(kName, threads.error());
    auto sampling = samplerSettingsFromArgs(args);
    if (!sampling) return usageError(kName, sampling.error());
    auto maxTokens = maxTokensFromArgs(args);
    if (!maxTokens) return usageError(kName, maxTokens.error());
    std::optional<std::filesystem::path> sessionFile;
    if (auto file = args.value("session")) {
        if (file->empty()) return usageError(kName, "--session: the file name is empty");
        sessionFile = *file;
    }

    auto model = Model::load(*dir);
    if (!model) return runtimeError(model.error());
    auto tokenizer = loadTokenizer(*dir);
    if (!tokenizer) return runtimeError(tokenizer.error());
    Runtime runtime(*threads);
    ChatSession session(**model, *tokenizer, runtime, *sampling, *maxTokens);

    // Prompts and notices go to stderr, and only for a person at a terminal: stdout carries just the replies.
    const bool interactive = isatty(STDIN_FILENO) != 0;
    auto notice = [&](const std::string& text) {
        if (interactive) std::fputs(text.c_str(), stderr);
    };
    notice("Type a message and press Enter. /reset starts a new conversation; /quit or Ctrl-D ends.\n");
    if (sessionFile) resumeSession(*sessionFile, **model, session, notice);
    bool saved = true;  // whether the session file holds the conversation as it is now

    std::string line;
    while (true) {
        notice("> ");
        if (!std::getline(std::cin, line)) {
            notice("\n");
            break;
        }
        const std::string_view message = trimmed(line);
        if (message.empty()) continue;
        if (message == "/quit") break;
        if (message == "/reset") {
            session.reset();
            notice("(new conversation)\n");
            if (sessionFile) saved = saveSession(*sessionFile, **model, session);
            continue;
        }
        if (auto replied = streamReply(session, *tokenizer, message); !replied) return runtimeError(replied.error());
        if (sessionFile) saved = saveSession(*sessionFile, **model, session);
    }
    return saved ? kExitOk : kExitRuntimeError;
}

}  // namespace

const Command& chatCommand() {
    static const Command command = [] {
        std::vector<OptionSpec> options{
            modelOption(),
            {"session", "FILE", "resume the conversation saved in FILE (if any) and save it there after each reply"},
        };
        for (OptionSpec& option : generationOptionSpecs()) options.push_back(std::move(option));
        options.push_back(threadsOption());
        return Command{
            kName,
            "chat with the model in the terminal",
            "rgemma chat --model DIR [options]",
            "Reads one user message per line from stdin and streams the model's reply to stdout, ending each\n"
            "reply with a newline; the whole conversation lives in one fixed-size state, each token fed once.\n"
            "A reply ends at <end_of_turn> or <eos> (not printed), or after --max-tokens tokens. The lines\n"
            "\"/reset\" (start a new conversation) and \"/quit\" are commands; end of input ends the chat.\n"
            "Prompts go to stderr, and only when stdin is a terminal. Without --greedy, sampling uses the\n"
            "defaults below with seed 0.\n"
            "With --session FILE the conversation outlives the process: its state is saved to FILE (atomically)\n"
            "after each reply and after /reset, and a later `chat --session FILE` continues it without\n"
            "re-reading anything. A FILE that exists but cannot be loaded (corrupt, another model, another\n"
            "format version) is reported on stderr and moved aside to FILE.bad; the chat then starts afresh.\n"
            "The sampler's repetition history and random generator restart with each run. Exit status 1 if the\n"
            "last save failed.",
            std::move(options),
            run,
        };
    }();
    return command;
}

}  // namespace rgemma::cli
