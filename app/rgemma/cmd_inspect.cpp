// cmd_inspect.cpp — (being written)
