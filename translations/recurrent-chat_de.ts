<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de">
<context>
    <name>ChatCommands</name>
    <message>
        <source>Cannot create the folder %1.</source>
        <translation>Der Ordner %1 kann nicht angelegt werden.</translation>
    </message>
    <message>
        <source>The running Recurrent Chat did not understand the request.</source>
        <translation>Das laufende Recurrent Chat hat die Anfrage nicht verstanden.</translation>
    </message>
</context>
<context>
    <name>ChatController</name>
    <message>
        <source>%1 billion parameters</source>
        <translation>%1 Milliarden Parameter</translation>
    </message>
    <message>
        <source>%1 million parameters</source>
        <translation>%1 Millionen Parameter</translation>
    </message>
    <message>
        <source>%1, %2, %3 on disk, state %4</source>
        <translation>%1, %2, %3 auf der Festplatte, Zustand %4</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>The chat could not be renamed: %1</source>
        <translation>Der Chat konnte nicht umbenannt werden: %1</translation>
    </message>
    <message>
        <source>The chat could not be deleted: %1</source>
        <translation>Der Chat konnte nicht gelöscht werden: %1</translation>
    </message>
    <message>
        <source>The chat could not be restored: %1</source>
        <translation>Der Chat konnte nicht wiederhergestellt werden: %1</translation>
    </message>
    <message>
        <source>The system prompt could not be saved: %1</source>
        <translation>Der Systemprompt konnte nicht gespeichert werden: %1</translation>
    </message>
    <message>
        <source>Demo model</source>
        <translation>Demo-Modell</translation>
    </message>
    <message>
        <source>Loading model…</source>
        <translation>Modell wird geladen…</translation>
    </message>
    <message>
        <source>The model could not be loaded</source>
        <translation>Das Modell konnte nicht geladen werden</translation>
    </message>
    <message>
        <source>No model loaded</source>
        <translation>Kein Modell geladen</translation>
    </message>
    <message>
        <source>A tiny demo model trained by this project: it adds two numbers, defines words (often wrongly) and tells fortunes. For real answers, download RecurrentGemma from Hugging Face and use Open model.</source>
        <translation>Ein winziges Demo-Modell, trainiert von diesem Projekt: Es addiert zwei Zahlen, erklärt Wörter (oft falsch) und erzählt Sprüche. Für echte Antworten lade RecurrentGemma von Hugging Face herunter und nutze „Modell öffnen“.</translation>
    </message>
    <message>
        <source>Choose a Hugging Face RecurrentGemma folder (config.json, *.safetensors, tokenizer.model).</source>
        <translation>Wähle einen RecurrentGemma-Ordner von Hugging Face (config.json, *.safetensors, tokenizer.model).</translation>
    </message>
    <message>
        <source>The model in %1 could not be loaded, so %2 stays in use. %3</source>
        <translation>Das Modell in %1 konnte nicht geladen werden, daher bleibt %2 in Gebrauch. %3</translation>
    </message>
    <message>
        <source>The chat was exported to %1.</source>
        <translation>Der Chat wurde nach %1 exportiert.</translation>
    </message>
</context>
<context>
    <name>ChatFileDialogs</name>
    <message>
        <source>Export</source>
        <translation>Exportieren</translation>
    </message>
    <message>
        <source>Export “%1”</source>
        <translation>„%1“ exportieren</translation>
    </message>
    <message>
        <source>New chat</source>
        <translation>Neuer Chat</translation>
    </message>
    <message>
        <source>Markdown (*.md)</source>
        <translation>Markdown (*.md)</translation>
    </message>
    <message>
        <source>JSON (*.json)</source>
        <translation>JSON (*.json)</translation>
    </message>
    <message>
        <source>Recurrent Chat files (*.rgchat)</source>
        <translation>Recurrent-Chat-Dateien (*.rgchat)</translation>
    </message>
    <message>
        <source>Replace the file?</source>
        <translation>Die Datei ersetzen?</translation>
    </message>
    <message>
        <source>Replace</source>
        <translation>Ersetzen</translation>
    </message>
    <message>
        <source>%1 already exists. Replacing it overwrites what it holds.</source>
        <translation>%1 ist bereits vorhanden. Beim Ersetzen wird ihr Inhalt überschrieben.</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>Importieren</translation>
    </message>
    <message>
        <source>Import a chat</source>
        <translation>Einen Chat importieren</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>Alle Dateien (*)</translation>
    </message>
</context>
<context>
    <name>ChatMenu</name>
    <message>
        <source>Rename…</source>
        <translation>Umbenennen…</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>Exportieren</translation>
    </message>
    <message>
        <source>Recurrent Chat file (.rgchat)…</source>
        <translation>Recurrent-Chat-Datei (.rgchat)…</translation>
    </message>
    <message>
        <source>Markdown (.md)…</source>
        <translation>Markdown (.md)…</translation>
    </message>
    <message>
        <source>JSON (.json)…</source>
        <translation>JSON (.json)…</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Löschen</translation>
    </message>
</context>
<context>
    <name>ChatTransfer</name>
    <message>
        <source>**You:**</source>
        <translation>**Du:**</translation>
    </message>
    <message>
        <source>**Model:**</source>
        <translation>**Modell:**</translation>
    </message>
    <message>
        <source>There is no chat %1.</source>
        <translation>Es gibt keinen Chat %1.</translation>
    </message>
    <message>
        <source>The chat could not be read: %1</source>
        <translation>Der Chat konnte nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>The chat is too large to export: %1 MB, more than the %2 MB a conversation file may have.</source>
        <translation>Der Chat ist zu groß für den Export: %1 MB, mehr als die %2 MB, die eine Unterhaltungsdatei haben darf.</translation>
    </message>
    <message>
        <source>The chat could not be exported: %1</source>
        <translation>Der Chat konnte nicht exportiert werden: %1</translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation>%1 kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <source>%1 is too large to import: %2 MB; a conversation file may have at most %3 MB.</source>
        <translation>%1 ist zu groß für den Import: %2 MB; eine Unterhaltungsdatei darf höchstens %3 MB haben.</translation>
    </message>
    <message>
        <source>%1 is not a conversation file this version can import: %2</source>
        <translation>%1 ist keine Unterhaltungsdatei, die diese Version importieren kann: %2</translation>
    </message>
    <message>
        <source>The chat could not be imported: %1</source>
        <translation>Der Chat konnte nicht importiert werden: %1</translation>
    </message>
    <message numerus="yes">
        <source>Imported “%1” as chat %2 (%n message(s)).</source>
        <translation>
            <numerusform>„%1“ als Chat %2 importiert (%n Nachricht).</numerusform>
            <numerusform>„%1“ als Chat %2 importiert (%n Nachrichten).</numerusform>
        </translation>
    </message>
    <message>
        <source>The file has no model state: the transcript is processed before the next reply.</source>
        <translation>Die Datei enthält keinen Modellzustand: Der Verlauf wird vor der nächsten Antwort verarbeitet.</translation>
    </message>
    <message>
        <source>Its model state was saved with the loaded model: it continues instantly.</source>
        <translation>Sein Modellzustand wurde mit dem geladenen Modell gespeichert: Er geht sofort weiter.</translation>
    </message>
    <message>
        <source>It continues instantly with the model it was saved with (fingerprint %1); with other weights its transcript is processed again before the next reply.</source>
        <translation>Mit dem Modell, mit dem er gespeichert wurde (Fingerabdruck %1), geht er sofort weiter; mit anderen Gewichten wird sein Verlauf vor der nächsten Antwort erneut verarbeitet.</translation>
    </message>
    <message>
        <source>Its model state was saved with other weights (fingerprint %1): its transcript is processed again before the next reply.</source>
        <translation>Sein Modellzustand wurde mit anderen Gewichten gespeichert (Fingerabdruck %1): Sein Verlauf wird vor der nächsten Antwort erneut verarbeitet.</translation>
    </message>
