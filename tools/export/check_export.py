#!/usr/bin/env python3
"""Loads a `crisscross export` directory into the PyTorch reference networks and compares forward outputs.

  check_export.py DIR            DIR from `crisscross export --forward-check`: weights.safetensors, model.json,
                                 forward-check.safetensors. Loads every backbone into tools/reference/crisscross_ref.py's
                                 VideoBackbone / AudioBackbone with load_state_dict(strict=True) (names, shapes, BN
                                 buffers must all match), and, when the audio widths are torchvision's (64..512), into
                                 torchvision.models.resnet18 with a one-channel conv1 and no fc. Runs them in eval mode
                                 (BN running statistics) on the JVM's fixed input, in float32 and float64, and prints
                                 the largest absolute and relative differences of the feature maps and embeddings from
                                 the JVM's. Exits 1 if a float32 difference exceeds --tolerance (relative to the largest
                                 |output|).
  check_export.py --names PRESET the state_dict() names and shapes of the reference CrissCross model of a preset
                                 (tiny | full), one "name shape" line each: the expected list the Java tests check.

Safetensors is read by hand (no pip package needed): 8-byte little-endian header length, JSON header, raw data.
Used only to check exports; the project itself never runs Python.
"""
import argparse
import json
import os
import struct
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "reference"))
import crisscross_ref as ref  # noqa: E402

PRESETS = {
    "tiny": dict(channels=[16, 32, 64, 128], proj_hidden=256, proj_out=256, pred_hidden=64),
    "full": dict(channels=[64, 128, 256, 512], proj_hidden=2048, proj_out=2048, pred_hidden=512),
}
DTYPES = {"F32": np.float32, "F64": np.float64, "I64": np.int64}


def read_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n].decode("utf-8"))
    base = 8 + n
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        begin, end = entry["data_offsets"]
        array = np.frombuffer(data[base + begin:base + end], dtype=np.dtype(DTYPES[entry["dtype"]]).newbyteorder("<"))
        tensors[name] = torch.from_numpy(array.reshape(entry["shape"]).copy())
    return tensors, header.get("__metadata__", {})


def sub_state(tensors, prefix):
    return {k[len(prefix):]: v for k, v in tensors.items() if k.startswith(prefix)}


def differences(ours, theirs):
    ours = ours.double()
    theirs = theirs.double()
    diff = (ours - theirs).abs()
    scale = theirs.abs().max().item()
    elementwise = (diff / theirs.abs().clamp_min(1e-3 * scale)).max().item()
    return diff.max().item(), diff.max().item() / scale, elementwise


def torchvision_resnet18(tensors):
    import torchvision
    net = torchvision.models.resnet18()
    net.conv1 = torch.nn.Conv2d(1, 64, 7, 2, 3, bias=False)
    net.fc = torch.nn.Identity()
    net.load_state_dict(sub_state(tensors, "audio_backbone."), strict=True)
    return net


def torchvision_features(net, x):
    x = net.maxpool(net.relu(net.bn1(net.conv1(x))))
    return net.layer4(net.layer3(net.layer2(net.layer1(x))))


def check(directory, tolerance):
    description = json.load(open(os.path.join(directory, "model.json")))
    tensors, _ = read_safetensors(os.path.join(directory, description["weights"]))
    check_io, _ = read_safetensors(os.path.join(directory, "forward-check.safetensors"))
    worst = 0.0
    print("export %s (%s preset, %s, %d tensors, step %s of %s)" % (directory, description["preset"],
          description["dtype"], len(tensors), description["source"]["step"], description["source"]["method"]))
    print("%-44s %-8s %12s %12s %12s" % ("network / output", "torch", "max |diff|", "max/max|y|", "elementwise"))
    for modality in ("video", "audio"):
        if modality not in description:
            continue
        channels = description[modality]["channels"]
        networks = {"reference": (ref.VideoBackbone if modality == "video" else ref.AudioBackbone)(channels)}
        networks["reference"].load_state_dict(sub_state(tensors, modality + "_backbone."), strict=True)
        if modality == "audio" and channels == [64, 128, 256, 512]:
            networks["torchvision resnet18"] = torchvision_resnet18(tensors)
        x = check_io["input." + modality]
        for label, net in networks.items():
            for dtype in (torch.float32, torch.float64):
                net = net.to(dtype).eval()
                with torch.no_grad():
                    if label == "reference":
                        features = net.features(x.to(dtype))
                        embedding = net(x.to(dtype))
                    else:
                        features = torchvision_features(net, x.to(dtype))
                        embedding = net(x.to(dtype))
                for output, value in (("features", features), ("embedding", embedding)):
                    jvm = check_io[output + "." + modality]
                    if tuple(jvm.shape) != tuple(value.shape):
                        print("%s %s: shape %s from the JVM, %s from torch" % (modality, output, tuple(jvm.shape),
                              tuple(value.shape)))
                        return 1
                    absolute, relative, elementwise = differences(jvm, value)
                    name = "float32" if dtype == torch.float32 else "float64"
                    print("%-44s %-8s %12.3e %12.3e %12.3e" % ("%s %s / %s %s" % (modality, label, output,
                          tuple(value.shape)), name, absolute, relative, elementwise))
                    if dtype == torch.float32:
                        worst = max(worst, relative)
    print("largest float32 difference relative to the largest |output|: %.3e (tolerance %.1e)" % (worst, tolerance))
    return 0 if worst <= tolerance else 1


def names(preset):
    p = PRESETS[preset]
    model = ref.build(p["channels"], p["proj_hidden"], p["proj_out"], p["pred_hidden"])
    for name, value in model.state_dict().items():
        print("%s %s" % (name, "x".join(str(d) for d in value.shape) or "scalar"))
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("directory", nargs="?")
    ap.add_argument("--names", choices=sorted(PRESETS))
    ap.add_argument("--tolerance", type=float, default=1e-4)
    args = ap.parse_args()
    if args.names:
        return names(args.names)
    if not args.directory:
        ap.error("give an export directory or --names PRESET")
    return check(args.directory, args.tolerance)


if __name__ == "__main__":
    sys.exit(main())
