#!/usr/bin/env python3
"""Independent PyTorch (float64) reference of one CrissCross training step (Sarkar & Etemad, AAAI 2023).

Architecture, loss and LARC+Adam arithmetic follow the README.txt of the golden directories exactly:
  video backbone  R(2+1)D-18, 'avid' block (Table S5; one BN after the residual sum, plain 1x1x1 shortcut)
  audio backbone  torchvision ResNet-18 layout on [B,1,mel,time] (Table S6)
  projector       fc-bn-relu, fc-bn-relu, fc-bn (Table S7)     predictor  fc-bn-relu, fc (Table S8)
  loss            Eq. 1-5 (six symmetrised pair terms, total = sum / 6)
  optimiser       apex LARC (trust 0.001, clip, wd 1e-4 inside) around torch Adam, four parameter groups

Modes:
  --check DIR     load DIR's inputs/params/buffers, recompute everything, print the worst relative error per
                  quantity group against DIR's files (a faithful copy of the computation gives ~1e-10).
  --golden OUTDIR write a golden directory in the same format from seeded init and inputs.
  --bench         time one full CrissCross step (full preset by default) with torch.set_num_threads(T).

Used only to make test fixtures and yardsticks; the project itself never runs Python.
"""
import argparse
import json
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

BN_EPS = 1e-5
BN_MOMENTUM = 0.1
COS_EPS = 1e-8
TRUST = 0.001
WEIGHT_DECAY = 1e-4
LARC_EPS = 1e-8
BETAS = (0.9, 0.999)
ADAM_EPS = 1e-8
ENCODER_LR = 2e-4
PREDICTOR_LR = 2e-3
PAIRS = ["Lv1v2", "La1a2", "Lv1a1", "Lv2a2", "Lv1a2", "La1v2"]


class Conv2Plus1D(nn.Module):
    """Spatial (1,3,3) conv -> BN -> ReLU -> temporal (3,1,1) conv, no mid-channel expansion."""

    def __init__(self, cin, cout, stride):
        super().__init__()
        self.spatial = nn.Conv3d(cin, cout, (1, 3, 3), (1, stride, stride), (0, 1, 1), bias=False)
        self.bn = nn.BatchNorm3d(cout, eps=BN_EPS, momentum=BN_MOMENTUM)
        self.temporal = nn.Conv3d(cout, cout, (3, 1, 1), (stride, 1, 1), (1, 0, 0), bias=False)

    def forward(self, x):
        return self.temporal(F.relu(self.bn(self.spatial(x))))


class R2Plus1DBlock(nn.Module):
    """'avid' block: out = ReLU(bn2(conv2(ReLU(bn1(conv1(x)))) + shortcut(x))); shortcut = 1x1x1 conv, no BN."""

    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = Conv2Plus1D(cin, cout, stride)
        self.bn1 = nn.BatchNorm3d(cout, eps=BN_EPS, momentum=BN_MOMENTUM)
        self.conv2 = Conv2Plus1D(cout, cout, 1)
        self.bn2 = nn.BatchNorm3d(cout, eps=BN_EPS, momentum=BN_MOMENTUM)
        self.downsample = None
        if stride != 1 or cin != cout:
            self.downsample = nn.Sequential(nn.Conv3d(cin, cout, 1, (stride, stride, stride), bias=False))

    def forward(self, x):
        shortcut = x if self.downsample is None else self.downsample(x)
        out = F.relu(self.bn1(self.conv1(x)))
        return F.relu(self.bn2(self.conv2(out) + shortcut))


