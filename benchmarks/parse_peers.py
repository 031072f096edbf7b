"""Our parser side by side with the clients a Python user would pick instead, on the same
bytes: the `eurostat` package from PyPI (Eurostat TSV) and `sdmx1` (SDMX-CSV 2.0).

- `eurostat.get_data_df(code, flags=True)` is driven through its own download and parsing:
  its base URL (`eurostat.eurostat.__Uri__.BASE_URL`, the only setting it has) points at a
  loopback HTTP server started here, which answers the dataflow and data-structure requests
  it makes first (a minimal SDMX 2.1 structure naming the file's dimensions) and then serves
  the file itself as the API would (`format=TSV&compressed=true`: gzip, CRLF line ends, which
  the package splits on). Our parser reads the very same .tsv.gz from disk.
- `sdmx.read_sdmx(file, structure=dsd)` + `sdmx.to_pandas(..., attributes="o")` reads an
  SDMX-CSV 2.0 file (sdmx1 reads 2.0 only, with an ACTION column; the data-structure
  definition is built from the file's header); our parser reads the same file.

Files: every real TSV in the shared folder (made CRLF + gzip, as the API serves them), the
generated 20 MB bulk TSV of parse_throughput (3.1M observations: the peer needs ~30 s and
~3 GB for it; the 200 MB file would take it minutes), the real SDMX-CSV and one generated
from it (its series copied under new geography codes). Each parser runs in its own
subprocess (peak memory per parser), the timed call only (imports before the clock): ours
to the whole long table (`parse_file`), the peer to its own table (wide for `eurostat`,
long for sdmx1). Both must give the same observations: counts, missing values, series,
values per period and a weighted sum; flags are compared after the peer's conventions are
mapped to ours, and the cells that needed it are counted in the note. Goal: ours >= 5x
faster than the peer on every file. Skipped with the reason when the shared files or a peer
(`pip install -e ".[bench]"`, done by `make bench`) are absent.
"""

from __future__ import annotations

import gzip
import importlib.util
import json
import sys
import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from benchmarks.harness import RESULTS, Figure, Goal, Session, Skip, measure, median
from benchmarks.parse_throughput import (
    _checksum_polars,
    _compare,
    _timed,
    big_file,
    settle_pandas,
    shared_data,
    source_file,
)

PEERS = {"eurostat": "eurostat", "sdmx1": "sdmx"}  # distribution: module
REPEATS = 3  # small real files: median of 3 each; generated files: 1 run each
GENERATED_TSV_MB = 20
SDMX_COPIES = 2000  # the generated SDMX-CSV: 199 real rows x copies (~400k observations)


def run(session: Session) -> list[Figure]:
    folder = shared_data()
    source = source_file(folder)
    missing = [dist for dist, module in PEERS.items() if importlib.util.find_spec(module) is None]
    if missing:
        raise Skip(
            f"peer parser(s) not installed: {', '.join(missing)} (pip install -e '.[bench]')"
        )
    out = RESULTS / "parse" / "peers"
    out.mkdir(parents=True, exist_ok=True)
    generated, _ = big_file(session, source, GENERATED_TSV_MB)
    tsv = [p for p in sorted(folder.iterdir()) if p.name.endswith((".tsv", ".tsv.gz"))]
    served = {_code(p): _as_served(p, out) for p in [*tsv, generated]}
    worker = [sys.executable, "-m", "benchmarks.parse_peers"]
    env = session.env()
    figures = []
    with _server(served) as url:
        for code, path in served.items():
            runs = 1 if path.stat().st_size > 5e6 else REPEATS
            ours = _runs([*worker, "--ours", str(path)], env, runs)
            peer = _runs([*worker, "--eurostat", url, code], env, runs)
            figures.append(_side_by_side(f"TSV {code}", path, ours, peer, "eurostat", runs))
    sdmx = sorted(p for p in folder.iterdir() if p.name.endswith(".sdmx.csv"))
    if not sdmx:
        raise Skip(f"no SDMX-CSV file in {folder}")
    copies = 200 if session.quick else SDMX_COPIES
    for path in [_sdmx_v2(sdmx[0], out, 1), _sdmx_v2(sdmx[0], out, copies)]:
        runs = 1 if path.stat().st_size > 5e6 else REPEATS
        ours = _runs([*worker, "--ours", str(path)], env, runs)
        peer = _runs([*worker, "--sdmx1", str(path)], env, runs)
        figures.append(_side_by_side(f"SDMX-CSV {path.stem}", path, ours, peer, "sdmx1", runs))
    return figures


