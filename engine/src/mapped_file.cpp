// engine/src/mapped_file.cpp — (being written)
