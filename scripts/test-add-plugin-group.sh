#!/usr/bin/env bash
# Tests scripts/add-plugin-group.sh, each case with a HOME of its own (a temporary directory),
# so no real ~/.m2/settings.xml is read or touched. The answers "y" and "n" are typed on a
# terminal made by script(1): the offer asks only on a terminal, never in CI.
# Run by scripts/test.sh; exits non-zero when a case fails.
set -euo pipefail

readonly SCRIPT=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/add-plugin-group.sh
readonly ENTRY='<pluginGroup>dev.cleanroom</pluginGroup>'
failures=0

fail() { echo "FAIL: $case_name: $*"; failures=$((failures + 1)); }

new_home() {
  HOME_DIR=$(mktemp -d -t cleanroom-plugin-group.XXXXXX)
  SETTINGS=$HOME_DIR/.m2/settings.xml
}

# on_terminal ANSWER: runs the script with HOME_DIR as HOME on a terminal, typing ANSWER.
on_terminal() {
  printf '%s\n' "$1" | HOME=$HOME_DIR script -qec "bash '$SCRIPT'" /dev/null >"$HOME_DIR/out" 2>&1 || true
}

# without_terminal: runs the script with HOME_DIR as HOME and stdin not a terminal (as in CI).
without_terminal() {
  HOME=$HOME_DIR bash "$SCRIPT" </dev/null >"$HOME_DIR/out" 2>&1 || true
}

# The settings file is XML whose <settings> holds <pluginGroups> holding the group.
has_group() {
  python3 - "$SETTINGS" <<'EOF'
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
local = lambda e: e.tag.rsplit("}", 1)[-1]
assert local(root) == "settings", root.tag
groups = [g.text.strip() for p in root if local(p) == "pluginGroups" for g in p if local(g) == "pluginGroup"]
assert "dev.cleanroom" in groups, groups
print(" ".join(groups))
EOF
}

backups() { find "$HOME_DIR/.m2" -name 'settings.xml.bak*' 2>/dev/null | wc -l; }

readonly TEMPLATE='<?xml version="1.0" encoding="UTF-8"?>
<!-- my settings; a <pluginGroups> named in a comment is not the element -->
<settings xmlns="http://maven.apache.org/SETTINGS/1.2.0"
          xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
          xsi:schemaLocation="http://maven.apache.org/SETTINGS/1.2.0 https://maven.apache.org/xsd/settings-1.2.0.xsd">
  <localRepository>/data/m2</localRepository>
  <pluginGroups>
    <!-- <pluginGroup>com.example.commented</pluginGroup> -->
    <pluginGroup>org.mortbay.jetty</pluginGroup>
  </pluginGroups>
  <mirrors>
    <mirror><id>corp</id><url>https://repo.example.invalid/maven</url><mirrorOf>*</mirrorOf></mirror>
  </mirrors>
</settings>
'

case_name="no settings.xml, answer y: the file is created with the group"
new_home
on_terminal y
if [[ ! -f $SETTINGS ]]; then fail "no $SETTINGS; output: $(cat "$HOME_DIR/out")"
else
  groups=$(has_group 2>&1) || fail "$groups"
  [[ $groups == dev.cleanroom ]] || fail "plugin groups: $groups"
fi
grep -q 'Add <pluginGroup>dev.cleanroom</pluginGroup> to ~/.m2/settings.xml? \[y/N\]' "$HOME_DIR/out" \
  || fail "no question asked; output: $(cat "$HOME_DIR/out")"
rm -rf "$HOME_DIR"

case_name="settings.xml with other plugin groups, answer y: the group is added, the rest intact, a backup kept"
new_home
mkdir -p "$HOME_DIR/.m2" && printf '%s' "$TEMPLATE" >"$SETTINGS"
on_terminal y
groups=$(has_group 2>&1) || fail "$groups"
[[ $groups == "org.mortbay.jetty dev.cleanroom" || $groups == "dev.cleanroom org.mortbay.jetty" ]] || fail "plugin groups: $groups"
# Only lines were added: every original line is still there, in order.
diff <(printf '%s' "$TEMPLATE") "$SETTINGS" | grep -v '^[0-9,]*a[0-9,]*$' | grep -v '^> ' \
  && fail "lines changed or removed: $(diff <(printf '%s' "$TEMPLATE") "$SETTINGS")"
[[ $(diff <(printf '%s' "$TEMPLATE") "$SETTINGS" | grep -c '^> ') == 1 ]] || fail "more than one line added"
[[ $(backups) == 1 ]] || fail "expected one backup, found $(backups)"
cmp -s <(printf '%s' "$TEMPLATE") "$(find "$HOME_DIR/.m2" -name 'settings.xml.bak*' | head -1)" || fail "the backup is not the original"
rm -rf "$HOME_DIR"