def _code(path: Path) -> str:
    return path.name.split(".")[0].lower()


def _as_served(path: Path, out: Path) -> Path:
    """The file as Eurostat's API serves a TSV: CRLF line ends, gzip."""
    data = path.read_bytes()
    data = gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data
    if b"\r\n" not in data[:4096]:
        data = data.replace(b"\n", b"\r\n")
    target = out / f"{_code(path)}.tsv.gz"
    target.write_bytes(gzip.compress(data, compresslevel=6, mtime=0))
    return target


def _sdmx_v2(path: Path, out: Path, copies: int) -> Path:
    """The SDMX-CSV 1.0 file (`DATAFLOW,LAST UPDATE,...`) as SDMX-CSV 2.0
    (`STRUCTURE,STRUCTURE_ID,ACTION,...`, CRLF), each series `copies` times under geography
    codes `<geo>_0001`, ... (one copy: the real file's observations as they are)."""
    lines = path.read_text().splitlines()
    header = lines[0].split(",")
    geo = header.index("geo")
    rows = []
    for line in lines[1:]:
        cells = line.split(",")
        rows.append(["dataflow", cells[0], "I", *cells[2:]])
    body = []
    for k in range(copies):
        for cells in rows:
            copy = list(cells)
            if copies > 1:
                copy[geo + 1] = f"{copy[geo + 1]}_{k + 1:04d}"
            body.append(",".join(copy))
    name = path.name.split(".")[0] + ("" if copies == 1 else f"_x{copies}")
    target = out / f"{name}.sdmx2.csv"
    head = ",".join(["STRUCTURE", "STRUCTURE_ID", "ACTION", *header[2:]])
    target.write_text("\r\n".join([head, *body]) + "\r\n", newline="")
    return target


def _runs(cmd: list[str], env: dict, runs: int) -> list[dict]:
    return [
        json.loads(measure(cmd, env=env).check(" ".join(cmd[3:5])).stdout.strip().splitlines()[-1])
        for _ in range(runs)
    ]


def _side_by_side(
    label: str, path: Path, ours: list[dict], peer: list[dict], name: str, runs: int
) -> Figure:
    same = _compare(ours[0]["checksum"], peer[0]["checksum"])
    if not same.startswith("same"):
        raise RuntimeError(f"{label}: our parser and {name} disagree: {same}")
    same = same.replace("as pandas", f"as {name}")
    mapped = peer[0]["mapped_flags"]
    size = path.stat().st_size
    text = len(gzip.decompress(path.read_bytes())) if path.suffix == ".gz" else size
    size_text = f"{text / 1e6:.2f} MB" + (f", {size / 1e6:.2f} MB gzip" if text != size else "")
    return Figure(
        f"{label} ({size_text}, {ours[0]['checksum']['rows']} obs)",
        median([r["seconds"] for r in ours]),
        baseline=name,
        baseline_value=median([r["seconds"] for r in peer]),
        goal=Goal("min_speedup", 5.0),
        peak_mb=max(r["peak_mb"] for r in ours),
        cpu_s=median([r["cpu_s"] for r in ours]),
        baseline_cpu_s=median([r["cpu_s"] for r in peer]),
        note=f"{'median of ' + str(runs) if runs > 1 else '1 run'} each; {same}; "
        f"{mapped} flag cells mapped ({peer[0]['mapping']}); "
        f"{name} peak {max(r['peak_mb'] for r in peer):.0f} MB",
    )