</context>
<context>
    <name>ChatView</name>
    <message>
        <source>Say something. This conversation keeps its model state on disk, so it resumes instantly however long it gets.</source>
        <translation>Schreib etwas. Diese Unterhaltung speichert ihren Modellzustand auf der Festplatte und geht daher sofort weiter, egal wie lang sie wird.</translation>
    </message>
    <message>
        <source>Open a RecurrentGemma model folder to start chatting.</source>
        <translation>Öffne einen RecurrentGemma-Modellordner, um mit dem Chatten zu beginnen.</translation>
    </message>
</context>
<context>
    <name>Composer</name>
    <message>
        <source>Message (Enter to send, Shift+Enter for a new line)</source>
        <translation>Nachricht (Eingabe zum Senden, Umschalt+Eingabe für eine neue Zeile)</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>Stopp</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>Senden</translation>
    </message>
</context>
<context>
    <name>ConversationListModel</name>
    <message>
        <source>Yesterday</source>
        <translation>Gestern</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>Heute</translation>
    </message>
    <message>
        <source>Previous 7 days</source>
        <translation>Letzte 7 Tage</translation>
    </message>
    <message>
        <source>Previous 30 days</source>
        <translation>Letzte 30 Tage</translation>
    </message>
    <message>
        <source>Older</source>
        <translation>Älter</translation>
    </message>
</context>
<context>
    <name>ConversationRow</name>
    <message>
        <source>New chat</source>
        <translation>Neuer Chat</translation>
    </message>
    <message>
        <source>Replying…</source>
        <translation>Antwortet…</translation>
    </message>
    <message>
        <source>Rename, export or delete this chat</source>
        <translation>Diesen Chat umbenennen, exportieren oder löschen</translation>
    </message>
</context>
<context>
    <name>ConversationRunner</name>
    <message>
        <source>no state file was saved</source>
        <translation>es wurde keine Zustandsdatei gespeichert</translation>
    </message>
    <message>
        <source>the state file is missing</source>
        <translation>die Zustandsdatei fehlt</translation>
    </message>
    <message>
        <source>the state file cannot be used: %1</source>
        <extracomment>%1: the engine&apos;s explanation (another model, an older engine, a damaged file), in English</extracomment>
        <translation>die Zustandsdatei ist nicht verwendbar: %1</translation>
    </message>
    <message>
        <source>the state file does not match the conversation</source>
        <translation>die Zustandsdatei passt nicht zur Unterhaltung</translation>
    </message>
    <message>
        <source>The conversation cannot be continued: its saved state is unusable (%1) and the transcript to rebuild it from is empty.</source>
        <translation>Die Unterhaltung kann nicht fortgesetzt werden: Ihr gespeicherter Zustand ist unbrauchbar (%1), und der Verlauf, aus dem er neu aufgebaut werden könnte, ist leer.</translation>
    </message>
    <message>
        <source>The maximum number of new tokens cannot be negative.</source>
        <translation>Die Höchstzahl neuer Tokens darf nicht negativ sein.</translation>
    </message>
</context>
<context>
    <name>ConversationStore</name>
    <message>
        <source>The database connection “%1” is already open.</source>
        <translation>Die Datenbankverbindung „%1“ ist bereits geöffnet.</translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation>%1 kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <source>%1 is not a conversation database.</source>
        <translation>%1 ist keine Unterhaltungsdatenbank.</translation>
    </message>
    <message>
        <source>Cannot open %1: %2</source>
        <translation>%1 kann nicht geöffnet werden: %2</translation>
    </message>
    <message>
        <source>%1 is damaged: %2</source>
        <translation>%1 ist beschädigt: %2</translation>
    </message>
    <message>
        <source>%1 was written by a newer version of Recurrent Chat (schema %2; this version knows up to %3). Update the app to open it.</source>
        <translation>%1 wurde von einer neueren Version von Recurrent Chat geschrieben (Schema %2; diese Version kennt Schemata bis %3). Aktualisiere die App, um die Datei zu öffnen.</translation>
    </message>
    <message>
        <source>Cannot configure %1: %2</source>
        <translation>%1 kann nicht eingerichtet werden: %2</translation>
    </message>
    <message>
        <source>Cannot upgrade the conversation database to schema %1: %2</source>
        <translation>Die Unterhaltungsdatenbank kann nicht auf Schema %1 aktualisiert werden: %2</translation>
    </message>
    <message>
        <source>Database error: %1</source>
        <translation>Datenbankfehler: %1</translation>
    </message>
    <message>
        <source>No conversation %1.</source>
        <translation>Es gibt keine Unterhaltung %1.</translation>
    </message>
    <message>
        <source>No deleted conversation %1.</source>
        <translation>Es gibt keine gelöschte Unterhaltung %1.</translation>
    </message>
    <message>
        <source>Message %1 is not in conversation %2.</source>
        <translation>Die Nachricht %1 gehört nicht zur Unterhaltung %2.</translation>
    </message>
    <message>
        <source>No message %1.</source>
        <translation>Es gibt keine Nachricht %1.</translation>
    </message>
    <message>
        <source>Message %1 is not a user message in conversation %2.</source>
        <translation>Nachricht %1 ist keine Nachricht des Benutzers in Unterhaltung %2.</translation>
    </message>
    <message>
        <source>Message %1 comes before its parent.</source>
        <translation>Die Nachricht %1 steht vor ihrer übergeordneten Nachricht.</translation>
    </message>
    <message>
        <source>No starting point %1.</source>
        <translation>Es gibt keinen Ausgangspunkt %1.</translation>
    </message>
