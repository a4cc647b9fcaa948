// test_server_protocol.cpp — the server's pure parts on real inputs: the HTTP request parser (limits, framing,
// pipelining, hostile bytes), stop strings in streamed text, request bodies (types, ranges, huge numbers, fields we
// cannot honour), and prompt rendering in the app's chat format with the demo model's real tokenizer.
#include <QTest>

#include "completion_request.h"
#include "http_request.h"
#include "prompt_render.h"
#include "reply_memory.h"
#include "rgemma/chat_format.h"
#include "rgemma/generate.h"
#include "rgemma/tokenizer.h"
#include "stop_matcher.h"
#include "token_prefix_hash.h"
#include "turn_encodings.h"

using namespace rcserver;

namespace {

// The bytes of a string literal, NULs inside included, the terminating one not.
template <std::size_t N>
QByteArray literalBytes(const char (&text)[N]) {
    return QByteArray(text, N - 1);
}

struct Parsed {
    RequestParser::Result result;
    HttpRequest request;
    HttpFailure failure;
    QByteArray rest;
};

Parsed parseAll(const QByteArray& bytes, const HttpLimits& limits = {}) {
    RequestParser parser(limits);
    QByteArray buffer = bytes;
    Parsed parsed{parser.parse(buffer), {}, {}, {}};
    if (parsed.result == RequestParser::Result::Complete) parsed.request = parser.take();
    if (parsed.result == RequestParser::Result::Failed) parsed.failure = parser.failure();
    parsed.rest = buffer;
    return parsed;
}

tl::expected<CompletionRequest, ApiError> chat(const std::string& json) {
    return parseCompletionRequest(Endpoint::ChatCompletions, QByteArray::fromStdString(json));
}

std::string messagesWith(const std::string& fields) {
    return R"({"model":"x","messages":[{"role":"user","content":"hi"}])" + fields + "}";
}

}  // namespace

class TestServerProtocol : public QObject {
    Q_OBJECT

  private slots:
    void parsesARequestAndKeepsThePipelinedNext();
    void parsesByteByByte();
    void parsesChunkedBodies();
    void refusesMalformedRequests_data();
    void refusesMalformedRequests();
    void asksForContinueOnlyWhenABodyIsAwaited();
    void keepAliveFollowsVersionAndConnection();

    void stopStringsAcrossPieces();
    void stopStringsAreHeldBackThenReleased();
    void earliestStopWinsAndUtf8StaysWhole();

    void replyMemoryIsKeyedByContextAndBounded();

    void requestDefaultsAndMappings();
    void requestErrorsNameTheField_data();
    void requestErrorsNameTheField();
    void ignoresFieldsClientsSendWithDefaults();

    void rendersChatAsTheAppFeedsIt();
    void rendersRememberedRepliesToTheirIds();
    void refusesUnrenderableConversations();
    void rendersTextAndIdPrompts();
    void turnEncodingsAreTheFormatsOwnAndBounded();

  private:
    std::optional<rgemma::Tokenizer> m_tokenizer;
    TurnEncodings m_turns;
    const rgemma::Tokenizer& tokenizer() {
        if (!m_tokenizer) {
            auto loaded = rgemma::Tokenizer::load(RC_DEMO_MODEL_DIR "/tokenizer.model");
            if (!loaded) qFatal("demo tokenizer: %s", loaded.error().message.c_str());
            m_tokenizer.emplace(std::move(*loaded));
        }
        return *m_tokenizer;
    }
};

void TestServerProtocol::parsesARequestAndKeepsThePipelinedNext() {
    const QByteArray first =
        "POST /v1/chat/completions?x=1 HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n"
        "X-Thing:  spaced  \r\n\r\nhello";
    const QByteArray second = "GET /health HTTP/1.1\r\n\r\n";
    RequestParser parser(HttpLimits{});
    QByteArray buffer = first + second;
    QCOMPARE(parser.parse(buffer), RequestParser::Result::Complete);
    const HttpRequest request = parser.take();
    QCOMPARE(request.method, QByteArray("POST"));
    QCOMPARE(request.path, QByteArray("/v1/chat/completions"));
    QCOMPARE(request.body, QByteArray("hello"));
    QCOMPARE(request.header("x-thing"), QByteArray("spaced"));
    QCOMPARE(buffer, second);
    QCOMPARE(parser.parse(buffer), RequestParser::Result::Complete);
    QCOMPARE(parser.take().path, QByteArray("/health"));
    QVERIFY(buffer.isEmpty());
}

