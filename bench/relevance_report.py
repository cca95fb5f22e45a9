"""Render benchmark results as markdown: per-set tables, the tuning sweep, goals, problems."""

from __future__ import annotations

from collections.abc import Sequence

from relevance_metrics import METRICS

GOAL_MIN_GAIN = {"mlqa": 5.0, "xglue_tune": 5.0, "xglue_test": 5.0}  # relative %, else > 0
REFERENCE_TOLERANCE = 0.005


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A markdown table, first column left-aligned and the rest right-aligned."""
    cells = [list(header), *[list(r) for r in rows]]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    out = []
    for n, row in enumerate(cells):
        pairs = enumerate(zip(row, widths, strict=True))
        parts = [c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in pairs]
        out.append("| " + " | ".join(parts) + " |")
        if n == 0:
            out.append("|" + "|".join(["-" * (widths[0] + 2)] + [
                "-" * (w + 1) + ":" for w in widths[1:]
            ]) + "|")
    return "\n".join(out)


def relative(ours: float, base: float) -> float:
    """Relative change of ours over base in percent."""
    return (ours - base) / base * 100 if base else 0.0


def set_table(result: dict) -> str:
    """The per-set table: baseline, our main row, then any ablation rows."""
    base = result["rows"]["baseline"]["metrics"]["mrr@10"]
    n = result["queries"]
    rows = []
    for name, row in result["rows"].items():
        if row.get("build_error"):
            rows.append([name, "build failed", "", "", "", "", ""])
            continue
        m = row["metrics"]
        delta = "" if name == "baseline" else f"{relative(m['mrr@10'], base):+.1f}%"
        empty = f"{row['no_hits']} ({row['no_hits'] / n:.0%})" if n else "0"
        rows.append([name, *(f"{m[k]:.4f}" for k in METRICS), delta, empty])
    header = ["system", "MRR@10", "nDCG@10", "R@10", "R@100", "Δ MRR vs baseline", "no hits"]
    return _table(header, rows)


def set_heading(result: dict) -> str:
    """Name the set and say loudly whether it is held out."""
    kind = "HELD OUT (reported once, never tuned on)" if result["held_out"] else "tune set"
    return (
        f"### {result['name']} — {kind}\n\n"
        f"{result['queries']} queries, {result['docs']} documents. "
        f"Indexed: {result['indexed']}. Relevant: {result['relevance']}."
    )


def set_footer(result: dict) -> list[str]:
    """Time, baseline sanity check, goal check, build problems and raised queries."""
    t = result["seconds"]
    lines = [
        f"Time: {t['total']:.1f} s of work (index builds {t['build']:.1f} s, searches "
        f"{t['search']:.1f} s, baseline {t['baseline']:.1f} s)."
    ]
    lines.append(reference_check(result))
    lines.append(goal_check(result))
    lines.extend(f"Note: {note}" for note in result["notes"])
    failed: dict[str, list[str]] = {}
    problems: dict[str, list[str]] = {}
    for name, row in result["rows"].items():
        if row.get("build_error"):
            failed.setdefault(row["build_error"], []).append(name)
        for problem in row.get("build_problems", []):
            problems.setdefault(problem, []).append(name)
    lines.extend(f"BUILD FAILED ({', '.join(n)}): {e}" for e, n in failed.items())
    lines.extend(f"Build problem ({', '.join(n)}): {p}" for p, n in problems.items())
    for name, row in result["rows"].items():
        errors = row.get("errors", [])
        if errors:
            lines.append(f"BUG: {len(errors)} queries raised in {name}, e.g.:")
            lines.extend(f"  - {e['text']!r}: {e['error']}" for e in errors[:5])
    return lines


def reference_check(result: dict) -> str:
    """Compare the baseline's MRR@10 with the number in BASELINES.md."""
    ref = result.get("reference_mrr")
    got = result["rows"]["baseline"]["metrics"]["mrr@10"]
    if ref is None:
        return f"Baseline check: no reference number for this set (baseline MRR@10 {got:.4f})."
    if result.get("subset"):
        return f"Baseline check: skipped, queries were limited (reference {ref:.4f})."
    verdict = "reproduced" if abs(got - ref) <= REFERENCE_TOLERANCE else "NOT REPRODUCED"
    return (
        f"Baseline check: MRR@10 {got:.4f} vs BASELINES.md {ref:.4f} "
        f"(Δ {got - ref:+.4f}) — {verdict}."
    )


def goal_check(result: dict) -> str:
    """Say whether our main row meets the goal on this set."""
    ours = result["rows"].get("ours", {})
    if ours.get("build_error") or "metrics" not in ours:
        return "Goal: not measurable (our build failed)."
    gain = relative(ours["metrics"]["mrr@10"], result["rows"]["baseline"]["metrics"]["mrr@10"])
    need = GOAL_MIN_GAIN.get(result["name"], 0.0)
    met = gain >= need if need else gain > 0
    want = f"≥ +{need:.0f}%" if need else "> 0%"
    return f"Goal (MRR@10 {want} vs baseline): {'MET' if met else 'NOT MET'} ({gain:+.1f}%)."


def tuning_table(results: list[dict]) -> str:
    """MRR@10 of every configuration on each tune set, with the mean, best marked."""
    tune = [r for r in results if not r["held_out"]]
    names = [n for n in tune[0]["rows"] if n != "baseline"] if tune else []
    if not tune or len(names) < 2:
        return ""
    scores = {n: [_mrr(r, n) for r in tune] for n in names}
    means = {n: sum(v) / len(v) for n, v in scores.items() if None not in v}
    best_mean = max(means.values()) if means else None
    best_per_set = [max((s[i] for s in scores.values() if s[i] is not None), default=None)
                    for i in range(len(tune))]
    rows = []
    for n in names:
        cells = []
        for i, value in enumerate(scores[n]):
            mark = " *" if value is not None and value == best_per_set[i] else ""
            cells.append("failed" if value is None else f"{value:.4f}{mark}")
        mean = means.get(n)
        mark = " *" if mean is not None and mean == best_mean else ""
        delta = "" if mean is None or "ours" not in means else f"{mean - means['ours']:+.4f}"
        rows.append([n, *cells, "failed" if mean is None else f"{mean:.4f}{mark}", delta])
    header = ["configuration", *(r["name"] for r in tune), "mean MRR@10", "vs ours"]
    return _table(header, rows) + "\n\n(* = best on that set / best mean; tune sets only)"


def _mrr(result: dict, name: str) -> float | None:
    """MRR@10 of one row, None when its build failed."""
    row = result["rows"].get(name, {})
    return row["metrics"]["mrr@10"] if "metrics" in row else None


def losses(result: dict, row: str, texts: list[str], count: int) -> list[str]:
    """The queries the baseline ranks best while our row ranks them worst."""
    base, ours = result["ranks"]["baseline"], result["ranks"].get(row)
    if ours is None:
        return []
    worst = 10**6
    pairs = [
        (texts[i], b, o) for i, (b, o) in enumerate(zip(base, ours, strict=True))
        if b is not None and b <= 10 and (o is None or o > b)
    ]
    pairs.sort(key=lambda p: (-((p[2] or worst) - p[1]), p[1]))
    return [f"  - {t!r}: baseline rank {b}, {row} rank {o or '>100/none'}"
            for t, b, o in pairs[:count]]
