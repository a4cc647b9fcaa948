// cmd_logits.cpp — (being written)