void TestServerProtocol::parsesByteByByte() {
    const QByteArray bytes = "\r\nPOST /v1/completions HTTP/1.1\nContent-Length: 3\n\nabc";  // bare LFs, lead CRLF
    RequestParser parser(HttpLimits{});
    QByteArray buffer;
    for (qsizetype i = 0; i < bytes.size(); ++i) {
        buffer += bytes[i];
        const auto result = parser.parse(buffer);
        QCOMPARE(result, i + 1 == bytes.size() ? RequestParser::Result::Complete : RequestParser::Result::NeedMore);
    }
    QCOMPARE(parser.take().body, QByteArray("abc"));
}

void TestServerProtocol::parsesChunkedBodies() {
    const Parsed parsed = parseAll(
        "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
        "5;ext=1\r\nhello\r\n1\r\n \r\nA\r\n0123456789\r\n0\r\nTrailer: x\r\n\r\nNEXT");
    QCOMPARE(parsed.result, RequestParser::Result::Complete);
    QCOMPARE(parsed.request.body, QByteArray("hello 0123456789"));
    QCOMPARE(parsed.rest, QByteArray("NEXT"));
}

void TestServerProtocol::refusesMalformedRequests_data() {
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<int>("status");
    const QByteArray bigHead = "GET / HTTP/1.1\r\nX: " + QByteArray(20000, 'a') + "\r\n\r\n";
    QByteArray manyHeaders = "GET / HTTP/1.1\r\n";
    for (int i = 0; i < 120; ++i) manyHeaders += "X" + QByteArray::number(i) + ": y\r\n";
    QTest::newRow("garbage") << QByteArray("\x16\x03\x01\x02\x00 binary\r\n\r\n", 16) << 400;
    QTest::newRow("no version") << QByteArray("GET /\r\n\r\n") << 400;
    QTest::newRow("HTTP/2 preface") << QByteArray("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n") << 505;
    QTest::newRow("target not a path") << QByteArray("GET health HTTP/1.1\r\n\r\n") << 400;
    QTest::newRow("NUL in target") << literalBytes("GET /a\0b HTTP/1.1\r\n\r\n") << 400;
    QTest::newRow("head too big") << bigHead << 431;
    QTest::newRow("too many headers") << manyHeaders + "\r\n" << 431;
    QTest::newRow("folded header") << QByteArray("GET / HTTP/1.1\r\nA: b\r\n c\r\n\r\n") << 400;
    QTest::newRow("header without colon") << QByteArray("GET / HTTP/1.1\r\nnocolon\r\n\r\n") << 400;
    QTest::newRow("space before colon") << QByteArray("GET / HTTP/1.1\r\nA : b\r\n\r\n") << 400;
    QTest::newRow("length and chunked")
        << QByteArray("POST / HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n") << 400;
    QTest::newRow("conflicting lengths") << QByteArray(
                                                "POST / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd")
                                         << 400;
    QTest::newRow("gzip encoding") << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n") << 501;
    QTest::newRow("negative length") << QByteArray("POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n") << 400;
    QTest::newRow("huge length") << QByteArray("POST / HTTP/1.1\r\nContent-Length: 99999999999999999999999\r\n\r\n")
                                 << 400;
    QTest::newRow("10 MB declared") << QByteArray("POST / HTTP/1.1\r\nContent-Length: 10485760\r\n\r\n") << 413;
    QTest::newRow("bad chunk size") << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n") << 400;
    QTest::newRow("chunk overflow")
        << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffffffff\r\n") << 400;
    QTest::newRow("chunks over 8 MiB") << QByteArray(
                                              "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n800000\r\n") +
                                              QByteArray(0x800000, 'a') + "\r\n1\r\n"
                                       << 413;
    QTest::newRow("chunk longer than said")
        << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n0\r\n\r\n") << 400;
}

void TestServerProtocol::refusesMalformedRequests() {
    QFETCH(QByteArray, bytes);
    QFETCH(int, status);
    const Parsed parsed = parseAll(bytes);
    QCOMPARE(parsed.result, RequestParser::Result::Failed);
    QCOMPARE(parsed.failure.status, status);
    QVERIFY(!parsed.failure.message.isEmpty());
}

