// engine/src/recurrent_block.cpp — (being written)
