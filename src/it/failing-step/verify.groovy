// A failed step fails the build with what was expected and what came out, and everything
// the run created is gone all the same.
File top = basedir.absoluteFile
while (top != null && !new File(top, 'src/it/common/Leftovers.groovy').file) { top = top.parentFile }
assert top != null : "no src/it/common/Leftovers.groovy above $basedir"
def leftovers = new GroovyClassLoader(getClass().classLoader).parseClass(new File(top, 'src/it/common/Leftovers.groovy'))
def log = new File(basedir, 'build.log').readLines()
def took = /(\d+ ms|\d+\.\d s|\d+ min \d+ s)/

expectLine(log, /\[WARNING\] Step greets_the_world FAILED in $took/)
expectLine(log, /\[WARNING\] Step "greets_the_world".* does not match expected_output_regex \/hello, world\/.*/)
// The build's closing error repeats each failure, file by file.
expectLine(log, /\[ERROR\] Failed to execute goal dev\.cleanroom:cleanroom-maven-plugin:.*:run \(default-cli\) on project failing-step: Steps: 0 passed, 1 failed, 0 tolerated, 0 skipped/)
expectLine(log, /\[ERROR\] src\/test\/cleanroom\/mismatch\.clnrm\.toml: Step "greets_the_world".* does not match expected_output_regex \/hello, world\/.*/)
expectLine(log, /\[ERROR\]   step: .*mismatch\.clnrm\.toml:\d+:\d+, service: box/)
expectLine(log, /\[ERROR\]   command: \["echo", "goodbye cruel world"\]/)
expectLine(log, /\[ERROR\]   stdout:/)
expectLine(log, /\[ERROR\]     \| goodbye cruel world/)
expectLine(log, /\[ERROR\] Steps: 0 passed, 1 failed, 0 tolerated, 0 skipped/)
expectLine(log, /\[INFO\] Removed the containers and network of run \p{XDigit}{8} in $took \(.*\)/)
expectLine(log, /\[INFO\] BUILD FAILURE/)
leftovers.expectNothingLeft('dev.cleanroom.it:failing-step')

void expectLine(List<String> log, String regex) {
    assert log.any { it ==~ regex } : "build.log has no line matching /$regex/"
}
