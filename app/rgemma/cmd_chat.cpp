// cmd_chat.cpp — `rgemma chat`: an interactive conversation in the terminal, one line of stdin per user turn,
// the model's replies streamed to stdout.
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <optional>
#include <string>

#include "chat_session.h"
#include "cli_common.h"
#include "generation_options.h"
#include "rgemma/model.h"
#include "rgemma/runtime.h"

namespace rgemma::cli {

namespace {

constexpr std::string_view kName = "chat";

std::string_view trimmed(std::string_view text) {
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) return {};
    const auto last = text.find_last_not_of(" \t\r\n");
    return text.substr(first, last - first + 1);
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

    auto model = Model::load(*dir);
    if (!model) return runtimeError(model.error());
    auto tokenizer = loadTokenizer(*dir);
    if (!tokenizer) return runtimeError(tokenizer.error());
    Runtime runtime(*threads);
    ChatSession session(**model, *tokenizer, runtime, *sampling, *maxTokens);

    // Prompts and notices go to stderr, and only for a person at a terminal: stdout carries just the replies.
    const bool interactive = isatty(STDIN_FILENO) != 0;
    auto notice = [&](const char* text) {
        if (interactive) std::fputs(text, stderr);
    };
    notice("Type a message and press Enter. /reset starts a new conversation; /quit or Ctrl-D ends.\n");

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
            continue;
        }
        if (auto replied = streamReply(session, *tokenizer, message); !replied) return runtimeError(replied.error());
    }
    return kExitOk;
}

}  // namespace

const Command& chatCommand() {
    static const Command command = [] {
        std::vector<OptionSpec> options{modelOption()};
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
            "defaults below with seed 0.",
            std::move(options),
            run,
        };
    }();
    return command;
}

}  // namespace rgemma::cli