void TestServerProtocol::asksForContinueOnlyWhenABodyIsAwaited() {
    RequestParser parser(HttpLimits{});
    QByteArray buffer = "POST / HTTP/1.1\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n";
    QCOMPARE(parser.parse(buffer), RequestParser::Result::NeedMore);
    QVERIFY2(parser.failure().message.isEmpty(), parser.failure().message.constData());
    QVERIFY(parser.takeContinueDue());
    QVERIFY(!parser.takeContinueDue());
    buffer = "ok";
    QCOMPARE(parser.parse(buffer), RequestParser::Result::Complete);
    const Parsed tooBig = parseAll("POST / HTTP/1.1\r\nContent-Length: 99999999\r\nExpect: 100-continue\r\n\r\n");
    QCOMPARE(tooBig.failure.status, 413);  // refused before the client sends the body
}

void TestServerProtocol::keepAliveFollowsVersionAndConnection() {
    QVERIFY(parseAll("GET / HTTP/1.1\r\n\r\n").request.keepAlive());
    QVERIFY(!parseAll("GET / HTTP/1.1\r\nConnection: Close\r\n\r\n").request.keepAlive());
    QVERIFY(!parseAll("GET / HTTP/1.0\r\n\r\n").request.keepAlive());
    QVERIFY(parseAll("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").request.keepAlive());
}

void TestServerProtocol::stopStringsAcrossPieces() {
    StopMatcher matcher({"END"});
    QCOMPARE(QByteArray::fromStdString(matcher.push("foo E").released), QByteArray("foo "));
    QVERIFY(matcher.holdsBack());
    auto step = matcher.push("N");
    QVERIFY(step.released.empty() && !step.stopped);
    step = matcher.push("D bar");
    QVERIFY(step.stopped);
    QVERIFY(step.released.empty());
    QCOMPARE(matcher.released(), std::size_t{4});
}

void TestServerProtocol::stopStringsAreHeldBackThenReleased() {
    StopMatcher matcher({"\n\nUser:", ""});
    std::string text;
    for (const char* piece : {"a\n", "\nUs", "e", "x", "!"}) {
        const auto step = matcher.push(piece);
        QVERIFY(!step.stopped);
        text += step.released;
    }
    QCOMPARE(QByteArray::fromStdString(text), QByteArray("a\n\nUsex!"));
    QVERIFY(!matcher.holdsBack());
    matcher.push("\n");
    QCOMPARE(QByteArray::fromStdString(matcher.flush()), QByteArray("\n"));  // the end: what was held is text
}

void TestServerProtocol::earliestStopWinsAndUtf8StaysWhole() {
    StopMatcher matcher({"zz", "b", "é"});
    const auto step = matcher.push("caf\xc3\xa9 ab");
    QVERIFY(step.stopped);
    QCOMPARE(QByteArray::fromStdString(step.released), QByteArray("caf"));
    StopMatcher none({});
    QCOMPARE(QByteArray::fromStdString(none.push("anything").released), QByteArray("anything"));
}

void TestServerProtocol::replyMemoryIsKeyedByContextAndBounded() {
    ReplyMemory memory(2);
    memory.remember(1, "hello", {5, 6});
    memory.remember(2, "hello", {7});
    QCOMPARE(*memory.find(1, "hello"), (std::vector<rgemma::TokenId>{5, 6}));
    QCOMPARE(*memory.find(2, "hello"), (std::vector<rgemma::TokenId>{7}));
    QVERIFY(!memory.find(3, "hello"));
    QVERIFY(!memory.find(1, "hello!"));
    memory.remember(3, "x", {1});  // the oldest goes
    QVERIFY(!memory.find(1, "hello"));
    QCOMPARE(memory.size(), std::size_t{2});
}

