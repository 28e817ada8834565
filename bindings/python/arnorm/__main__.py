"""``python -m arnorm``: the arnorm command-line program, with the same arguments (see ``arnorm --help``)."""

import os
import shutil
import subprocess
import sys
import sysconfig


def main() -> None:
    name = "arnorm.exe" if os.name == "nt" else "arnorm"
    exe = os.path.join(sysconfig.get_path("scripts"), name)
    if not os.path.isfile(exe):
        exe = shutil.which("arnorm") or ""
    if not exe:
        sys.exit("arnorm: the command-line program is not installed beside this Python (pip install arnorm)")
    if os.name == "nt":
        sys.exit(subprocess.call([exe, *sys.argv[1:]]))
    os.execv(exe, [exe, *sys.argv[1:]])


if __name__ == "__main__":
    main()
