// With start/run/stop bound, a failed step does not fail cleanroom:run: it warns, the
// services are removed by cleanroom:stop, and only then does stop fail the build with the
// summary. The JUnit XML records the failure.
File top = basedir.absoluteFile
while (top != null && !new File(top, 'src/it/common/Leftovers.groovy').file) { top = top.parentFile }
assert top != null : "no src/it/common/Leftovers.groovy above $basedir"
def leftovers = new GroovyClassLoader(getClass().classLoader).parseClass(new File(top, 'src/it/common/Leftovers.groovy'))
def log = new File(basedir, 'build.log').readLines()
def took = /(\d+ ms|\d+\.\d s|\d+ min \d+ s)/

expectLine(log, /\[INFO\] Step says_hello PASSED in $took/)
expectLine(log, /\[WARNING\] Step greets_the_world FAILED in $took/)
expectLine(log, /\[WARNING\] 1 step\(s\) failed; the build fails after cleanroom:stop has removed the services/)
expectLine(log, /\[ERROR\] Steps: 1 passed, 1 failed, 0 tolerated, 0 skipped/)
expectLine(log, /\[ERROR\] Failed to execute goal dev\.cleanroom:cleanroom-maven-plugin:.*:stop \(default\) on project failing-step-with-start-stop: Steps: 1 passed, 1 failed, 0 tolerated, 0 skipped/)
expectLine(log, /\[ERROR\] half-right\.clnrm\.toml: Step "greets_the_world".* does not match expected_output_regex \/hello, world\/.*/)
expectLine(log, /\[INFO\] BUILD FAILURE/)
assert !log.any { it ==~ /\[ERROR\] Failed to execute goal .*:run .*/ } : 'cleanroom:run failed the build itself'

def run = index(log, /\[INFO\] --- cleanroom:.*:run \(default\) @ failing-step-with-start-stop ---/)
def warning = index(log, /\[WARNING\] 1 step\(s\) failed; .*/)
def stop = index(log, /\[INFO\] --- cleanroom:.*:stop \(default\) @ failing-step-with-start-stop ---/)
def removed = index(log, /\[INFO\] Removed the containers and network of run \p{XDigit}{8} in $took \(the run ended\)/)
def verdict = index(log, /\[ERROR\] Steps: 1 passed, 1 failed, 0 tolerated, 0 skipped/)
assert run < warning && warning < stop : 'the warning does not come from cleanroom:run'
assert stop < removed && removed < verdict : 'the build failed before the services were removed'

def xml = new File(basedir, 'target/cleanroom-reports/TEST-cleanroom.half-right.xml')
assert xml.file : "$xml was not written"
def text = xml.getText('UTF-8')
assert text.contains('<testsuite name="cleanroom.half-right"')
assert text =~ /tests="2" errors="0" skipped="0" failures="1"/
assert text =~ /<testcase name="says_hello" classname="cleanroom\.half-right" time="[\d.]+">/
assert text =~ /(?s)<testcase name="greets_the_world" [^>]*>\s*<failure message="[^"]*does not match expected_output_regex/
assert text.count('<failure ') == 1
assert new File(basedir, 'target/cleanroom-reports/cleanroom-summary.json').file
leftovers.expectNothingLeft('dev.cleanroom.it:failing-step-with-start-stop')

void expectLine(List<String> log, String regex) {
    assert log.any { it ==~ regex } : "build.log has no line matching /$regex/"
}

int index(List<String> log, String regex) {
    int found = log.findIndexOf { it ==~ regex }
    assert found >= 0 : "build.log has no line matching /$regex/"
    found
}