# --- the loopback Eurostat API the `eurostat` package is pointed at -------------------------

_MESSAGE = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<m:Structure xmlns:m="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message"'
    ' xmlns:s="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/structure">'
    "<m:Structures>{}</m:Structures></m:Structure>"
)


def _dataflow(code: str) -> bytes:
    inner = f'<s:Dataflows><s:Dataflow id="{code.upper()}"><s:Structure><Ref id="{code.upper()}"/>'
    return _MESSAGE.format(inner + "</s:Structure></s:Dataflow></s:Dataflows>").encode()


def _structure(code: str, dims: list[str]) -> bytes:
    listed = "".join(f'<s:Dimension id="{d}" position="{i}"/>' for i, d in enumerate(dims, 1))
    inner = (
        f'<s:DataStructures><s:DataStructure id="{code.upper()}"><s:DataStructureComponents>'
        f"<s:DimensionList>{listed}</s:DimensionList></s:DataStructureComponents>"
        "</s:DataStructure></s:DataStructures>"
    )
    return _MESSAGE.format(inner).encode()


def _dims(path: Path) -> list[str]:
    with gzip.open(path, "rt") as f:
        return f.readline().split("\t", 1)[0].rsplit("\\", 1)[0].split(",")


@contextmanager
def _server(files: dict[str, Path]):
    """A loopback server answering as Eurostat's SDMX 2.1 API for these files; yields the
    base URL to give the `eurostat` package; stopped on leaving."""
    answers = {}
    for code, path in files.items():
        base = f"/sdmx/2.1/{{}}/{code}"
        answers[base.format("dataflow/ESTAT") + "/latest"] = _dataflow(code)
        answers[f"/sdmx/2.1/datastructure/ESTAT/{code.upper()}/latest"] = _structure(
            code, _dims(path)
        )
        answers[f"/sdmx/2.1/data/{code}?format=TSV&compressed=true"] = path

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the http.server name)
            answer = answers.get(self.path)
            if answer is None:
                self.send_error(404)
                return
            body = answer.read_bytes() if isinstance(answer, Path) else answer
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/sdmx/2.1/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


# --- the workers (one subprocess each) -------------------------------------------------------


def _ours(path: Path) -> dict:
    from pipelines.sources.eurostat.parsing import parse_file

    parsed, figures = _timed(lambda: parse_file(path))
    return figures | {"checksum": _checksum_polars(parsed.frame, parsed.dimensions)}


def _eurostat(url: str, code: str) -> dict:
    import eurostat
    import eurostat.eurostat

    eurostat.eurostat.__Uri__.BASE_URL["EUROSTAT"] = url
    frame, figures = _timed(lambda: eurostat.get_data_df(code, flags=True))
    return figures | _eurostat_checksum(frame)


def _eurostat_checksum(wide) -> dict:
    """The checksum of the package's wide table (one row per series, `<period>_value` and
    `<period>_flag` per period). Its conventions, mapped to ours: a missing value's flag
    keeps the `:` (`:` alone, `: u`), which ours drops; the confidentiality status stays in
    the flag (`p@C`), which ours reads into conf_status, with the flag `c` and no value
    (`settle_pandas`)."""
    import pandas as pd

    from pipelines.sources.eurostat.parsing import normalise_period

    periods = [c[: -len("_value")] for c in wide.columns if c.endswith("_value")]
    dims = list(wide.columns[: list(wide.columns).index(periods[0] + "_value")])
    geo_len = wide[dims[-1]].str.len()
    by_time, flags, statuses, mapped, missing, weighted = {}, {}, {}, 0, 0, 0.0
    for period in periods:
        values = pd.to_numeric(wide[f"{period}_value"], errors="raise")
        raw = wide[f"{period}_flag"].fillna("")
        text = raw.str.replace(":", "", regex=False).str.strip()
        parts = text.str.partition("@")
        flag_text = parts[0].str.replace(" ", "", regex=False)
        values, ours, conf, settled = settle_pandas(values, flag_text, parts[2].str.strip())
        mapped += int(((raw != text) | settled).sum())
        for flag, n in ours.value_counts().items():
            flags[flag] = flags.get(flag, 0) + int(n)
        for code, n in conf.value_counts().items():
            statuses[code] = statuses.get(code, 0) + int(n)
        missing += int(values.isna().sum())
        by_time[normalise_period(period)] = [int(values.notna().sum()), float(values.sum())]
        weighted += float((values * geo_len).sum())
    return {
        "checksum": {
            "rows": len(wide) * len(periods),
            "missing": missing,
            "series": len(wide),
            "flags": flags,
            "conf_status": statuses,
            "by_time": by_time,
            "weighted": weighted,
        },
        "mapped_flags": mapped,
        "mapping": "':' of a missing value dropped from its flag, confidentiality settled",
    }


