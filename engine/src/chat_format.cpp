// engine/src/chat_format.cpp — (being written)
