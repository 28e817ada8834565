#!/usr/bin/env python3
"""Instructions per input byte of the hot loop of an AArch64 build, counted
under qemu-user (no AArch64 machine is at hand to time it).

    bench/qemu_count.py BUILD_DIR FILE [SIMD]   (SIMD: ARNORM_SIMD for the run, e.g. none)

Runs BUILD_DIR/core/arnorm on FILE under qemu-aarch64 with its execution log
(-d in_asm,exec,nochain): every translated block with its instructions, then
every block executed. Counts the instructions executed inside the
normalization (Normalizer::normalize_into and the functions it runs: the
engine, the hot loop, the NEON blocks), not the CLI's reading and writing or
the table compilation, and divides by the input's size.
"""
import os
import re
import subprocess
import sys

HOT = re.compile(r"arnorm::(Normalizer::normalize_into|Stream::|detail::neon_blocks|"
                 r"detail::\(anonymous namespace\)::Engine|detail::decode_utf8)")


def symbols(binary):
    """(start, end) address ranges of the hot functions, from the symbol table."""
    with open(binary, "rb") as f:
        if f.read(18)[16] != 2:  # e_type ET_EXEC: the addresses are the run-time ones
            sys.exit("qemu_count: link the program without PIE (-no-pie)")
    out = subprocess.run(["aarch64-linux-gnu-nm", "-C", "-S", "--defined-only", binary],
                         capture_output=True, text=True, check=True).stdout
    ranges = []
    for line in out.splitlines():
        parts = line.split(maxsplit=3)
        if len(parts) == 4 and parts[2].lower() == "t" and HOT.search(parts[3]):
            ranges.append((int(parts[0], 16), int(parts[0], 16) + int(parts[1], 16)))
    return ranges


def main():
    build, path = sys.argv[1], sys.argv[2]
    binary = os.path.join(build, "core", "arnorm")
    ranges = symbols(binary)
    env = dict(os.environ)
    if len(sys.argv) > 3:
        env["ARNORM_SIMD"] = sys.argv[3]
    size = os.path.getsize(path)
    with open(path, "rb") as text:
        proc = subprocess.Popen(["qemu-aarch64", "-L", "/usr/aarch64-linux-gnu", "-d", "in_asm,exec,nochain",
                                 "-D", "/dev/stderr", binary], stdin=text, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, env=env)
    size_of = {}  # block address -> instructions
    block, total = None, 0
    for raw in proc.stderr:
        line = raw.decode("ascii", "replace")
        if line.startswith("IN:"):
            block = None
        elif line.startswith("0x"):
            pc = int(line.split(":", 1)[0], 16)
            if block is None:
                block = pc
                size_of[block] = 0
            size_of[block] += 1
        elif line.startswith("Trace"):
            pc = int(line.split("[", 1)[1].split("/")[1], 16)
            if any(lo <= pc < hi for lo, hi in ranges):
                total += size_of.get(pc, 0)
    if proc.wait() != 0:
        sys.exit("qemu_count: the program failed")
    print(f"{total / size:.3f} instructions per byte ({total} on {size} bytes)")


if __name__ == "__main__":
    main()