</context>
<context>
    <name>DataFolder</name>
    <message>
        <source>Your conversations could not be opened: %1. The file was left untouched; nothing will be saved until this is resolved.</source>
        <translation>Deine Unterhaltungen konnten nicht geöffnet werden: %1. Die Datei wurde nicht verändert; bis das Problem behoben ist, wird nichts gespeichert.</translation>
    </message>
    <message>
        <source>Nothing could be recovered from it.</source>
        <translation>Daraus konnte nichts wiederhergestellt werden.</translation>
    </message>
    <message numerus="yes">
        <source>%n conversation(s) could be recovered from it.</source>
        <translation>
            <numerusform>%n Unterhaltung konnte daraus wiederhergestellt werden.</numerusform>
            <numerusform>%n Unterhaltungen konnten daraus wiederhergestellt werden.</numerusform>
        </translation>
    </message>
    <message>
        <source>The conversation database could not be read: %1 It was kept, unchanged, as %2, with its state files beside it, and a new database was started. %3</source>
        <translation>Die Datenbank der Unterhaltungen konnte nicht gelesen werden: %1 Sie wurde unverändert als %2 aufbewahrt, ihre Zustandsdateien daneben, und eine neue Datenbank wurde angelegt. %3</translation>
    </message>
</context>
<context>
    <name>DatabaseNoticeDialog</name>
    <message>
        <source>Your conversations could not be read</source>
        <translation>Deine Unterhaltungen konnten nicht gelesen werden</translation>
    </message>
    <message>
        <source>Show the file</source>
        <translation>Datei anzeigen</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>OK</translation>
    </message>
</context>
<context>
    <name>DatabaseSalvage</name>
    <message>
        <source>Recovered chat</source>
        <translation>Wiederhergestellter Chat</translation>
    </message>
</context>
<context>
    <name>EngineError</name>
    <message>
        <source>A file could not be read or written.</source>
        <translation>Eine Datei konnte nicht gelesen oder geschrieben werden.</translation>
    </message>
    <message>
        <source>The model&apos;s weight files are damaged or incomplete.</source>
        <translation>Die Gewichtsdateien des Modells sind beschädigt oder unvollständig.</translation>
    </message>
    <message>
        <source>The model&apos;s config.json is invalid.</source>
        <translation>Die config.json des Modells ist ungültig.</translation>
    </message>
    <message>
        <source>The model&apos;s tokenizer could not be loaded.</source>
        <translation>Der Tokenizer des Modells konnte nicht geladen werden.</translation>
    </message>
    <message>
        <source>The request was invalid.</source>
        <translation>Die Anfrage war ungültig.</translation>
    </message>
    <message>
        <source>The saved conversation state is unusable.</source>
        <translation>Der gespeicherte Zustand der Unterhaltung ist unbrauchbar.</translation>
    </message>
    <message>
        <source>Stopped.</source>
        <translation>Angehalten.</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <extracomment>%1 is a summary sentence, %2 the technical detail (a file name, a tensor, an offset), in English</extracomment>
        <translation>%1 (%2)</translation>
    </message>
</context>
<context>
    <name>EngineWorker</name>
    <message>
        <source>The folder %1 does not exist.</source>
        <translation>Der Ordner %1 existiert nicht.</translation>
    </message>
    <message>
        <source>The model&apos;s tokenizer (tokenizer.model) could not be loaded: %1</source>
        <translation>Der Tokenizer des Modells (tokenizer.model) konnte nicht geladen werden: %1</translation>
    </message>
    <message>
        <source>The tokenizer (%1 tokens) does not belong to this model (%2 tokens).</source>
        <translation>Der Tokenizer (%1 Tokens) gehört nicht zu diesem Modell (%2 Tokens).</translation>
    </message>
    <message>
        <source>No model is loaded.</source>
        <translation>Es ist kein Modell geladen.</translation>
    </message>
