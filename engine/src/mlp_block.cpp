// engine/src/mlp_block.cpp — (being written)
