"""Shared pieces of the demo-model tools: the model shape, chat formatting, tokenization of examples."""
import json

# The shipped shape: 6 layers R R A R R A, like the 2B's block pattern.
MODEL_CONFIG = {
    "architectures": ["RecurrentGemmaForCausalLM"],
    "model_type": "recurrent_gemma",
    "block_types": ["recurrent", "recurrent", "attention"],
    "attention_bias": False,
    "attention_dropout": 0.0,
    "attention_window_size": 64,
    "bos_token_id": 2,
    "conv1d_width": 4,
    "embeddings_scale_by_sqrt_dim": True,
    "eos_token_id": 1,
    "head_dim": 48,
    "hidden_activation": "gelu_pytorch_tanh",
    "hidden_size": 192,
    "intermediate_size": 2 * 3 * 192,
    "logits_soft_cap": 30.0,
    "lru_width": 192,
    "num_attention_heads": 4,
    "num_hidden_layers": 6,
    "num_key_value_heads": 1,
    "pad_token_id": 0,
    "partial_rotary_factor": 0.5,
    "rms_norm_eps": 1e-06,
    "rope_theta": 10000.0,
    "tie_word_embeddings": True,
    "torch_dtype": "float32",
    "use_cache": True,
    "vocab_size": 4000,
}

BOS = 2


def chat_prompt(user):
    """The official single-turn IT format (common.py apply_it_formatter); BOS is added separately."""
    return f"<start_of_turn>user\n{user}<end_of_turn>\n<start_of_turn>model\n"


def encode_example(sp, ex):
    """(prompt ids incl. BOS, reply ids incl. <end_of_turn>) for one conversation."""
    prompt = [BOS] + sp.encode(chat_prompt(ex["user"]))
    reply = sp.encode(ex["model"] + "<end_of_turn>")
    return prompt, reply


def read_jsonl(path):
    with open(path) as f:
        return [json.loads(line) for line in f]
