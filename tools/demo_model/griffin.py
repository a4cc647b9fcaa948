"""Griffin (RecurrentGemma) forward pass in torch f32 for training the demo model.

Same function as the official reference (google-deepmind/recurrentgemma torch/, see
/work/shared/REFERENCE_MATH.md): W+1-key local attention window, RMSNorm with (1 + scale), bf16-rounded
sqrt(D) embedding scale, -8*softplus RG-LRU with reset at position 0, conv taps w[3] = current token,
logit soft cap. Parameters use the Hugging Face tensor names so export is a plain state_dict dump.
Training always starts each row at position 0 with zero state, which the code relies on.
"""
import json
import math
import struct

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


class Config:
    def __init__(self, d):
        self.vocab_size = d["vocab_size"]
        self.hidden_size = d["hidden_size"]
        self.lru_width = d.get("lru_width") or self.hidden_size
        self.num_heads = d["num_attention_heads"]
        self.head_dim = d.get("head_dim") or self.hidden_size // self.num_heads
        self.mlp_width = d["intermediate_size"] // 2  # HF stores 2*F
        self.num_layers = d["num_hidden_layers"]
        pattern = d.get("block_types") or d.get("_block_types")
        self.block_types = [pattern[i % len(pattern)] for i in range(self.num_layers)]
        self.window = d["attention_window_size"]
        self.soft_cap = d.get("logits_soft_cap", 30.0)
        self.eps = d.get("rms_norm_eps", 1e-6)
        self.rope_theta = d.get("rope_theta", 10000.0)
        self.conv_width = d.get("conv1d_width", 4)


def rms_norm(x, scale, eps):
    # ref: torch/layers.py RMSNorm — eps inside rsqrt, multiplier 1 + scale
    return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps) * (1.0 + scale)


def gelu(x):
    return F.gelu(x, approximate="tanh")


class RMSNorm(nn.Module):
    def __init__(self, dim, eps):
        super().__init__()
        self.weight = nn.Parameter(torch.zeros(dim))
        self.eps = eps

    def forward(self, x):
        return rms_norm(x, self.weight, self.eps)


class RGLRU(nn.Module):
    """ref: torch/layers.py RGLRU (block-diagonal gates used as x @ W[h])."""

    def __init__(self, lru, heads):
        super().__init__()
        bw = lru // heads
        self.heads = heads
        self.recurrent_param = nn.Parameter(torch.zeros(lru))
        self.input_gate_weight = nn.Parameter(torch.zeros(heads, bw, bw))
        self.input_gate_bias = nn.Parameter(torch.zeros(heads, bw))
        self.recurrent_gate_weight = nn.Parameter(torch.zeros(heads, bw, bw))
        self.recurrent_gate_bias = nn.Parameter(torch.zeros(heads, bw))

    def _gate(self, x, w, b):
        B, T, _ = x.shape
        xh = x.view(B, T, self.heads, -1)
        return torch.sigmoid(torch.einsum("bthi,hij->bthj", xh, w) + b).reshape(B, T, -1)

    def forward(self, x, exact_scan=False):  # x [B, T, lru], positions 0..T-1
        gx = self._gate(x, self.input_gate_weight, self.input_gate_bias)
        ga = self._gate(x, self.recurrent_gate_weight, self.recurrent_gate_bias)
        log_a = -8.0 * ga * F.softplus(self.recurrent_param)
        mult = torch.sqrt(-torch.expm1(2.0 * log_a))  # sqrt(1 - a^2)
        mult = torch.cat([torch.ones_like(mult[:, :1]), mult[:, 1:]], dim=1)  # reset at pos 0
        xt = x * gx * mult
        if exact_scan:
            return sequential_scan(log_a, xt)
        return chunked_scan(log_a, xt)


def sequential_scan(log_a, x):
    # h_t = a_t h_{t-1} + x_t with h_{-1} = 0 (so a_0 is irrelevant: the reset at pos 0)
    h = torch.zeros_like(x[:, 0])
    out = []
    a = torch.exp(log_a)
    for t in range(x.shape[1]):
        h = a[:, t] * h + x[:, t]
        out.append(h)
    return torch.stack(out, dim=1)


