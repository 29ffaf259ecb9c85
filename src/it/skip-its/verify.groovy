// -DskipITs skips each of the bound goals, start, run and stop: the build passes (the file would
// fail) and each goal says why nothing ran.
File top = basedir.absoluteFile
while (top != null && !new File(top, 'src/it/common/Leftovers.groovy').file) { top = top.parentFile }
assert top != null : "no src/it/common/Leftovers.groovy above $basedir"
def leftovers = new GroovyClassLoader(getClass().classLoader).parseClass(new File(top, 'src/it/common/Leftovers.groovy'))
def log = new File(basedir, 'build.log').readLines()

for (goal in ['start', 'run', 'stop']) {
    def header = log.findIndexOf { it ==~ /\[INFO\] --- cleanroom:.*:$goal \(default\) @ skip-its ---/ }
    assert header >= 0 : "cleanroom:$goal did not run"
    assert log[header + 1] == '[INFO] Cleanroom is skipped (skipITs)' : "cleanroom:$goal was not skipped: ${log[header + 1]}"
}
assert log.count('[INFO] Cleanroom is skipped (skipITs)') == 3
expectLine(log, /\[INFO\] BUILD SUCCESS/)
assert !log.any { it.contains('Starting') } : 'a service was started although the goals are skipped'
assert !new File(basedir, 'target/cleanroom').exists() : 'cleanroom:start wrote its properties although skipped'
assert !new File(basedir, 'target/cleanroom-reports').exists() : 'cleanroom:run wrote reports although skipped'
leftovers.expectNothingLeft('dev.cleanroom.it:skip-its')

void expectLine(List<String> log, String regex) {
    assert log.any { it ==~ regex } : "build.log has no line matching /$regex/"
}