class VideoBackbone(nn.Module):
    def __init__(self, ch):
        super().__init__()
        self.stem_conv = nn.Conv3d(3, ch[0], (3, 7, 7), (1, 2, 2), (1, 3, 3), bias=False)
        self.stem_bn = nn.BatchNorm3d(ch[0], eps=BN_EPS, momentum=BN_MOMENTUM)
        self.pool = nn.MaxPool3d((1, 3, 3), (1, 2, 2), (0, 1, 1))
        cin = ch[0]
        for i, c in enumerate(ch):
            s = 1 if i == 0 else 2
            setattr(self, "layer%d" % (i + 1), nn.Sequential(R2Plus1DBlock(cin, c, s), R2Plus1DBlock(c, c, 1)))
            cin = c

    def features(self, x):
        x = self.pool(F.relu(self.stem_bn(self.stem_conv(x))))
        for i in range(4):
            x = getattr(self, "layer%d" % (i + 1))(x)
        return x

    def forward(self, x):
        return self.features(x).mean(dim=(2, 3, 4))


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout, eps=BN_EPS, momentum=BN_MOMENTUM)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout, eps=BN_EPS, momentum=BN_MOMENTUM)
        self.downsample = None
        if stride != 1 or cin != cout:
            self.downsample = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False),
                                            nn.BatchNorm2d(cout, eps=BN_EPS, momentum=BN_MOMENTUM))

    def forward(self, x):
        shortcut = x if self.downsample is None else self.downsample(x)
        out = F.relu(self.bn1(self.conv1(x)))
        return F.relu(self.bn2(self.conv2(out)) + shortcut)


class AudioBackbone(nn.Module):
    def __init__(self, ch):
        super().__init__()
        self.conv1 = nn.Conv2d(1, ch[0], 7, 2, 3, bias=False)
        self.bn1 = nn.BatchNorm2d(ch[0], eps=BN_EPS, momentum=BN_MOMENTUM)
        self.pool = nn.MaxPool2d(3, 2, 1)
        cin = ch[0]
        for i, c in enumerate(ch):
            s = 1 if i == 0 else 2
            setattr(self, "layer%d" % (i + 1), nn.Sequential(BasicBlock(cin, c, s), BasicBlock(c, c, 1)))
            cin = c

    def features(self, x):
        x = self.pool(F.relu(self.bn1(self.conv1(x))))
        for i in range(4):
            x = getattr(self, "layer%d" % (i + 1))(x)
        return x

    def forward(self, x):
        return self.features(x).mean(dim=(2, 3))


class Projector(nn.Module):
    def __init__(self, cin, hidden, out):
        super().__init__()
        self.fc1, self.bn1 = nn.Linear(cin, hidden), nn.BatchNorm1d(hidden, eps=BN_EPS, momentum=BN_MOMENTUM)
        self.fc2, self.bn2 = nn.Linear(hidden, hidden), nn.BatchNorm1d(hidden, eps=BN_EPS, momentum=BN_MOMENTUM)
        self.fc3, self.bn3 = nn.Linear(hidden, out), nn.BatchNorm1d(out, eps=BN_EPS, momentum=BN_MOMENTUM)

    def forward(self, x):
        x = F.relu(self.bn1(self.fc1(x)))
        x = F.relu(self.bn2(self.fc2(x)))
        return self.bn3(self.fc3(x))


class Predictor(nn.Module):
    def __init__(self, dim, hidden):
        super().__init__()
        self.fc1, self.bn1 = nn.Linear(dim, hidden), nn.BatchNorm1d(hidden, eps=BN_EPS, momentum=BN_MOMENTUM)
        self.fc2 = nn.Linear(hidden, dim)

    def forward(self, x):
        return self.fc2(F.relu(self.bn1(self.fc1(x))))


class CrissCross(nn.Module):
    def __init__(self, video_ch, audio_ch, proj_hidden, proj_out, pred_hidden):
        super().__init__()
        self.video_backbone = VideoBackbone(video_ch)
        self.video_projector = Projector(video_ch[-1], proj_hidden, proj_out)
        self.video_predictor = Predictor(proj_out, pred_hidden)
        self.audio_backbone = AudioBackbone(audio_ch)
        self.audio_projector = Projector(audio_ch[-1], proj_hidden, proj_out)
        self.audio_predictor = Predictor(proj_out, pred_hidden)

    def view(self, modality, x):
        h = getattr(self, modality + "_backbone")(x)
        z = getattr(self, modality + "_projector")(h)
        p = getattr(self, modality + "_predictor")(z)
        return h, z, p