def chunked_scan(log_a, x, chunk=8):
    """Same recurrence, parallel inside chunks: h_t = sum_{s<=t} exp(c_t - c_s) x_s (+ carry)."""
    B, T, N = x.shape
    outs = []
    h = x.new_zeros(B, N)
    for s0 in range(0, T, chunk):
        la = log_a[:, s0:s0 + chunk]
        xc = x[:, s0:s0 + chunk]
        C = la.shape[1]
        cum = torch.cumsum(la, dim=1)  # [B, C, N]
        diff = cum[:, :, None, :] - cum[:, None, :, :]  # [B, t, s, N] = sum_{r=s+1..t} log a_r
        mask = torch.tril(torch.ones(C, C, dtype=torch.bool, device=x.device))[None, :, :, None]
        w = torch.exp(torch.where(mask, diff, torch.full_like(diff, -1e30)))
        hc = torch.einsum("btsn,bsn->btn", w, xc) + torch.exp(cum) * h[:, None, :]
        outs.append(hc)
        h = hc[:, -1]
    return torch.cat(outs, dim=1)


class RecurrentBlock(nn.Module):
    """ref: torch/modules.py RecurrentBlock."""

    def __init__(self, cfg):
        super().__init__()
        D, L = cfg.hidden_size, cfg.lru_width
        self.linear_y = nn.Linear(D, L)
        self.linear_x = nn.Linear(D, L)
        self.linear_out = nn.Linear(L, D)
        self.conv_1d = nn.Conv1d(L, L, cfg.conv_width, groups=L, padding=cfg.conv_width - 1)
        self.rg_lru = RGLRU(L, cfg.num_heads)

    def forward(self, h, exact_scan=False):
        T = h.shape[1]
        y = gelu(self.linear_y(h))
        u = self.linear_x(h)
        # HF layout weight[c, 0, k]; k = 3 multiplies the current token (first T outputs of padded conv)
        u = self.conv_1d(u.transpose(1, 2))[:, :, :T].transpose(1, 2)
        u = self.rg_lru(u, exact_scan)
        return self.linear_out(u * y)


