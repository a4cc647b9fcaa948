"""Fake-quantizes a checkpoint to 4 bits (quantize, then dequantize) and writes it back as an F32 checkpoint, so that
any 4-bit scheme can be measured with the unchanged engine (`rgemma compare`, `rgemma generate`) before it is built.

usage: fake_quantize.py SRC_DIR OUT_DIR SCHEME [--embedding int8|same] [--keep-int8 PREFIX,...]
SCHEME (every 2-D "*.weight" tensor, as `rgemma quantize --to int8` chooses them; blocks along each row):
  q4_0        blocks of 32, one scale, levels -8..7: d = m / -8 with m the value of largest |x| (llama.cpp Q4_0)
  q4_0s       the same levels with the scale searched to minimise sum x^2 (x - d q)^2 (llama.cpp make_qx_quants)
  q4_1        blocks of 32, scale and min, levels 0..15: d = (max - min) / 15 (llama.cpp Q4_1)
  q4_1s       the same with scale and min searched (llama.cpp make_qkx2_quants, weights av|x| + |x|)
  q4_k        super-blocks of 8 sub-blocks of 32 (256 values; a row's last one may be shorter): per sub-block a
              scale and a min (x ~ d·sc·q - dmin·m, q 0..15), sc and m 6-bit integers relative to the super-block's
              f16 d and dmin (llama.cpp Q4_K); sub-block scale and min from the block's range
  q4_ks       the same with each sub-block's scale and min searched (make_qkx2_quants, as llama.cpp's Q4_K does; the
              grid stays on the block's range): the scheme chosen, engine/src/kernels/q4_format.cpp quantizeQ4Row
  q4_kr       q4_ks's candidates judged by the error left after re-rounding, then least-squares refits
  q4_krn      q4_kr, then each sub-block's 6-bit scale and min re-chosen among their neighbours (±2)
  int8        blocks of 32, absmax / 127, f32 scales: exactly `rgemma quantize --to int8`
Scales stored as f16 in the 4-bit schemes are rounded to f16 here too. --embedding int8 keeps the tied
embedding/output matrix at int8 ("mixed", as Q4_K_M keeps its output layer at 6 bits); --keep-int8 also the
tensors whose names start with one of the prefixes (model.layers.0.: the first layer).
Also prints the bits per weight of the scheme's storage. Needs numpy only.
"""
import json
import os
import shutil
import struct
import sys

import numpy as np

DTYPES = {"F32": np.float32, "F16": np.float16, "BF16": None}


def read_safetensors(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        a, b = info["data_offsets"]
        raw = data[a:b]
        if info["dtype"] == "BF16":
            u = np.frombuffer(raw, dtype=np.uint16).astype(np.uint32) << 16
            arr = u.view(np.float32)
        else:
            arr = np.frombuffer(raw, dtype=DTYPES[info["dtype"]]).astype(np.float32)
        out[name] = arr.reshape(info["shape"])
    return out


def write_safetensors(path, tensors):
    header, offset, blobs = {}, 0, []
    for name in sorted(tensors):
        blob = np.ascontiguousarray(tensors[name], dtype=np.float32).tobytes()
        header[name] = {"dtype": "F32", "shape": list(tensors[name].shape), "data_offsets": [offset, offset + len(blob)]}
        offset += len(blob)
        blobs.append(blob)
    text = json.dumps(header, separators=(",", ":"))
    text += " " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text.encode())
        for blob in blobs:
            f.write(blob)


def f16(x):
    return np.asarray(x, dtype=np.float32).astype(np.float16).astype(np.float32)


def nearest(x):
    return np.rint(x)  # round half to even, as nearbyint in the engine


