<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr">
<context>
    <name>ChatCommands</name>
    <message>
        <source>Cannot create the folder %1.</source>
        <translation>Impossible de créer le dossier %1.</translation>
    </message>
    <message>
        <source>The running Recurrent Chat did not understand the request.</source>
        <translation>Le Recurrent Chat en cours d’exécution n’a pas compris la demande.</translation>
    </message>
</context>
<context>
    <name>ChatController</name>
    <message>
        <source>%1 billion parameters</source>
        <translation>%1 milliards de paramètres</translation>
    </message>
    <message>
        <source>%1 million parameters</source>
        <translation>%1 millions de paramètres</translation>
    </message>
    <message>
        <source>%1, %2, %3 on disk, state %4</source>
        <translation>%1, %2, %3 sur le disque, état %4</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1&#xa0;: %2</translation>
    </message>
    <message>
        <source>The chat could not be renamed: %1</source>
        <translation>La discussion n’a pas pu être renommée&#xa0;: %1</translation>
    </message>
    <message>
        <source>The chat could not be deleted: %1</source>
        <translation>La discussion n’a pas pu être supprimée&#xa0;: %1</translation>
    </message>
    <message>
        <source>The chat could not be restored: %1</source>
        <translation>La discussion n’a pas pu être restaurée&#xa0;: %1</translation>
    </message>
    <message>
        <source>The system prompt could not be saved: %1</source>
        <translation>Le prompt système n’a pas pu être enregistré&#xa0;: %1</translation>
    </message>
    <message>
        <source>Demo model</source>
        <translation>Modèle de démonstration</translation>
    </message>
    <message>
        <source>Loading model…</source>
        <translation>Chargement du modèle…</translation>
    </message>
    <message>
        <source>The model could not be loaded</source>
        <translation>Le modèle n’a pas pu être chargé</translation>
    </message>
    <message>
        <source>No model loaded</source>
        <translation>Aucun modèle chargé</translation>
    </message>
    <message>
        <source>A tiny demo model trained by this project: it adds two numbers, defines words (often wrongly) and tells fortunes. For real answers, download RecurrentGemma from Hugging Face and use Open model.</source>
        <translation>Un minuscule modèle de démonstration entraîné par ce projet&#xa0;: il additionne deux nombres, définit des mots (souvent à tort) et donne des maximes. Pour de vraies réponses, téléchargez RecurrentGemma depuis Hugging Face et utilisez «&#xa0;Ouvrir un modèle&#xa0;».</translation>
    </message>
    <message>
        <source>Choose a Hugging Face RecurrentGemma folder (config.json, *.safetensors, tokenizer.model).</source>
        <translation>Choisissez un dossier RecurrentGemma de Hugging Face (config.json, *.safetensors, tokenizer.model).</translation>
    </message>
    <message>
        <source>The model in %1 could not be loaded, so %2 stays in use. %3</source>
        <translation>Le modèle dans %1 n’a pas pu être chargé&#xa0;; %2 reste donc utilisé. %3</translation>
    </message>
    <message>
        <source>The chat was exported to %1.</source>
        <translation>La discussion a été exportée vers %1.</translation>
    </message>
</context>
<context>
    <name>ChatFileDialogs</name>
    <message>
        <source>Export</source>
        <translation>Exporter</translation>
    </message>
    <message>
        <source>Export “%1”</source>
        <translation>Exporter «&#xa0;%1&#xa0;»</translation>
    </message>
    <message>
        <source>New chat</source>
        <translation>Nouvelle discussion</translation>
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
        <translation>Fichiers Recurrent Chat (*.rgchat)</translation>
    </message>
    <message>
        <source>Replace the file?</source>
        <translation>Remplacer le fichier&#xa0;?</translation>
    </message>
    <message>
        <source>Replace</source>
        <translation>Remplacer</translation>
    </message>
    <message>
        <source>%1 already exists. Replacing it overwrites what it holds.</source>
        <translation>%1 existe déjà. Le remplacer efface son contenu.</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>Importer</translation>
    </message>
    <message>
        <source>Import a chat</source>
        <translation>Importer une discussion</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>Tous les fichiers (*)</translation>
    </message>
</context>
<context>
    <name>ChatMenu</name>
    <message>
        <source>Rename…</source>
        <translation>Renommer…</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>Exporter</translation>
    </message>
    <message>
        <source>Recurrent Chat file (.rgchat)…</source>
        <translation>Fichier Recurrent Chat (.rgchat)…</translation>
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
        <translation>Supprimer</translation>
    </message>
</context>
<context>
    <name>ChatTransfer</name>
    <message>
        <source>**You:**</source>
        <translation>**Vous&#xa0;:**</translation>
    </message>
    <message>
        <source>**Model:**</source>
        <translation>**Modèle&#xa0;:**</translation>
    </message>
    <message>
        <source>There is no chat %1.</source>
        <translation>Il n’y a pas de discussion %1.</translation>
    </message>
    <message>
        <source>The chat could not be read: %1</source>
        <translation>La discussion n’a pas pu être lue&#xa0;: %1</translation>
    </message>
    <message>
        <source>The chat is too large to export: %1 MB, more than the %2 MB a conversation file may have.</source>
        <translation>La discussion est trop volumineuse pour être exportée&#xa0;: %1&#xa0;Mo, plus que les %2&#xa0;Mo qu’un fichier de conversation peut contenir.</translation>
    </message>
    <message>
        <source>The chat could not be exported: %1</source>
        <translation>La discussion n’a pas pu être exportée&#xa0;: %1</translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation>Impossible de lire %1&#xa0;: %2</translation>
    </message>
    <message>
        <source>%1 is too large to import: %2 MB; a conversation file may have at most %3 MB.</source>
        <translation>%1 est trop volumineux pour être importé&#xa0;: %2&#xa0;Mo&#xa0;; un fichier de conversation peut contenir au plus %3&#xa0;Mo.</translation>
    </message>
    <message>
        <source>%1 is not a conversation file this version can import: %2</source>
        <translation>%1 n’est pas un fichier de conversation que cette version peut importer&#xa0;: %2</translation>
    </message>
    <message>
        <source>The chat could not be imported: %1</source>
        <translation>La discussion n’a pas pu être importée&#xa0;: %1</translation>
    </message>
    <message numerus="yes">
        <source>Imported “%1” as chat %2 (%n message(s)).</source>
        <translation>
            <numerusform>«&#xa0;%1&#xa0;» importée comme discussion %2 (%n message).</numerusform>
            <numerusform>«&#xa0;%1&#xa0;» importée comme discussion %2 (%n messages).</numerusform>
        </translation>
    </message>
    <message>
        <source>The file has no model state: the transcript is processed before the next reply.</source>
        <translation>Le fichier ne contient pas d’état du modèle&#xa0;: la transcription est traitée avant la prochaine réponse.</translation>
    </message>
    <message>
        <source>Its model state was saved with the loaded model: it continues instantly.</source>
        <translation>Son état du modèle a été enregistré avec le modèle chargé&#xa0;: elle reprend immédiatement.</translation>
    </message>
    <message>
        <source>It continues instantly with the model it was saved with (fingerprint %1); with other weights its transcript is processed again before the next reply.</source>
        <translation>Elle reprend immédiatement avec le modèle avec lequel elle a été enregistrée (empreinte %1)&#xa0;; avec d’autres poids, sa transcription est traitée à nouveau avant la prochaine réponse.</translation>
    </message>
    <message>
        <source>Its model state was saved with other weights (fingerprint %1): its transcript is processed again before the next reply.</source>
        <translation>Son état du modèle a été enregistré avec d’autres poids (empreinte %1)&#xa0;: sa transcription est traitée à nouveau avant la prochaine réponse.</translation>
    </message>
