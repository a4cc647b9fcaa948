// compare_inputs.cpp — random prompts and text windows for `rgemma compare`.
#include "compare_inputs.h"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <string>
#include <system_error>

#include "rgemma/chat_format.h"

namespace rgemma::cli {

namespace {

// Ids 0..3 are <pad>, <eos>, <bos> and <unk> in Gemma vocabularies: a prompt of them is not text-like.
constexpr TokenId kFirstOrdinaryId = 4;

Error textError(const std::filesystem::path& file, const std::string& what) {
    return Error{ErrorCode::InvalidArgument, "--text '" + file.string() + "': " + what};
}

// Per token of `tokens`, whether it belongs to a model turn: after a "<start_of_turn>model\n" header (as the chat
// format writes it), up to and including the <end_of_turn> that closes it.
Result<std::vector<bool>> modelTurnTokens(const std::vector<TokenId>& tokens, const Tokenizer& tokenizer) {
    if (!tokenizer.startOfTurn() || !tokenizer.endOfTurn()) {
        return makeError(ErrorCode::InvalidArgument,
                         "scoring replies needs <start_of_turn> and <end_of_turn> in the vocabulary");
    }
    // The header's ids: the chat format's user turn ends by opening the model's turn.
    const std::vector<TokenId> userTurn = tokenizer.encode(formatUserTurn(""));
    const auto last = std::find(userTurn.rbegin(), userTurn.rend(), *tokenizer.startOfTurn());
    if (last == userTurn.rend()) {
        return makeError(ErrorCode::InvalidArgument, "the tokenizer does not encode \"<start_of_turn>\" as its piece");
    }
    const std::vector<TokenId> header(last.base() - 1, userTurn.end());
    std::vector<bool> inReply(tokens.size(), false);
    bool replying = false;
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        if (!replying &&
            std::equal(header.begin(), header.end(), tokens.begin() + static_cast<std::ptrdiff_t>(i),
                       tokens.begin() + static_cast<std::ptrdiff_t>(std::min(tokens.size(), i + header.size())))) {
            replying = true;
            i += header.size() - 1;
            continue;
        }
        if (replying) {
            inReply[i] = true;
            replying = tokens[i] != *tokenizer.endOfTurn();
        }
    }
    return inReply;
}

// The whole file, refused past kMaxTextBytes.
Result<std::string> readText(const std::filesystem::path& file) {
    std::error_code ec;
    const std::uintmax_t size = std::filesystem::file_size(file, ec);
    if (ec) return tl::unexpected(Error{ErrorCode::Io, "--text '" + file.string() + "': " + ec.message()});
    if (size > kMaxTextBytes) {
        return tl::unexpected(textError(
            file, std::to_string(size) + " bytes; at most " + std::to_string(kMaxTextBytes) + " are compared"));
    }
    std::ifstream in(file, std::ios::binary);
    if (!in) return tl::unexpected(Error{ErrorCode::Io, "--text '" + file.string() + "': cannot open"});
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad()) return tl::unexpected(Error{ErrorCode::Io, "--text '" + file.string() + "': read failed"});
    return text;
}

bool isBlank(std::string_view line) { return line.find_first_not_of(" \t\r") == std::string_view::npos; }

// The paragraphs of `text`: its runs of non-blank lines (a blank line is empty or only spaces, tabs and \r), each
// without the newline that ends its last line.
std::vector<std::string_view> paragraphs(std::string_view text) {
    std::vector<std::string_view> out;
    std::size_t start = std::string_view::npos;  // the current paragraph's first byte
    std::size_t lineBegin = 0;
    while (lineBegin <= text.size()) {
        std::size_t lineEnd = text.find('\n', lineBegin);
        if (lineEnd == std::string_view::npos) lineEnd = text.size();
        const bool blank = isBlank(text.substr(lineBegin, lineEnd - lineBegin));
        if (!blank && start == std::string_view::npos) start = lineBegin;
        if (start != std::string_view::npos && (blank || lineEnd == text.size())) {
            const std::size_t end = blank ? lineBegin - 1 : lineEnd;  // a blank line follows a '\n'
            out.push_back(text.substr(start, end - start));
            start = std::string_view::npos;
        }
        lineBegin = lineEnd + 1;
    }
    return out;
}

}  // namespace

ComparePrompt randomPrompt(std::mt19937_64& random, int64_t length, const ModelConfig& config) {
    const TokenId first = config.vocabSize > kFirstOrdinaryId ? kFirstOrdinaryId : 0;
    std::uniform_int_distribution<TokenId> pick(first, static_cast<TokenId>(config.vocabSize - 1));
    ComparePrompt prompt{{config.bosId}, {}, {}};
    while (static_cast<int64_t>(prompt.ids.size()) < length) prompt.ids.push_back(pick(random));
    return prompt;
}

ComparePrompt TextWindows::prompt(int64_t k, TokenId bos) const {
    const auto [from, to] = windows[static_cast<std::size_t>(k)];
    const auto begin = tokens.begin() + from, end = tokens.begin() + to;
    ComparePrompt prompt{
        {bos}, std::vector<TokenId>(begin, end), std::vector<bool>(scored.begin() + from, scored.begin() + to)};
    prompt.ids.insert(prompt.ids.end(), begin, end - 1);
    return prompt;
}

Result<TextWindows> readTextWindows(const std::filesystem::path& file, const Tokenizer& tokenizer, const TextCut& cut,
                                    int64_t vocabSize) {
    auto text = readText(file);
    if (!text) return tl::unexpected(text.error());
    TextWindows windows;
    for (std::string_view document : cut.paragraphs ? paragraphs(*text) : std::vector<std::string_view>{*text}) {
        const std::vector<TokenId> ids = tokenizer.encode(document);
        const auto begin = static_cast<int64_t>(windows.tokens.size());
        windows.tokens.insert(windows.tokens.end(), ids.begin(), ids.end());
        const auto end = static_cast<int64_t>(windows.tokens.size());
        for (int64_t from = begin; from < end; from += cut.window) {
            windows.windows.emplace_back(from, std::min(end, from + cut.window));
        }
    }
    if (windows.tokens.empty()) return tl::unexpected(textError(file, "the text has no tokens"));
    const auto outside = std::find_if(windows.tokens.begin(), windows.tokens.end(),
                                      [&](TokenId id) { return id < 0 || id >= vocabSize; });
    if (outside != windows.tokens.end()) {
        return tl::unexpected(textError(file, "token id " + std::to_string(*outside) + " is outside the model's " +
                                                  std::to_string(vocabSize) + " ids"));
    }
    windows.scored.assign(windows.tokens.size(), true);
    if (cut.score == TextScore::Replies) {
        auto replies = modelTurnTokens(windows.tokens, tokenizer);
        if (!replies) return tl::unexpected(textError(file, replies.error().message));
        if (std::find(replies->begin(), replies->end(), true) == replies->end()) {
            return tl::unexpected(textError(file, "the text has no model turn (\"<start_of_turn>model\" ...)"));
        }
        windows.scored = std::move(*replies);
    }
    return windows;
}

}  // namespace rgemma::cli
