"""pip-audit over the project's virtualenv, failing only on real findings (issue 15.8).

`scripts/test` runs this after mypy; extra arguments (`--ignore-vuln ID`, each with its
reason in scripts/test) go to pip-audit. The verdict:

- the service named a known vulnerability: print each one, exit 1 (CI fails);
- the service could not be reached, or knew none of the installed versions (a mirror
  without per-version metadata answers 404 for every package): say loudly that the
  dependencies were NOT audited, and exit 0, so an offline machine can still run tests;
- otherwise: how many were audited, exit 0.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

PIP_AUDIT = Path(sys.executable).with_name("pip-audit")


def verdict(returncode: int, report: dict[str, Any] | None, stderr: str) -> tuple[int, str]:
    """(exit code, message) for one pip-audit run."""
    deps = (report or {}).get("dependencies", [])
    found = [d for d in deps if d.get("vulns")]
    if found:
        lines = [f"  {d['name']} {d.get('version', '?')}: {v['id']} "
                 f"(fixed in {', '.join(v.get('fix_versions') or ['no release yet'])})"
                 for d in found for v in d["vulns"]]
        return 1, "pip-audit: known vulnerabilities (fix, or add a justified " \
                  "--ignore-vuln line to scripts/test):\n" + "\n".join(lines)
    if returncode != 0 or report is None:
        last = (stderr.strip().splitlines() or ["no output"])[-1][:300]
        return 0, f"pip-audit: WARNING the vulnerability service could not be reached " \
                  f"({last}); dependencies were NOT audited"
    audited = [d for d in deps if "skip_reason" not in d]
    skipped = len(deps) - len(audited)
    if deps and not audited:
        return 0, f"pip-audit: WARNING the service knew none of the {skipped} installed " \
                  "versions; dependencies were NOT audited"
    return 0, f"pip-audit: {len(audited)} dependencies audited, no known vulnerabilities" \
              + (f" ({skipped} unknown to the service, not audited)" if skipped else "")


def main(argv: list[str]) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "audit.json"
        run = subprocess.run(  # noqa: S603 - fixed executable, our own arguments
            [str(PIP_AUDIT), "--format", "json", "--output", str(out), "--skip-editable",
             "--progress-spinner", "off", *argv],
            capture_output=True, text=True, timeout=600, check=False)
        try:
            report = json.loads(out.read_text()) if out.exists() else None
        except ValueError:
            report = None
    code, message = verdict(run.returncode, report, run.stderr)
    print(message, file=sys.stderr if code else sys.stdout)
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
