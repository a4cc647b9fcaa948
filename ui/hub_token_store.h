// hub_token_store.h — HubTokenStore: the Hugging Face access token the user entered, kept in the system's keyring
// (QtKeychain: the Secret Service, KWallet) or, where no keyring service answers, in a file only the user can read
// (0600) in the app's config folder; and which token downloads will send, by net/hub's rules (this one, else
// $HF_TOKEN, else huggingface-cli's token file). Nothing is read until something asks (the Preferences opened, a
// download started), so a session that never needs the token never wakes the keyring. The keyring answers
// asynchronously: `ready` turns true once the stored token is known.
#pragma once

#include <QtQml/qqmlregistration.h>

#include <QObject>
#include <QString>

class HubTokenStore : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The token store belongs to the model list")

    Q_PROPERTY(Backend backend READ backend NOTIFY changed)
    Q_PROPERTY(bool ready READ ready NOTIFY changed)
    Q_PROPERTY(bool hasStoredToken READ hasStoredToken NOTIFY changed)
    Q_PROPERTY(QString storageText READ storageText NOTIFY changed)
    Q_PROPERTY(QString activeTokenText READ activeTokenText NOTIFY changed)

  public:
    enum class Backend {
        Probing,  // asking the keyring whether it runs (and for the token)
        Keyring,  // the system's keyring holds the token
        File,     // fileName(), mode 0600
    };
    Q_ENUM(Backend)

    // `configDirectory` is the app's config folder (where the file goes); with `tryKeyring` false the keyring is
    // never asked (tests, and users who chose so in settings.ini: hub/useKeyring=false).
    HubTokenStore(const QString& configDirectory, bool tryKeyring, QObject* parent = nullptr);

    Backend backend() const { return load().m_backend; }
    bool ready() const { return load().m_backend != Backend::Probing; }
    QString token() const { return load().m_token; }  // the stored token, "" if none (and while probing)
    bool hasStoredToken() const { return !load().m_token.isEmpty(); }
    QString fileName() const;
    // Where the token is kept, in a sentence for the Preferences.
    QString storageText() const;
    // Which token downloads send now, and where it comes from.
    QString activeTokenText() const;

    // Stores `token` (trimmed; "" removes it). A keyring that fails to write hands over to the file.
    Q_INVOKABLE void setToken(const QString& token);
    Q_INVOKABLE void clear() { setToken(QString()); }

  signals:
    void changed();
    // A write or removal failed: what and where (translated).
    void failed(const QString& message);

  private:
    // Reads the stored token the first time it is asked for.
    const HubTokenStore& load() const;
    void probeKeyring();
    void useFile(bool announce);
    bool writeFile(const QString& token);
    void writeKeyring(const QString& token);

    QString m_configDirectory;
    bool m_tryKeyring;
    bool m_loaded = false;
    Backend m_backend = Backend::Probing;
    QString m_token;
};