def cosine(p, z):
    """Eq. 1's cosine with README.txt's per-vector clamp of the norms at 1e-8."""
    return (p * z).sum(1) / (p.norm(dim=1).clamp_min(COS_EPS) * z.norm(dim=1).clamp_min(COS_EPS))


def pair_terms(out):
    def d(p, z):
        # Eq. 1: D(p, z) = -cos(p, stopgrad(z)), mean over the batch.
        return -cosine(p, z.detach()).mean()

    t = {}
    t["Lv1v2"] = (d(out["pv1"], out["zv2"]) + d(out["pv2"], out["zv1"])) / 2
    t["La1a2"] = (d(out["pa1"], out["za2"]) + d(out["pa2"], out["za1"])) / 2
    t["Lv1a1"] = (d(out["pv1"], out["za1"]) + d(out["pa1"], out["zv1"])) / 2
    t["Lv2a2"] = (d(out["pv2"], out["za2"]) + d(out["pa2"], out["zv2"])) / 2
    t["Lv1a2"] = (d(out["pv1"], out["za2"]) + d(out["pa2"], out["zv1"])) / 2
    t["La1v2"] = (d(out["pa1"], out["zv2"]) + d(out["pv2"], out["za1"])) / 2
    t["total"] = sum(t[k] for k in PAIRS) / 6
    return t


def group_of(name):
    modality, part = name.split(".")[0].split("_")
    return modality + ("_predictor" if part == "predictor" else "_encoder")


def larc_adam_step(model, lrs):
    """apex LARC (clip, wd inside) then torch 1.13 Adam, t = 1. Returns (grad_larc, larc_info)."""
    grad_larc, info = {}, {}
    for name, p in model.named_parameters():
        group = group_of(name)
        lr = lrs[group]
        g = p.grad.detach().clone()
        p_norm = torch.norm(p.detach()).item()
        g_norm = torch.norm(g).item()
        adaptive = None
        if p_norm != 0 and g_norm != 0:
            adaptive = TRUST * p_norm / (g_norm + p_norm * WEIGHT_DECAY + LARC_EPS)
            adaptive = min(adaptive / lr, 1.0)
            g = (g + WEIGHT_DECAY * p.detach()) * adaptive
        grad_larc[name] = g
        info[name] = {"group": group, "lr": lr, "adaptive": adaptive, "p_norm_init": p_norm, "g_norm": g_norm}
    with torch.no_grad():
        for name, p in model.named_parameters():
            g = grad_larc[name]
            lr = lrs[group_of(name)]
            m = (1 - BETAS[0]) * g
            v = (1 - BETAS[1]) * g * g
            bias1 = 1 - BETAS[0]
            bias2 = 1 - BETAS[1]
            denom = (v.sqrt() / math.sqrt(bias2)).add_(ADAM_EPS)
            p.addcdiv_(m, denom, value=-lr / bias1)
    return grad_larc, info


def run_step(model, inputs):
    model.train()
    out = {}
    for view in ("v1", "v2", "a1", "a2"):
        modality = "video" if view[0] == "v" else "audio"
        h, z, p = model.view(modality, inputs[view])
        out["h" + view], out["z" + view], out["p" + view] = h, z, p
    terms = pair_terms(out)
    model.zero_grad()
    terms["total"].backward()
    grads = {n: p.grad.detach().clone() for n, p in model.named_parameters()}
    lrs = {"video_encoder": ENCODER_LR, "video_predictor": PREDICTOR_LR,
           "audio_encoder": ENCODER_LR, "audio_predictor": PREDICTOR_LR}
    grad_larc, info = larc_adam_step(model, lrs)
    return out, terms, grads, grad_larc, info


def build(width_channels, proj_hidden, proj_out, pred_hidden):
    return CrissCross(width_channels, width_channels, proj_hidden, proj_out, pred_hidden)


def npy(path):
    return torch.from_numpy(np.load(path))


