"""``python -m arnorm``: the arnorm command-line program, with the same arguments (see ``arnorm --help``)."""

import os
import shutil
import sys
import sysconfig


def main() -> None:
    exe = os.path.join(sysconfig.get_path("scripts"), "arnorm")
    if not os.path.isfile(exe):
        exe = shutil.which("arnorm") or ""
    if not exe:
        sys.exit("arnorm: the command-line program is not installed beside this Python "
                 "(pip install arnorm; it is built on Linux and macOS, not on Windows)")
    os.execv(exe, [exe, *sys.argv[1:]])


if __name__ == "__main__":
    main()