</context>
<context>
    <name>HubMessages</name>
    <message>
        <source>The Hugging Face Hub did not accept the access token. Check the token, and accept the model&apos;s licence at %1.</source>
        <translation>Der Hugging Face Hub hat das Zugriffstoken nicht angenommen. Prüfen Sie das Token und akzeptieren Sie die Lizenz des Modells unter %1.</translation>
    </message>
    <message>
        <source>This model is gated. Accept its licence at %1 and enter a Hugging Face access token.</source>
        <translation>Dieses Modell ist zugangsbeschränkt. Akzeptieren Sie seine Lizenz unter %1 und geben Sie ein Hugging-Face-Zugriffstoken ein.</translation>
    </message>
    <message>
        <source>Your token does not have access yet: accept the licence at %1 (approval can take a while).</source>
        <translation>Ihr Token hat noch keinen Zugriff: Akzeptieren Sie die Lizenz unter %1 (die Freigabe kann eine Weile dauern).</translation>
    </message>
    <message>
        <source>There is no model %1 on %2 (or it is private and needs a token).</source>
        <translation>Auf %2 gibt es kein Modell %1 (oder es ist privat und braucht ein Token).</translation>
    </message>
    <message>
        <source>The model %1 has no revision %2.</source>
        <translation>Das Modell %1 hat keine Revision %2.</translation>
    </message>
    <message>
        <source>The model %1 has no file %2.</source>
        <translation>Das Modell %1 hat keine Datei %2.</translation>
    </message>
    <message numerus="yes">
        <source>Could not download from %1 (%2), %n attempt(s) made. Check the network connection and try again: the download resumes where it stopped.</source>
        <translation>
            <numerusform>Der Download von %1 ist fehlgeschlagen (%2), %n Versuch. Prüfen Sie die Netzwerkverbindung und versuchen Sie es erneut: Der Download wird dort fortgesetzt, wo er stehen blieb.</numerusform>
            <numerusform>Der Download von %1 ist fehlgeschlagen (%2), %n Versuche. Prüfen Sie die Netzwerkverbindung und versuchen Sie es erneut: Der Download wird dort fortgesetzt, wo er stehen blieb.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 sent no data for %2 s, %n attempt(s) made. Try again later: the download resumes where it stopped.</source>
        <translation>
            <numerusform>%1 hat %2 s lang keine Daten gesendet, %n Versuch. Versuchen Sie es später erneut: Der Download wird dort fortgesetzt, wo er stehen blieb.</numerusform>
            <numerusform>%1 hat %2 s lang keine Daten gesendet, %n Versuche. Versuchen Sie es später erneut: Der Download wird dort fortgesetzt, wo er stehen blieb.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 answered with HTTP status %2, %n attempt(s) made. Try again later: the download resumes where it stopped.</source>
        <translation>
            <numerusform>%1 antwortete mit HTTP-Status %2, %n Versuch. Versuchen Sie es später erneut: Der Download wird dort fortgesetzt, wo er stehen blieb.</numerusform>
            <numerusform>%1 antwortete mit HTTP-Status %2, %n Versuche. Versuchen Sie es später erneut: Der Download wird dort fortgesetzt, wo er stehen blieb.</numerusform>
        </translation>
    </message>
    <message>
        <source>The secure connection to %1 could not be verified (%2). Nothing was downloaded from it. Check the system&apos;s date and certificates, or a proxy that intercepts connections.</source>
        <translation>Die sichere Verbindung zu %1 konnte nicht überprüft werden (%2). Von dort wurde nichts heruntergeladen. Prüfen Sie Datum und Zertifikate des Systems oder einen Proxy, der Verbindungen abfängt.</translation>
    </message>
    <message>
        <source>The disk is full: %1 could not be written (%2). Free some space and try again: the download resumes where it stopped.</source>
        <translation>Der Datenträger ist voll: %1 konnte nicht geschrieben werden (%2). Geben Sie Speicherplatz frei und versuchen Sie es erneut: Der Download wird dort fortgesetzt, wo er stehen blieb.</translation>
    </message>
    <message>
        <source>Not enough free space in %1: the download needs %2, and %3 are free.</source>
        <translation>Nicht genug freier Speicherplatz in %1: Der Download braucht %2, frei sind %3.</translation>
    </message>
    <message>
        <source>%1 arrived with %2 bytes instead of %3, so it was deleted. Try again.</source>
        <translation>%1 kam mit %2 statt %3 Bytes an und wurde deshalb gelöscht. Versuchen Sie es erneut.</translation>
    </message>
    <message>
        <source>%1 arrived damaged (its SHA-256 checksum differs from the Hub&apos;s), so it was deleted. Try again.</source>
        <translation>%1 kam beschädigt an (seine SHA-256-Prüfsumme weicht von der des Hubs ab) und wurde deshalb gelöscht. Versuchen Sie es erneut.</translation>
    </message>
    <message>
        <source>%1 sent an answer that cannot be used: %2.</source>
        <translation>%1 hat eine unbrauchbare Antwort gesendet: %2.</translation>
    </message>
    <message>
        <source>The model %1 changed on the Hub while it was downloading (%2). Start the download again.</source>
        <translation>Das Modell %1 hat sich während des Downloads auf dem Hub geändert (%2). Starten Sie den Download erneut.</translation>
    </message>
    <message>
        <source>%1 is not a RecurrentGemma checkpoint in the Hugging Face format: it has no %2.</source>
        <translation>%1 ist kein RecurrentGemma-Checkpoint im Hugging-Face-Format: Es fehlt %2.</translation>
    </message>
    <message>
        <source>Could not write %1 (%2).</source>
        <translation>%1 konnte nicht geschrieben werden (%2).</translation>
    </message>
    <message numerus="yes">
        <source>%n byte(s)</source>
        <translation>
            <numerusform>%n Byte</numerusform>
            <numerusform>%n Bytes</numerusform>
        </translation>
    </message>
    <message>
        <source>%1; attempt %2 of %3 in %4 s.</source>
        <translation>%1; Versuch %2 von %3 in %4 s.</translation>
    </message>
    <message>
        <source>The server cannot resume %1: downloading it again from the start.</source>
        <translation>Der Server kann %1 nicht fortsetzen: Die Datei wird von vorn heruntergeladen.</translation>
    </message>
    <message>
        <source>Another program is downloading %1 into the same cache: waiting for it.</source>
        <translation>Ein anderes Programm lädt %1 in denselben Cache herunter: Es wird darauf gewartet.</translation>
    </message>
    <message>
        <source>The connection to %1 failed (%2)</source>
        <translation>Die Verbindung zu %1 ist fehlgeschlagen (%2)</translation>
    </message>
    <message>
        <source>%1 sent no data for %2 s</source>
        <translation>%1 hat %2 s lang keine Daten gesendet</translation>
    </message>
    <message>
        <source>%1 answered with HTTP status %2</source>
        <translation>%1 antwortete mit HTTP-Status %2</translation>
    </message>
    <message>
        <source>too many interruptions</source>
        <translation>zu viele Unterbrechungen</translation>
    </message>
    <message>
        <source>incomplete answer</source>
        <translation>unvollständige Antwort</translation>
    </message>
    <message>
        <source>unusable redirect</source>
        <translation>unbrauchbare Weiterleitung</translation>
    </message>
    <message>
        <source>model.embed_tokens.weight is missing</source>
        <translation>model.embed_tokens.weight fehlt</translation>
    </message>
    <message>
        <source>the file list never ends</source>
        <translation>die Dateiliste endet nie</translation>
    </message>
    <message>
        <source>cannot create %1</source>
        <translation>%1 kann nicht angelegt werden</translation>
    </message>
    <message>
        <source>not an object</source>
        <translation>kein Objekt</translation>
    </message>
    <message>
        <source>size of %1 is not a whole number of bytes</source>
        <translation>die Größe von %1 ist keine ganze Zahl von Bytes</translation>
    </message>
    <message>
        <source>oid of %1 is not a git id</source>
        <translation>die oid von %1 ist keine Git-ID</translation>
    </message>
    <message>
        <source>lfs.oid of %1 is not a SHA-256</source>
        <translation>lfs.oid von %1 ist kein SHA-256</translation>
    </message>
    <message>
        <source>lfs.size of %1 disagrees</source>
        <translation>lfs.size von %1 stimmt nicht überein</translation>
    </message>
    <message>
        <source>lfs of %1 is not an object</source>
        <translation>lfs von %1 ist kein Objekt</translation>
    </message>
    <message>
        <source>the file list is not JSON (%1 at byte %2)</source>
        <translation>die Dateiliste ist kein JSON (%1 bei Byte %2)</translation>
    </message>
    <message>
        <source>the file list is not a JSON array</source>
        <translation>die Dateiliste ist kein JSON-Array</translation>
    </message>
    <message>
        <source>entry %1 of the file list: %2</source>
        <translation>Eintrag %1 der Dateiliste: %2</translation>
    </message>
    <message>
        <source>no commit id (X-Repo-Commit) for the file</source>
        <translation>keine Commit-ID (X-Repo-Commit) für die Datei</translation>
    </message>
    <message>
        <source>no usable ETag for the file</source>
        <translation>kein brauchbares ETag für die Datei</translation>
    </message>
    <message>
        <source>no usable size (X-Linked-Size, Content-Length) for the file</source>
        <translation>keine brauchbare Größe (X-Linked-Size, Content-Length) für die Datei</translation>
    </message>
    <message>
        <source>the redirect&apos;s Location is not an http(s) URL</source>
        <translation>die Location der Weiterleitung ist keine http(s)-URL</translation>
    </message>
    <message>
        <source>an answer larger than 16 MiB</source>
        <translation>eine Antwort größer als 16 MiB</translation>
    </message>
    <message>
        <source>too many redirects</source>
        <translation>zu viele Weiterleitungen</translation>
    </message>
    <message>
        <source>The Hub&apos;s address &quot;%1&quot; is not an http(s) URL (check HF_ENDPOINT).</source>
        <translation>Die Adresse des Hubs „%1“ ist keine http(s)-URL (prüfen Sie HF_ENDPOINT).</translation>
    </message>