def infer_config(d):
    """Reads the widths from the parameter shapes of a golden directory."""
    ch = [int(np.load(os.path.join(d, "param_init.video_backbone.layer%d.0.bn1.weight.npy" % i)).shape[0])
          for i in range(1, 5)]
    pj = np.load(os.path.join(d, "param_init.video_projector.fc1.weight.npy")).shape[0]
    po = np.load(os.path.join(d, "param_init.video_projector.fc3.weight.npy")).shape[0]
    ph = np.load(os.path.join(d, "param_init.video_predictor.fc1.weight.npy")).shape[0]
    return ch, pj, po, ph


ZERO = 1e-12


def rel_err(a, b):
    """max|a-b| / max|b| per tensor; None for a tensor that is zero up to rounding (max|b| < 1e-12), such as
    the gradient of a bias feeding a BN layer, whose only meaningful check is an absolute one."""
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    scale = np.max(np.abs(b)) if b.size else 0.0
    if scale < ZERO:
        return None
    return float(np.max(np.abs(a - b)) / scale)


def check(d):
    torch.set_default_dtype(torch.float64)
    ch, pj, po, ph = infer_config(d)
    model = build(ch, pj, po, ph)
    state = model.state_dict()
    for name in state:
        prefix = "param_init." if name.split(".")[-1] in ("weight", "bias") else "buffer_init."
        state[name].copy_(npy(os.path.join(d, prefix + name + ".npy")))
    inputs = {v: npy(os.path.join(d, "input.%s.npy" % v)) for v in ("v1", "v2", "a1", "a2")}
    out, terms, grads, grad_larc, _ = run_step(model, inputs)
    worst = {}

    def note(group, err):
        if err is not None:
            worst[group] = max(worst.get(group, 0.0), err)

    for k, v in terms.items():
        note("loss", rel_err(v.item(), np.load(os.path.join(d, "loss.%s.npy" % k))))
    for k, v in out.items():
        note("act", rel_err(v.detach().numpy(), np.load(os.path.join(d, "act.%s.npy" % k))))
    for n, g in grads.items():
        note("grad", rel_err(g.numpy(), np.load(os.path.join(d, "grad.%s.npy" % n))))
        note("grad_larc", rel_err(grad_larc[n].numpy(), np.load(os.path.join(d, "grad_larc.%s.npy" % n))))
    for n, p in model.named_parameters():
        note("param_after", rel_err(p.detach().numpy(), np.load(os.path.join(d, "param_after.%s.npy" % n))))
    for n, b in model.state_dict().items():
        if "running" in n:
            note("buffer_after", rel_err(b.numpy(), np.load(os.path.join(d, "buffer_after.%s.npy" % n))))
    for group, err in worst.items():
        print("%-14s worst relative error %.3e" % (group, err))
    return max(worst.values())


LAYOUT = {
    "Conv3d": "Conv3d weight [out, in, kT, kH, kW]",
    "Conv2d": "Conv2d weight [out, in, kH, kW]",
    "Linear.weight": "Linear weight [out, in]  (y = x @ W^T + b)",
    "Linear.bias": "Linear bias [out]",
}


def describe(model, name, kind):
    module = model.get_submodule(name.rsplit(".", 1)[0])
    leaf = name.rsplit(".", 1)[1]
    cls = type(module).__name__
    if cls in ("Conv3d", "Conv2d"):
        return LAYOUT[cls]
    if cls == "Linear":
        return LAYOUT["Linear." + leaf]
    names = {"weight": "gamma [C]", "bias": "beta [C]", "running_mean": "running mean [C]",
             "running_var": "running var (unbiased update) [C]", "num_batches_tracked": "int64 scalar [C]"}
    return "%s %s" % (cls, names[leaf])


