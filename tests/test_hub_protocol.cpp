// test_hub_protocol — what rgemma_hub reads from the network and the environment, taken apart without a network:
// tree pages, Link headers, resolve headers, Content-Range, the name checks that keep the Hub's names inside the
// cache, the cache folder names, the endpoint / cache / token rules of huggingface_hub, and tens of thousands of
// hostile mutations of real answers (never a crash, never an unsafe name accepted).
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QtTest>

#include "hub_cache.h"
#include "hub_context.h"
#include "hub_locations.h"
#include "hub_protocol.h"

using namespace hub;

namespace {

const QString kOid = QStringLiteral("0123456789abcdef0123456789abcdef01234567");
const QString kSha = QStringLiteral("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");

QByteArray realPage() {
    return QStringLiteral(R"([{"type":"file","oid":"%1","size":806,"path":"config.json"},)"
                          R"({"type":"directory","oid":"%1","size":0,"path":"docs"},)"
                          R"({"type":"file","oid":"%1","size":13926408,"path":"model.safetensors",)"
                          R"("lfs":{"oid":"%2","size":13926408,"pointerSize":134},"xetHash":"ab"}])")
        .arg(kOid, kSha)
        .toUtf8();
}

RawHeaders realHeaders() {
    return {{"X-Repo-Commit", kOid.toLatin1()},
            {"X-Linked-Etag", '"' + kSha.toLatin1() + '"'},
            {"X-Linked-Size", "13926408"},
            {"ETag", "\"something-else\""},
            {"Location", "https://cdn-lfs.hf.co/repos/ab/cd/" + kSha.toLatin1() + "?X-Amz-Signature=1"},
            {"Content-Length", "1234"}};
}

// A path a tree entry or a header could smuggle out of the cache.
bool escapes(const QString& path) {
    const QStringList segments = path.split(u'/');
    return path.startsWith(u'/') || segments.contains(QStringLiteral("..")) || segments.contains(QStringLiteral(".")) ||
           path.contains(u'\\') || path.contains(QChar(0));
}

class EnvGuard {
  public:
    explicit EnvGuard(const QList<QByteArray>& names) {
        for (const QByteArray& name : names) m_saved.insert(name, qgetenv(name.constData()));
    }
    ~EnvGuard() {
        for (auto it = m_saved.begin(); it != m_saved.end(); ++it) {
            if (it.value().isNull()) {
                qunsetenv(it.key().constData());
            } else {
                qputenv(it.key().constData(), it.value());
            }
        }
    }

  private:
    QMap<QByteArray, QByteArray> m_saved;
};

}  // namespace

class TestHubProtocol : public QObject {
    Q_OBJECT

  private slots:
    void treePage() {
        const auto entries = parseTreePage(realPage());
        QVERIFY2(entries.has_value(), qPrintable(entries.error()));
        QCOMPARE(entries->size(), 3);
        QCOMPARE(entries->at(0).path, QStringLiteral("config.json"));
        QCOMPARE(entries->at(0).etag(), kOid);
        QVERIFY(!entries->at(1).isFile);
        QCOMPARE(entries->at(2).size, 13926408);
        QCOMPARE(entries->at(2).etag(), kSha);  // an LFS file's blob is named by its SHA-256
    }

    void treePageRejects_data() {
        QTest::addColumn<QByteArray>("json");
        QTest::newRow("not JSON") << QByteArray("[{");
        QTest::newRow("an object") << QByteArray("{}");
        QTest::newRow("not objects") << QByteArray("[1]");
        const QString file = QStringLiteral(R"([{"type":"file","oid":"%1","size":%2,"path":"a"}])");
        QTest::newRow("negative size") << file.arg(kOid, QStringLiteral("-1")).toUtf8();
        QTest::newRow("fractional size") << file.arg(kOid, QStringLiteral("1.5")).toUtf8();
        QTest::newRow("size past 2^53") << file.arg(kOid, QStringLiteral("1e300")).toUtf8();
        QTest::newRow("size as text") << file.arg(kOid, QStringLiteral("\"12\"")).toUtf8();
        QTest::newRow("oid not hex")
            << file.arg(QStringLiteral("../../../../etc/passwd"), QStringLiteral("1")).toUtf8();
        QTest::newRow("oid upper case") << file.arg(kOid.toUpper(), QStringLiteral("1")).toUtf8();
        QTest::newRow("lfs oid short") << QStringLiteral(R"([{"type":"file","oid":"%1","size":1,"path":"a",)"
                                                         R"("lfs":{"oid":"abc","size":1}}])")
                                              .arg(kOid)
                                              .toUtf8();
        QTest::newRow("lfs size differs") << QStringLiteral(R"([{"type":"file","oid":"%1","size":1,"path":"a",)"
                                                            R"("lfs":{"oid":"%2","size":2}}])")
                                                 .arg(kOid, kSha)
                                                 .toUtf8();
        QTest::newRow("lfs not an object") << QStringLiteral(R"([{"type":"file","oid":"%1","size":1,"path":"a",)"
                                                             R"("lfs":7}])")
                                                  .arg(kOid)
                                                  .toUtf8();
    }
    void treePageRejects() {
        QFETCH(QByteArray, json);
        const auto entries = parseTreePage(json);
        QVERIFY(!entries.has_value());
        QVERIFY(!entries.error().isEmpty());
    }