</context>
<context>
    <name>HubTokenSection</name>
    <message>
        <source>Hugging Face</source>
        <translation>Hugging Face</translation>
    </message>
    <message>
        <source>A token is stored</source>
        <translation>Ein Token ist gespeichert</translation>
    </message>
    <message>
        <source>Access token (hf_…)</source>
        <translation>Zugriffstoken (hf_…)</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Speichern</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Entfernen</translation>
    </message>
</context>
<context>
    <name>HubTokenStore</name>
    <message>
        <source>Could not remove %1.</source>
        <translation>%1 konnte nicht entfernt werden.</translation>
    </message>
    <message>
        <source>Could not save the token in %1: %2</source>
        <translation>Das Token konnte nicht in %1 gespeichert werden: %2</translation>
    </message>
    <message>
        <source>Looking for the system&apos;s keyring…</source>
        <translation>Suche den Schlüsselbund des Systems…</translation>
    </message>
    <message>
        <source>Your token is kept in the system&apos;s keyring.</source>
        <translation>Dein Token wird im Schlüsselbund des Systems aufbewahrt.</translation>
    </message>
    <message>
        <source>No keyring service runs: your token is kept in %1, readable only by you.</source>
        <translation>Es läuft kein Schlüsselbund-Dienst: Dein Token wird in %1 aufbewahrt, nur für dich lesbar.</translation>
    </message>
    <message>
        <source>Downloads use the token stored here.</source>
        <translation>Downloads verwenden das hier gespeicherte Token.</translation>
    </message>
    <message>
        <source>Downloads use the token in $HF_TOKEN.</source>
        <translation>Downloads verwenden das Token aus $HF_TOKEN.</translation>
    </message>
    <message>
        <source>Downloads use the token saved by huggingface-cli login.</source>
        <translation>Downloads verwenden das von huggingface-cli login gespeicherte Token.</translation>
    </message>
    <message>
        <source>No token: only public models can be downloaded.</source>
        <translation>Kein Token: Nur öffentliche Modelle können heruntergeladen werden.</translation>
    </message>
</context>
<context>
    <name>LocalServer</name>
    <message>
        <source>Serving on %1 without an API key: anyone who can reach this computer can use the model.</source>
        <translation>Bereitstellung auf %1 ohne API-Schlüssel: Jeder, der diesen Computer erreichen kann, kann das Modell verwenden.</translation>
    </message>
    <message>
        <source>%1 is not an IP address (such as 127.0.0.1, ::1 or 0.0.0.0).</source>
        <translation>%1 ist keine IP-Adresse (wie 127.0.0.1, ::1 oder 0.0.0.0).</translation>
    </message>
    <message>
        <source>The server could not listen on %1, port %2: %3</source>
        <extracomment>%1: address, %2: port, %3: the system&apos;s reason (in English), e.g. &quot;The bound address is already in use&quot;</extracomment>
        <translation>Der Server kann nicht auf %1, Port %2 lauschen: %3</translation>
    </message>
    <message>
        <source>%1 in (%2 cached), %3 out</source>
        <extracomment>a request&apos;s tokens: %1 prompt tokens, %2 of them resumed from a kept state, %3 generated</extracomment>
        <translation>%1 ein (%2 aus dem Cache), %3 aus</translation>
    </message>
    <message>
        <source>client left</source>
        <translation>Client getrennt</translation>
    </message>
</context>
<context>
    <name>LocalServerSection</name>
    <message>
        <source>Local API server</source>
        <translation>Lokaler API-Server</translation>
    </message>
    <message>
        <source>Serves the loaded model to other programs over the OpenAI API (chat and text completions), from the same queue as this window&apos;s replies.</source>
        <translation>Stellt das geladene Modell anderen Programmen über die OpenAI-API bereit (Chat- und Text-Vervollständigungen), in derselben Warteschlange wie die Antworten dieses Fensters.</translation>
    </message>
    <message>
        <source>Serve the loaded model</source>
        <translation>Geladenes Modell bereitstellen</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>Port</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Adresse</translation>
    </message>
    <message>
        <source>127.0.0.1: this computer only. 0.0.0.0: every network this computer is on.</source>
        <translation>127.0.0.1: nur dieser Computer. 0.0.0.0: jedes Netzwerk, in dem dieser Computer ist.</translation>
    </message>
    <message>
        <source>API key</source>
        <translation>API-Schlüssel</translation>
    </message>
    <message>
        <source>none</source>
        <translation>keiner</translation>
    </message>
    <message>
        <source>On: %1</source>
        <translation>An: %1</translation>
    </message>
    <message>
        <source>Not listening</source>
        <translation>Lauscht nicht</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>Aus</translation>
    </message>
    <message>
        <source>Recent requests</source>
        <translation>Letzte Anfragen</translation>
    </message>
</context>
<context>
    <name>Main</name>
    <message>
        <source>%1 — Recurrent Chat</source>
        <translation>%1 — Recurrent Chat</translation>
    </message>
    <message>
        <source>Recurrent Chat</source>
        <translation>Recurrent Chat</translation>
    </message>