void TestServerProtocol::requestDefaultsAndMappings() {
    auto plain = chat(messagesWith(""));
    QVERIFY(plain);
    QCOMPARE(plain->maxTokens, rgemma::GenerateOptions{}.maxNewTokens);
    QCOMPARE(plain->n, 1);
    QVERIFY(!plain->stream);
    QVERIFY(!plain->sampling.greedy);
    QCOMPARE(plain->sampling.topK, rgemma::SamplerSettings{}.topK);

    auto mapped = chat(messagesWith(R"(,"temperature":0,"seed":-1,"max_completion_tokens":7,"n":3,"stop":"x",)"
                                    R"("stream":true,"stream_options":{"include_usage":true},"top_k":5,"min_p":0.1,)"
                                    R"("repeat_penalty":1.1,"repeat_last_n":-1,"ignore_eos":true)"));
    QVERIFY2(mapped, mapped ? "" : mapped.error().message.c_str());
    QVERIFY(mapped->sampling.greedy);
    QCOMPARE(mapped->sampling.seed, ~uint64_t{0});  // -1 by its bits
    QCOMPARE(mapped->maxTokens, 7);
    QCOMPARE(mapped->n, 3);
    QCOMPARE(mapped->stops, std::vector<std::string>{"x"});
    QVERIFY(mapped->stream && mapped->includeUsage && mapped->ignoreEos);
    QCOMPARE(mapped->sampling.topK, 5);
    QCOMPARE(mapped->sampling.repeatWindow, static_cast<int32_t>(rgemma::kRepeatWindowRange.max));

    auto seeded = chat(messagesWith(R"(,"seed":18446744073709551615,"max_tokens":5.0)"));
    QVERIFY(seeded);
    QCOMPARE(seeded->sampling.seed, ~uint64_t{0});
    QCOMPARE(seeded->maxTokens, 5);
    auto parts = chat(R"({"messages":[{"role":"developer","content":"be brief"},)"
                      R"({"role":"user","content":[{"type":"text","text":"a"},{"type":"text","text":"b"}]},)"
                      R"({"role":"assistant","content":null},{"role":"user","content":"c","name":"bob"}]})");
    QVERIFY(parts);
    QCOMPARE(parts->messages.size(), std::size_t{4});
    QCOMPARE(parts->messages[0].role, ChatMessage::Role::System);
    QCOMPARE(QByteArray::fromStdString(parts->messages[1].content), QByteArray("a\nb"));
}

void TestServerProtocol::requestErrorsNameTheField_data() {
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("param");  // empty: none expected
    QTest::addColumn<QByteArray>("says");
    auto row = [](const char* name, const std::string& body, const char* param, const char* says) {
        QTest::newRow(name) << QByteArray::fromStdString(body) << QByteArray(param) << QByteArray(says);
    };
    row("empty body", "", "", "empty");
    row("truncated", R"({"messages":[{"role":"user","content":"hi"})", "", "not valid JSON");
    row("trailing garbage", messagesWith("") + "}", "", "not valid JSON");
    row("not an object", "[1,2]", "", "must be a JSON object");
    row("invalid UTF-8", "{\"messages\":[{\"role\":\"user\",\"content\":\"\xff\xfe\"}]}", "", "not valid JSON");
    row("nested deeply", messagesWith(",\"x\":" + std::string(200, '[') + std::string(200, ']')), "", "nested");
    row("temperature type", messagesWith(R"(,"temperature":"hot")"), "temperature", "must be a number");
    row("temperature range", messagesWith(R"(,"temperature":2.5)"), "temperature", "from 0 to 2");
    row("max_tokens zero", messagesWith(R"(,"max_tokens":0)"), "max_tokens", "integer from 1");
    row("max_tokens huge", messagesWith(R"(,"max_tokens":1e300)"), "max_tokens", "integer from 1");
    row("max_tokens beyond uint64", messagesWith(R"(,"max_tokens":123456789012345678901234567890)"), "max_tokens",
        "integer from 1");
    row("max_tokens fraction", messagesWith(R"(,"max_tokens":2.5)"), "max_tokens", "not 2.5");
    row("max_tokens bool", messagesWith(R"(,"max_tokens":true)"), "max_tokens", "not a boolean");
    row("n too many", messagesWith(R"(,"n":17)"), "n", "from 1 to 16");
    row("stream type", messagesWith(R"(,"stream":"yes")"), "stream", "must be a boolean");
    row("stop type", messagesWith(R"(,"stop":42)"), "stop", "string or an array");
    row("stop item", messagesWith(R"(,"stop":["a",1])"), "stop", "must hold strings");
    row("seed type", messagesWith(R"(,"seed":1.5)"), "seed", "must be an integer");
    row("min_p one", messagesWith(R"(,"min_p":1)"), "min_p", "below 1");
    row("repeat_penalty low", messagesWith(R"(,"repeat_penalty":0.5)"), "repeat_penalty", "from 1 to 100");
    row("include_usage type", messagesWith(R"(,"stream_options":{"include_usage":1})"), "stream_options.include_usage",
        "must be a boolean");
    row("no messages", R"({"model":"x"})", "messages", "non-empty array");
    row("empty messages", R"({"messages":[]})", "messages", "non-empty array");
    row("message not object", R"({"messages":["hi"]})", "messages[0]", "must be an object");
    row("tool role", R"({"messages":[{"role":"tool","content":"x"}]})", "messages[0].role", "'tool' is not supported");
    row("missing content", R"({"messages":[{"role":"user"}]})", "messages[0].content", "missing");
    row("content number", R"({"messages":[{"role":"user","content":5}]})", "messages[0].content", "not a number");
    row("image part", R"({"messages":[{"role":"user","content":[{"type":"image_url","image_url":{}}]}]})",
        "messages[0].content[0]", "'image_url'");
    row("tools", messagesWith(R"(,"tools":[{"type":"function","function":{"name":"f"}}])"), "tools", "not supported");
    row("tool_choice", messagesWith(R"(,"tool_choice":"required")"), "tool_choice", "not supported");
    row("json mode", messagesWith(R"(,"response_format":{"type":"json_object"})"), "response_format", "not supported");
    row("logprobs", messagesWith(R"(,"logprobs":true)"), "logprobs", "not supported");
    row("logit_bias", messagesWith(R"(,"logit_bias":{"50256":-100})"), "logit_bias", "not supported");
    row("presence_penalty", messagesWith(R"(,"presence_penalty":0.5)"), "presence_penalty", "repeat_penalty");
    row("frequency_penalty", messagesWith(R"(,"frequency_penalty":-1)"), "frequency_penalty", "repeat_penalty");
}

