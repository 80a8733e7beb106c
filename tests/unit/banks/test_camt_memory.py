"""A large CAMT.053 is streamed: memory follows the lines it yields, not the XML tree.

Peak memory is measured in a fresh interpreter: lxml's tree lives outside Python's allocator, so
``tracemalloc`` cannot see it, and a fresh process has no freed memory to hide the growth in.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

ENTRIES = 20_000
# The 20k lines themselves take ~17 MiB; the whole tree (280k elements) took another ~60 MiB.
PEAK_GROWTH_LIMIT_MIB = 40
REPO = Path(__file__).resolve().parents[3]

# VmHWM, not ru_maxrss: a child's ru_maxrss starts at its parent's peak (pytest's, here).
_MEASURE = """
import sys
from adapters.banks.camt_parser import CamtStatementParser
def peak_kib():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
data = open(sys.argv[1], "rb").read()
before = peak_kib()
parsed = CamtStatementParser().parse(data)
print(len(parsed.lines), parsed.lines[-1].bank_reference, (peak_kib() - before) / 1024)
"""


def _statement(entries: int) -> bytes:
    """The shape the import benchmark uses: one debit with one transaction's details each."""
    start = date(2020, 1, 1)
    body = "".join(
        f'<Ntry><Amt Ccy="EUR">{1 + i % 900}.{i % 100:02d}</Amt><CdtDbtInd>DBIT</CdtDbtInd>'
        f"<Sts>BOOK</Sts><BookgDt><Dt>{start + timedelta(days=i % 1500)}</Dt></BookgDt>"
        f"<AcctSvcrRef>ACR{i:09d}</AcctSvcrRef><NtryDtls><TxDtls><RltdPties><Cdtr>"
        f"<Nm>Merchant {i % 997}</Nm></Cdtr></RltdPties><RmtInf><Ustrd>Card payment {i % 31}"
        "</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>\n"
        for i in range(entries)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>'
        "<Stmt><Acct><Id><IBAN>DE14123456780123456789</IBAN></Id><Ccy>EUR</Ccy></Acct>\n"
        f"{body}</Stmt></BkToCstmrStmt></Document>\n"
    ).encode()


def test_a_large_statement_is_parsed_without_holding_its_whole_tree(tmp_path: Path) -> None:
    path = tmp_path / "large.xml"
    path.write_bytes(_statement(ENTRIES))

    measured = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )

    lines, last_reference, growth_mib = measured.stdout.split()
    assert (int(lines), last_reference) == (ENTRIES, f"ACR{ENTRIES - 1:09d}")
    assert float(growth_mib) < PEAK_GROWTH_LIMIT_MIB
