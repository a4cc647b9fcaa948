// net/server/backend_messages.h — what a CompletionBackend over another program's model (the app's window) tells
// clients when it cannot serve, in English like every message of the API (clients show them as they are).
#pragma once

namespace rcserver::backend_messages {

// status() Failed: no model is loaded where the backend takes it from.
inline constexpr char kNoModel[] = "no model is open; open one in the app that serves this API";
// status() Failed: the model was loaded without a tokenizer the server's thread can use.
inline constexpr char kNoTokenizer[] = "the loaded model offers no tokenizer to the server";
// A job's outcome: the model changed while the job waited (its prompt was tokenized for the one before).
inline constexpr char kModelSwitched[] = "the model was switched while this request waited; send it again";
// A job's outcome: no model was loaded by its turn.
inline constexpr char kModelGone[] = "no model is loaded";

}  // namespace rcserver::backend_messages