void TestServerProtocol::requestErrorsNameTheField() {
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, param);
    QFETCH(QByteArray, says);
    const auto parsed = parseCompletionRequest(Endpoint::ChatCompletions, body);
    QVERIFY(!parsed);
    QCOMPARE(parsed.error().status, 400);
    QCOMPARE(QByteArray::fromStdString(parsed.error().param), param);
    QVERIFY2(QByteArray::fromStdString(parsed.error().message).contains(says), parsed.error().message.c_str());
}

void TestServerProtocol::ignoresFieldsClientsSendWithDefaults() {
    const auto parsed = chat(messagesWith(
        R"(,"user":"u","logit_bias":null,"tools":[],"tool_choice":"none","presence_penalty":0,)"
        R"("frequency_penalty":0,"logprobs":false,"response_format":{"type":"text"},"stream_options":null,)"
        R"("parallel_tool_calls":true,"metadata":{"a":"b"},"store":false,"service_tier":"auto","unknown_field":[1])"));
    QVERIFY2(parsed, parsed ? "" : parsed.error().message.c_str());
    const auto completions = parseCompletionRequest(
        Endpoint::Completions, R"({"prompt":"x","echo":false,"suffix":null,"best_of":1,"logprobs":null})");
    QVERIFY(completions);
}

void TestServerProtocol::rendersChatAsTheAppFeedsIt() {
    const rgemma::Tokenizer& tok = tokenizer();
    ReplyMemory none;
    auto single =
        renderPrompt(tok, *chat(R"({"messages":[{"role":"user","content":"What is 12+30?"}]})"), none, m_turns);
    QVERIFY(single);
    QCOMPARE(*single, rgemma::firstTurnTokens(tok, "What is 12+30?"));
    // The app: systemPrompt.trimmed() + "\n\n" + the first user message (chat_generation.cpp).
    auto withSystem = renderPrompt(
        tok, *chat(R"({"messages":[{"role":"system","content":" Be brief. "},{"role":"user","content":"Hi"}]})"), none,
        m_turns);
    QCOMPARE(*withSystem, rgemma::firstTurnTokens(tok, "Be brief.\n\nHi"));
    auto turns = renderPrompt(tok,
                              *chat(R"({"messages":[{"role":"user","content":"a"},{"role":"assistant","content":"b"},)"
                                    R"({"role":"user","content":"c"}]})"),
                              none, m_turns);
    std::vector<rgemma::TokenId> expected = rgemma::firstTurnTokens(tok, "a");
    for (const auto& part : {tok.encode("b"), rgemma::nextTurnTokens(tok, "c")}) {
        expected.insert(expected.end(), part.begin(), part.end());
    }
    QCOMPARE(*turns, expected);
}

