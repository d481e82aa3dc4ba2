#!/usr/bin/env python3
"""Reference outputs of the torchvision / PyTorch operations that crisscross.pipeline.augment re-implements.

The authors' augmentations (Appendix D) are torchvision's (video, Table S1), s3prl's SpecAugment time warp and
BYOL-A's RandomResizeCrop (audio, Table S2), both built on torch.nn.functional.interpolate(mode='bicubic').
This script runs those operations on tiny seeded inputs and saves inputs and outputs as .npy files into the
pipeline's test resources, where AugmentReferenceTest compares the Java versions against them.

Run from the repository root with a Python that has torch and torchvision:
    /usr/bin/python3 tools/augment/make_reference.py
"""
import pathlib

import numpy as np
import torch
import torch.nn.functional as F
import torchvision.transforms.functional as TF

OUT = pathlib.Path(__file__).resolve().parents[2] / \
    "pipeline/src/test/resources/crisscross/pipeline/augment/reference"


def save(name, array):
    np.save(OUT / f"{name}.npy", np.ascontiguousarray(array, dtype=np.float32))


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    generator = torch.Generator().manual_seed(20230207)
    image = torch.rand(3, 20, 26, generator=generator)
    save("image", image.numpy())

    # Multi-scale crop resize: PIL-style antialiased bilinear, shrinking and enlarging.
    save("resized_crop_down", TF.resized_crop(image, 3, 5, 13, 17, [7, 9], antialias=True).numpy())
    save("resized_crop_up", TF.resized_crop(image, 2, 4, 5, 6, [11, 13], antialias=True).numpy())

    # Colour jitter components, greyscale and blur (float tensors in [0, 1]).
    save("brightness_1.3", TF.adjust_brightness(image, 1.3).numpy())
    save("contrast_0.7", TF.adjust_contrast(image, 0.7).numpy())
    save("saturation_1.35", TF.adjust_saturation(image, 1.35).numpy())
    save("saturation_0.6", TF.adjust_saturation(image, 0.6).numpy())
    save("hue_0.17", TF.adjust_hue(image, 0.17).numpy())
    save("hue_-0.2", TF.adjust_hue(image, -0.2).numpy())
    save("grayscale", TF.rgb_to_grayscale(image, num_output_channels=3).numpy())
    save("blur_11_1.3", TF.gaussian_blur(image, [11, 11], [1.3, 1.3]).numpy())
    save("blur_11_0.1", TF.gaussian_blur(image, [11, 11], [0.1, 0.1]).numpy())

    # Bicubic interpolation as BYOL-A's RandomResizeCrop (align_corners=True) and s3prl's TimeWarp
    # (align_corners=False, one axis unchanged) use it.
    plane = torch.randn(5, 8, generator=generator)
    save("plane", plane.numpy())
    save("bicubic_aligned_7x11", F.interpolate(plane[None, None], size=(7, 11), mode="bicubic",
                                               align_corners=True)[0, 0].numpy())
    save("bicubic_aligned_3x4", F.interpolate(plane[None, None], size=(3, 4), mode="bicubic",
                                              align_corners=True)[0, 0].numpy())
    save("bicubic_half_pixel_9x8", F.interpolate(plane[None, None], size=(9, 8), mode="bicubic",
                                                 align_corners=False)[0, 0].numpy())
    save("bicubic_half_pixel_3x8", F.interpolate(plane[None, None], size=(3, 8), mode="bicubic",
                                                 align_corners=False)[0, 0].numpy())
    print("wrote", sorted(p.name for p in OUT.iterdir()))


if __name__ == "__main__":
    main()