def rope(x, pos, theta):
    # ref: torch/modules.py _apply_rope — first half of head_dim rotated, pairs (j, j + r/2)
    hd = x.shape[-1]
    r = hd // 2
    freq = 1.0 / theta ** (torch.arange(0, r // 2, dtype=torch.float32) * 2.0 / r)
    ang = pos.float()[:, None] * freq[None, :]  # [T, r/2]
    sin, cos = torch.sin(ang)[:, None, :], torch.cos(ang)[:, None, :]  # broadcast over heads
    x1, x2, rest = x[..., : r // 2], x[..., r // 2 : r], x[..., r:]
    return torch.cat([x1 * cos - x2 * sin, x2 * cos + x1 * sin, rest], dim=-1)


class AttentionBlock(nn.Module):
    """ref: torch/modules.py LocalAttentionBlock — MQA, keys visible iff s <= t and t - s <= W."""

    def __init__(self, cfg):
        super().__init__()
        D, hd = cfg.hidden_size, cfg.head_dim
        self.cfg = cfg
        self.q_proj = nn.Linear(D, cfg.num_heads * hd, bias=False)
        self.k_proj = nn.Linear(D, hd, bias=False)
        self.v_proj = nn.Linear(D, hd, bias=False)
        self.o_proj = nn.Linear(cfg.num_heads * hd, D, bias=True)

    def forward(self, h):
        B, T, _ = h.shape
        cfg = self.cfg
        pos = torch.arange(T)
        q = rope(self.q_proj(h).view(B, T, cfg.num_heads, cfg.head_dim), pos, cfg.rope_theta)
        k = rope(self.k_proj(h).view(B, T, 1, cfg.head_dim), pos, cfg.rope_theta)[:, :, 0]
        v = self.v_proj(h)
        scores = torch.einsum("btnd,bsd->bnts", q, k) * cfg.head_dim ** -0.5
        t, s = pos[:, None], pos[None, :]
        visible = (s <= t) & (t - s <= cfg.window)
        scores = scores.masked_fill(~visible, -2.3819763e38)
        p = torch.softmax(scores, dim=-1)
        o = torch.einsum("bnts,bsd->btnd", p, v).reshape(B, T, -1)
        return self.o_proj(o)


class MLP(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        D, Fw = cfg.hidden_size, cfg.mlp_width
        self.gate_proj = nn.Linear(D, Fw)
        self.up_proj = nn.Linear(D, Fw)
        self.down_proj = nn.Linear(Fw, D)

    def forward(self, h):
        return self.down_proj(gelu(self.gate_proj(h)) * self.up_proj(h))


class ResidualBlock(nn.Module):
    def __init__(self, cfg, kind):
        super().__init__()
        self.kind = kind
        self.temporal_pre_norm = RMSNorm(cfg.hidden_size, cfg.eps)
        self.temporal_block = RecurrentBlock(cfg) if kind == "recurrent" else AttentionBlock(cfg)
        self.channel_pre_norm = RMSNorm(cfg.hidden_size, cfg.eps)
        self.mlp_block = MLP(cfg)

    def forward(self, x, exact_scan=False):
        h = self.temporal_pre_norm(x)
        if self.kind == "recurrent":
            x = x + self.temporal_block(h, exact_scan)
        else:
            x = x + self.temporal_block(h)
        return x + self.mlp_block(self.channel_pre_norm(x))


class GriffinModel(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.embed_tokens = nn.Embedding(cfg.vocab_size, cfg.hidden_size)
        self.layers = nn.ModuleList([ResidualBlock(cfg, k) for k in cfg.block_types])
        self.final_norm = RMSNorm(cfg.hidden_size, cfg.eps)


class Griffin(nn.Module):
    """Top level; parameter names are the HF names (model.embed_tokens.weight, ...)."""

    def __init__(self, cfg):
        super().__init__()
        self.cfg = cfg
        self.model = GriffinModel(cfg)
        # ref: torch/modules.py Embedder — scale is sqrt(D) rounded to bf16
        self.embed_scale = float(torch.tensor(math.sqrt(cfg.hidden_size)).to(torch.bfloat16).float())

    def forward(self, ids, exact_scan=False):  # ids [B, T], positions 0..T-1 -> logits [B, T, V]
        return self.logits(self.hidden(ids, exact_scan))

    def hidden(self, ids, exact_scan=False):  # final-normed residual stream [B, T, D]
        x = self.model.embed_tokens(ids) * self.embed_scale
        for layer in self.model.layers:
            x = layer(x, exact_scan)
        return self.model.final_norm(x)

    def logits(self, x):  # tied output layer + soft cap
        logits = x @ self.model.embed_tokens.weight.t()
        c = self.cfg.soft_cap
        return c * torch.tanh(logits / c) if c else logits

    def init_weights(self, seed):
        """Small-model init in the spirit of the official one (lecun-normal linears, zero norms)."""
        g = torch.Generator().manual_seed(seed)
        for name, p in self.named_parameters():
            with torch.no_grad():
                if name.endswith("norm.weight") or name.endswith("bias"):
                    p.zero_()
                elif "embed_tokens" in name:
                    p.normal_(0.0, 1.0 / math.sqrt(self.cfg.hidden_size), generator=g)
                elif "recurrent_param" in name:
                    # softplus(param) chosen so that a = exp(-8 softplus) lies in [0.9, 0.999], like the official init
                    a = torch.empty_like(p).uniform_(0.9 ** 2, 0.999 ** 2, generator=g)
                    sp = -0.5 * torch.log(a) / 8.0
                    p.copy_(torch.log(torch.expm1(sp)))
                elif "gate_weight" in name:
                    p.normal_(0.0, 1.0 / math.sqrt(p.shape[-2]), generator=g)
                elif "conv_1d.weight" in name:
                    p.normal_(0.0, 1.0 / math.sqrt(p.shape[-1]), generator=g)
                else:  # nn.Linear [out, in]
                    std = 1.0 / math.sqrt(p.shape[1])
                    if name.endswith(("linear_out.weight", "o_proj.weight", "down_proj.weight")):
                        std /= math.sqrt(2 * self.cfg.num_layers)
                    p.normal_(0.0, std, generator=g)


# ---- safetensors I/O (no extra Python dependency) ----

_DT = {"F32": np.float32, "F16": np.float16}


def load_safetensors(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for name, meta in header.items():
        if name == "__metadata__":
            continue
        b, e = meta["data_offsets"]
        raw = data[b:e]
        if meta["dtype"] == "BF16":
            arr = (np.frombuffer(raw, dtype=np.uint16).astype(np.uint32) << 16).view(np.float32)
        else:
            arr = np.frombuffer(raw, dtype=_DT[meta["dtype"]]).astype(np.float32)
        out[name] = torch.from_numpy(arr.reshape(meta["shape"]).copy())
    return out


def save_safetensors(path, tensors):
    header, blobs, off = {}, [], 0
    for name in sorted(tensors):
        arr = tensors[name].detach().cpu().float().contiguous().numpy().astype("<f4")
        raw = arr.tobytes()
        header[name] = {"dtype": "F32", "shape": list(arr.shape), "data_offsets": [off, off + len(raw)]}
        blobs.append(raw)
        off += len(raw)
    hb = json.dumps(header, separators=(",", ":")).encode()
    hb += b" " * (-len(hb) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(hb)))
        f.write(hb)
        for raw in blobs:
            f.write(raw)


def load_model(folder):
    with open(f"{folder}/config.json") as f:
        cfg = Config(json.load(f))
    model = Griffin(cfg)
    sd = load_safetensors(f"{folder}/model.safetensors")
    missing, unexpected = model.load_state_dict(sd, strict=False)
    assert not unexpected, unexpected
    assert not missing, missing
    return model
