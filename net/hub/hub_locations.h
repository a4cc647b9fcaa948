// hub_locations.h — where the Hugging Face Hub and its cache are, and which access token to send, by the rules
// huggingface_hub follows, so this app and huggingface-cli share downloads and logins.
#pragma once

#include <QString>
#include <QUrl>

namespace hub {

// The Hub's address: $HF_ENDPOINT, else https://huggingface.co.
QUrl defaultEndpoint();
// `text` as an endpoint: an http(s) URL with a host, trailing slashes dropped; an invalid URL if it is not one.
QUrl parseEndpoint(const QString& text);

// $HF_HOME, else $XDG_CACHE_HOME/huggingface, XDG_CACHE_HOME defaulting to ~/.cache.
QString hfHome();
// The hub cache: $HF_HUB_CACHE, else $HF_HOME/hub.
QString defaultCacheDir();

enum class TokenSource {
    None,         // no token anywhere: only public repos can be fetched
    Given,        // passed in (the app's stored token, rgemma --token)
    Environment,  // $HF_TOKEN
    TokenFile,    // $HF_TOKEN_PATH, else $HF_HOME/token: what `huggingface-cli login` writes
};

struct Token {
    QString value;
    TokenSource source = TokenSource::None;
};

// The token to send: `given` if not empty, else $HF_TOKEN, else the token file (first line, trimmed).
Token findToken(const QString& given);

}  // namespace hub
