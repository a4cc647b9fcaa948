// engine_types.cpp — metatype registration of the engine's structs and the translated text of engine errors.
#include "engine_types.h"

#include <QCoreApplication>

#include "chat_engine.h"

void registerEngineTypes() {
    qRegisterMetaType<LoadedModelInfo>();
    qRegisterMetaType<GenerationRequest>();
    qRegisterMetaType<GenerationResult>();
    qRegisterMetaType<ServerStateSettings>();
    qRegisterMetaType<rcserver::CompletionJob>();
    qRegisterMetaType<rcserver::CompletionOutcome>();
    qRegisterMetaType<std::shared_ptr<rcserver::JobControl>>();
}

QString engineErrorText(const rgemma::Error& error) {
    // The context is spelled out in every call: lupdate reads only literal contexts.
    QString summary;
    switch (error.code) {
        case rgemma::ErrorCode::Io:
            summary = QCoreApplication::translate("EngineError", "A file could not be read or written.");
            break;
        case rgemma::ErrorCode::InvalidCheckpoint:
            summary = QCoreApplication::translate("EngineError", "The model's weight files are damaged or incomplete.");
            break;
        case rgemma::ErrorCode::InvalidConfig:
            summary = QCoreApplication::translate("EngineError", "The model's config.json is invalid.");
            break;
        case rgemma::ErrorCode::InvalidTokenizer:
            summary = QCoreApplication::translate("EngineError", "The model's tokenizer could not be loaded.");
            break;
        case rgemma::ErrorCode::InvalidArgument:
            summary = QCoreApplication::translate("EngineError", "The request was invalid.");
            break;
        case rgemma::ErrorCode::InvalidState:
            summary = QCoreApplication::translate("EngineError", "The saved conversation state is unusable.");
            break;
        case rgemma::ErrorCode::Cancelled:
            summary = QCoreApplication::translate("EngineError", "Stopped.");
            break;
    }
    if (error.message.empty()) return summary;
    //: %1 is a summary sentence, %2 the technical detail (a file name, a tensor, an offset), in English
    return QCoreApplication::translate("EngineError", "%1 (%2)").arg(summary, QString::fromStdString(error.message));
}