    // Names that cannot be files in a snapshot folder, and kinds of entries not known here, are left out: an odd
    // file beside the checkpoint must not stop its download.
    void treePageSkipsWhatIsNeverUsed() {
        const QStringList paths{QStringLiteral("../evil"), QStringLiteral("/etc/passwd"), QStringLiteral("a//b"),
                                QStringLiteral("a\\b"),    QStringLiteral("./x"),         QString(),
                                QStringLiteral("a\nb")};
        QJsonArray array;
        for (const QString& path : paths) {
            array.append(QJsonObject{{"type", "file"}, {"oid", kOid}, {"size", 1}, {"path", path}});
        }
        array.append(QJsonObject{{"type", "submodule"}, {"oid", kOid}, {"path", "sub"}});
        array.append(QJsonObject{{"type", "file"}, {"oid", kOid}, {"size", 1}, {"path", "ok.txt"}});
        const auto entries = parseTreePage(QJsonDocument(array).toJson());
        QVERIFY(entries.has_value());
        QCOMPARE(entries->size(), 1);
        QCOMPARE(entries->at(0).path, QStringLiteral("ok.txt"));
    }

    void linkHeader_data() {
        QTest::addColumn<QByteArray>("header");
        QTest::addColumn<QString>("next");
        const QString base = QStringLiteral("https://huggingface.co/api/models/a/b/tree/main");
        QTest::newRow("next") << QByteArray(
                                     "<https://huggingface.co/api/models/a/b/tree/main?cursor=xyz>; rel=\"next\"")
                              << base + QStringLiteral("?cursor=xyz");
        QTest::newRow("prev and next") << QByteArray(
                                              "<https://x/p>; rel=\"prev\", </api/models/a/b/tree/main?c=2>; "
                                              "rel=next")
                                       << base + QStringLiteral("?c=2");
        QTest::newRow("only prev") << QByteArray("<https://x/p>; rel=\"prev\"") << QString();
        QTest::newRow("empty") << QByteArray() << QString();
        QTest::newRow("garbage") << QByteArray("<<<>>>;;;rel=") << QString();
        QTest::newRow("javascript") << QByteArray("<javascript:alert(1)>; rel=\"next\"") << QString();
        QTest::newRow("file URL") << QByteArray("<file:///etc/passwd>; rel=\"next\"") << QString();
    }
    void linkHeader() {
        QFETCH(QByteArray, header);
        QFETCH(QString, next);
        const QUrl url = nextPageUrl(header, QUrl(QStringLiteral("https://huggingface.co/api/models/a/b/tree/main")));
        QCOMPARE(url.toString(), next);
    }

    void etags() {
        QCOMPARE(normalizeEtag("\"abc\""), QStringLiteral("abc"));
        QCOMPARE(normalizeEtag("W/\"abc\""), QStringLiteral("abc"));
        QCOMPARE(normalizeEtag(" abc "), QStringLiteral("abc"));
        QCOMPARE(normalizeEtag(""), QString());
    }

