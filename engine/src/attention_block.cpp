// engine/src/attention_block.cpp — (being written)
