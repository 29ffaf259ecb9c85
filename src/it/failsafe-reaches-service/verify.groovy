// cleanroom:start (pre-integration-test) exports where the service is; Failsafe hands that to
// the test JVM with no configuration, and the IT fetches the page; cleanroom:run checks the
// steps in integration-test, cleanroom:stop removes everything in post-integration-test.
File top = basedir.absoluteFile
while (top != null && !new File(top, 'src/it/common/Leftovers.groovy').file) { top = top.parentFile }
assert top != null : "no src/it/common/Leftovers.groovy above $basedir"
def leftovers = new GroovyClassLoader(getClass().classLoader).parseClass(new File(top, 'src/it/common/Leftovers.groovy'))
def log = new File(basedir, 'build.log').readLines()
def took = /(\d+ ms|\d+\.\d s|\d+ min \d+ s)/
def run = /\p{XDigit}{8}/

expectLine(log, /\[INFO\] --- cleanroom:.*:start \(default\) @ failsafe-reaches-service ---/)
expectLine(log, /\[INFO\] Starting 2 service\(s\) of web\.clnrm\.toml \(run $run, network clnrm-$run\)/)
expectLine(log, /\[INFO\] Service web \(generic_container, cleanroom\/busybox:fixture, sha256:\p{XDigit}{64}\) ready in $took at http:\/\/127\.0\.0\.1:\d+/)
expectLine(log, /\[INFO\]   cleanroom\.web\.host = 127\.0\.0\.1/)
expectLine(log, /\[INFO\]   cleanroom\.web\.port = \d+/)
expectLine(log, /\[INFO\]   cleanroom\.web\.port\.8080 = \d+/)
expectLine(log, /\[INFO\]   cleanroom\.web\.url = http:\/\/127\.0\.0\.1:\d+/)
expectLine(log, /\[INFO\] Step serves_the_page PASSED in $took/)
expectLine(log, /\[INFO\] Tests run: 3, Failures: 0, Errors: 0, Skipped: 0, Time elapsed: .* -- in dev\.cleanroom\.it\.WebServiceIT/)
expectLine(log, /\[INFO\] Removed the containers and network of run $run in $took \(the run ended\)/)
expectLine(log, /\[INFO\] Steps: 1 passed, 0 failed, 0 tolerated, 0 skipped/)
expectLine(log, /\[INFO\] BUILD SUCCESS/)

// The IT used the very address cleanroom:start exported (it prints what it fetches).
def port = valueOf(log, 'cleanroom.web.port')
assert valueOf(log, 'cleanroom.web.port.8080') == port
def url = valueOf(log, 'cleanroom.web.url')
assert url == "http://127.0.0.1:$port"
expectLine(log, "WebServiceIT fetches ${java.util.regex.Pattern.quote(url + '/')}")

// Each goal in its default phase: start before the tests, stop after them, verify last.
def start = header(log, 'cleanroom', 'start')
def tests = header(log, 'failsafe', 'integration-test')
def stepsRun = header(log, 'cleanroom', 'run')
def stop = header(log, 'cleanroom', 'stop')
def verify = header(log, 'failsafe', 'verify')
assert start < tests && start < stepsRun : 'cleanroom:start did not run before the integration tests'
assert tests < stop && stepsRun < stop : 'cleanroom:stop ran before the integration tests'
assert stop < verify : 'failsafe:verify ran before cleanroom:stop'

// The same properties, in a file for tools outside Maven.
def propertiesFile = new File(basedir, 'target/cleanroom/cleanroom.properties')
assert propertiesFile.file : "$propertiesFile was not written"
def properties = new Properties()
propertiesFile.withReader('UTF-8') { properties.load(it) }
def first = valueOf(log, 'cleanroom.ports.port.9090')
def second = valueOf(log, 'cleanroom.ports.port.8080')
assert valueOf(log, 'cleanroom.ports.port') == first : 'cleanroom.ports.port is not the first declared port (9090)'
assert first != second
assert properties == ['cleanroom.web.host': '127.0.0.1', 'cleanroom.web.port': port,
                      'cleanroom.web.port.8080': port, 'cleanroom.web.url': url,
                      'cleanroom.ports.host': '127.0.0.1', 'cleanroom.ports.port': first,
                      'cleanroom.ports.port.9090': first, 'cleanroom.ports.port.8080': second]

// Surefire-format report of the steps, and the JSON summary, next to Failsafe's own.
def xml = new File(basedir, 'target/cleanroom-reports/TEST-cleanroom.web.xml')
assert xml.file : "$xml was not written"
def text = xml.getText('UTF-8')
assert text.contains('<testsuite name="cleanroom.web"')
assert text =~ /tests="1" errors="0" skipped="0" failures="0"/
assert text =~ /<testcase name="serves_the_page" classname="cleanroom\.web" time="[\d.]+">/
assert !text.contains('<failure ')
assert new File(basedir, 'target/cleanroom-reports/cleanroom-summary.json').file
assert new File(basedir, 'target/failsafe-reports/TEST-dev.cleanroom.it.WebServiceIT.xml').file

leftovers.expectNothingLeft('dev.cleanroom.it:failsafe-reaches-service')

void expectLine(List<String> log, String regex) {
    assert log.any { it ==~ regex } : "build.log has no line matching /$regex/"
}

/** The value cleanroom:start logged for an exported property. */
String valueOf(List<String> log, String key) {
    def prefix = "[INFO]   $key = "
    def line = log.find { it.startsWith(prefix) }
    assert line : "build.log does not show $key"
    line.substring(prefix.length())
}

/** The line where Maven announces a goal, e.g. "[INFO] --- cleanroom:0.1.0:stop (default) @ x ---". */
int header(List<String> log, String prefix, String goal) {
    int index = log.findIndexOf { it ==~ /\[INFO\] --- $prefix:[^:]+:$goal \(.*\) @ .* ---/ }
    assert index >= 0 : "build.log does not show $prefix:$goal running"
    index
}
