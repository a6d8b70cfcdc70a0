#!/usr/bin/env python3
"""Regenerates src/main/proto/ from etcd 3.4's .proto files (Debian's golang-etcd-server-dev).

    python3 valkeyrie-etcdv3/strip-etcd-protos.py [ETCD_SOURCE_DIR]

ETCD_SOURCE_DIR defaults to /usr/share/gocode/src/go.etcd.io/etcd. What it does to each file:
removes the gogoproto import and options and the google.api.http annotations (with their nested
additional_bindings) and import, rewrites the imports to this module's paths, and adds
java_package and java_multiple_files. Every message, field, enum and service is kept as is; the
proto packages (etcdserverpb, mvccpb, authpb) must stay, since they name the gRPC methods.
"""
import pathlib
import re
import sys

SOURCE = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "/usr/share/gocode/src/go.etcd.io/etcd")
TARGET = pathlib.Path(__file__).resolve().parent / "src" / "main" / "proto"

# etcd path -> (path here, java package)
FILES = {
    "etcdserver/etcdserverpb/rpc.proto": ("etcdserverpb/rpc.proto", "dev.valkeyrie.etcdv3.rpc"),
    "mvcc/mvccpb/kv.proto": ("mvccpb/kv.proto", "dev.valkeyrie.etcdv3.rpc.mvcc"),
    "auth/authpb/auth.proto": ("authpb/auth.proto", "dev.valkeyrie.etcdv3.rpc.auth"),
}
IMPORTS = {"etcd/" + k: v[0] for k, v in FILES.items()}

HEADER = """\
// Copyright 2013-2017 The etcd Authors (and 2014-2015 CoreOS, Inc)
//
// Licensed under the Apache License, Version 2.0 (the "License");
// you may not use this file except in compliance with the License.
// You may obtain a copy of the License at
//
//     http://www.apache.org/licenses/LICENSE-2.0
//
// Unless required by applicable law or agreed to in writing, software
// distributed under the License is distributed on an "AS IS" BASIS,
// WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
// See the License for the specific language governing permissions and
// limitations under the License.
//
// From etcd {version}: {origin}, as shipped in Debian's golang-etcd-server-dev
// {deb_version}. Stripped by valkeyrie-etcdv3/strip-etcd-protos.py: the gogoproto import and
// options, the google.api.http annotations (with additional_bindings) and their import; imports
// rewritten to this tree; java_package and java_multiple_files added. Nothing else changed.

"""


def strip_http_options(text):
    """Removes every `option (google.api.http) = { ... };` block, nested braces included."""
    out, i = [], 0
    pattern = re.compile(r"[ \t]*option \(google\.api\.http\) = \{")
    while True:
        m = pattern.search(text, i)
        if not m:
            out.append(text[i:])
            return "".join(out)
        out.append(text[i:m.start()])
        depth, j = 1, m.end()
        while depth:
            depth += {"{": 1, "}": -1}.get(text[j], 0)
            j += 1
        end = text.index(";", j) + 1
        if text[end:end + 1] == "\n":
            end += 1
        i = end


def strip(text, java_package):
    text = strip_http_options(text)
    text = re.sub(r'^import "gogoproto/gogo\.proto";\n', "", text, flags=re.M)
    text = re.sub(r'^// for grpc-gateway\nimport "google/api/annotations\.proto";\n', "", text, flags=re.M)
    text = re.sub(r"^option \(gogoproto\.[a-z_]+\) = (true|false);\n", "", text, flags=re.M)
    for old, new in IMPORTS.items():
        text = text.replace('import "%s";' % old, 'import "%s";' % new)
    # rpc Foo(A) returns (B) {\n  }  ->  rpc Foo(A) returns (B) {}
    text = re.sub(r"\) \{\s*\n\s*\}", ") {}", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    text = re.sub(r"^(package \w+;\n)\n*",
                  r'\1\noption java_package = "%s";\noption java_multiple_files = true;\n\n' % java_package,
                  text, count=1, flags=re.M)
    for banned in ("gogoproto", "google.api", "google/api"):
        if banned in text:
            sys.exit("left over after stripping: " + banned)
    return text


def main():
    version = (SOURCE / "version" / "version.go").read_text()
    version = re.search(r'\bVersion\s+=\s+"([^"]+)"', version).group(1)
    deb = "(version unknown)"
    status = pathlib.Path("/var/lib/dpkg/status")
    if status.exists():
        m = re.search(r"Package: golang-etcd-server-dev\n(?:.+\n)*?Version: (\S+)", status.read_text())
        if m:
            deb = m.group(1)
    for origin, (path, java_package) in FILES.items():
        text = strip((SOURCE / origin).read_text(), java_package)
        header = HEADER.format(version=version, origin=origin, deb_version=deb)
        dest = TARGET / path
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_text(header + text)
        print("wrote", dest)


if __name__ == "__main__":
    main()
