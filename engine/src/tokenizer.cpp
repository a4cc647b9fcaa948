// engine/src/tokenizer.cpp — (being written)
