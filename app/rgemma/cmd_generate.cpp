// cmd_generate.cpp — `rgemma generate`: one completion of a prompt (plain, or as one chat turn) or of an exact
// id list, streamed as text or printed as ids; or a file of them, one per line, generated as one batch.
#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "cli_common.h"
#include "generate_batch.h"
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
    std::optional<std::vector<TokenId>> ids;           // --ids, fed as given
    std::optional<std::string> prompt;                 // --prompt
    std::optional<std::filesystem::path> idsFile;      // --ids-file: one id list per line, as one batch
    std::optional<std::filesystem::path> promptsFile;  // --prompts-file: one prompt per line, as one batch
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

    const int sources = static_cast<int>(args.has("ids")) + static_cast<int>(args.has("prompt")) +
                        static_cast<int>(args.has("ids-file")) + static_cast<int>(args.has("prompts-file"));
    if (sources != 1) {
        return tl::unexpected<std::string>(
            "give exactly one of --ids LIST, --prompt TEXT, --ids-file FILE and --prompts-file FILE");
    }
    for (const char* option : {"ids-file", "prompts-file"}) {
        if (auto file = args.value(option)) {
            if (file->empty())
                return tl::unexpected<std::string>("--" + std::string(option) + ": the file name is empty");
            (std::string_view(option) == "ids-file" ? request.idsFile : request.promptsFile) = *file;
        }
    }
    if (auto idsText = args.value("ids")) {
        auto ids = parseIdList(*idsText, "ids");
        if (!ids) return tl::unexpected<std::string>(ids.error());
        request.ids = std::move(*ids);
    }
    request.prompt = args.value("prompt");
    request.chat = args.has("chat");
    if (request.chat && !request.prompt && !request.promptsFile) {
        return tl::unexpected<std::string>("--chat needs --prompt TEXT or --prompts-file FILE");
    }
    const bool batch = request.idsFile || request.promptsFile;
    if (batch && (args.has("state-in") || args.has("state-out"))) {
        return tl::unexpected<std::string>("--state-in and --state-out take one sequence, not a file of them");
    }
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

std::vector<TokenId> promptTokens(const GenerateRequest& request, const Tokenizer& tokenizer,
                                  const std::string& prompt) {
    if (request.chat) return firstTurnTokens(tokenizer, prompt);
    std::vector<TokenId> tokens{tokenizer.bos()};
    const std::vector<TokenId> text = tokenizer.encode(prompt);
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

// --ids-file / --prompts-file: every line's input, then one line of output per input line, in order.
int runBatch(const GenerateRequest& request, const Model& model, const std::optional<Tokenizer>& tokenizer) {
    auto lines = readBatchLines(request.idsFile ? *request.idsFile : *request.promptsFile);
    if (!lines) return runtimeError(lines.error());
    std::vector<std::vector<TokenId>> inputs;
    for (std::size_t i = 0; i < lines->size(); ++i) {
        if (request.promptsFile) {
            inputs.push_back(promptTokens(request, *tokenizer, (*lines)[i]));
            continue;
        }
        auto ids = parseIdList((*lines)[i], "ids-file line " + std::to_string(i + 1));
        if (!ids) return usageError(kName, ids.error());
        inputs.push_back(std::move(*ids));
    }
    Runtime runtime(request.threads);
    auto replies = generateBatch(model, runtime, inputs, request.sampling, request.options);
    if (!replies) return runtimeError(replies.error());
    for (const std::vector<TokenId>& reply : *replies) {
        writeOut((request.printIds ? joinIds(reply) : tokenizer->decode(reply)) + "\n");
    }
    return kExitOk;
}

int run(const CliArgs& args) {
    auto request = parseRequest(args);
    if (!request) return usageError(kName, request.error());

    auto model = Model::load(request->modelDir);
    if (!model) return runtimeError(model.error());
    // Exact ids printed as ids need no text: a folder without tokenizer.model still generates, stopping at the
    // config's <eos> (with a tokenizer, also at <end_of_turn>).
    const bool idsOnly = (request->ids || request->idsFile) && request->printIds;
    std::optional<Tokenizer> tokenizer;
    if (auto loaded = loadTokenizer(request->modelDir)) {
        tokenizer.emplace(std::move(*loaded));
    } else if (!idsOnly || std::filesystem::exists(request->modelDir / "tokenizer.model")) {
        return runtimeError(loaded.error());
    }
    request->options.stopTokens =
        tokenizer ? defaultStopTokens(*tokenizer) : std::vector<TokenId>{(*model)->config().eosId};
    if (request->idsFile || request->promptsFile) return runBatch(*request, **model, tokenizer);
    const std::vector<TokenId> input =
        request->ids ? *request->ids : promptTokens(*request, *tokenizer, *request->prompt);

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
            {"ids-file", "FILE", "one id list per line (as --ids), all lines generated as one batch"},
            {"prompts-file", "FILE", "one prompt per line (as --prompt), all lines generated as one batch"},
            {"chat", "", "wrap --prompt (each line of --prompts-file) as one user turn of the chat format"},
            {"print-ids", "", "print the generated ids comma-separated on one line instead of text"},
            {"no-stop", "", "do not stop at <eos> or <end_of_turn>; generate exactly --max-tokens tokens"},
            {"state-in", "FILE", "continue from a state saved with --state-out (needs --ids: the tokens to feed next)"},
            {"state-out", "FILE", "save the state after the last token fed (all but the last generated one)"},
        };
        for (OptionSpec& option : generationOptionSpecs()) options.push_back(std::move(option));
        options.push_back(threadsOption());
        return Command{
            kName,
            "complete a prompt or an id list, or a file of them as one batch",
            "rgemma generate --model DIR (--ids LIST | --prompt TEXT [--chat]) [options]\n"
            "       rgemma generate --model DIR --state-in FILE --ids LIST [--state-out FILE] [options]\n"
            "       rgemma generate --model DIR (--ids-file FILE | --prompts-file FILE [--chat]) [options]",
            "Feeds the prompt to a fresh state and samples a continuation, streaming the text to stdout as it\n"
            "comes and ending it with a newline. Generation stops at <eos> or <end_of_turn> (unless --no-stop)\n"
            "or after --max-tokens tokens. The stop token is not printed: neither as text nor with --print-ids.\n"
            "Without --greedy, sampling uses the defaults below with seed 0, so a run is reproducible.\n"
            "--state-out saves the model's state after the last token it was fed: every generated token but the\n"
            "last, which is sampled and printed but not fed. To continue, pass that last token first:\n"
            "  rgemma generate ... --print-ids --state-out s.rgstate     (prints ..., 417)\n"
            "  rgemma generate --model DIR --state-in s.rgstate --ids 417 ...\n"
            "The continuation is bit-for-bit the one a single longer run would produce (the sampler's repetition\n"
            "history and random generator start afresh, so this holds for greedy decoding and no penalty).\n"
            "--ids-file and --prompts-file take one input per line (at most 256, none empty) and generate them all\n"
            "as one batch: each step advances every unfinished line by a token on one pass over the weights. The\n"
            "output is one reply per input line, in order (text, or ids with --print-ids), as each line alone\n"
            "gives it: every line has its own sampler with the same settings and seed, and a batch's logits equal a\n"
            "lone run's up to f32 rounding. A reply's text may hold newlines of its own; --print-ids gives exactly\n"
            "one line per input line.",
            std::move(options),
            run,
        };
    }();
    return command;
}

}  // namespace rgemma::cli