    void fileMetadata() {
        const QUrl resolve(QStringLiteral("https://huggingface.co/a/b/resolve/main/model.safetensors"));
        auto metadata = parseFileMetadata(realHeaders(), resolve);
        QVERIFY2(metadata.has_value(), qPrintable(metadata.error()));
        QCOMPARE(metadata->commit, kOid);
        QCOMPARE(metadata->etag, kSha);      // X-Linked-Etag wins over the redirect's own ETag
        QCOMPARE(metadata->size, 13926408);  // X-Linked-Size wins over Content-Length
        QCOMPARE(metadata->location.host(), QStringLiteral("cdn-lfs.hf.co"));

        // A small file: no redirect, the ETag (weak or not) and Content-Length, fetched from the resolve URL itself.
        const RawHeaders small{
            {"x-repo-commit", kOid.toLatin1()}, {"etag", "W/\"" + kOid.toLatin1() + '"'}, {"content-length", "806"}};
        metadata = parseFileMetadata(small, resolve);
        QVERIFY(metadata.has_value());
        QCOMPARE(metadata->etag, kOid);
        QCOMPARE(metadata->size, 806);
        QCOMPARE(metadata->location, resolve);

        // A relative redirect resolves against the URL that answered.
        metadata =
            parseFileMetadata(RawHeaders(small) << qMakePair(QByteArray("Location"), QByteArray("/x/y")), resolve);
        QVERIFY(metadata.has_value());
        QCOMPARE(metadata->location.toString(), QStringLiteral("https://huggingface.co/x/y"));
    }

    void fileMetadataRejects_data() {
        QTest::addColumn<QByteArray>("name");
        QTest::addColumn<QByteArray>("value");
        QTest::newRow("commit missing") << QByteArray("X-Repo-Commit") << QByteArray();
        QTest::newRow("commit a path") << QByteArray("X-Repo-Commit") << QByteArray("../../../../tmp/x");
        QTest::newRow("etag a path") << QByteArray("X-Linked-Etag") << QByteArray("\"../../blobs/../../x\"");
        QTest::newRow("etag empty") << QByteArray("X-Linked-Etag") << QByteArray("\"\"");
        QTest::newRow("size negative") << QByteArray("X-Linked-Size") << QByteArray("-5");
        QTest::newRow("size text") << QByteArray("X-Linked-Size") << QByteArray("many");
        QTest::newRow("size huge") << QByteArray("X-Linked-Size") << QByteArray("99999999999999999999999");
        QTest::newRow("location file") << QByteArray("Location") << QByteArray("file:///etc/passwd");
        QTest::newRow("location ftp") << QByteArray("Location") << QByteArray("ftp://x/y");
    }
    void fileMetadataRejects() {
        QFETCH(QByteArray, name);
        QFETCH(QByteArray, value);
        RawHeaders headers;
        for (const auto& pair : realHeaders()) headers << (pair.first == name ? qMakePair(name, value) : pair);
        QVERIFY(!parseFileMetadata(headers, QUrl(QStringLiteral("https://h/a/b/resolve/main/f"))).has_value());
    }

    void contentRange() {
        auto range = parseContentRange("bytes 100-199/200");
        QVERIFY(range.has_value());
        QCOMPARE(range->first, 100);
        QCOMPARE(range->last, 199);
        QCOMPARE(range->total, 200);
        QCOMPARE(parseContentRange("bytes 0-0/*")->total, -1);
        QVERIFY(!parseContentRange("bytes 5-4/10"));
        QVERIFY(!parseContentRange("bytes 0-10/10"));
        QVERIFY(!parseContentRange("bytes */10"));
        QVERIFY(!parseContentRange("items 0-1/2"));
        QVERIFY(!parseContentRange("bytes 0-1/2; x"));
        QVERIFY(!parseContentRange("bytes 1-99999999999999999999/1"));
    }

    void names() {
        QVERIFY(isRepoId(QStringLiteral("google/recurrentgemma-2b-it")));
        QVERIFY(isRepoId(QStringLiteral("gpt2")));
        for (const char* bad : {"", "/", "a/", "/b", "a/b/c", "a--b/c", "a/b..c", "-a/b", "a/b.", "a b/c", "a/b\n"}) {
            QVERIFY2(!isRepoId(QString::fromLatin1(bad)), bad);
        }
        QVERIFY(isSafeRevision(QStringLiteral("main")));
        QVERIFY(isSafeRevision(QStringLiteral("refs/pr/1")));
        QVERIFY(!isSafeRevision(QStringLiteral("../main")));
        QVERIFY(!isSafeRevision(QStringLiteral("/main")));
        QVERIFY(isCommitHash(kOid));
        QVERIFY(!isCommitHash(kSha));
        QVERIFY(isEtag(kOid) && isEtag(kSha) && !isEtag(QStringLiteral("abc")));
        QVERIFY(isSendableToken(QStringLiteral("hf_abcDEF123")));
        QVERIFY(!isSendableToken(QStringLiteral("hf_abc\r\nX-Evil: 1")));
        QVERIFY(!isSendableToken(QStringLiteral("two words")));
        QVERIFY(!isSendableToken(QString()));
    }