</context>
<context>
    <name>MessageDelegate</name>
    <message>
        <source>You</source>
        <translation>Du</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <source>Previous alternative</source>
        <translation>Vorherige Alternative</translation>
    </message>
    <message>
        <source>%1/%2</source>
        <translation>%1/%2</translation>
    </message>
    <message>
        <source>Next alternative</source>
        <translation>Nächste Alternative</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Kopieren</translation>
    </message>
    <message>
        <source>Copy code</source>
        <translation>Code kopieren</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>Bearbeiten</translation>
    </message>
    <message>
        <source>Send edited</source>
        <translation>Änderung senden</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Reply</source>
        <translation>Antworten</translation>
    </message>
    <message>
        <source>Regenerate</source>
        <translation>Neu generieren</translation>
    </message>
    <message>
        <source>Not saved yet</source>
        <translation>Noch nicht gespeichert</translation>
    </message>
    <message>
        <source>Complete</source>
        <translation>Vollständig</translation>
    </message>
    <message>
        <source>Length limit reached</source>
        <translation>Längengrenze erreicht</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>Angehalten</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Fehlgeschlagen</translation>
    </message>
    <message numerus="yes">
        <source>%n token(s)</source>
        <translation>
            <numerusform>%n Token</numerusform>
            <numerusform>%n Tokens</numerusform>
        </translation>
    </message>
    <message>
        <source>Copied</source>
        <translation>Kopiert</translation>
    </message>
</context>
<context>
    <name>ModelBar</name>
    <message>
        <source>Open model…</source>
        <translation>Modell öffnen…</translation>
    </message>
    <message>
        <source>Preferences</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <source>Hide the chat list (Ctrl+B)</source>
        <translation>Chatliste ausblenden (Strg+B)</translation>
    </message>
    <message>
        <source>Show the chat list (Ctrl+B)</source>
        <translation>Chatliste einblenden (Strg+B)</translation>
    </message>
    <message>
        <source>More</source>
        <translation>Mehr</translation>
    </message>
    <message>
        <source>Quit (Ctrl+Q)</source>
        <translation>Beenden (Strg+Q)</translation>
    </message>
    <message>
        <source>Models</source>
        <translation>Modelle</translation>
    </message>
    <message>
        <source>Use the demo model</source>
        <translation>Demo-Modell verwenden</translation>
    </message>
</context>
<context>
    <name>ModelFolderDialog</name>
    <message>
        <source>Choose a RecurrentGemma model folder</source>
        <translation>RecurrentGemma-Modellordner auswählen</translation>
    </message>
    <message>
        <source>Parent folder</source>
        <translation>Übergeordneter Ordner</translation>
    </message>
    <message>
        <source>Home</source>
        <translation>Persönlicher Ordner</translation>
    </message>
    <message>
        <source>Downloads</source>
        <translation>Downloads</translation>
    </message>
    <message>
        <source>Documents</source>
        <translation>Dokumente</translation>
    </message>
    <message>
        <source>No subfolders here</source>
        <translation>Hier gibt es keine Unterordner</translation>
    </message>
    <message>
        <source>Opens: %1</source>
        <translation>Öffnet: %1</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Öffnen</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
</context>
<context>
    <name>ModelListModel</name>
    <message>
        <source>%1 to download</source>
        <translation>%1 herunterzuladen</translation>
    </message>
    <message>
        <source>size unknown</source>
        <translation>Größe unbekannt</translation>
    </message>
    <message>
        <source>state %1</source>
        <translation>Zustand %1</translation>
    </message>
    <message>
        <source>Preparing…</source>
        <translation>Vorbereitung…</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 von %2</translation>
    </message>
    <message>
        <source>%1/s</source>
        <translation>%1/s</translation>
    </message>
    <message>
        <source>%1 s left</source>
        <translation>noch %1 s</translation>
    </message>
    <message>
        <source>%1 min left</source>
        <translation>noch %1 min</translation>
    </message>
</context>
<context>
    <name>ModelRow</name>
    <message>
        <source>%1 (in use)</source>
        <translation>%1 (in Verwendung)</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>Erneut versuchen</translation>
    </message>
    <message>
        <source>Download</source>
        <translation>Herunterladen</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Fortsetzen</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Pausieren</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <source>Use this model</source>
        <translation>Dieses Modell verwenden</translation>
    </message>
    <message>
        <source>Making a copy…</source>
        <translation>Kopie wird erstellt…</translation>
    </message>
</context>
<context>
    <name>ModelScan</name>
    <message>
        <source>Missing: %1</source>
        <translation>Fehlt: %1</translation>
    </message>
</context>
<context>
    <name>ModelsPage</name>
    <message>
        <source>Models</source>
        <translation>Modelle</translation>
    </message>
    <message>
        <source>Google&apos;s RecurrentGemma models are gated: accept the licence on the model&apos;s Hugging Face page and enter an access token in the Preferences. Downloads go to the Hugging Face cache, shared with other tools, and go on while you chat.</source>
        <translation>Googles RecurrentGemma-Modelle sind zugangsbeschränkt: Akzeptiere die Lizenz auf der Hugging-Face-Seite des Modells und gib in den Einstellungen ein Zugriffstoken ein. Downloads landen im Hugging-Face-Cache, den andere Programme mitbenutzen, und laufen weiter, während du chattest.</translation>
    </message>
    <message>
        <source>Open a folder…</source>
        <translation>Ordner öffnen…</translation>
    </message>
</context>
<context>
    <name>NoticeBanner</name>
    <message>
        <source>Dismiss</source>
        <translation>Schließen</translation>
    </message>
</context>
<context>
    <name>PreferencesDialog</name>
    <message>
        <source>Preferences</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <source>Sampling</source>
        <translation>Sampling</translation>
    </message>
    <message>
        <source>Temperature</source>
        <translation>Temperatur</translation>
    </message>
    <message>
        <source>Top-k (0 = off)</source>
        <translation>Top-k (0 = aus)</translation>
    </message>
    <message>
        <source>Top-p</source>
        <translation>Top-p</translation>
    </message>
    <message>
        <source>Min-p</source>
        <translation>Min-p</translation>
    </message>
    <message>
        <source>Repetition penalty</source>
        <translation>Wiederholungsstrafe</translation>
    </message>
    <message>
        <source>Penalty window (tokens)</source>
        <translation>Strafenfenster (Tokens)</translation>
    </message>
    <message>
        <source>Max new tokens</source>
        <translation>Max. neue Tokens</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>Seed</translation>
    </message>
    <message>
        <source>Random</source>
        <translation>Zufällig</translation>
    </message>
    <message>
        <source>Restore sampling defaults</source>
        <translation>Sampling-Standardwerte wiederherstellen</translation>
    </message>
    <message>
        <source>Engine</source>
        <translation>Engine</translation>
    </message>
    <message>
        <source>Threads (0 = all %1)</source>
        <translation>Threads (0 = alle %1)</translation>
    </message>
    <message>
        <source>Appearance</source>
        <translation>Darstellung</translation>
    </message>
    <message>
        <source>Theme</source>
        <translation>Farbschema</translation>
    </message>
    <message>
        <source>System</source>
        <translation>System</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>Hell</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>Dunkel</translation>
    </message>
    <message>
        <source>Font size</source>
        <translation>Schriftgröße</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Sprache</translation>
    </message>
    <message>
        <source>System default</source>
        <translation>Systemsprache</translation>
    </message>
    <message>
        <source>Fast prompt processing (bf16)</source>
        <translation>Schnelle Prompt-Verarbeitung (bf16)</translation>
    </message>
    <message>
        <source>About twice as fast on processors with bf16 instructions, for bf16 models. Replies can differ slightly from exact arithmetic.</source>
        <translation>Etwa doppelt so schnell auf Prozessoren mit bf16-Befehlen, für bf16-Modelle. Antworten können leicht von exakter Arithmetik abweichen.</translation>
    </message>