</context>
<context>
    <name>ChatView</name>
    <message>
        <source>Say something. This conversation keeps its model state on disk, so it resumes instantly however long it gets.</source>
        <translation>Dites quelque chose. Cette conversation conserve l’état de son modèle sur le disque&#xa0;: elle reprend instantanément, quelle que soit sa longueur.</translation>
    </message>
    <message>
        <source>Open a RecurrentGemma model folder to start chatting.</source>
        <translation>Ouvrez un dossier de modèle RecurrentGemma pour commencer à discuter.</translation>
    </message>
</context>
<context>
    <name>Composer</name>
    <message>
        <source>Message (Enter to send, Shift+Enter for a new line)</source>
        <translation>Message (Entrée pour envoyer, Maj+Entrée pour une nouvelle ligne)</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>Arrêter</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>Envoyer</translation>
    </message>
</context>
<context>
    <name>ConversationListModel</name>
    <message>
        <source>Yesterday</source>
        <translation>Hier</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>Aujourd’hui</translation>
    </message>
    <message>
        <source>Previous 7 days</source>
        <translation>7 derniers jours</translation>
    </message>
    <message>
        <source>Previous 30 days</source>
        <translation>30 derniers jours</translation>
    </message>
    <message>
        <source>Older</source>
        <translation>Plus anciennes</translation>
    </message>
</context>
<context>
    <name>ConversationRow</name>
    <message>
        <source>New chat</source>
        <translation>Nouvelle discussion</translation>
    </message>
    <message>
        <source>Replying…</source>
        <translation>Réponse en cours…</translation>
    </message>
    <message>
        <source>Rename, export or delete this chat</source>
        <translation>Renommer, exporter ou supprimer cette discussion</translation>
    </message>
</context>
<context>
    <name>ConversationRunner</name>
    <message>
        <source>no state file was saved</source>
        <translation>aucun fichier d’état n’a été enregistré</translation>
    </message>
    <message>
        <source>the state file is missing</source>
        <translation>le fichier d’état est manquant</translation>
    </message>
    <message>
        <source>the state file cannot be used: %1</source>
        <extracomment>%1: the engine&apos;s explanation (another model, an older engine, a damaged file), in English</extracomment>
        <translation>le fichier d’état est inutilisable&#xa0;: %1</translation>
    </message>
    <message>
        <source>the state file does not match the conversation</source>
        <translation>le fichier d’état ne correspond pas à la conversation</translation>
    </message>
    <message>
        <source>The conversation cannot be continued: its saved state is unusable (%1) and the transcript to rebuild it from is empty.</source>
        <translation>La conversation ne peut pas être poursuivie&#xa0;: son état enregistré est inutilisable (%1) et la transcription qui permettrait de le reconstruire est vide.</translation>
    </message>
    <message>
        <source>The maximum number of new tokens cannot be negative.</source>
        <translation>Le nombre maximal de nouveaux jetons ne peut pas être négatif.</translation>
    </message>