    void cacheFolderNames() {
        QCOMPARE(repoFolderName(QStringLiteral("google/recurrentgemma-2b")),
                 QStringLiteral("models--google--recurrentgemma-2b"));
        QCOMPARE(repoFromFolderName(QStringLiteral("models--google--recurrentgemma-2b")),
                 std::optional<QString>(QStringLiteral("google/recurrentgemma-2b")));
        QCOMPARE(repoFromFolderName(QStringLiteral("models--gpt2")), std::optional<QString>(QStringLiteral("gpt2")));
        QVERIFY(!repoFromFolderName(QStringLiteral("datasets--a--b")));
        QVERIFY(!repoFromFolderName(QStringLiteral("models--")));
        QVERIFY(!repoFromFolderName(QStringLiteral("models--a--b--c")));
        const RepoCache cache(QStringLiteral("/c"), QStringLiteral("a/b"));
        QCOMPARE(cache.blobPath(kSha), QStringLiteral("/c/models--a--b/blobs/") + kSha);
        QCOMPARE(cache.incompletePath(kSha), QStringLiteral("/c/models--a--b/blobs/") + kSha + ".incomplete");
        QCOMPARE(cache.lockPath(kSha), QStringLiteral("/c/.locks/models--a--b/") + kSha + ".lock");
        QCOMPARE(cache.snapshotPath(kOid, QStringLiteral("config.json")),
                 QStringLiteral("/c/models--a--b/snapshots/") + kOid + "/config.json");
        QCOMPARE(cache.refPath(QStringLiteral("main")), QStringLiteral("/c/models--a--b/refs/main"));
    }

    // huggingface_hub's rules: HF_HUB_CACHE, else HF_HOME/hub, HF_HOME defaulting to XDG_CACHE_HOME/huggingface;
    // the token given, else HF_TOKEN, else HF_TOKEN_PATH or HF_HOME/token; the endpoint HF_ENDPOINT.
    void environment() {
        EnvGuard guard({"HF_HOME", "HF_HUB_CACHE", "XDG_CACHE_HOME", "HF_TOKEN", "HF_TOKEN_PATH", "HF_ENDPOINT"});
        QTemporaryDir dir;
        for (const char* name : {"HF_HOME", "HF_HUB_CACHE", "HF_TOKEN", "HF_TOKEN_PATH", "HF_ENDPOINT"})
            qunsetenv(name);
        qputenv("XDG_CACHE_HOME", dir.path().toUtf8());
        QCOMPARE(hfHome(), dir.path() + QStringLiteral("/huggingface"));
        QCOMPARE(defaultCacheDir(), dir.path() + QStringLiteral("/huggingface/hub"));
        QCOMPARE(defaultEndpoint(), QUrl(QStringLiteral("https://huggingface.co")));
        QCOMPARE(findToken({}).source, TokenSource::None);

        qputenv("HF_HOME", (dir.path() + "/home").toUtf8());
        QCOMPARE(defaultCacheDir(), dir.path() + QStringLiteral("/home/hub"));
        QDir().mkpath(dir.path() + "/home");
        QFile file(dir.path() + "/home/token");
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("hf_fromfile\n");
        file.close();
        QCOMPARE(findToken({}).value, QStringLiteral("hf_fromfile"));
        QCOMPARE(findToken({}).source, TokenSource::TokenFile);
        qputenv("HF_TOKEN", "hf_fromenv");
        QCOMPARE(findToken({}).value, QStringLiteral("hf_fromenv"));
        QCOMPARE(findToken(QStringLiteral("hf_given")).source, TokenSource::Given);

        qputenv("HF_HUB_CACHE", (dir.path() + "/elsewhere").toUtf8());
        QCOMPARE(defaultCacheDir(), dir.path() + QStringLiteral("/elsewhere"));
        qputenv("HF_ENDPOINT", "https://hf-mirror.example/");
        QCOMPARE(defaultEndpoint(), QUrl(QStringLiteral("https://hf-mirror.example")));
        QVERIFY(!parseEndpoint(QStringLiteral("ftp://x")).isValid());
        QVERIFY(!parseEndpoint(QStringLiteral("not a url")).isValid());
        QVERIFY(!parseEndpoint(QStringLiteral("https://user:pw@host")).isValid());
    }

