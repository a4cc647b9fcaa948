#!/bin/sh
# Trains the demo model's sentencepiece tokenizer with the Gemma special-token layout:
# <pad>=0 <eos>=1 <bos>=2 <unk>=3, then <start_of_turn>=4 <end_of_turn>=5 (user-defined: matched inside text),
# byte fallback, digits split one per piece, identity normalization, no dummy prefix (like Gemma's).
# usage: train_tokenizer.sh CORPUS OUT_PREFIX [VOCAB_SIZE]
set -eu
corpus=$1
prefix=$2
vocab=${3:-4000}
spm_train --input="$corpus" --model_prefix="$prefix" --model_type=bpe --vocab_size="$vocab" \
    --character_coverage=1.0 --byte_fallback=true --split_digits=true \
    --normalization_rule_name=identity --add_dummy_prefix=false --remove_extra_whitespaces=false \
    --pad_id=0 --eos_id=1 --bos_id=2 --unk_id=3 \
    --pad_piece='<pad>' --eos_piece='<eos>' --bos_piece='<bos>' --unk_piece='<unk>' \
    --user_defined_symbols='<start_of_turn>,<end_of_turn>' \
    --input_sentence_size=2000000 --shuffle_input_sentence=false --num_threads=1 \
    --minloglevel=1