</context>
<context>
    <name>ConversationStore</name>
    <message>
        <source>The database connection “%1” is already open.</source>
        <translation>La connexion à la base de données «&#xa0;%1&#xa0;» est déjà ouverte.</translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation>Impossible de lire %1&#xa0;: %2</translation>
    </message>
    <message>
        <source>%1 is not a conversation database.</source>
        <translation>%1 n’est pas une base de données de conversations.</translation>
    </message>
    <message>
        <source>Cannot open %1: %2</source>
        <translation>Impossible d’ouvrir %1&#xa0;: %2</translation>
    </message>
    <message>
        <source>%1 is damaged: %2</source>
        <translation>%1 est endommagé&#xa0;: %2</translation>
    </message>
    <message>
        <source>%1 was written by a newer version of Recurrent Chat (schema %2; this version knows up to %3). Update the app to open it.</source>
        <translation>%1 a été écrit par une version plus récente de Recurrent Chat (schéma %2&#xa0;; cette version connaît les schémas jusqu’au %3). Mettez l’application à jour pour l’ouvrir.</translation>
    </message>
    <message>
        <source>Cannot configure %1: %2</source>
        <translation>Impossible de configurer %1&#xa0;: %2</translation>
    </message>
    <message>
        <source>Cannot upgrade the conversation database to schema %1: %2</source>
        <translation>Impossible de mettre à niveau la base de données des conversations vers le schéma %1&#xa0;: %2</translation>
    </message>
    <message>
        <source>Database error: %1</source>
        <translation>Erreur de base de données&#xa0;: %1</translation>
    </message>
    <message>
        <source>No conversation %1.</source>
        <translation>La conversation %1 n’existe pas.</translation>
    </message>
    <message>
        <source>No deleted conversation %1.</source>
        <translation>Il n’y a pas de conversation supprimée %1.</translation>
    </message>
    <message>
        <source>Message %1 is not in conversation %2.</source>
        <translation>Le message %1 ne fait pas partie de la conversation %2.</translation>
    </message>
    <message>
        <source>No message %1.</source>
        <translation>Le message %1 n’existe pas.</translation>
    </message>
    <message>
        <source>Message %1 is not a user message in conversation %2.</source>
        <translation>Le message %1 n’est pas un message de l’utilisateur dans la conversation %2.</translation>
    </message>
    <message>
        <source>Message %1 comes before its parent.</source>
        <translation>Le message %1 précède son message parent.</translation>
    </message>
    <message>
        <source>No starting point %1.</source>
        <translation>Il n’y a pas de point de départ %1.</translation>
    </message>
</context>
<context>
    <name>DataFolder</name>
    <message>
        <source>Your conversations could not be opened: %1. The file was left untouched; nothing will be saved until this is resolved.</source>
        <translation>Vos conversations n’ont pas pu être ouvertes&#xa0;: %1. Le fichier n’a pas été modifié&#xa0;; rien ne sera enregistré tant que le problème ne sera pas résolu.</translation>
    </message>
    <message>
        <source>Nothing could be recovered from it.</source>
        <translation>Rien n’a pu en être récupéré.</translation>
    </message>
    <message numerus="yes">
        <source>%n conversation(s) could be recovered from it.</source>
        <translation>
            <numerusform>%n conversation a pu en être récupérée.</numerusform>
            <numerusform>%n conversations ont pu en être récupérées.</numerusform>
        </translation>
    </message>
    <message>
        <source>The conversation database could not be read: %1 It was kept, unchanged, as %2, with its state files beside it, and a new database was started. %3</source>
        <translation>La base de données des conversations n’a pas pu être lue&#xa0;: %1 Elle a été conservée telle quelle sous %2, avec ses fichiers d’état à côté, et une nouvelle base a été créée. %3</translation>
    </message>
</context>
<context>
    <name>DatabaseNoticeDialog</name>
    <message>
        <source>Your conversations could not be read</source>
        <translation>Vos conversations n’ont pas pu être lues</translation>
    </message>
    <message>
        <source>Show the file</source>
        <translation>Afficher le fichier</translation>
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
        <translation>Discussion récupérée</translation>
    </message>
</context>
<context>
    <name>EngineError</name>
    <message>
        <source>A file could not be read or written.</source>
        <translation>Un fichier n’a pas pu être lu ou écrit.</translation>
    </message>
    <message>
        <source>The model&apos;s weight files are damaged or incomplete.</source>
        <translation>Les fichiers de poids du modèle sont endommagés ou incomplets.</translation>
    </message>
    <message>
        <source>The model&apos;s config.json is invalid.</source>
        <translation>Le fichier config.json du modèle n’est pas valide.</translation>
    </message>
    <message>
        <source>The model&apos;s tokenizer could not be loaded.</source>
        <translation>Le tokeniseur du modèle n’a pas pu être chargé.</translation>
    </message>
    <message>
        <source>The request was invalid.</source>
        <translation>La requête n’était pas valide.</translation>
    </message>
    <message>
        <source>The saved conversation state is unusable.</source>
        <translation>L’état enregistré de la conversation est inutilisable.</translation>
    </message>
    <message>
        <source>Stopped.</source>
        <translation>Arrêté.</translation>
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
        <translation>Le dossier %1 n’existe pas.</translation>
    </message>
    <message>
        <source>The model&apos;s tokenizer (tokenizer.model) could not be loaded: %1</source>
        <translation>Le tokeniseur du modèle (tokenizer.model) n’a pas pu être chargé&#xa0;: %1</translation>
    </message>
    <message>
        <source>The tokenizer (%1 tokens) does not belong to this model (%2 tokens).</source>
        <translation>Le tokeniseur (%1 jetons) n’appartient pas à ce modèle (%2 jetons).</translation>
    </message>
    <message>
        <source>No model is loaded.</source>
        <translation>Aucun modèle n’est chargé.</translation>
    </message>
</context>
<context>
    <name>HubMessages</name>
    <message>
        <source>The Hugging Face Hub did not accept the access token. Check the token, and accept the model&apos;s licence at %1.</source>
        <translation>Le Hugging Face Hub n’a pas accepté le jeton d’accès. Vérifiez le jeton et acceptez la licence du modèle sur %1.</translation>
    </message>
    <message>
        <source>This model is gated. Accept its licence at %1 and enter a Hugging Face access token.</source>
        <translation>Ce modèle est à accès restreint. Acceptez sa licence sur %1 et saisissez un jeton d’accès Hugging Face.</translation>
    </message>
    <message>
        <source>Your token does not have access yet: accept the licence at %1 (approval can take a while).</source>
        <translation>Votre jeton n’a pas encore accès&#xa0;: acceptez la licence sur %1 (l’approbation peut prendre un moment).</translation>
    </message>
    <message>
        <source>There is no model %1 on %2 (or it is private and needs a token).</source>
        <translation>Il n’y a pas de modèle %1 sur %2 (ou il est privé et demande un jeton).</translation>
    </message>
    <message>
        <source>The model %1 has no revision %2.</source>
        <translation>Le modèle %1 n’a pas de révision %2.</translation>
    </message>
    <message>
        <source>The model %1 has no file %2.</source>
        <translation>Le modèle %1 n’a pas de fichier %2.</translation>
    </message>
    <message numerus="yes">
        <source>Could not download from %1 (%2), %n attempt(s) made. Check the network connection and try again: the download resumes where it stopped.</source>
        <translation>
            <numerusform>Impossible de télécharger depuis %1 (%2), %n tentative. Vérifiez la connexion réseau et réessayez&#xa0;: le téléchargement reprendra là où il s’est arrêté.</numerusform>
            <numerusform>Impossible de télécharger depuis %1 (%2), %n tentatives. Vérifiez la connexion réseau et réessayez&#xa0;: le téléchargement reprendra là où il s’est arrêté.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 sent no data for %2 s, %n attempt(s) made. Try again later: the download resumes where it stopped.</source>
        <translation>
            <numerusform>%1 n’a envoyé aucune donnée pendant %2 s, %n tentative. Réessayez plus tard&#xa0;: le téléchargement reprendra là où il s’est arrêté.</numerusform>
            <numerusform>%1 n’a envoyé aucune donnée pendant %2 s, %n tentatives. Réessayez plus tard&#xa0;: le téléchargement reprendra là où il s’est arrêté.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 answered with HTTP status %2, %n attempt(s) made. Try again later: the download resumes where it stopped.</source>
        <translation>
            <numerusform>%1 a répondu avec le statut HTTP %2, %n tentative. Réessayez plus tard&#xa0;: le téléchargement reprendra là où il s’est arrêté.</numerusform>
            <numerusform>%1 a répondu avec le statut HTTP %2, %n tentatives. Réessayez plus tard&#xa0;: le téléchargement reprendra là où il s’est arrêté.</numerusform>
        </translation>
    </message>
    <message>
        <source>The secure connection to %1 could not be verified (%2). Nothing was downloaded from it. Check the system&apos;s date and certificates, or a proxy that intercepts connections.</source>
        <translation>La connexion sécurisée à %1 n’a pas pu être vérifiée (%2). Rien n’a été téléchargé depuis ce serveur. Vérifiez la date et les certificats du système, ou un proxy qui intercepte les connexions.</translation>
    </message>
    <message>
        <source>The disk is full: %1 could not be written (%2). Free some space and try again: the download resumes where it stopped.</source>
        <translation>Le disque est plein&#xa0;: impossible d’écrire %1 (%2). Libérez de l’espace et réessayez&#xa0;: le téléchargement reprendra là où il s’est arrêté.</translation>
    </message>
    <message>
        <source>Not enough free space in %1: the download needs %2, and %3 are free.</source>
        <translation>Pas assez d’espace libre dans %1&#xa0;: le téléchargement a besoin de %2, et %3 sont libres.</translation>
    </message>
    <message>
        <source>%1 arrived with %2 bytes instead of %3, so it was deleted. Try again.</source>
        <translation>%1 est arrivé avec %2 octets au lieu de %3&#xa0;; il a donc été supprimé. Réessayez.</translation>
    </message>
    <message>
        <source>%1 arrived damaged (its SHA-256 checksum differs from the Hub&apos;s), so it was deleted. Try again.</source>
        <translation>%1 est arrivé endommagé (sa somme de contrôle SHA-256 diffère de celle du Hub)&#xa0;; il a donc été supprimé. Réessayez.</translation>
    </message>
    <message>
        <source>%1 sent an answer that cannot be used: %2.</source>
        <translation>%1 a envoyé une réponse inutilisable&#xa0;: %2.</translation>
    </message>
    <message>
        <source>The model %1 changed on the Hub while it was downloading (%2). Start the download again.</source>
        <translation>Le modèle %1 a changé sur le Hub pendant le téléchargement (%2). Relancez le téléchargement.</translation>
    </message>
    <message>
        <source>%1 is not a RecurrentGemma checkpoint in the Hugging Face format: it has no %2.</source>
        <translation>%1 n’est pas un checkpoint RecurrentGemma au format Hugging Face&#xa0;: il n’a pas de %2.</translation>
    </message>
    <message>
        <source>Could not write %1 (%2).</source>
        <translation>Impossible d’écrire %1 (%2).</translation>
    </message>
    <message numerus="yes">
        <source>%n byte(s)</source>
        <translation>
            <numerusform>%n octet</numerusform>
            <numerusform>%n octets</numerusform>
        </translation>
    </message>
    <message>
        <source>%1; attempt %2 of %3 in %4 s.</source>
        <translation>%1&#xa0;; tentative %2 sur %3 dans %4 s.</translation>
    </message>
    <message>
        <source>The server cannot resume %1: downloading it again from the start.</source>
        <translation>Le serveur ne peut pas reprendre %1&#xa0;: nouveau téléchargement depuis le début.</translation>
    </message>
    <message>
        <source>Another program is downloading %1 into the same cache: waiting for it.</source>
        <translation>Un autre programme télécharge %1 dans le même cache&#xa0;: en attente.</translation>
    </message>
    <message>
        <source>The connection to %1 failed (%2)</source>
        <translation>La connexion à %1 a échoué (%2)</translation>
    </message>
    <message>
        <source>%1 sent no data for %2 s</source>
        <translation>%1 n’a envoyé aucune donnée pendant %2 s</translation>
    </message>
    <message>
        <source>%1 answered with HTTP status %2</source>
        <translation>%1 a répondu avec le statut HTTP %2</translation>
    </message>
    <message>
        <source>too many interruptions</source>
        <translation>trop d’interruptions</translation>
    </message>
    <message>
        <source>incomplete answer</source>
        <translation>réponse incomplète</translation>
    </message>
    <message>
        <source>unusable redirect</source>
        <translation>redirection inutilisable</translation>
    </message>
    <message>
        <source>model.embed_tokens.weight is missing</source>
        <translation>model.embed_tokens.weight manque</translation>
    </message>
    <message>
        <source>the file list never ends</source>
        <translation>la liste des fichiers ne finit jamais</translation>
    </message>
    <message>
        <source>cannot create %1</source>
        <translation>impossible de créer %1</translation>
    </message>
    <message>
        <source>not an object</source>
        <translation>pas un objet</translation>
    </message>
    <message>
        <source>size of %1 is not a whole number of bytes</source>
        <translation>la taille de %1 n’est pas un nombre entier d’octets</translation>
    </message>
    <message>
        <source>oid of %1 is not a git id</source>
        <translation>l’oid de %1 n’est pas un identifiant git</translation>
    </message>
    <message>
        <source>lfs.oid of %1 is not a SHA-256</source>
        <translation>lfs.oid de %1 n’est pas un SHA-256</translation>
    </message>
    <message>
        <source>lfs.size of %1 disagrees</source>
        <translation>lfs.size de %1 ne concorde pas</translation>
    </message>
    <message>
        <source>lfs of %1 is not an object</source>
        <translation>lfs de %1 n’est pas un objet</translation>
    </message>
    <message>
        <source>the file list is not JSON (%1 at byte %2)</source>
        <translation>la liste des fichiers n’est pas du JSON (%1 à l’octet %2)</translation>
    </message>
    <message>
        <source>the file list is not a JSON array</source>
        <translation>la liste des fichiers n’est pas un tableau JSON</translation>
    </message>
    <message>
        <source>entry %1 of the file list: %2</source>
        <translation>entrée %1 de la liste des fichiers&#xa0;: %2</translation>
    </message>
    <message>
        <source>no commit id (X-Repo-Commit) for the file</source>
        <translation>pas d’identifiant de commit (X-Repo-Commit) pour le fichier</translation>
    </message>
    <message>
        <source>no usable ETag for the file</source>
        <translation>pas d’ETag utilisable pour le fichier</translation>
    </message>
    <message>
        <source>no usable size (X-Linked-Size, Content-Length) for the file</source>
        <translation>pas de taille utilisable (X-Linked-Size, Content-Length) pour le fichier</translation>
    </message>
    <message>
        <source>the redirect&apos;s Location is not an http(s) URL</source>
        <translation>la Location de la redirection n’est pas une URL http(s)</translation>
    </message>
    <message>
        <source>an answer larger than 16 MiB</source>
        <translation>une réponse de plus de 16 Mio</translation>
    </message>
    <message>
        <source>too many redirects</source>
        <translation>trop de redirections</translation>
    </message>
    <message>
        <source>The Hub&apos;s address &quot;%1&quot; is not an http(s) URL (check HF_ENDPOINT).</source>
        <translation>L’adresse du Hub «&#xa0;%1&#xa0;» n’est pas une URL http(s) (vérifiez HF_ENDPOINT).</translation>
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
        <translation>Un jeton est enregistré</translation>
    </message>
    <message>
        <source>Access token (hf_…)</source>
        <translation>Jeton d’accès (hf_…)</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Enregistrer</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Supprimer</translation>
    </message>
</context>
<context>
    <name>HubTokenStore</name>
    <message>
        <source>Could not remove %1.</source>
        <translation>Impossible de supprimer %1.</translation>
    </message>
    <message>
        <source>Could not save the token in %1: %2</source>
        <translation>Impossible d’enregistrer le jeton dans %1 : %2</translation>
    </message>
    <message>
        <source>Looking for the system&apos;s keyring…</source>
        <translation>Recherche du trousseau du système…</translation>
    </message>
    <message>
        <source>Your token is kept in the system&apos;s keyring.</source>
        <translation>Votre jeton est conservé dans le trousseau du système.</translation>
    </message>
    <message>
        <source>No keyring service runs: your token is kept in %1, readable only by you.</source>
        <translation>Aucun service de trousseau n’est actif : votre jeton est conservé dans %1, lisible par vous seul.</translation>
    </message>
    <message>
        <source>Downloads use the token stored here.</source>
        <translation>Les téléchargements utilisent le jeton enregistré ici.</translation>
    </message>
    <message>
        <source>Downloads use the token in $HF_TOKEN.</source>
        <translation>Les téléchargements utilisent le jeton de $HF_TOKEN.</translation>
    </message>
    <message>
        <source>Downloads use the token saved by huggingface-cli login.</source>
        <translation>Les téléchargements utilisent le jeton enregistré par huggingface-cli login.</translation>
    </message>
    <message>
        <source>No token: only public models can be downloaded.</source>
        <translation>Aucun jeton : seuls les modèles publics peuvent être téléchargés.</translation>
    </message>
</context>
<context>
    <name>LocalServer</name>
    <message>
        <source>Serving on %1 without an API key: anyone who can reach this computer can use the model.</source>
        <translation>Service sur %1 sans clé d&apos;API : toute personne pouvant joindre cet ordinateur peut utiliser le modèle.</translation>
    </message>
    <message>
        <source>%1 is not an IP address (such as 127.0.0.1, ::1 or 0.0.0.0).</source>
        <translation>%1 n&apos;est pas une adresse IP (comme 127.0.0.1, ::1 ou 0.0.0.0).</translation>
    </message>
    <message>
        <source>The server could not listen on %1, port %2: %3</source>
        <extracomment>%1: address, %2: port, %3: the system&apos;s reason (in English), e.g. &quot;The bound address is already in use&quot;</extracomment>
        <translation>Le serveur ne peut pas écouter sur %1, port %2 : %3</translation>
    </message>
    <message>
        <source>%1 in (%2 cached), %3 out</source>
        <extracomment>a request&apos;s tokens: %1 prompt tokens, %2 of them resumed from a kept state, %3 generated</extracomment>
        <translation>%1 en entrée (%2 en cache), %3 en sortie</translation>
    </message>
    <message>
        <source>client left</source>
        <translation>client parti</translation>
    </message>
</context>
<context>
    <name>LocalServerSection</name>
    <message>
        <source>Local API server</source>
        <translation>Serveur d&apos;API local</translation>
    </message>
    <message>
        <source>Serves the loaded model to other programs over the OpenAI API (chat and text completions), from the same queue as this window&apos;s replies.</source>
        <translation>Met le modèle chargé à la disposition d&apos;autres programmes via l&apos;API OpenAI (complétions de chat et de texte), dans la même file d&apos;attente que les réponses de cette fenêtre.</translation>
    </message>
    <message>
        <source>Serve the loaded model</source>
        <translation>Servir le modèle chargé</translation>
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
        <translation>127.0.0.1 : cet ordinateur seulement. 0.0.0.0 : tous les réseaux auxquels cet ordinateur est connecté.</translation>
    </message>
    <message>
        <source>API key</source>
        <translation>Clé d&apos;API</translation>
    </message>
    <message>
        <source>none</source>
        <translation>aucune</translation>
    </message>
    <message>
        <source>On: %1</source>
        <translation>Activé : %1</translation>
    </message>
    <message>
        <source>Not listening</source>
        <translation>N&apos;écoute pas</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>Désactivé</translation>
    </message>
    <message>
        <source>Recent requests</source>
        <translation>Requêtes récentes</translation>
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
        <translation>Vous</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modèle</translation>
    </message>
    <message>
        <source>Previous alternative</source>
        <translation>Variante précédente</translation>
    </message>
    <message>
        <source>%1/%2</source>
        <translation>%1/%2</translation>
    </message>
    <message>
        <source>Next alternative</source>
        <translation>Variante suivante</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Copier</translation>
    </message>
    <message>
        <source>Copy code</source>
        <translation>Copier le code</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>Modifier</translation>
    </message>
    <message>
        <source>Send edited</source>
        <translation>Envoyer la modification</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Reply</source>
        <translation>Répondre</translation>
    </message>
    <message>
        <source>Regenerate</source>
        <translation>Régénérer</translation>
    </message>
    <message>
        <source>Not saved yet</source>
        <translation>Pas encore enregistré</translation>
    </message>
    <message>
        <source>Complete</source>
        <translation>Terminée</translation>
    </message>
    <message>
        <source>Length limit reached</source>
        <translation>Longueur maximale atteinte</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>Arrêtée</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Échouée</translation>
    </message>
    <message numerus="yes">
        <source>%n token(s)</source>
        <translation>
            <numerusform>%n jeton</numerusform>
            <numerusform>%n jetons</numerusform>
        </translation>
    </message>
    <message>
        <source>Copied</source>
        <translation>Copié</translation>
    </message>
</context>
<context>
    <name>ModelBar</name>
    <message>
        <source>Open model…</source>
        <translation>Ouvrir un modèle…</translation>
    </message>
    <message>
        <source>Preferences</source>
        <translation>Préférences</translation>
    </message>
    <message>
        <source>Hide the chat list (Ctrl+B)</source>
        <translation>Masquer la liste des discussions (Ctrl+B)</translation>
    </message>
    <message>
        <source>Show the chat list (Ctrl+B)</source>
        <translation>Afficher la liste des discussions (Ctrl+B)</translation>
    </message>
    <message>
        <source>More</source>
        <translation>Plus</translation>
    </message>
    <message>
        <source>Quit (Ctrl+Q)</source>
        <translation>Quitter (Ctrl+Q)</translation>
    </message>
    <message>
        <source>Models</source>
        <translation>Modèles</translation>
    </message>
    <message>
        <source>Use the demo model</source>
        <translation>Utiliser le modèle de démonstration</translation>
    </message>
</context>
<context>
    <name>ModelFolderDialog</name>
    <message>
        <source>Choose a RecurrentGemma model folder</source>
        <translation>Choisir un dossier de modèle RecurrentGemma</translation>
    </message>
    <message>
        <source>Parent folder</source>
        <translation>Dossier parent</translation>
    </message>
    <message>
        <source>Home</source>
        <translation>Dossier personnel</translation>
    </message>
    <message>
        <source>Downloads</source>
        <translation>Téléchargements</translation>
    </message>
    <message>
        <source>Documents</source>
        <translation>Documents</translation>
    </message>
    <message>
        <source>No subfolders here</source>
        <translation>Aucun sous-dossier ici</translation>
    </message>
    <message>
        <source>Opens: %1</source>
        <translation>Ouvre&#xa0;: %1</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Ouvrir</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
</context>
<context>
    <name>ModelListModel</name>
    <message>
        <source>%1 to download</source>
        <translation>%1 à télécharger</translation>
    </message>
    <message>
        <source>size unknown</source>
        <translation>taille inconnue</translation>
    </message>
    <message>
        <source>state %1</source>
        <translation>état %1</translation>
    </message>
    <message>
        <source>Preparing…</source>
        <translation>Préparation…</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 sur %2</translation>
    </message>
    <message>
        <source>%1/s</source>
        <translation>%1/s</translation>
    </message>
    <message>
        <source>%1 s left</source>
        <translation>encore %1 s</translation>
    </message>
    <message>
        <source>%1 min left</source>
        <translation>encore %1 min</translation>
    </message>
</context>
<context>
    <name>ModelRow</name>
    <message>
        <source>%1 (in use)</source>
        <translation>%1 (utilisé)</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>Réessayer</translation>
    </message>
    <message>
        <source>Download</source>
        <translation>Télécharger</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Reprendre</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Suspendre</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Supprimer</translation>
    </message>
    <message>
        <source>Use this model</source>
        <translation>Utiliser ce modèle</translation>
    </message>
    <message>
        <source>Making a copy…</source>
        <translation>Copie en cours…</translation>
    </message>
</context>
<context>
    <name>ModelScan</name>
    <message>
        <source>Missing: %1</source>
        <translation>Manquant : %1</translation>
    </message>
</context>
<context>
    <name>ModelsPage</name>
    <message>
        <source>Models</source>
        <translation>Modèles</translation>
    </message>
    <message>
        <source>Google&apos;s RecurrentGemma models are gated: accept the licence on the model&apos;s Hugging Face page and enter an access token in the Preferences. Downloads go to the Hugging Face cache, shared with other tools, and go on while you chat.</source>
        <translation>Les modèles RecurrentGemma de Google sont à accès restreint : acceptez la licence sur la page Hugging Face du modèle et saisissez un jeton d’accès dans les Préférences. Les téléchargements vont dans le cache Hugging Face, partagé avec d’autres outils, et continuent pendant que vous discutez.</translation>
    </message>
    <message>
        <source>Open a folder…</source>
        <translation>Ouvrir un dossier…</translation>
    </message>
</context>
<context>
    <name>NoticeBanner</name>
    <message>
        <source>Dismiss</source>
        <translation>Fermer</translation>
    </message>
</context>
<context>
    <name>PreferencesDialog</name>
    <message>
        <source>Preferences</source>
        <translation>Préférences</translation>
    </message>
    <message>
        <source>Sampling</source>
        <translation>Échantillonnage</translation>
    </message>
    <message>
        <source>Temperature</source>
        <translation>Température</translation>
    </message>
    <message>
        <source>Top-k (0 = off)</source>
        <translation>Top-k (0 = désactivé)</translation>
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
        <translation>Pénalité de répétition</translation>
    </message>
    <message>
        <source>Penalty window (tokens)</source>
        <translation>Fenêtre de pénalité (jetons)</translation>
    </message>
    <message>
        <source>Max new tokens</source>
        <translation>Nouveaux jetons max.</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>Graine</translation>
    </message>
    <message>
        <source>Random</source>
        <translation>Aléatoire</translation>
    </message>
    <message>
        <source>Restore sampling defaults</source>
        <translation>Rétablir l’échantillonnage par défaut</translation>
    </message>
    <message>
        <source>Engine</source>
        <translation>Moteur</translation>
    </message>
    <message>
        <source>Threads (0 = all %1)</source>
        <translation>Threads (0 = les %1)</translation>
    </message>
    <message>
        <source>Appearance</source>
        <translation>Apparence</translation>
    </message>
    <message>
        <source>Theme</source>
        <translation>Thème</translation>
    </message>
    <message>
        <source>System</source>
        <translation>Système</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>Clair</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>Sombre</translation>
    </message>
    <message>
        <source>Font size</source>
        <translation>Taille de police</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Langue</translation>
    </message>
    <message>
        <source>System default</source>
        <translation>Langue du système</translation>
    </message>
    <message>
        <source>Fast prompt processing (bf16)</source>
        <translation>Traitement rapide du prompt (bf16)</translation>
    </message>
    <message>
        <source>About twice as fast on processors with bf16 instructions, for bf16 models. Replies can differ slightly from exact arithmetic.</source>
        <translation>Environ deux fois plus rapide sur les processeurs dotés d’instructions bf16, pour les modèles bf16. Les réponses peuvent différer légèrement d’un calcul exact.</translation>
    </message>
</context>
<context>
    <name>QuantizeFormat</name>
    <message>
        <source>Make an int8 copy</source>
        <translation>Créer une copie int8</translation>
    </message>
    <message>
        <source>Make a 4-bit copy</source>
        <translation>Créer une copie 4&#xa0;bits</translation>
    </message>
    <message>
        <source>4-bit weights: about two thirds of an int8 copy&apos;s size, with slightly lower quality.</source>
        <translation>Poids sur 4 bits : environ deux tiers de la taille d’une copie int8, avec une qualité un peu inférieure.</translation>
    </message>
</context>
<context>
    <name>QuantizeJob</name>
    <message>
        <source>Could not create %1.</source>
        <translation>Impossible de créer %1.</translation>
    </message>
    <message>
        <source>The copy of %1 failed: %2</source>
        <translation>La copie de %1 a échoué : %2</translation>
    </message>
    <message>
        <source>Could not move the copy to %1.</source>
        <translation>Impossible de déplacer la copie vers %1.</translation>
    </message>
</context>
<context>
    <name>ReplyFlow</name>
    <message>
        <source>The reply that could not be saved is saved now.</source>
        <translation>La réponse qui n’avait pas pu être enregistrée l’est maintenant.</translation>
    </message>
    <message>
        <source>Nothing can be saved right now: %1. The conversation stays as it is here; free some disk space or make the data folder writable, and the reply that is not saved yet will be saved.</source>
        <translation>Rien ne peut être enregistré pour l’instant&#xa0;: %1. La conversation reste telle quelle ici&#xa0;; libérez de l’espace disque ou rendez le dossier de données accessible en écriture, et la réponse non encore enregistrée le sera.</translation>
    </message>
    <message>
        <source>Open a model first.</source>
        <translation>Ouvrez d’abord un modèle.</translation>
    </message>
    <message>
        <source>The chat could not be saved: %1</source>
        <translation>La discussion n’a pas pu être enregistrée&#xa0;: %1</translation>
    </message>
    <message>
        <source>The last message has no reply yet: use Reply, or edit it.</source>
        <translation>Le dernier message n’a pas encore de réponse&#xa0;: utilisez «&#xa0;Répondre&#xa0;» ou modifiez-le.</translation>
    </message>
    <message>
        <source>The message could not be saved: %1</source>
        <translation>Le message n’a pas pu être enregistré&#xa0;: %1</translation>
    </message>
    <message>
        <source>Rebuilding this conversation&apos;s model state from its transcript (%1).</source>
        <translation>Reconstruction de l’état du modèle de cette conversation à partir de sa transcription (%1).</translation>
    </message>
    <message>
        <source>The reply could not be saved: %1. It stays here and will be saved as soon as the disk allows.</source>
        <translation>La réponse n’a pas pu être enregistrée&#xa0;: %1. Elle reste ici et sera enregistrée dès que le disque le permettra.</translation>
    </message>
    <message>
        <source>The conversation&apos;s state could not be saved (%1); it will be rebuilt when needed.</source>
        <translation>L’état de la conversation n’a pas pu être enregistré (%1)&#xa0;; il sera reconstruit si nécessaire.</translation>
    </message>
    <message>
        <source>The reply failed: %1</source>
        <translation>La réponse a échoué&#xa0;: %1</translation>
    </message>
</context>
<context>
    <name>Sidebar</name>
    <message>
        <source>New chat</source>
        <translation>Nouvelle discussion</translation>
    </message>
    <message>
        <source>Search chats (Ctrl+F)</source>
        <translation>Rechercher des discussions (Ctrl+F)</translation>
    </message>
    <message>
        <source>No chat matches</source>
        <translation>Aucune discussion ne correspond</translation>
    </message>
    <message>
        <source>No chats yet</source>
        <translation>Aucune discussion pour l’instant</translation>
    </message>
    <message>
        <source>Chat deleted</source>
        <translation>Discussion supprimée</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Rename chat</source>
        <translation>Renommer la discussion</translation>
    </message>
    <message>
        <source>Importing…</source>
        <translation>Importation…</translation>
    </message>
    <message>
        <source>Import chat…</source>
        <translation>Importer une discussion…</translation>
    </message>
    <message>
        <source>Add a chat exported as a .rgchat file, from this computer or another</source>
        <translation>Ajouter une discussion exportée en fichier .rgchat, depuis cet ordinateur ou un autre</translation>
    </message>
</context>
<context>
    <name>StartingPoints</name>
    <message>
        <source>A starting point is saved at a reply; there is no reply %1.</source>
        <translation>Un point de départ s’enregistre sur une réponse&#xa0;; il n’y a pas de réponse %1.</translation>
    </message>
    <message>
        <source>The state after this reply was not saved; send a message to save it first.</source>
        <translation>L’état après cette réponse n’a pas été enregistré&#xa0;; envoyez d’abord un message pour l’enregistrer.</translation>
    </message>
    <message>
        <source>The starting point could not be saved: %1</source>
        <translation>Le point de départ n’a pas pu être enregistré&#xa0;: %1</translation>
    </message>
    <message>
        <source>No starting point %1.</source>
        <translation>Il n’y a pas de point de départ %1.</translation>
    </message>
    <message>
        <source>The starting point “%1” is damaged: %2</source>
        <translation>Le point de départ «&#xa0;%1&#xa0;» est endommagé&#xa0;: %2</translation>
    </message>
    <message>
        <source>The chat could not be created: %1</source>
        <translation>La discussion n’a pas pu être créée&#xa0;: %1</translation>
    </message>
</context>
<context>
    <name>StatusBar</name>
    <message>
        <source>Generating… %1 tokens/s</source>
        <translation>Génération… %1 jetons/s</translation>
    </message>
    <message numerus="yes">
        <source>%n token(s) in this conversation</source>
        <translation>
            <numerusform>%n jeton dans cette conversation</numerusform>
            <numerusform>%n jetons dans cette conversation</numerusform>
        </translation>
    </message>
    <message>
        <source>State: %1 in memory, %2 on disk — fixed, however long the chat</source>
        <translation>État&#xa0;: %1 en mémoire, %2 sur le disque — fixe, quelle que soit la longueur de la discussion</translation>
    </message>
    <message>
        <source>Reading the prompt… %1 of %2 tokens (%3%)</source>
        <translation>Lecture du message… %1 sur %2 jetons (%3 %)</translation>
    </message>
    <message>
        <source>Reading the prompt… %1 of %2 tokens (%3%), about %4 left</source>
        <translation>Lecture du message… %1 sur %2 jetons (%3 %), encore environ %4</translation>
    </message>
    <message numerus="yes">
        <source>%n byte(s)</source>
        <translation>
            <numerusform>%n octet</numerusform>
            <numerusform>%n octets</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n second(s)</source>
        <translation>
            <numerusform>%n seconde</numerusform>
            <numerusform>%n secondes</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n minute(s)</source>
        <translation>
            <numerusform>%n minute</numerusform>
            <numerusform>%n minutes</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SystemPromptBar</name>
    <message>
        <source>System prompt: %1</source>
        <translation>Prompt système&#xa0;: %1</translation>
    </message>
    <message>
        <source>System prompt (none)</source>
        <translation>Prompt système (aucun)</translation>
    </message>
    <message>
        <source>Instructions for this chat, applied to its first message.</source>
        <translation>Instructions pour cette discussion, appliquées à son premier message.</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Open the Hugging Face RecurrentGemma checkpoint in &lt;dir&gt;.</source>
        <translation>Ouvrir le checkpoint RecurrentGemma de Hugging Face du dossier &lt;dossier&gt;.</translation>
    </message>
    <message>
        <source>dir</source>
        <translation>dossier</translation>
    </message>
    <message>
        <source>Quit &lt;ms&gt; milliseconds after the window opens (for tests).</source>
        <translation>Quitter &lt;ms&gt; millisecondes après l’ouverture de la fenêtre (pour les tests).</translation>
    </message>
    <message>
        <source>ms</source>
        <translation>ms</translation>
    </message>
    <message>
        <source>Chat with RecurrentGemma on your CPU.

Conversations and their model states are kept in $XDG_DATA_HOME/recurrent-chat (by default ~/.local/share/recurrent-chat), settings in $XDG_CONFIG_HOME/recurrent-chat/settings.ini. One instance runs per user: starting it again brings its window to the front.</source>
        <translation>Discutez avec RecurrentGemma sur votre processeur.

Les conversations et les états de leur modèle sont conservés dans $XDG_DATA_HOME/recurrent-chat (par défaut ~/.local/share/recurrent-chat), les réglages dans $XDG_CONFIG_HOME/recurrent-chat/settings.ini. Une seule instance s’exécute par utilisateur&#xa0;: la relancer fait passer sa fenêtre au premier plan.</translation>
    </message>
    <message>
        <source>--quit-after-ms needs a number of milliseconds.</source>
        <translation>--quit-after-ms attend un nombre de millisecondes.</translation>
    </message>
    <message>
        <source>Recurrent Chat is already running; its window was brought to the front.</source>
        <translation>Recurrent Chat est déjà en cours d’exécution&#xa0;; sa fenêtre a été mise au premier plan.</translation>
    </message>
    <message>
        <source>Recurrent Chat is already running (process %1).</source>
        <translation>Recurrent Chat est déjà en cours d’exécution (processus %1).</translation>
    </message>
    <message>
        <source>List the chats: id, date of the last change, title.</source>
        <translation>Lister les discussions&#xa0;: identifiant, date de la dernière modification, titre.</translation>
    </message>
    <message>
        <source>Export chat &lt;id&gt; (see --list-chats) to the file --out names.</source>
        <translation>Exporter la discussion &lt;id&gt; (voir --list-chats) dans le fichier indiqué par --out.</translation>
    </message>
    <message>
        <source>id</source>
        <translation>id</translation>
    </message>
    <message>
        <source>Export every chat into the folder --out names, one file each.</source>
        <translation>Exporter toutes les discussions dans le dossier indiqué par --out, un fichier chacune.</translation>
    </message>
    <message>
        <source>Export format: rgchat (everything, with the model state), md or json (the transcript). Default: rgchat.</source>
        <translation>Format d’export&#xa0;: rgchat (tout, avec l’état du modèle), md ou json (la transcription). Par défaut&#xa0;: rgchat.</translation>
    </message>
    <message>
        <source>format</source>
        <translation>format</translation>
    </message>
    <message>
        <source>The file or folder an export writes.</source>
        <translation>Le fichier ou le dossier qu’écrit un export.</translation>
    </message>
    <message>
        <source>path</source>
        <translation>chemin</translation>
    </message>
    <message>
        <source>Import a .rgchat conversation file as a new chat.</source>
        <translation>Importer un fichier de conversation .rgchat comme nouvelle discussion.</translation>
    </message>
    <message>
        <source>file</source>
        <translation>fichier</translation>
    </message>
    <message>
        <source>Give one of --list-chats, --export-chat, --export-all and --import at a time.</source>
        <translation>Indiquez une seule option parmi --list-chats, --export-chat, --export-all et --import à la fois.</translation>
    </message>
    <message>
        <source>Unknown format “%1”: use rgchat, md or json.</source>
        <translation>Format «&#xa0;%1&#xa0;» inconnu&#xa0;: utilisez rgchat, md ou json.</translation>
    </message>
    <message>
        <source>Say where to export with --out.</source>
        <translation>Indiquez avec --out où exporter.</translation>
    </message>
    <message>
        <source>--export-chat needs a chat&apos;s id (see --list-chats).</source>
        <translation>--export-chat attend l’identifiant d’une discussion (voir --list-chats).</translation>
    </message>
    <message>
        <source>Recurrent Chat is running (process %1) but did not answer; try again when it has finished what it is doing.</source>
        <translation>Recurrent Chat est en cours d’exécution (processus %1) mais n’a pas répondu&#xa0;; réessayez quand il aura terminé ce qu’il fait.</translation>
    </message>
</context>
</TS>