void TestServerProtocol::rendersRememberedRepliesToTheirIds() {
    const rgemma::Tokenizer& tok = tokenizer();
    const std::vector<rgemma::TokenId> first = rgemma::firstTurnTokens(tok, "a");
    const std::vector<rgemma::TokenId> generated{tok.encode("b")[0], tok.encode("b")[0]};  // not what "b" encodes to
    ReplyMemory memory;
    memory.remember(idsHash(first), "b", generated);
    auto turns = renderPrompt(tok,
                              *chat(R"({"messages":[{"role":"user","content":"a"},{"role":"assistant","content":"b"},)"
                                    R"({"role":"user","content":"c"}]})"),
                              memory, m_turns);
    std::vector<rgemma::TokenId> expected = first;
    expected.insert(expected.end(), generated.begin(), generated.end());
    const auto next = rgemma::nextTurnTokens(tok, "c");
    expected.insert(expected.end(), next.begin(), next.end());
    QCOMPARE(*turns, expected);
    // After another context the same text is not that reply.
    auto other = renderPrompt(tok,
                              *chat(R"({"messages":[{"role":"user","content":"z"},{"role":"assistant","content":"b"},)"
                                    R"({"role":"user","content":"c"}]})"),
                              memory, m_turns);
    QVERIFY(std::search(other->begin(), other->end(), generated.begin(), generated.end()) == other->end());
}

void TestServerProtocol::refusesUnrenderableConversations() {
    ReplyMemory none;
    for (const char* body : {R"({"messages":[{"role":"assistant","content":"x"},{"role":"user","content":"y"}]})",
                             R"({"messages":[{"role":"user","content":"x"},{"role":"assistant","content":"y"}]})",
                             R"({"messages":[{"role":"system","content":"only"}]})"}) {
        auto rendered = renderPrompt(tokenizer(), *chat(body), none, m_turns);
        QVERIFY(!rendered);
        QCOMPARE(rendered.error().status, 400);
        QCOMPARE(QByteArray::fromStdString(rendered.error().param), QByteArray("messages"));
    }
}

void TestServerProtocol::rendersTextAndIdPrompts() {
    const rgemma::Tokenizer& tok = tokenizer();
    ReplyMemory none;
    auto text =
        renderPrompt(tok, *parseCompletionRequest(Endpoint::Completions, R"({"prompt":["Once"]})"), none, m_turns);
    std::vector<rgemma::TokenId> expected{tok.bos()};
    const auto once = tok.encode("Once");
    expected.insert(expected.end(), once.begin(), once.end());
    QCOMPARE(*text, expected);
    auto ids =
        renderPrompt(tok, *parseCompletionRequest(Endpoint::Completions, R"({"prompt":[2,17,33]})"), none, m_turns);
    QCOMPARE(*ids, (std::vector<rgemma::TokenId>{2, 17, 33}));
    auto outside =
        renderPrompt(tok, *parseCompletionRequest(Endpoint::Completions, R"({"prompt":[2,4000]})"), none, m_turns);
    QVERIFY(!outside);
    QVERIFY(QByteArray::fromStdString(outside.error().message).contains("not in the vocabulary"));
    QVERIFY(!parseCompletionRequest(Endpoint::Completions, R"({"prompt":["a","b"]})"));
    QVERIFY(!parseCompletionRequest(Endpoint::Completions, R"({"prompt":[1.5]})"));
}

void TestServerProtocol::turnEncodingsAreTheFormatsOwnAndBounded() {
    const rgemma::Tokenizer& tok = tokenizer();
    TurnEncodings small(200);
    QCOMPARE(small.userTurn(tok, "hello there", true), rgemma::firstTurnTokens(tok, "hello there"));
    QCOMPARE(small.userTurn(tok, "hello there", false), rgemma::nextTurnTokens(tok, "hello there"));
    QCOMPARE(small.userTurn(tok, "hello there", true), rgemma::firstTurnTokens(tok, "hello there"));  // cached
    const std::string longer(300, 'a');  // over the bound alone: kept until the next one, then dropped
    QCOMPARE(small.userTurn(tok, longer, false), rgemma::nextTurnTokens(tok, longer));
    QCOMPARE(small.userTurn(tok, "x", false), rgemma::nextTurnTokens(tok, "x"));
}

QTEST_GUILESS_MAIN(TestServerProtocol)
#include "test_server_protocol.moc"
