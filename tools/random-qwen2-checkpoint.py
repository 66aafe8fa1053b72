#!/usr/bin/env python3
"""Writes a random Qwen2-family checkpoint in the Hugging Face layout (config.json + model.safetensors), Python
standard library only: a stand-in for a real Qwen2.5 folder when measuring `gencdr bench speed --backbone` (the cost
of a forward does not depend on the weights' values). The default shape is Qwen2.5-0.5B's layer (hidden 896, 14 heads,
2 KV heads, FFN 4864) with 2 layers and a 1,000-row vocabulary (GenCDR reads only the statistics of the LLM's rows).

    python3 tools/random-qwen2-checkpoint.py OUT [--layers 2] [--hidden 896] [--heads 14] [--kv-heads 2] [--ffn 4864]
"""
import argparse, array, json, os, random, struct, sys

p = argparse.ArgumentParser()
p.add_argument("out")
p.add_argument("--layers", type=int, default=2)
p.add_argument("--hidden", type=int, default=896)
p.add_argument("--heads", type=int, default=14)
p.add_argument("--kv-heads", type=int, default=2)
p.add_argument("--ffn", type=int, default=4864)
p.add_argument("--vocab", type=int, default=1000)
p.add_argument("--seed", type=int, default=1)
a = p.parse_args()
if a.hidden % a.heads or a.heads % a.kv_heads:
    sys.exit(f"--hidden must divide by --heads and --heads by --kv-heads (got {a.hidden}, {a.heads}, {a.kv_heads})")
rng = random.Random(a.seed)
hd = a.hidden // a.heads
shapes = {"model.embed_tokens.weight": (a.vocab, a.hidden), "model.norm.weight": (a.hidden,)}
for l in range(a.layers):
    q = f"model.layers.{l}."
    shapes.update({
        q + "input_layernorm.weight": (a.hidden,), q + "post_attention_layernorm.weight": (a.hidden,),
        q + "self_attn.q_proj.weight": (a.heads * hd, a.hidden), q + "self_attn.q_proj.bias": (a.heads * hd,),
        q + "self_attn.k_proj.weight": (a.kv_heads * hd, a.hidden), q + "self_attn.k_proj.bias": (a.kv_heads * hd,),
        q + "self_attn.v_proj.weight": (a.kv_heads * hd, a.hidden), q + "self_attn.v_proj.bias": (a.kv_heads * hd,),
        q + "self_attn.o_proj.weight": (a.hidden, a.heads * hd),
        q + "mlp.gate_proj.weight": (a.ffn, a.hidden), q + "mlp.up_proj.weight": (a.ffn, a.hidden),
        q + "mlp.down_proj.weight": (a.hidden, a.ffn),
    })
header, offset = {}, 0
for name, shape in shapes.items():
    n = 1
    for s in shape: n *= s
    header[name] = {"dtype": "F32", "shape": list(shape), "data_offsets": [offset, offset + 4 * n]}
    offset += 4 * n
blob = json.dumps(header, separators=(",", ":")).encode()
blob += b" " * (-len(blob) % 8)
os.makedirs(a.out, exist_ok=True)
with open(os.path.join(a.out, "model.safetensors"), "wb") as f:
    f.write(struct.pack("<Q", len(blob)) + blob)
    for name, shape in shapes.items():
        n = header[name]["data_offsets"][1] // 4 - header[name]["data_offsets"][0] // 4
        scale = 0.02 * 3 ** 0.5   # uniform with std 0.02, the usual initialisation scale
        norm = name.endswith("norm.weight")
        for start in range(0, n, 1 << 20):
            m = min(1 << 20, n - start)
            values = array.array("f", ([1.0] * m) if norm else (scale * (2 * rng.random() - 1) for _ in range(m)))
            f.write(values.tobytes())
with open(os.path.join(a.out, "config.json"), "w") as f:
    json.dump({"architectures": ["Qwen2ForCausalLM"], "hidden_size": a.hidden, "num_hidden_layers": a.layers,
               "num_attention_heads": a.heads, "num_key_value_heads": a.kv_heads, "intermediate_size": a.ffn,
               "vocab_size": a.vocab, "rope_theta": 1000000.0, "rms_norm_eps": 1e-6, "tie_word_embeddings": True,
               "hidden_act": "silu", "torch_dtype": "float32"}, f, indent=1)
print(f"{a.out}: {offset // 4:,} parameters, {offset / 2**20:.0f} MiB")