</context>
<context>
    <name>QuantizeFormat</name>
    <message>
        <source>Make an int8 copy</source>
        <translation>int8-Kopie erstellen</translation>
    </message>
    <message>
        <source>Make a 4-bit copy</source>
        <translation>4-Bit-Kopie erstellen</translation>
    </message>
    <message>
        <source>4-bit weights: about two thirds of an int8 copy&apos;s size, with slightly lower quality.</source>
        <translation>4-Bit-Gewichte: etwa zwei Drittel der Größe einer int8-Kopie, bei etwas geringerer Qualität.</translation>
    </message>
</context>
<context>
    <name>QuantizeJob</name>
    <message>
        <source>Could not create %1.</source>
        <translation>%1 konnte nicht angelegt werden.</translation>
    </message>
    <message>
        <source>The copy of %1 failed: %2</source>
        <translation>Die Kopie von %1 ist fehlgeschlagen: %2</translation>
    </message>
    <message>
        <source>Could not move the copy to %1.</source>
        <translation>Die Kopie konnte nicht nach %1 verschoben werden.</translation>
    </message>
</context>
<context>
    <name>ReplyFlow</name>
    <message>
        <source>The reply that could not be saved is saved now.</source>
        <translation>Die Antwort, die nicht gespeichert werden konnte, ist jetzt gespeichert.</translation>
    </message>
    <message>
        <source>Nothing can be saved right now: %1. The conversation stays as it is here; free some disk space or make the data folder writable, and the reply that is not saved yet will be saved.</source>
        <translation>Im Moment kann nichts gespeichert werden: %1. Die Unterhaltung bleibt hier, wie sie ist; schaffen Sie Platz auf dem Datenträger oder machen Sie den Datenordner beschreibbar, dann wird die noch nicht gespeicherte Antwort gespeichert.</translation>
    </message>
    <message>
        <source>Open a model first.</source>
        <translation>Öffne zuerst ein Modell.</translation>
    </message>
    <message>
        <source>The chat could not be saved: %1</source>
        <translation>Der Chat konnte nicht gespeichert werden: %1</translation>
    </message>
    <message>
        <source>The last message has no reply yet: use Reply, or edit it.</source>
        <translation>Die letzte Nachricht hat noch keine Antwort: Wähle „Antworten“ oder bearbeite sie.</translation>
    </message>
    <message>
        <source>The message could not be saved: %1</source>
        <translation>Die Nachricht konnte nicht gespeichert werden: %1</translation>
    </message>
    <message>
        <source>Rebuilding this conversation&apos;s model state from its transcript (%1).</source>
        <translation>Der Modellzustand dieser Unterhaltung wird aus ihrem Verlauf neu aufgebaut (%1).</translation>
    </message>
    <message>
        <source>The reply could not be saved: %1. It stays here and will be saved as soon as the disk allows.</source>
        <translation>Die Antwort konnte nicht gespeichert werden: %1. Sie bleibt hier und wird gespeichert, sobald der Datenträger es zulässt.</translation>
    </message>
    <message>
        <source>The conversation&apos;s state could not be saved (%1); it will be rebuilt when needed.</source>
        <translation>Der Zustand der Unterhaltung konnte nicht gespeichert werden (%1); er wird bei Bedarf neu aufgebaut.</translation>
    </message>
    <message>
        <source>The reply failed: %1</source>
        <translation>Die Antwort ist fehlgeschlagen: %1</translation>
    </message>
</context>
<context>
    <name>Sidebar</name>
    <message>
        <source>New chat</source>
        <translation>Neuer Chat</translation>
    </message>
    <message>
        <source>Search chats (Ctrl+F)</source>
        <translation>Chats durchsuchen (Strg+F)</translation>
    </message>
    <message>
        <source>No chat matches</source>
        <translation>Kein Chat passt</translation>
    </message>
    <message>
        <source>No chats yet</source>
        <translation>Noch keine Chats</translation>
    </message>
    <message>
        <source>Chat deleted</source>
        <translation>Chat gelöscht</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>Rückgängig</translation>
    </message>
    <message>
        <source>Rename chat</source>
        <translation>Chat umbenennen</translation>
    </message>
    <message>
        <source>Importing…</source>
        <translation>Wird importiert…</translation>
    </message>
    <message>
        <source>Import chat…</source>
        <translation>Chat importieren…</translation>
    </message>
    <message>
        <source>Add a chat exported as a .rgchat file, from this computer or another</source>
        <translation>Einen als .rgchat-Datei exportierten Chat hinzufügen, von diesem oder einem anderen Computer</translation>
    </message>
</context>
<context>
    <name>StartingPoints</name>
    <message>
        <source>A starting point is saved at a reply; there is no reply %1.</source>
        <translation>Ein Ausgangspunkt wird bei einer Antwort gespeichert; es gibt keine Antwort %1.</translation>
    </message>
    <message>
        <source>The state after this reply was not saved; send a message to save it first.</source>
        <translation>Der Zustand nach dieser Antwort wurde nicht gespeichert; sende zuerst eine Nachricht, um ihn zu speichern.</translation>
    </message>
    <message>
        <source>The starting point could not be saved: %1</source>
        <translation>Der Ausgangspunkt konnte nicht gespeichert werden: %1</translation>
    </message>
    <message>
        <source>No starting point %1.</source>
        <translation>Es gibt keinen Ausgangspunkt %1.</translation>
    </message>
    <message>
        <source>The starting point “%1” is damaged: %2</source>
        <translation>Der Ausgangspunkt „%1“ ist beschädigt: %2</translation>
    </message>
    <message>
        <source>The chat could not be created: %1</source>
        <translation>Der Chat konnte nicht angelegt werden: %1</translation>
    </message>