def golden(outdir, args):
    torch.set_default_dtype(torch.float64)
    torch.manual_seed(args.seed)
    ch = [int(c) for c in args.channels.split(",")]
    model = build(ch, args.proj_hidden, args.proj_out, args.pred_hidden)
    b = args.batch
    inputs = {
        "v1": torch.randn(b, 3, args.frames, args.crop, args.crop),
        "v2": torch.randn(b, 3, args.frames, args.crop, args.crop),
        "a1": torch.randn(b, 1, args.mel, args.time),
        "a2": torch.randn(b, 1, args.mel, args.time),
    }
    init_params = {n: p.detach().clone() for n, p in model.named_parameters()}
    init_buffers = {n: t.detach().clone() for n, t in model.named_buffers()}
    out, terms, grads, grad_larc, info = run_step(model, inputs)
    os.makedirs(outdir, exist_ok=True)
    manifest = []

    def save(name, array, desc):
        array = array.detach().numpy() if torch.is_tensor(array) else np.asarray(array)
        np.save(os.path.join(outdir, name + ".npy"), array)
        manifest.append({"file": name + ".npy", "shape": list(array.shape), "dtype": str(array.dtype),
                         "desc": desc})

    for v in ("v1", "v2"):
        save("input." + v, inputs[v], "video clip [B, C=3, T, H, W]")
    for v in ("a1", "a2"):
        save("input." + v, inputs[v], "audio spectrogram [B, 1, F(mel), T]")
    for n, p in init_params.items():
        save("param_init." + n, p, describe(model, n, "param"))
    for n, t in init_buffers.items():
        save("buffer_init." + n, t, describe(model, n, "buffer"))
    for k in PAIRS + ["total"]:
        save("loss." + k, terms[k].detach(), "scalar loss term")
    for v in ("v1", "v2", "a1", "a2"):
        save("act.h" + v, out["h" + v], "backbone output [B, C4]")
        save("act.z" + v, out["z" + v], "projector output [B, proj]")
        save("act.p" + v, out["p" + v], "predictor output [B, proj]")
    for n, g in grads.items():
        save("grad." + n, g, "raw gradient of total (before LARC)")
    for n, g in grad_larc.items():
        save("grad_larc." + n, g, "gradient handed to Adam (after LARC)")
    for n, p in model.named_parameters():
        save("param_after." + n, p, "parameter after one LARC+Adam step")
    for n, t in model.named_buffers():
        save("buffer_after." + n, t, "after the step's forwards (2 forwards per module), " + describe(model, n, "b"))
    counts = {}
    for part in ("video_backbone", "video_projector", "video_predictor", "audio_backbone", "audio_projector",
                 "audio_predictor"):
        counts[part] = sum(p.numel() for p in getattr(model, part).parameters())
    counts["total"] = sum(counts.values())
    with open(os.path.join(outdir, "larc.json"), "w") as f:
        json.dump(info, f, indent=1)
    with open(os.path.join(outdir, "losses.json"), "w") as f:
        json.dump({k: terms[k].item() for k in PAIRS + ["total"]}, f, indent=1)
    with open(os.path.join(outdir, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
    with open(os.path.join(outdir, "README.txt"), "w") as f:
        f.write("CrissCross golden data (written by tools/reference/crisscross_ref.py --golden, torch %s, float64)\n\n"
                % torch.__version__)
        f.write("Configuration\n")
        f.write("  torch.manual_seed(%d); model built (all init draws), then inputs drawn with torch.randn in order "
                "v1, v2, a1, a2.\n" % args.seed)
        f.write("  backbone channels %s (video and audio); projector %d->%d->%d->%d; predictor %d->%d->%d; "
                "video block 'avid'.\n" % (ch, ch[-1], args.proj_hidden, args.proj_hidden, args.proj_out,
                                           args.proj_out, args.pred_hidden, args.proj_out))
        f.write("  batch %d; video (%d,3,%d,%d,%d) [B,C,T,H,W]; audio (%d,1,%d,%d) [B,1,mel,time].\n"
                % (b, b, args.frames, args.crop, args.crop, b, args.mel, args.time))
        f.write("  dtype: float64 everywhere (params, inputs, outputs).\n")
        f.write("  parameter counts: %s\n\n" % json.dumps(counts))
        f.write("Architecture, loss, optimiser arithmetic and file groups: exactly as in the shared\n"
                "crisscross-tiny-f64/README.txt (same script, same names and layouts).\n")
        f.write("  losses: %s\n\n" % json.dumps({k: terms[k].item() for k in PAIRS + ["total"]}))
        f.write("Listing (file, shape, dtype, description)\n")
        for m in manifest:
            shape = "x".join(str(s) for s in m["shape"]) or "scalar"
            f.write("  %-72s %-20s %-8s %s\n" % (m["file"], shape, m["dtype"], m["desc"]))
    print("wrote %d files to %s; parameter counts %s" % (len(manifest), outdir, json.dumps(counts)))


PRESETS = {
    # The model presets of config/reference.conf on the paper's inputs (8x112x112 clips, 80x200 spectrograms).
    "full": dict(channels="64,128,256,512", proj_hidden=2048, proj_out=2048, pred_hidden=512,
                 frames=8, crop=112, mel=80, time=200),
    "tiny": dict(channels="16,32,64,128", proj_hidden=256, proj_out=256, pred_hidden=64,
                 frames=8, crop=112, mel=80, time=200),
}


def bench(args):
    if args.preset:
        for key, value in PRESETS[args.preset].items():
            setattr(args, key, value)
    torch.set_num_threads(args.threads)
    torch.set_default_dtype(torch.float32)
    torch.manual_seed(0)
    ch = [int(c) for c in args.channels.split(",")]
    model = build(ch, args.proj_hidden, args.proj_out, args.pred_hidden)
    b = args.batch
    inputs = {
        "v1": torch.randn(b, 3, args.frames, args.crop, args.crop),
        "v2": torch.randn(b, 3, args.frames, args.crop, args.crop),
        "a1": torch.randn(b, 1, args.mel, args.time),
        "a2": torch.randn(b, 1, args.mel, args.time),
    }
    opt = torch.optim.Adam(model.parameters(), lr=ENCODER_LR)
    times, video_times = [], []
    for i in range(args.steps + 1):
        t0 = time.perf_counter()
        out = {}
        for view in ("v1", "v2", "a1", "a2"):
            modality = "video" if view[0] == "v" else "audio"
            h, z, p = model.view(modality, inputs[view])
            out["z" + view], out["p" + view] = z, p
        loss = pair_terms(out)["total"]
        opt.zero_grad()
        loss.backward()
        opt.step()
        t1 = time.perf_counter()
        vb = model.video_backbone(inputs["v1"]).sum()
        vb.backward()
        t2 = time.perf_counter()
        if i > 0:
            times.append(t1 - t0)
            video_times.append(t2 - t1)
    result = {"framework": "pytorch " + torch.__version__, "preset": args.preset or "custom",
              "threads": args.threads, "batch": b,
              "seconds_per_step": float(np.median(times)), "samples_per_second": b / float(np.median(times)),
              "video_backbone_fwd_bwd_seconds": float(np.median(video_times)), "steps": args.steps}
    print(json.dumps(result))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", metavar="DIR")
    ap.add_argument("--golden", metavar="OUTDIR")
    ap.add_argument("--bench", action="store_true")
    ap.add_argument("--preset", choices=sorted(PRESETS), help="bench: the model preset (overrides sizes)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--channels", default="4,8,16,32")
    ap.add_argument("--proj-hidden", type=int, default=48)
    ap.add_argument("--proj-out", type=int, default=48)
    ap.add_argument("--pred-hidden", type=int, default=16)
    ap.add_argument("--batch", type=int, default=4)
    ap.add_argument("--frames", type=int, default=8)
    ap.add_argument("--crop", type=int, default=24)
    ap.add_argument("--mel", type=int, default=40)
    ap.add_argument("--time", type=int, default=48)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--steps", type=int, default=3)
    args = ap.parse_args()
    if args.check:
        worst = check(args.check)
        sys.exit(0 if worst < 1e-8 else 1)
    elif args.golden:
        golden(args.golden, args)
    elif args.bench:
        bench(args)
    else:
        ap.print_help()


if __name__ == "__main__":
    main()
