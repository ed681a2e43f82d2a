#!/usr/bin/env python3
"""Export a repository's whole tree at HEAD from a local bare mirror into a new folder.

    python3 bench/export_repo.py GIT_DIR DEST

`git archive HEAD` first; when it fails (a snapshot may lack some blobs, usually large files),
file by file through one `git cat-file --batch`, skipping the missing blobs and saying how many.
Symbolic links are recreated as links; submodules (gitlinks) are left out, as `git archive`
does. Prints the number of files written. Standard library only.
"""

import io
import os
import subprocess
import sys
import tarfile


def safe_extract(data, dest):
    with tarfile.open(fileobj=io.BytesIO(data)) as tf:
        if hasattr(tarfile, "data_filter"):
            tf.extractall(dest, filter="data")
            return
        members = []
        for m in tf.getmembers():  # Python < 3.12: refuse absolute and parent paths ourselves
            if m.name.startswith("/") or ".." in m.name.split("/"):
                sys.exit(f"export_repo.py: unsafe path in archive: {m.name}")
            members.append(m)
        tf.extractall(dest, members=members)


def by_file(git_dir, dest):
    ls = subprocess.run(["git", "--git-dir", git_dir, "ls-tree", "-r", "-z", "HEAD"],
                        capture_output=True, check=True)
    entries = []
    for entry in ls.stdout.split(b"\0"):
        if not entry:
            continue
        meta, name = entry.split(b"\t", 1)
        mode, kind, sha = meta.split()
        name = name.decode("utf-8", "surrogateescape")
        if kind != b"blob" or name.startswith("/") or ".." in name.split("/"):
            continue
        entries.append((mode, sha, name))
    batch = subprocess.run(["git", "--git-dir", git_dir, "cat-file", "--batch"],
                           input=b"".join(sha + b"\n" for _, sha, _ in entries),
                           capture_output=True, check=True)
    out, pos, written, missing = batch.stdout, 0, 0, 0
    for mode, sha, name in entries:
        end = out.index(b"\n", pos)
        header = out[pos:end].split()
        pos = end + 1
        if len(header) < 3 or header[1] != b"blob":  # "<sha> missing"
            missing += 1
            continue
        size = int(header[2])
        body = out[pos:pos + size]
        pos += size + 1  # the content is followed by a newline
        target = os.path.join(dest, name)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        if mode == b"120000":
            os.symlink(body.decode("utf-8", "surrogateescape"), target)
        else:
            with open(target, "wb") as fh:
                fh.write(body)
            if mode == b"100755":
                os.chmod(target, 0o755)
        written += 1
    if missing:
        print(f"export_repo.py: {git_dir}: {missing} blobs missing from the snapshot, skipped",
              file=sys.stderr)
    return written


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__.strip().splitlines()[2].strip())
    git_dir, dest = sys.argv[1], sys.argv[2]
    os.makedirs(dest)
    archive = subprocess.run(["git", "--git-dir", git_dir, "archive", "--format=tar", "HEAD"],
                             capture_output=True)
    if archive.returncode == 0:
        safe_extract(archive.stdout, dest)
    else:
        err = archive.stderr.decode(errors="replace").strip()[:200]
        print(f"export_repo.py: git archive failed ({err}); exporting file by file", file=sys.stderr)
        by_file(git_dir, dest)
    count = sum(len(files) for root, _, files in os.walk(dest))
    print(count)


if __name__ == "__main__":
    main()
