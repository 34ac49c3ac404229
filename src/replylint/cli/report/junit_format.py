"""The `junit` format: a JUnit XML report, one test case per checked file, for CI test tabs."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import TextIO

from replylint.engine.model import Severity

from ..results import RunResult
from .concise_format import concise_line
from .terminal import printable


def render(run: RunResult, out: TextIO) -> None:
    """JUnit XML: one test case per checked file, failed when it has findings. XML 1.0 cannot
    hold control characters, so names and messages carry them escaped (see terminal.printable)."""
    failures = sum(1 for r in run.results if r.findings)
    suite = ET.Element("testsuite", name="replylint", tests=str(len(run.results) + len(run.errors)),
                       failures=str(failures), errors=str(len(run.errors)), skipped="0")
    for result in run.results:
        case = ET.SubElement(suite, "testcase", classname="replylint", name=printable(result.path))
        if result.findings:
            worst = max(result.findings, key=lambda f: Severity(f.severity).rank)
            failure = ET.SubElement(case, "failure", type=worst.severity,
                                    message=f"{len(result.findings)} finding(s), worst: {worst.rule} {worst.name}")
            failure.text = "\n".join(concise_line(result.path, f) for f in result.findings)
    for error in run.errors:
        case = ET.SubElement(suite, "testcase", classname="replylint", name=printable(error.split(": ", 1)[0]))
        ET.SubElement(case, "error", message=printable(error))
    root = ET.Element("testsuites", name="replylint", tests=suite.get("tests", "0"),
                      failures=suite.get("failures", "0"), errors=suite.get("errors", "0"))
    root.append(suite)
    ET.indent(root)
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write(ET.tostring(root, encoding="unicode"))
    out.write("\n")
