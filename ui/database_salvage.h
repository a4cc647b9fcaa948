// database_salvage.h — reading what a damaged conversation database still yields, row by row, into a new one:
// conversations with their message trees, and starting points. Used once, when DataFolder sets a damaged file aside.
#pragma once

#include <QString>

class ConversationStore;

struct SalvageReport {
    int conversations = 0;  // conversations written to the new database (those whose row was lost included)
    int messages = 0;
    int startingPoints = 0;
};

// Opens `damagedPath` read only (it stays byte-identical, its WAL included) and copies every live conversation,
// message and starting point SQLite can still read into `into`. Rows on damaged pages are skipped; a message whose
// parent was lost becomes a root of its conversation (and loses its state reference: the state belongs to a
// history that is no longer whole); messages whose conversation row was lost are gathered in a "Recovered chat".
// Nothing readable (no schema, garbage) is an empty report, not an error.
SalvageReport salvageDatabase(const QString& damagedPath, ConversationStore& into);