case_name="settings.xml without <pluginGroups> (only in a comment), answer y: one is added inside <settings>"
new_home
mkdir -p "$HOME_DIR/.m2"
printf '%s' "$TEMPLATE" | sed '/^  <pluginGroups>/,/^  <\/pluginGroups>/d' >"$SETTINGS"
cp "$SETTINGS" "$HOME_DIR/original"
on_terminal y
groups=$(has_group 2>&1) || fail "$groups"
[[ $groups == dev.cleanroom ]] || fail "plugin groups: $groups"
grep -q 'a <pluginGroups> named in a comment is not the element -->' "$SETTINGS" || fail "the comment changed"
grep -q '<localRepository>/data/m2</localRepository>' "$SETTINGS" || fail "localRepository lost"
grep -q '<mirrorOf>\*</mirrorOf>' "$SETTINGS" || fail "mirror lost"
rm -rf "$HOME_DIR"

case_name="settings.xml with an empty <pluginGroups/>, answer y: the group goes into it"
new_home
mkdir -p "$HOME_DIR/.m2"
printf '<settings>\n  <pluginGroups/>\n  <offline>false</offline>\n</settings>\n' >"$SETTINGS"
on_terminal y
groups=$(has_group 2>&1) || fail "$groups"
[[ $groups == dev.cleanroom ]] || fail "plugin groups: $groups"
grep -q '<offline>false</offline>' "$SETTINGS" || fail "offline lost"
rm -rf "$HOME_DIR"

case_name="answer n: settings.xml is untouched and no backup is made"
new_home
mkdir -p "$HOME_DIR/.m2" && printf '%s' "$TEMPLATE" >"$SETTINGS"
on_terminal n
cmp -s <(printf '%s' "$TEMPLATE") "$SETTINGS" || fail "settings.xml changed"
[[ $(backups) == 0 ]] || fail "a backup was made"
grep -q 'Add <pluginGroup>dev.cleanroom</pluginGroup>' "$HOME_DIR/out" || fail "no question asked"
grep -qF "$ENTRY" "$HOME_DIR/out" || fail "does not say what to add by hand"
rm -rf "$HOME_DIR"

case_name="no answer (just Enter): the default is no"
new_home
on_terminal ''
[[ ! -e $SETTINGS ]] || fail "settings.xml was created"
rm -rf "$HOME_DIR"

case_name="not a terminal (CI): untouched, no question, says how to add it"
new_home
mkdir -p "$HOME_DIR/.m2" && printf '%s' "$TEMPLATE" >"$SETTINGS"
without_terminal
cmp -s <(printf '%s' "$TEMPLATE") "$SETTINGS" || fail "settings.xml changed"
[[ $(backups) == 0 ]] || fail "a backup was made"
grep -q '\[y/N\]' "$HOME_DIR/out" && fail "asked a question without a terminal"
grep -qF "$ENTRY" "$HOME_DIR/out" || fail "does not say what to add; output: $(cat "$HOME_DIR/out")"
grep -qF 'mvn dev.cleanroom:cleanroom-maven-plugin:0.1.0-SNAPSHOT:run' "$HOME_DIR/out" || fail "does not give the full name"
rm -rf "$HOME_DIR"

case_name="not a terminal and no settings.xml: none is created"
new_home
without_terminal
[[ ! -e $SETTINGS ]] || fail "settings.xml was created"
rm -rf "$HOME_DIR"

case_name="the group is already there: no question, untouched"
new_home
mkdir -p "$HOME_DIR/.m2"
printf '<settings><pluginGroups><pluginGroup>dev.cleanroom</pluginGroup></pluginGroups></settings>\n' >"$SETTINGS"
cp "$SETTINGS" "$HOME_DIR/original"
on_terminal y
cmp -s "$HOME_DIR/original" "$SETTINGS" || fail "settings.xml changed"
grep -q '\[y/N\]' "$HOME_DIR/out" && fail "asked although the group is there"
rm -rf "$HOME_DIR"

case_name="settings.xml that is not XML, answer y: untouched, with the reason"
new_home
mkdir -p "$HOME_DIR/.m2"
printf '<settings>\n  <pluginGroups>\n</settings>\n' >"$SETTINGS"
cp "$SETTINGS" "$HOME_DIR/original"
on_terminal y
cmp -s "$HOME_DIR/original" "$SETTINGS" || fail "settings.xml changed"
grep -q 'is not well-formed XML' "$HOME_DIR/out" || fail "no reason given; output: $(cat "$HOME_DIR/out")"
rm -rf "$HOME_DIR"

if ((failures)); then
  echo "add-plugin-group.sh: $failures case(s) failed"
  exit 1
fi
echo "add-plugin-group.sh: every case passed"
