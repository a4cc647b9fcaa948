// cmd_chat.cpp — (being written)