def blocks_of(row_matrix, size):
    """[rows, in] -> [rows, nblocks, size] zero-padded, and the mask of real values."""
    rows, n = row_matrix.shape
    nb = -(-n // size)
    padded = np.zeros((rows, nb * size), dtype=np.float32)
    padded[:, :n] = row_matrix
    mask = np.zeros((rows, nb * size), dtype=bool)
    mask[:, :n] = True
    return padded.reshape(rows, nb, size), mask.reshape(rows, nb, size)


# ---- Q4_0: symmetric, levels -8..7 -------------------------------------------------------------------------------

def q4_0(x, mask, search):
    """x [..., 32] -> dequantized; d = m / -8 (m the signed value of largest |x|), or searched."""
    ax = np.abs(x)
    idx = np.argmax(ax, axis=-1)
    m = np.take_along_axis(x, idx[..., None], axis=-1)[..., 0]
    safe = np.where(m == 0, 1.0, m)
    if not search:
        d = f16(m / -8.0)
        inv = np.where(d == 0, 0.0, 1.0 / np.where(d == 0, 1.0, d))
        q = np.clip(nearest(x * inv[..., None]), -8, 7)
        return q * d[..., None]
    w = x * x * mask  # make_qx_quants rmse_type 1
    best_score = np.full(m.shape, -np.inf)
    best_scale = np.zeros(m.shape, dtype=np.float32)
    for i_s in range(-9, 10):  # iscale = -(8 + 0.1 is) / m; is = 0 is the plain one
        iscale = -(8.0 + 0.1 * i_s) / safe
        q = np.clip(nearest(x * iscale[..., None]), -8, 7)
        sumlx = np.sum(w * x * q, axis=-1)
        suml2 = np.sum(w * q * q, axis=-1)
        ok = suml2 > 0
        score = np.where(ok, sumlx * sumlx / np.where(ok, suml2, 1.0), -np.inf)
        better = score > best_score
        best_score = np.where(better, score, best_score)
        best_scale = np.where(better, sumlx / np.where(ok, suml2, 1.0), best_scale)
    d = f16(best_scale)
    inv = np.where(d == 0, 0.0, 1.0 / np.where(d == 0, 1.0, d))
    q = np.clip(nearest(x * inv[..., None]), -8, 7)
    return q * d[..., None]


# ---- scale and min (Q4_1, Q4_K sub-blocks) ------------------------------------------------------------------------

def range_scale_min(x, mask, clamp_min):
    big = np.where(mask, x, -np.inf).max(axis=-1)
    small = np.where(mask, x, np.inf).min(axis=-1)
    if clamp_min:
        small = np.minimum(small, 0.0)
    scale = np.where(big > small, (big - small) / 15.0, 0.0)
    return scale.astype(np.float32), small.astype(np.float32)


def searched_scale_min(x, mask, clamp_min, rmin=-1.0, rdelta=0.1, nstep=20):
    """make_qkx2_quants: weighted least squares over candidate grids; returns (scale, min) with x ~ scale q + min."""
    big = np.where(mask, x, -np.inf).max(axis=-1)
    small = np.where(mask, x, np.inf).min(axis=-1)
    if clamp_min:
        small = np.minimum(small, 0.0)
    n = mask.sum(axis=-1)
    av = np.sqrt(np.sum(x * x * mask, axis=-1) / np.maximum(n, 1))
    w = (av[..., None] + np.abs(x)) * mask
    span = np.where(big > small, big - small, 1.0)
    scale = np.where(big > small, span / 15.0, 0.0)
    mn = small.copy()
    q = np.clip(nearest((x - mn[..., None]) / np.where(scale > 0, scale, 1.0)[..., None]), 0, 15)
    best = np.sum(w * (scale[..., None] * q + mn[..., None] - x) ** 2, axis=-1)
    sum_w = w.sum(axis=-1)
    sum_x = (w * x).sum(axis=-1)
    for i_s in range(nstep + 1):
        iscale = (rmin + rdelta * i_s + 15.0) / span
        l = np.clip(nearest(iscale[..., None] * (x - small[..., None])), 0, 15)
        sum_l = (w * l).sum(axis=-1)
        sum_l2 = (w * l * l).sum(axis=-1)
        sum_xl = (w * l * x).sum(axis=-1)
        D = sum_w * sum_l2 - sum_l * sum_l
        ok = D > 0
        Ds = np.where(ok, D, 1.0)
        this_scale = (sum_w * sum_xl - sum_x * sum_l) / Ds
        this_min = (sum_l2 * sum_x - sum_l * sum_xl) / Ds
        if clamp_min:
            pos = this_min > 0
            this_scale = np.where(pos, sum_xl / np.where(sum_l2 > 0, sum_l2, 1.0), this_scale)
            this_min = np.where(pos, 0.0, this_min)
        err = np.sum(w * (this_scale[..., None] * l + this_min[..., None] - x) ** 2, axis=-1)
        better = ok & (err < best) & (big > small)
        best = np.where(better, err, best)
        scale = np.where(better, this_scale, scale)
        mn = np.where(better, this_min, mn)
    return scale.astype(np.float32), mn.astype(np.float32)


def fit_error(x, w, scale, mn):
    """Σ w (scale q + mn - x)² with q the nearest level of x under (scale, mn)."""
    inv = np.where(scale > 0, 1.0 / np.where(scale > 0, scale, 1.0), 0.0)
    q = np.clip(nearest((x - mn[..., None]) * inv[..., None]), 0, 15)
    return np.sum(w * (scale[..., None] * q + mn[..., None] - x) ** 2, axis=-1), q


def search_weights(x, mask):
    n = mask.sum(axis=-1)
    av = np.sqrt(np.sum(x * x * mask, axis=-1) / np.maximum(n, 1))
    return (av[..., None] + np.abs(x)) * mask


def refitted_scale_min(x, mask, rounds=3):
    """searched_scale_min's candidates judged by the error they really leave (levels re-rounded under each fitted
    scale and min), then `rounds` alternations of least-squares refit and re-rounding while the error falls."""
    w = search_weights(x, mask)
    big = np.where(mask, x, -np.inf).max(axis=-1)
    small = np.minimum(np.where(mask, x, np.inf).min(axis=-1), 0.0)
    span = np.where(big > small, big - small, 1.0)
    scale = np.where(big > small, span / 15.0, 0.0).astype(np.float32)
    mn = small.astype(np.float32)
    best, _ = fit_error(x, w, scale, mn)
    sum_w, sum_x = w.sum(axis=-1), (w * x).sum(axis=-1)

    def lsq(l):
        sum_l, sum_l2, sum_xl = (w * l).sum(axis=-1), (w * l * l).sum(axis=-1), (w * l * x).sum(axis=-1)
        D = sum_w * sum_l2 - sum_l * sum_l
        ok = D > 0
        Ds = np.where(ok, D, 1.0)
        s_ = (sum_w * sum_xl - sum_x * sum_l) / Ds
        m_ = (sum_l2 * sum_x - sum_l * sum_xl) / Ds
        pos = m_ > 0
        s_ = np.where(pos, sum_xl / np.where(sum_l2 > 0, sum_l2, 1.0), s_)
        m_ = np.where(pos, 0.0, m_)
        return ok, s_.astype(np.float32), m_.astype(np.float32)

    for i_s in range(21):
        iscale = (-1.0 + 0.1 * i_s + 15.0) / span
        l = np.clip(nearest(iscale[..., None] * (x - small[..., None])), 0, 15)
        ok, s_, m_ = lsq(l)
        err, _ = fit_error(x, w, s_, m_)
        better = ok & (err < best) & (big > small)
        best, scale, mn = np.where(better, err, best), np.where(better, s_, scale), np.where(better, m_, mn)
    for _ in range(rounds):
        _, l = fit_error(x, w, scale, mn)
        ok, s_, m_ = lsq(l)
        err, _ = fit_error(x, w, s_, m_)
        better = ok & (err < best) & (big > small)
        best, scale, mn = np.where(better, err, best), np.where(better, s_, scale), np.where(better, m_, mn)
    return scale, mn


def requantize(x, scale, mn):
    inv = np.where(scale > 0, 1.0 / np.where(scale > 0, scale, 1.0), 0.0)
    q = np.clip(nearest((x - mn[..., None]) * inv[..., None]), 0, 15)
    return q * scale[..., None] + mn[..., None]


def q4_1(x, mask, search):
    scale, mn = (searched_scale_min if search else range_scale_min)(x, mask, clamp_min=False)
    return requantize(x, f16(scale), f16(mn))


def q4_k(rows, search, refit=False, neighbours=False):
    """rows [R, in]: super-blocks of up to 8 sub-blocks of 32 along each row."""
    x, mask = blocks_of(rows, 32)  # [R, nsub, 32]
    if refit:
        scale, mn = refitted_scale_min(x, mask)
    else:
        scale, mn = (searched_scale_min if search else range_scale_min)(x, mask, clamp_min=True)
    neg_min = -mn  # >= 0, stored as dmin · m
    R, nsub = scale.shape
    nsuper = -(-nsub // 8)
    pad = nsuper * 8 - nsub
    s = np.pad(scale, ((0, 0), (0, pad))).reshape(R, nsuper, 8)
    m = np.pad(neg_min, ((0, 0), (0, pad))).reshape(R, nsuper, 8)
    max_s, max_m = s.max(axis=-1), m.max(axis=-1)
    inv_s = np.where(max_s > 0, 63.0 / np.where(max_s > 0, max_s, 1.0), 0.0)
    inv_m = np.where(max_m > 0, 63.0 / np.where(max_m > 0, max_m, 1.0), 0.0)
    ls = np.minimum(63, nearest(inv_s[..., None] * s))
    lm = np.minimum(63, nearest(inv_m[..., None] * m))
    d, dmin = f16(max_s / 63.0), f16(max_m / 63.0)
    if neighbours:
        # The 6-bit integers of each sub-block re-chosen among their neighbours by the error they leave.
        w = search_weights(x, mask)
        ls, lm = ls.reshape(R, -1)[:, :nsub], lm.reshape(R, -1)[:, :nsub]
        dd = np.repeat(d, 8, axis=1)[:, :nsub]
        ddm = np.repeat(dmin, 8, axis=1)[:, :nsub]
        best, _ = fit_error(x, w, (dd * ls).astype(np.float32), (-ddm * lm).astype(np.float32))
        best_ls, best_lm = ls.copy(), lm.copy()
        for ds in (-2, -1, 0, 1, 2):
            for dm in (-2, -1, 0, 1, 2):
                cs, cm = np.clip(ls + ds, 0, 63), np.clip(lm + dm, 0, 63)
                err, _ = fit_error(x, w, (dd * cs).astype(np.float32), (-ddm * cm).astype(np.float32))
                better = err < best
                best, best_ls, best_lm = np.where(better, err, best), np.where(better, cs, best_ls), np.where(better, cm, best_lm)
        sub_scale, sub_min = (dd * best_ls).astype(np.float32), (ddm * best_lm).astype(np.float32)
    else:
        sub_scale = (d[..., None] * ls).reshape(R, -1)[:, :nsub].astype(np.float32)
        sub_min = (dmin[..., None] * lm).reshape(R, -1)[:, :nsub].astype(np.float32)
    out = requantize(x, sub_scale, -sub_min)
    return out.reshape(R, -1)[:, : rows.shape[1]]


def int8(rows):
    x, mask = blocks_of(rows, 32)
    scale = np.abs(x).max(axis=-1) / 127.0
    # quantize.cpp divides by the scale; the same here (its copy is bit-equal to this one: compare shows 0 error)
    q = np.clip(nearest(x / np.where(scale > 0, scale, 1.0)[..., None]), -127, 127) * (scale > 0)[..., None]
    return (q * scale[..., None]).reshape(rows.shape[0], -1)[:, : rows.shape[1]]


def fake_quantize(rows, scheme):
    rows = rows.astype(np.float32)
    if scheme == "int8":
        return int8(rows)
    if scheme in ("q4_k", "q4_ks"):
        return q4_k(rows, scheme == "q4_ks")
    if scheme in ("q4_kr", "q4_krn"):
        return q4_k(rows, True, refit=True, neighbours=scheme == "q4_krn")
    x, mask = blocks_of(rows, 32)
    out = (q4_0 if scheme.startswith("q4_0") else q4_1)(x, mask, scheme.endswith("s"))
    return out.reshape(rows.shape[0], -1)[:, : rows.shape[1]]


# Bits per weight of each scheme's storage for rows that are whole super-blocks (the 2B's and 9B's: 2560, 7680,
# 4096, 12288 are multiples of 256): values plus scales.
BITS_PER_WEIGHT = {"q4_0": 4.5, "q4_0s": 4.5, "q4_1": 5.0, "q4_1s": 5.0, "q4_k": 4.5, "q4_ks": 4.5, "q4_kr": 4.5,
                   "q4_krn": 4.5, "int8": 9.0}

EMBEDDING = "model.embed_tokens.weight"


def quantizable(name, arr):
    return arr.ndim == 2 and name.endswith(".weight")


def main():
    src, out, scheme = sys.argv[1:4]
    embedding = sys.argv[sys.argv.index("--embedding") + 1] if "--embedding" in sys.argv else "same"
    keep = sys.argv[sys.argv.index("--keep-int8") + 1].split(",") if "--keep-int8" in sys.argv else []
    if scheme not in BITS_PER_WEIGHT or embedding not in ("same", "int8"):
        sys.exit(__doc__)
    tensors = read_safetensors(os.path.join(src, "model.safetensors"))
    tensors.pop("lm_head.weight", None)  # tied to the embedding, as quantize.cpp drops it
    for name, arr in tensors.items():
        if quantizable(name, arr):
            at8 = (name == EMBEDDING and embedding == "int8") or any(name.startswith(k) for k in keep)
            tensors[name] = fake_quantize(arr, "int8" if at8 else scheme)
    os.makedirs(out, exist_ok=True)
    write_safetensors(os.path.join(out, "model.safetensors"), tensors)
    for f in os.listdir(src):
        if f not in ("model.safetensors", "model.safetensors.index.json") and os.path.isfile(os.path.join(src, f)):
            shutil.copy(os.path.join(src, f), os.path.join(out, f))
    print(out, scheme, "embedding", embedding)


if __name__ == "__main__":
    main()
