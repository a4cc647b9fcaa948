// cmd_generate.cpp — (being written)
