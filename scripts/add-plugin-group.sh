#!/usr/bin/env bash
# Offers to add <pluginGroup>dev.cleanroom</pluginGroup> to ~/.m2/settings.xml.
#
# Maven resolves a goal prefix (`cleanroom:` in `mvn cleanroom:run -Dfile=...` or
# `mvn cleanroom:plugins`) from the plugins of the current POM, then from the plugin groups of
# settings.xml (org.apache.maven.plugins and org.codehaus.mojo by default). Outside a project
# that declares the plugin it otherwise fails with "No plugin found for prefix 'cleanroom'".
#
# A user's settings.xml is theirs: this script edits it only when asked on a terminal and the
# answer is "y", after a backup next to it. Without a terminal (CI, pipes) it only says how.
# The edit needs python3 (to leave comments and layout as they are and to check the result is
# still XML); without python3 it says how to do it by hand and changes nothing.
#
# Usage: scripts/add-plugin-group.sh   (called by scripts/run-example.sh)
set -euo pipefail

readonly GROUP=dev.cleanroom
readonly ENTRY="<pluginGroup>$GROUP</pluginGroup>"
readonly SETTINGS=$HOME/.m2/settings.xml
readonly SHOWN='~/.m2/settings.xml' # as users know it, whatever HOME is

say() { echo "[settings] $*"; }

version() {
  sed -n 's:^  <version>\(.*\)</version>.*:\1:p' "$(dirname "${BASH_SOURCE[0]}")/../pom.xml" | head -1
}

how_to() {
  say "To use the short prefix outside a project (mvn cleanroom:run -Dfile=..., mvn cleanroom:plugins),"
  say "add this inside <settings> of $SHOWN (into <pluginGroups> if it has one):"
  say "  <pluginGroups>"
  say "    $ENTRY"
  say "  </pluginGroups>"
  say "or name the plugin in full: mvn dev.cleanroom:cleanroom-maven-plugin:$(version):run -Dfile=x.clnrm.toml"
}

already_there() {
  [[ -f $SETTINGS ]] && grep -q "<pluginGroup>[[:space:]]*$GROUP[[:space:]]*</pluginGroup>" "$SETTINGS"
}

# Inserts the group with python3: into <pluginGroups> (or <pluginGroups/>), else a new
# <pluginGroups> right after <settings ...>; tags inside comments do not count. The result
# must parse and hold the group in settings/pluginGroups before it replaces the file.
edit_settings() {
  python3 - "$SETTINGS" "$GROUP" <<'EOF'
import os, re, sys, tempfile
import xml.etree.ElementTree as ET

path, group = sys.argv[1], sys.argv[2]
entry = "<pluginGroup>%s</pluginGroup>" % group

def local(element):
    return element.tag.rsplit("}", 1)[-1]

def has_group(text):
    root = ET.fromstring(text)
    return local(root) == "settings" and any(
        (g.text or "").strip() == group
        for p in root if local(p) == "pluginGroups" for g in p if local(g) == "pluginGroup")

def indent_at(text, offset):
    line = text[text.rfind("\n", 0, offset) + 1:offset]
    return line[:len(line) - len(line.lstrip())]

def with_group(text):
    # Blank out comments, keeping offsets, so a tag inside one is never taken for the element.
    masked = re.sub(r"<!--.*?-->", lambda m: " " * len(m.group()), text, flags=re.S)
    empty = re.search(r"<pluginGroups\s*/>", masked)
    if empty:
        pad = indent_at(text, empty.start())
        return (text[:empty.start()] + "<pluginGroups>\n" + pad + "  " + entry + "\n" + pad
                + "</pluginGroups>" + text[empty.end():])
    groups = re.search(r"<pluginGroups\s*>", masked)
    if groups:
        pad = indent_at(text, groups.start()) + "  "
        return text[:groups.end()] + "\n" + pad + entry + text[groups.end():]
    settings = re.search(r"<settings\b[^>]*>", masked)
    if not settings:
        raise ValueError("it has no <settings> element")
    return (text[:settings.end()] + "\n  <pluginGroups>\n    " + entry + "\n  </pluginGroups>"
            + text[settings.end():])

if os.path.exists(path):
    with open(path, encoding="utf-8") as f:
        original = f.read()
    try:
        ET.fromstring(original)
    except ET.ParseError as e:
        sys.exit("%s is not well-formed XML (%s); left unchanged. Perhaps you should fix it, then run "
                 "this script again" % (path, e))
    try:
        updated = with_group(original)
    except ValueError as e:
        sys.exit("%s: %s; left unchanged. Perhaps you should add the plugin group by hand" % (path, e))
else:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    updated = ('<?xml version="1.0" encoding="UTF-8"?>\n'
               '<settings xmlns="http://maven.apache.org/SETTINGS/1.2.0"\n'
               '          xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"\n'
               '          xsi:schemaLocation="http://maven.apache.org/SETTINGS/1.2.0 '
               'https://maven.apache.org/xsd/settings-1.2.0.xsd">\n'
               '  <pluginGroups>\n    ' + entry + '\n  </pluginGroups>\n</settings>\n')

if not has_group(updated):
    sys.exit("could not add the plugin group to %s; left unchanged. Perhaps you should add it by hand" % path)
# Write next to the file, then rename: an interrupted run never leaves half a settings.xml.
fd, temp = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".settings.xml.")
with os.fdopen(fd, "w", encoding="utf-8") as f:
    f.write(updated)
if os.path.exists(path):
    os.chmod(temp, os.stat(path).st_mode & 0o7777)
os.replace(temp, path)
EOF
}

if already_there; then
  exit 0
fi
if [[ ! -t 0 ]]; then
  say "$SHOWN has no $ENTRY (not asking: no terminal)."
  how_to
  exit 0
fi

read -r -p "Add $ENTRY to $SHOWN? [y/N] " answer || answer=
if [[ $answer != [yY] && $answer != [yY][eE][sS] ]]; then
  say "$SHOWN left unchanged."
  how_to
  exit 0
fi
if ! command -v python3 >/dev/null; then
  say "python3 is needed to edit $SHOWN safely and is not installed; left unchanged."
  how_to
  exit 1
fi
if [[ -f $SETTINGS ]]; then
  backup=$SETTINGS.bak-$(date +%Y%m%d-%H%M%S)
  cp -p "$SETTINGS" "$backup"
  say "backed up $SHOWN to $backup"
fi
if ! edit_settings; then
  [[ -z ${backup:-} ]] || rm -f "$backup"
  how_to
  exit 1
fi
say "added $ENTRY to $SHOWN"
