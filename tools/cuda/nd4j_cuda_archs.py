#!/usr/bin/env python3
"""Lists the GPU architectures a libnd4j CUDA build can run on.

Reads libnd4jcuda.so (inside the nd4j-cuda-*-linux-x86_64.jar, or extracted) and walks the CUDA fat binary in its
.nv_fatbin section: one entry per kernel module and architecture, either a cubin (machine code for one major
architecture: sm_86 code runs on 8.6-8.9 only) or PTX (which the driver can compile for newer GPUs). A GPU whose
architecture has no cubin of its major version and no PTX below it cannot run the library's kernels.

With --extract DIR it also writes the first module of moderate size for each of the given architectures as a
decompressed cubin (DIR/nd4j_sm<arch>.cubin), which probe.c beside this file loads with cuModuleLoad on a GPU.

Usage: nd4j_cuda_archs.py nd4j-cuda-11.6-1.0.0-M2.1-linux-x86_64.jar [--extract DIR --arch 80,86]
Dev tool only (standard library); nothing in the build or at run time needs Python.
"""
import argparse
import collections
import os
import shutil
import struct
import sys
import tempfile
import zipfile

FATBIN_MAGIC = 0xBA55ED50
COMPRESSED = 0x2000


def section(path, wanted):
    """(file offset, size) of the ELF64 section named `wanted`."""
    with open(path, 'rb') as f:
        header = f.read(64)
        if header[:4] != b'\x7fELF' or header[4] != 2:
            sys.exit(f'{path}: not a 64-bit ELF file')
        shoff, = struct.unpack_from('<Q', header, 0x28)
        shentsize, shnum, shstrndx = struct.unpack_from('<HHH', header, 0x3A)
        f.seek(shoff)
        table = f.read(shentsize * shnum)
        sections = [struct.unpack_from('<IIQQQQ', table, i * shentsize) for i in range(shnum)]
        f.seek(sections[shstrndx][4])
        names = f.read(sections[shstrndx][5])
        for name, _, _, _, offset, size in sections:
            if names[name:names.index(b'\0', name)].decode() == wanted:
                return offset, size
    sys.exit(f'{path}: no {wanted} section (not a CUDA library?)')


def lz4_block(source, size):
    """Decompresses one LZ4 block (the fat binary's entry compression)."""
    def extended(value, i):
        # A 4-bit length of 15 continues in the following bytes, each added, until one is below 255.
        if value == 15:
            while True:
                more = source[i]
                i += 1
                value += more
                if more != 255:
                    break
        return value, i

    out = bytearray()
    i = 0
    while i < len(source) and len(out) < size:
        token = source[i]
        literals, i = extended(token >> 4, i + 1)
        out += source[i:i + literals]
        i += literals
        if i >= len(source) or len(out) >= size:
            break
        back = source[i] | source[i + 1] << 8
        length, i = extended(token & 15, i + 2)
        start = len(out) - back
        for k in range(length + 4):
            out.append(out[start + k])
    return bytes(out[:size])


def entries(path):
    """Yields (kind, arch, flags, payload, decompressed size) for every entry of the fat binary."""
    offset, size = section(path, '.nv_fatbin')
    with open(path, 'rb') as f:
        f.seek(offset)
        data = f.read(size)
    p = 0
    while p + 16 <= len(data):
        magic, _, header_size, body_size = struct.unpack_from('<IHHQ', data, p)
        if magic != FATBIN_MAGIC:
            p += 8
            continue
        q = p + header_size
        end = q + body_size
        while q < end:
            kind, _, entry_header, padded, payload_size, _, _, arch = struct.unpack_from('<HHIQIIII', data, q)
            flags, = struct.unpack_from('<Q', data, q + 40)
            full_size, = struct.unpack_from('<Q', data, q + 56)
            payload = data[q + entry_header:q + entry_header + payload_size]
            yield ('PTX' if kind == 1 else 'cubin'), arch, flags, payload, full_size
            q += entry_header + padded
        p = end


def library(path):
    """libnd4jcuda.so itself, extracted to a temporary file when `path` is the jar."""
    if not zipfile.is_zipfile(path):
        return path
    with zipfile.ZipFile(path) as jar:
        member = next((n for n in jar.namelist() if n.endswith('/libnd4jcuda.so')), None)
        if member is None:
            sys.exit(f'{path}: no libnd4jcuda.so inside')
        target = tempfile.NamedTemporaryFile(suffix='.so', delete=False)
        with jar.open(member) as source, target:
            shutil.copyfileobj(source, target, 1 << 24)
        return target.name


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('path', help='nd4j-cuda jar or libnd4jcuda.so')
    parser.add_argument('--extract', metavar='DIR', help='write one decompressed cubin per --arch into DIR')
    parser.add_argument('--arch', default='80,86', help='architectures to extract (default 80,86)')
    args = parser.parse_args()
    lib = library(args.path)
    counts = collections.Counter()
    sizes = collections.Counter()
    wanted = {int(a) for a in args.arch.split(',')} if args.extract else set()
    for kind, arch, flags, payload, full_size in entries(lib):
        counts[kind, arch] += 1
        sizes[kind, arch] += full_size
        if arch in wanted and kind == 'cubin' and 20_000 < full_size < 200_000:
            cubin = lz4_block(payload, full_size) if flags & COMPRESSED else payload
            with open(f'{args.extract}/nd4j_sm{arch}.cubin', 'wb') as out:
                out.write(cubin)
            wanted.discard(arch)
    for (kind, arch), n in sorted(counts.items()):
        print(f'{kind:5} sm_{arch:<3} {n:5} modules {sizes[kind, arch] / 2**20:8.1f} MiB')
    if lib != args.path:
        os.remove(lib)
    if not any(kind == 'PTX' for kind, _ in counts):
        newest = max(arch for _, arch in counts)
        print(f'no PTX: runs only on GPUs of the listed major versions, up to sm_{newest // 10}x')


if __name__ == '__main__':
    main()
