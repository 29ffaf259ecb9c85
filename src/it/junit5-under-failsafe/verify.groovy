// cleanroom:start and stop bound around Failsafe: WebIT's @Cleanroom finds the exported
// cleanroom.web.* system properties, uses them and starts nothing.
File top = basedir.absoluteFile
while (top != null && !new File(top, 'src/it/common/Leftovers.groovy').file) { top = top.parentFile }
assert top != null : "no src/it/common/Leftovers.groovy above $basedir"
def leftovers = new GroovyClassLoader(getClass().classLoader).parseClass(new File(top, 'src/it/common/Leftovers.groovy'))
def log = new File(basedir, 'build.log').readLines()
def took = /(\d+ ms|\d+\.\d s|\d+ min \d+ s)/
def run = /\p{XDigit}{8}/

expectLine(log, /\[INFO\] Starting 1 service\(s\) of web\.clnrm\.toml \(run $run, network clnrm-$run\)/)
expectLine(log, /\[cleanroom\] src\/test\/cleanroom\/web\.clnrm\.toml: used the exported services \[web\] \(the cleanroom\.<service>\.\* system properties the build's cleanroom:start set\) for WebIT; started nothing/)
assert !log.any { it.startsWith('[cleanroom] ') && it.contains('starting its services') } : 'the extension started services of its own'
assert log.count { it ==~ /.*Starting \d+ service\(s\).*/ } == 1 : 'more than one start: ' + log.findAll { it.contains('Starting') }
expectLine(log, /\[INFO\] Tests run: 1, Failures: 0, Errors: 0, Skipped: 0, Time elapsed: .* -- in dev\.cleanroom\.it\.WebIT/)
expectLine(log, /\[INFO\] Removed the containers and network of run $run in $took \(the run ended\)/)
expectLine(log, /\[INFO\] BUILD SUCCESS/)

// The test fetched the very address cleanroom:start exported.
def prefix = '[INFO]   cleanroom.web.url = '
def url = log.find { it.startsWith(prefix) }?.substring(prefix.length())
assert url : 'build.log does not show cleanroom.web.url'
expectLine(log, "WebIT fetches ${java.util.regex.Pattern.quote(url + '/')}")

leftovers.expectNothingLeft('dev.cleanroom.it:junit5-under-failsafe')
leftovers.expectNothingLeft("junit5:${basedir.canonicalPath}")

void expectLine(List<String> log, String regex) {
    assert log.any { it ==~ regex } : "build.log has no line matching /$regex/"
}
