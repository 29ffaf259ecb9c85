// An expected non-zero exit code passes; a step over its timeout is killed and, with
// continue_on_failure, tolerated; the next step proves the killed process is gone.
File top = basedir.absoluteFile
while (top != null && !new File(top, 'src/it/common/Leftovers.groovy').file) { top = top.parentFile }
assert top != null : "no src/it/common/Leftovers.groovy above $basedir"
def leftovers = new GroovyClassLoader(getClass().classLoader).parseClass(new File(top, 'src/it/common/Leftovers.groovy'))
def log = new File(basedir, 'build.log').readLines()
def took = /(\d+ ms|\d+\.\d s|\d+ min \d+ s)/

expectLine(log, /\[INFO\] Step exits_three_on_purpose PASSED in $took/)
expectLine(log, /\[WARNING\] Step sleeps_too_long TOLERATED in $took \(continue_on_failure\)/)
expectLine(log, /.*Step "sleeps_too_long".* timed out after 1\.0 s.*/)
expectLine(log, /\[INFO\] Step the_sleep_was_killed PASSED in $took/)
expectLine(log, /\[INFO\] Steps: 2 passed, 0 failed, 1 tolerated, 0 skipped/)
expectLine(log, /\[INFO\] BUILD SUCCESS/)
// The timeout really cut the step short: it took about a second, not thirty.
def line = log.find { it.startsWith('[WARNING] Step sleeps_too_long TOLERATED in ') }
assert !(line =~ /in (\d+ min|[1-9]\d\.\d s)/) : "the timed-out step was not cut short: $line"
leftovers.expectNothingLeft('dev.cleanroom.it:exit-code-and-timeout')

void expectLine(List<String> log, String regex) {
    assert log.any { it ==~ regex } : "build.log has no line matching /$regex/"
}
