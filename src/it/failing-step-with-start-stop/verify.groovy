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
expectLine(log, /\[ERROR\] src\/test\/cleanroom\/half-right\.clnrm\.toml: Step "greets_the_world".* does not match expected_output_regex \/hello, world\/.*/)
expectLine(log, /\[INFO\] BUILD FAILURE/)
assert !log.any { it ==~ /\[ERROR\] Failed to execute goal .*:run .*/ } : 'cleanroom:run failed the build itself'

def run = index(log, /\[INFO\] --- cleanroom:.*:run \(default\) @ failing-step-with-start-stop ---/)
def warning = index(log, /\[WARNING\] 1 step\(s\) failed; .*/)
def stop = index(log, /\[INFO\] --- cleanroom:.*:stop \(default\) @ failing-step-with-start-stop ---/)
def removed = index(log, /\[INFO\] Removed the containers and network of run \p{XDigit}{8} in $took \(the run ended\)/)
def verdict = index(log, /\[ERROR\] Steps: 1 passed, 1 failed, 0 tolerated, 0 skipped/)
assert run < warning && warning < stop : 'the warning does not come from cleanroom:run'
assert stop < removed && removed < verdict : 'the build failed before the services were removed'

// The reports are parsed, not matched: a report that is not well-formed fails here.
def xml = new File(basedir, 'target/cleanroom-reports/TEST-cleanroom.half-right.xml')
assert xml.file : "$xml was not written"
def suite = new groovy.xml.XmlSlurper().parse(xml)
assert suite.name() == 'testsuite'
assert suite.@name == 'cleanroom.half-right'
assert [suite.@tests, suite.@failures, suite.@errors, suite.@skipped]*.toString() == ['2', '1', '0', '0']
assert suite.@time.toString() ==~ /\d+\.\d{3}/
assert suite.testcase*.@name*.toString() == ['says_hello', 'greets_the_world']
assert suite.testcase.every { it.@classname == 'cleanroom.half-right' && it.@time.toString() ==~ /\d+\.\d{3}/ }
def hello = suite.testcase.find { it.@name == 'says_hello' }
assert hello.failure.size() == 0 && hello.skipped.size() == 0
assert hello.'system-out'.text() == 'hello\n'
def world = suite.testcase.find { it.@name == 'greets_the_world' }
assert world.failure.size() == 1
assert world.failure.@type == 'dev.cleanroom.StepFailure'
assert world.failure.@message.toString().contains('does not match expected_output_regex /hello, world/')
assert world.'system-out'.text() == 'goodbye cruel world\n'

def summary = new groovy.json.JsonSlurper().parse(new File(basedir, 'target/cleanroom-reports/cleanroom-summary.json'))
assert summary.passed == false
assert summary.counts == [passed: 1, failed: 1, tolerated: 0, skipped: 0]
assert summary.files.size() == 1
assert summary.files[0].file.endsWith('half-right.clnrm.toml')
assert summary.files[0].passed == false
assert summary.files[0].services*.name == ['box']
assert summary.files[0].steps.collect { "$it.name $it.status $it.exit_code" } == ['says_hello PASSED 0', 'greets_the_world FAILED 0']
assert summary.files[0].steps.every { it.duration_ms instanceof Number && it.duration_ms >= 0 }
leftovers.expectNothingLeft('dev.cleanroom.it:failing-step-with-start-stop')

void expectLine(List<String> log, String regex) {
    assert log.any { it ==~ regex } : "build.log has no line matching /$regex/"
}

int index(List<String> log, String regex) {
    int found = log.findIndexOf { it ==~ regex }
    assert found >= 0 : "build.log has no line matching /$regex/"
    found
}