def _sdmx1(path: Path) -> dict:
    import sdmx
    from sdmx.model import common, v30

    header = path.read_text().split("\n", 1)[0].strip().split(",")
    dsd = v30.DataStructureDefinition(id=path.name.split(".")[0].upper())
    for column in header[3 : header.index("TIME_PERIOD")]:
        dsd.dimensions.getdefault(column)
    dsd.dimensions.getdefault("TIME_PERIOD", cls=common.TimeDimension)
    dsd.measures.getdefault("OBS_VALUE")
    for column in ("OBS_FLAG", "CONF_STATUS"):
        dsd.attributes.getdefault(column)

    def read():
        message = sdmx.read_sdmx(path, structure=dsd)
        return sdmx.to_pandas(message.data[0], attributes="o")

    long, figures = _timed(read)
    return figures | _sdmx1_checksum(long, [d.id for d in dsd.dimensions][:-1])


def _sdmx1_checksum(long, dims: list[str]) -> dict:
    """The checksum of sdmx1's table (index: dimensions and TIME_PERIOD; columns value,
    OBS_FLAG, CONF_STATUS). Its conventions, mapped to ours: CONF_STATUS stays in its own
    column, as ours (conf_status), but ours also marks a confidential cell (every status but
    F) with the flag `c` and gives it no value (`settle_pandas`)."""
    from pipelines.sources.eurostat.parsing import normalise_period

    frame = long.reset_index()
    time = frame["TIME_PERIOD"].map(normalise_period)
    raw = frame["OBS_FLAG"].fillna("").astype(str).str.lower().str.replace(r"[\s,]", "", regex=True)
    conf = frame["CONF_STATUS"].fillna("").astype(str).str.strip()
    values, flags, conf, settled = settle_pandas(frame["value"].astype(float), raw, conf)
    by_time = values.groupby(time).agg(["count", "sum"])
    first = frame[time == time.min()]
    return {
        "checksum": {
            "rows": len(frame),
            "missing": int(values.isna().sum()),
            "series": len(first[dims].drop_duplicates()),
            "flags": {str(f): int(n) for f, n in flags.value_counts().items()},
            "conf_status": {str(c): int(n) for c, n in conf.value_counts().items()},
            "by_time": {str(t): [int(r["count"]), float(r["sum"])] for t, r in by_time.iterrows()},
            "weighted": float((values * frame[dims[-1]].str.len()).sum()),
        },
        "mapped_flags": int(settled.sum()),
        "mapping": "confidential CONF_STATUS: flag 'c' added, value dropped, status kept",
    }


if __name__ == "__main__" and len(sys.argv) >= 3:
    mode, args = sys.argv[1], sys.argv[2:]
    if mode == "--ours":
        result = _ours(Path(args[0]))
    elif mode == "--eurostat":
        result = _eurostat(args[0], args[1])
    else:
        result = _sdmx1(Path(args[0]))
    print(json.dumps(result))