    // The token goes only to the endpoint's own origin: a redirect to a storage host (another host, port or scheme)
    // never carries it.
    void tokenStaysWithTheEndpoint() {
        HubContext context;
        context.options.endpoint = QUrl(QStringLiteral("https://huggingface.co"));
        context.options.token = QStringLiteral("hf_secret");
        QCOMPARE(context.request(QUrl(QStringLiteral("https://huggingface.co/a/b/resolve/main/x")))
                     .rawHeader("Authorization"),
                 QByteArray("Bearer hf_secret"));
        QCOMPARE(context.request(QUrl(QStringLiteral("https://HuggingFace.co:443/x"))).rawHeader("Authorization"),
                 QByteArray("Bearer hf_secret"));
        for (const char* other :
             {"https://cdn-lfs.hf.co/x", "http://huggingface.co/x", "https://huggingface.co:8443/x"}) {
            QVERIFY2(!context.request(QUrl(QString::fromLatin1(other))).hasRawHeader("Authorization"), other);
        }
        context.options.token = QStringLiteral("bad\ntoken");
        QVERIFY(!context.request(QUrl(QStringLiteral("https://huggingface.co/x"))).hasRawHeader("Authorization"));
    }

    void backoff() {
        HubContext context;
        context.options.backoffMs = 1000;
        context.options.backoffMaxMs = 30000;
        QCOMPARE(context.backoffDelayMs(1), 1000);
        QCOMPARE(context.backoffDelayMs(2), 2000);
        QCOMPARE(context.backoffDelayMs(5), 16000);
        QCOMPARE(context.backoffDelayMs(6), 30000);
        QCOMPARE(context.backoffDelayMs(1000), 30000);
    }

    // Tens of thousands of mutations of real answers: byte flips, truncations, splices, hostile insertions.
    // Nothing crashes, and whatever is accepted is safe to use as a path.
    void hostileMutations() {
        QRandomGenerator random(20261207);
        const QByteArray page = realPage();
        const QList<QByteArray> insertions{
            "../",  "\\", "\0",        "\"", "{", "]", "1e999", "-1", "\xff\xfe", "%2e%2e/", "\"path\":\"../x\"",
            "null", ",",  "\"lfs\":{}"};
        for (int i = 0; i < 20000; ++i) {
            QByteArray mutated = page;
            const int edits = 1 + int(random.bounded(4));
            for (int e = 0; e < edits && !mutated.isEmpty(); ++e) {
                const qsizetype at = random.bounded(mutated.size());
                switch (random.bounded(4)) {
                    case 0:
                        mutated[at] = char(random.bounded(256));
                        break;
                    case 1:
                        mutated.truncate(at);
                        break;
                    case 2:
                        mutated.insert(at, insertions.at(random.bounded(insertions.size())));
                        break;
                    default:
                        mutated.remove(at, random.bounded(16));
                        break;
                }
            }
            const auto entries = parseTreePage(mutated);
            if (!entries) continue;
            for (const TreeEntry& entry : *entries) {
                QVERIFY2(!escapes(entry.path) && isSafeRepoPath(entry.path), qPrintable(entry.path));
                if (entry.isFile) QVERIFY(isEtag(entry.etag()) && entry.size >= 0);
            }
            RawHeaders headers = realHeaders();
            auto& [name, value] = headers[random.bounded(headers.size())];
            value = mutated.left(random.bounded(std::min<qsizetype>(mutated.size(), 80) + 1));
            if (random.bounded(2)) name = insertions.at(random.bounded(insertions.size()));
            const auto metadata = parseFileMetadata(headers, QUrl(QStringLiteral("https://h/a/b/resolve/main/f")));
            if (metadata) QVERIFY(isCommitHash(metadata->commit) && isEtag(metadata->etag) && metadata->size >= 0);
            nextPageUrl(mutated, QUrl(QStringLiteral("https://h/")));
            parseContentRange(mutated.left(40));
        }
    }
};

QTEST_GUILESS_MAIN(TestHubProtocol)
#include "test_hub_protocol.moc"