</context>
<context>
    <name>StatusBar</name>
    <message>
        <source>Generating… %1 tokens/s</source>
        <translation>Generiere… %1 Tokens/s</translation>
    </message>
    <message numerus="yes">
        <source>%n token(s) in this conversation</source>
        <translation>
            <numerusform>%n Token in dieser Unterhaltung</numerusform>
            <numerusform>%n Tokens in dieser Unterhaltung</numerusform>
        </translation>
    </message>
    <message>
        <source>State: %1 in memory, %2 on disk — fixed, however long the chat</source>
        <translation>Zustand: %1 im Speicher, %2 auf der Festplatte – fest, egal wie lang der Chat wird</translation>
    </message>
    <message>
        <source>Reading the prompt… %1 of %2 tokens (%3%)</source>
        <translation>Nachricht wird gelesen… %1 von %2 Tokens (%3 %)</translation>
    </message>
    <message>
        <source>Reading the prompt… %1 of %2 tokens (%3%), about %4 left</source>
        <translation>Nachricht wird gelesen… %1 von %2 Tokens (%3 %), noch etwa %4</translation>
    </message>
    <message numerus="yes">
        <source>%n byte(s)</source>
        <translation>
            <numerusform>%n Byte</numerusform>
            <numerusform>%n Bytes</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n second(s)</source>
        <translation>
            <numerusform>%n Sekunde</numerusform>
            <numerusform>%n Sekunden</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n minute(s)</source>
        <translation>
            <numerusform>%n Minute</numerusform>
            <numerusform>%n Minuten</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SystemPromptBar</name>
    <message>
        <source>System prompt: %1</source>
        <translation>Systemprompt: %1</translation>
    </message>
    <message>
        <source>System prompt (none)</source>
        <translation>Systemprompt (keiner)</translation>
    </message>
    <message>
        <source>Instructions for this chat, applied to its first message.</source>
        <translation>Anweisungen für diesen Chat, angewendet auf seine erste Nachricht.</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Open the Hugging Face RecurrentGemma checkpoint in &lt;dir&gt;.</source>
        <translation>Den RecurrentGemma-Checkpoint von Hugging Face im Ordner &lt;ordner&gt; öffnen.</translation>
    </message>
    <message>
        <source>dir</source>
        <translation>ordner</translation>
    </message>
    <message>
        <source>Quit &lt;ms&gt; milliseconds after the window opens (for tests).</source>
        <translation>&lt;ms&gt; Millisekunden nach dem Öffnen des Fensters beenden (für Tests).</translation>
    </message>
    <message>
        <source>ms</source>
        <translation>ms</translation>
    </message>
    <message>
        <source>Chat with RecurrentGemma on your CPU.

Conversations and their model states are kept in $XDG_DATA_HOME/recurrent-chat (by default ~/.local/share/recurrent-chat), settings in $XDG_CONFIG_HOME/recurrent-chat/settings.ini. One instance runs per user: starting it again brings its window to the front.</source>
        <translation>Mit RecurrentGemma auf dem eigenen Prozessor chatten.

Unterhaltungen und ihre Modellzustände liegen in $XDG_DATA_HOME/recurrent-chat (standardmäßig ~/.local/share/recurrent-chat), die Einstellungen in $XDG_CONFIG_HOME/recurrent-chat/settings.ini. Pro Benutzer läuft eine Instanz: Ein erneuter Start holt ihr Fenster in den Vordergrund.</translation>
    </message>
    <message>
        <source>--quit-after-ms needs a number of milliseconds.</source>
        <translation>--quit-after-ms erwartet eine Anzahl von Millisekunden.</translation>
    </message>
    <message>
        <source>Recurrent Chat is already running; its window was brought to the front.</source>
        <translation>Recurrent Chat läuft bereits; sein Fenster wurde in den Vordergrund geholt.</translation>
    </message>
    <message>
        <source>Recurrent Chat is already running (process %1).</source>
        <translation>Recurrent Chat läuft bereits (Prozess %1).</translation>
    </message>
    <message>
        <source>List the chats: id, date of the last change, title.</source>
        <translation>Die Chats auflisten: Kennung, Datum der letzten Änderung, Titel.</translation>
    </message>
    <message>
        <source>Export chat &lt;id&gt; (see --list-chats) to the file --out names.</source>
        <translation>Den Chat &lt;kennung&gt; (siehe --list-chats) in die Datei exportieren, die --out nennt.</translation>
    </message>
    <message>
        <source>id</source>
        <translation>kennung</translation>
    </message>
    <message>
        <source>Export every chat into the folder --out names, one file each.</source>
        <translation>Alle Chats in den Ordner exportieren, den --out nennt, je eine Datei.</translation>
    </message>
    <message>
        <source>Export format: rgchat (everything, with the model state), md or json (the transcript). Default: rgchat.</source>
        <translation>Exportformat: rgchat (alles, mit dem Modellzustand), md oder json (der Verlauf). Standard: rgchat.</translation>
    </message>
    <message>
        <source>format</source>
        <translation>format</translation>
    </message>
    <message>
        <source>The file or folder an export writes.</source>
        <translation>Die Datei oder der Ordner, in den ein Export schreibt.</translation>
    </message>
    <message>
        <source>path</source>
        <translation>pfad</translation>
    </message>
    <message>
        <source>Import a .rgchat conversation file as a new chat.</source>
        <translation>Eine .rgchat-Unterhaltungsdatei als neuen Chat importieren.</translation>
    </message>
    <message>
        <source>file</source>
        <translation>datei</translation>
    </message>
    <message>
        <source>Give one of --list-chats, --export-chat, --export-all and --import at a time.</source>
        <translation>Gib jeweils nur eines von --list-chats, --export-chat, --export-all und --import an.</translation>
    </message>
    <message>
        <source>Unknown format “%1”: use rgchat, md or json.</source>
        <translation>Unbekanntes Format „%1“: Verwende rgchat, md oder json.</translation>
    </message>
    <message>
        <source>Say where to export with --out.</source>
        <translation>Gib mit --out an, wohin exportiert werden soll.</translation>
    </message>
    <message>
        <source>--export-chat needs a chat&apos;s id (see --list-chats).</source>
        <translation>--export-chat erwartet die Kennung eines Chats (siehe --list-chats).</translation>
    </message>
    <message>
        <source>Recurrent Chat is running (process %1) but did not answer; try again when it has finished what it is doing.</source>
        <translation>Recurrent Chat läuft (Prozess %1), hat aber nicht geantwortet; versuche es erneut, wenn es fertig ist.</translation>
    </message>
</context>
</TS>
