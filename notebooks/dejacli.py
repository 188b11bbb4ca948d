"""Deja's command line, called from a notebook.

The notebooks read Deja only through its CLI's machine-readable output
(`deja query --format csv`, `hunt/stages/diff --format json`): this module
finds the project's `./deja`, runs it from the project root (so paths such as
kernels/build/heisenbug.raw work wherever the notebook was started) and turns
that output into Python values and pandas DataFrames. Nothing here knows how
Deja computes anything.
"""
import io
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pandas as pd


def find_root():
    """The project root: $DEJA_ROOT, else the first directory at or above the working directory holding ./deja."""
    env = os.environ.get("DEJA_ROOT")
    if env:
        return Path(env).resolve()
    here = Path.cwd().resolve()
    for d in [here, *here.parents]:
        if (d / "deja").is_file() and (d / "notebooks" / "dejacli.py").is_file():
            return d
    raise RuntimeError(f"no Deja project (./deja and notebooks/) at or above {here}: set DEJA_ROOT")


ROOT = find_root()
# Recordings go under the build directory unless DEJA_NOTEBOOK_WORK says otherwise.
WORK = Path(os.environ.get("DEJA_NOTEBOOK_WORK", ROOT / "target" / "notebooks" / "work")).resolve()


def rel(path):
    """A path as the notebook prints it: relative to the project root when under it (same text on every machine)."""
    p = Path(path).resolve()
    try:
        return str(p.relative_to(ROOT))
    except ValueError:
        return str(p)


def fresh(name):
    """WORK/name, removed with whatever a previous run left there (and NAME.passing beside it)."""
    d = WORK / name
    for old in (d, d.with_name(d.name + ".passing")):
        if old.exists():
            shutil.rmtree(old)
    d.parent.mkdir(parents=True, exist_ok=True)
    return d


class DejaError(RuntimeError):
    pass


def run(*args, ok=(0,)):
    """Runs ./deja ARGS from the project root; returns (exit status, stdout, stderr). An exit status not in ok raises."""
    cmd = [str(ROOT / "deja"), *[str(a) for a in args]]
    p = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    if p.returncode not in ok:
        shown = " ".join(rel(a) if isinstance(a, Path) else str(a) for a in args)
        raise DejaError(f"deja {shown} exited {p.returncode}\n{p.stderr}{p.stdout[-2000:]}")
    return p.returncode, p.stdout, p.stderr


def deja(*args, ok=(0,)):
    """stdout of ./deja ARGS."""
    return run(*args, ok=ok)[1]


def deja_json(*args, ok=(0,)):
    """./deja ARGS --format json, parsed."""
    return json.loads(deja(*args, "--format", "json", ok=ok))


def query(recording, sql=None, file=None):
    """A `deja query --format csv` result as a DataFrame (integers stay integers: addresses are plain numbers)."""
    args = ["query", recording, "--format", "csv"]
    if file is not None:
        args += ["--file", ROOT / file]
    else:
        args.append(sql)
    text = deja(*args)
    if not text.strip():
        return pd.DataFrame()
    return pd.read_csv(io.StringIO(text))


def hexed(df, *columns):
    """A copy of df with the named integer columns shown in hex (for tables of addresses)."""
    out = df.copy()
    for c in columns:
        out[c] = out[c].map(lambda v: "" if pd.isna(v) else f"{int(v):#x}")
    return out


def without_paths(text):
    """Text with absolute paths under the project root made relative (outputs read the same on every machine)."""
    return re.sub(re.escape(str(ROOT)) + r"/", "", text)


def show(fig, colors=32):
    """Displays a figure as a palette PNG of a few KB (plots are flat colours: 32 lose nothing visible) and closes it."""
    import matplotlib.pyplot as plt
    from IPython.display import Image, display
    from PIL import Image as PilImage

    raw = io.BytesIO()
    fig.savefig(raw, format="png", metadata={"Software": None})
    plt.close(fig)
    small = io.BytesIO()
    PilImage.open(raw).convert("RGB").quantize(colors=colors, method=PilImage.Quantize.FASTOCTREE).save(small, format="png", optimize=True)
    display(Image(data=small.getvalue(), format="png"))
