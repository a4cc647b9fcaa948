// cmd_generate.cpp — `rgemma generate`: one completion of a prompt (plain, or as one chat turn) or of an exact
// id list, streamed as text or printed as ids.
#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "cli_common.h"
#include "generation_options.h"
#include "rgemma/chat_format.h"
#include "rgemma/generate.h"
#include "rgemma/model.h"
#include "rgemma/runtime.h"
#include "rgemma/state_file.h"

namespace rgemma::cli {

namespace {

constexpr std::string_view kName = "generate";

// Everything the command line says, checked before any file is touched.
struct GenerateRequest {
    std::filesystem::path modelDir;
    int threads = 0;
    std::optional<std::vector<TokenId>> ids;  // --ids, fed as given
    std::optional<std::string> prompt;        // --prompt
    bool chat = false;
    bool printIds = false;
    std::optional<std::filesystem::path> stateIn;   // --state-in: continue from this saved state
    std::optional<std::filesystem::path> stateOut;  // --state-out: save the state after the last fed token
    SamplerSettings sampling;
    GenerateOptions options;
};

Parsed<GenerateRequest> parseRequest(const CliArgs& args) {
    GenerateRequest request;
    auto dir = modelDir(args);
    if (!dir) return tl::unexpected<std::string>(dir.error());
    request.modelDir = *dir;
    auto threads = threadCount(args);
    if (!threads) return tl::unexpected<std::string>(threads.error());
    request.threads = *threads;

    if (args.has("ids") == args.has("prompt")) {
        return tl::unexpected<std::string>("give exactly one of --ids LIST and --prompt TEXT");
    }
    if (auto idsText = args.value("ids")) {
        auto ids = parseIdList(*idsText, "ids");
        if (!ids) return tl::unexpected<std::string>(ids.error());
        request.ids = std::move(*ids);
    }
    request.prompt = args.value("prompt");
    request.chat = args.has("chat");
    if (request.chat && !request.prompt) return tl::unexpected<std::string>("--chat needs --prompt TEXT");
    request.printIds = args.has("print-ids");
    if (auto file = args.value("state-in")) {
        if (file->empty()) return tl::unexpected<std::string>("--state-in: the file name is empty");
        // A saved state already holds BOS and the conversation: only exact ids can continue it.
        if (!request.ids) return tl::unexpected<std::string>("--state-in needs --ids LIST (the tokens to feed next)");
        request.stateIn = *file;
    }
    if (auto file = args.value("state-out")) {
        if (file->empty()) return tl::unexpected<std::string>("--state-out: the file name is empty");
        request.stateOut = *file;
    }

    auto sampling = samplerSettingsFromArgs(args);
    if (!sampling) return tl::unexpected<std::string>(sampling.error());
    request.sampling = *sampling;
    auto maxTokens = maxTokensFromArgs(args);
    if (!maxTokens) return tl::unexpected<std::string>(maxTokens.error());
    request.options.maxNewTokens = *maxTokens;
    request.options.stopAtEndOfTurn = !args.has("no-stop");
    return request;
}

std::vector<TokenId> promptTokens(const GenerateRequest& request, const Tokenizer& tokenizer) {
    if (request.chat) return firstTurnTokens(tokenizer, *request.prompt);
    std::vector<TokenId> tokens{tokenizer.bos()};
    const std::vector<TokenId> text = tokenizer.encode(*request.prompt);
    tokens.insert(tokens.end(), text.begin(), text.end());
    return tokens;
}

bool isStopToken(const GenerateOptions& options, TokenId id) {
    return std::find(options.stopTokens.begin(), options.stopTokens.end(), id) != options.stopTokens.end();
}

std::string joinIds(const std::vector<TokenId>& ids) {
    std::string line;
    for (std::size_t i = 0; i < ids.size(); ++i) {
        if (i > 0) line += ',';
        line += std::to_string(ids[i]);
    }
    return line;
}

int run(const CliArgs& args) {
    auto request = parseRequest(args);
    if (!request) return usageError(kName, request.error());

    auto model = Model::load(request->modelDir);
    if (!model) return runtimeError(model.error());
    // Exact ids printed as ids need no text: a folder without tokenizer.model still generates, stopping at the
    // config's <eos> (with a tokenizer, also at <end_of_turn>).
    const bool idsOnly = request->ids && request->printIds;
    std::optional<Tokenizer> tokenizer;
    if (auto loaded = loadTokenizer(request->modelDir)) {
        tokenizer.emplace(std::move(*loaded));
    } else if (!idsOnly || std::filesystem::exists(request->modelDir / "tokenizer.model")) {
        return runtimeError(loaded.error());
    }
    const std::vector<TokenId> input = request->ids ? *request->ids : promptTokens(*request, *tokenizer);
    request->options.stopTokens =
        tokenizer ? defaultStopTokens(*tokenizer) : std::vector<TokenId>{(*model)->config().eosId};

    Runtime runtime(request->threads);
    State state = (*model)->newState();
    if (request->stateIn) {
        auto loaded = loadStateFile(*request->stateIn, **model);
        if (!loaded) return runtimeError(loaded.error());
        state = std::move(*loaded);
    }
    Sampler sampler(request->sampling);
    std::optional<StreamingDecoder> decoder;
    if (!request->printIds) decoder.emplace(*tokenizer);
    const GenerateOptions& options = request->options;
    bool wroteText = false;
    // The stop token ends the reply; it is not part of the text.
    auto onToken = [&](TokenId id) {
        if (decoder && !(options.stopAtEndOfTurn && isStopToken(options, id))) {
            const std::string text = decoder->push(id);
            wroteText = wroteText || !text.empty();
            writeOut(text);
        }
        return true;
    };
    auto result = generate(**model, runtime, state, input, sampler, options, onToken);
    if (!result) {
        if (wroteText) writeOut("\n");  // the error line then starts on a line of its own in a terminal
        return runtimeError(result.error());
    }
    if (decoder) writeOut(decoder->flush() + "\n");

    if (request->printIds) {
        std::vector<TokenId> ids = result->tokens;
        if (result->stop == StopReason::EndOfTurn && !ids.empty()) ids.pop_back();
        writeOut(joinIds(ids) + "\n");
    }
    // After the output, so that a failed save still shows what was generated.
    if (request->stateOut) {
        if (auto saved = saveStateFile(*request->stateOut, state, **model); !saved) return runtimeError(saved.error());
    }
    return kExitOk;
}

}  // namespace

const Command& generateCommand() {
    static const Command command = [] {
        std::vector<OptionSpec> options{
            modelOption(),
            {"ids", "LIST", "token ids separated by commas, fed exactly as given (no BOS added)"},
            {"prompt", "TEXT", "text to continue; BOS is added before it"},
            {"chat", "", "wrap --prompt as one user turn of the chat format (BOS, <start_of_turn>user ...)"},
            {"print-ids", "", "print the generated ids comma-separated on one line instead of text"},
            {"no-stop", "", "do not stop at <eos> or <end_of_turn>; generate exactly --max-tokens tokens"},
            {"state-in", "FILE", "continue from a state saved with --state-out (needs --ids: the tokens to feed next)"},
            {"state-out", "FILE", "save the state after the last token fed (all but the last generated one)"},
        };
        for (OptionSpec& option : generationOptionSpecs()) options.push_back(std::move(option));
        options.push_back(threadsOption());
        return Command{
            kName,
            "complete a prompt or an id list",
            "rgemma generate --model DIR (--ids LIST | --prompt TEXT [--chat]) [options]\n"
            "       rgemma generate --model DIR --state-in FILE --ids LIST [--state-out FILE] [options]",
            "Feeds the prompt to a fresh state and samples a continuation, streaming the text to stdout as it\n"
            "comes and ending it with a newline. Generation stops at <eos> or <end_of_turn> (unless --no-stop)\n"
            "or after --max-tokens tokens. The stop token is not printed: neither as text nor with --print-ids.\n"
            "Without --greedy, sampling uses the defaults below with seed 0, so a run is reproducible.\n"
            "--state-out saves the model's state after the last token it was fed: every generated token but the\n"
            "last, which is sampled and printed but not fed. To continue, pass that last token first:\n"
            "  rgemma generate ... --print-ids --state-out s.rgstate     (prints ..., 417)\n"
            "  rgemma generate --model DIR --state-in s.rgstate --ids 417 ...\n"
            "The continuation is bit-for-bit the one a single longer run would produce (the sampler's repetition\n"
            "history and random generator start afresh, so this holds for greedy decoding and no penalty).",
            std::move(options),
            run,
        };
    }();
    return command;
}

}  // namespace rgemma::cli
