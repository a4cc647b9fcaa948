// chat_engine.cpp — ChatEngine's constructor: the types its signals carry are registered for queued connections.
#include "chat_engine.h"

ChatEngine::ChatEngine(QObject* parent) : QObject(parent) { registerEngineTypes(); }
