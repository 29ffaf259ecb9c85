// A test run between cleanroom:start -Dcleanroom.keepRunning=true and cleanroom:stop, as from the
// IDE: it uses the services the first build left running and never removes them.
File top = basedir.absoluteFile
while (top != null && !new File(top, 'src/it/common/Leftovers.groovy').file) { top = top.parentFile }
assert top != null : "no src/it/common/Leftovers.groovy above $basedir"
def leftovers = new GroovyClassLoader(getClass().classLoader).parseClass(new File(top, 'src/it/common/Leftovers.groovy'))
def log = new File(basedir, 'build.log').readLines()
def run = /\p{XDigit}{8}/

def started = log.find { it ==~ /\[INFO\] Starting 1 service\(s\) of web\.clnrm\.toml \(run $run, network clnrm-$run\)/ }
assert started : 'cleanroom:start did not start the service'
def shortRun = (started =~ /run (\p{XDigit}{8})/)[0][1]
def used = log.find { it.startsWith('[cleanroom] src/test/cleanroom/web.clnrm.toml: used the services [web] of run ') }
assert used : 'WebTest did not use the services cleanroom:start left running'
assert used.contains("of run $shortRun") && used.contains('target/cleanroom/cleanroom.properties names (left running by cleanroom:start)') : used
assert !log.any { it.startsWith('[cleanroom] ') && it.contains('starting its services') } : 'the extension started services of its own'
assert !log.any { it.startsWith('[cleanroom] Removed') } : 'the extension removed services it did not start'
def prefix = '[INFO]   cleanroom.web.url = '
def url = log.find { it.startsWith(prefix) }?.substring(prefix.length())
assert url : 'build.log does not show cleanroom.web.url'
expectLine(log, "WebTest fetches ${java.util.regex.Pattern.quote(url + '/')}")
expectLine(log, /\[INFO\] Tests run: 1, Failures: 0, Errors: 0, Skipped: 0, Time elapsed: .* -- in dev\.cleanroom\.it\.WebTest/)
assert log.count { it ==~ /\[INFO\] BUILD SUCCESS/ } == 3 : 'not all three builds succeeded'

leftovers.expectNothingLeft('dev.cleanroom.it:junit5-kept-services')
leftovers.expectNothingLeft("junit5:${basedir.canonicalPath}")

void expectLine(List<String> log, String regex) {
    assert log.any { it ==~ regex } : "build.log has no line matching /$regex/"
}
