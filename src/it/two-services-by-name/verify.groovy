// The client reaches the web service by its name on the run's own network; web started
// first (depends_on) and was ready (health.http) before the client asked.
File top = basedir.absoluteFile
while (top != null && !new File(top, 'src/it/common/Leftovers.groovy').file) { top = top.parentFile }
assert top != null : "no src/it/common/Leftovers.groovy above $basedir"
def leftovers = new GroovyClassLoader(getClass().classLoader).parseClass(new File(top, 'src/it/common/Leftovers.groovy'))
def log = new File(basedir, 'build.log').readLines()
def took = /(\d+ ms|\d+\.\d s|\d+ min \d+ s)/

expectLine(log, /\[INFO\] Starting 2 service\(s\) of web\.clnrm\.toml \(run \p{XDigit}{8}, network clnrm-\p{XDigit}{8}\)/)
expectLine(log, /\[INFO\] Service web \(generic_container, cleanroom\/busybox:fixture, sha256:\p{XDigit}{64}\) ready in $took at http:\/\/127\.0\.0\.1:\d+/)
expectLine(log, /\[INFO\] Service client \(generic_container, cleanroom\/busybox:fixture, sha256:\p{XDigit}{64}\) ready in $took/)
expectLine(log, /\[INFO\] Step fetch_by_name PASSED in $took/)
expectLine(log, /\[INFO\] Steps: 1 passed, 0 failed, 0 tolerated, 0 skipped/)
expectLine(log, /\[INFO\] BUILD SUCCESS/)
def web = log.findIndexOf { it.startsWith('[INFO] Service web ') }
def client = log.findIndexOf { it.startsWith('[INFO] Service client ') }
assert web < client : 'client was ready before web, which it depends on'
leftovers.expectNothingLeft('dev.cleanroom.it:two-services-by-name')

void expectLine(List<String> log, String regex) {
    assert log.any { it ==~ regex } : "build.log has no line matching /$regex/"
}
