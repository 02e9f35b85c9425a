/**
 * A tiny pure-Python wheel made on the spot with Python's zipfile, so tests of
 * Python apps with dependencies need no package index (nor any network).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';

/** Builds `<name>-<version>-py3-none-any.whl` with a valid RECORD; pip installs it like any other. */
const MAKE_WHEEL = `
import base64, hashlib, sys, zipfile
out_dir, name, version, source = sys.argv[1:5]
dist = f"{name}-{version}.dist-info"
files = {
    f"{name}/__init__.py": source,
    f"{dist}/METADATA": f"Metadata-Version: 2.1\\nName: {name}\\nVersion: {version}\\n",
    f"{dist}/WHEEL": "Wheel-Version: 1.0\\nGenerator: cupaas-tests\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n",
}
def digest(data):
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
record = "".join(f"{p},{digest(c.encode())},{len(c.encode())}\\n" for p, c in files.items()) + f"{dist}/RECORD,,\\n"
path = f"{out_dir}/{name}-{version}-py3-none-any.whl"
with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
    for p, c in {**files, f"{dist}/RECORD": record}.items():
        z.writestr(p, c)
print(path)
`;

/** Writes a wheel of package `name` whose `__init__.py` is `source` into `dir`; returns its file name. */
export function writeTinyWheel(dir: string, name: string, version: string, source: string): string {
  mkdirSync(dir, { recursive: true });
  execFileSync('/usr/bin/python3', ['-c', MAKE_WHEEL, dir, name, version, source]);
  return `${name}-${version}-py3-none-any.whl`;
}

/** A PEP 503 "simple" index as files, for a `file://` PIP_INDEX_URL: `<root>/<name>/index.html` links the wheel. */
export function writeFileIndex(root: string, name: string, wheelPath: string): string {
  mkdirSync(join(root, name), { recursive: true });
  writeFileSync(join(root, name, 'index.html'), `<a href="file://${wheelPath}">${basename(wheelPath)}</a>\n`);
  return `file://${root}/`;
}
