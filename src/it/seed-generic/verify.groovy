// The seed's example passes, says so in the lines users read, and leaves nothing behind.
File top = basedir.absoluteFile
while (top != null && !new File(top, 'src/it/common/Leftovers.groovy').file) { top = top.parentFile }
assert top != null : "no src/it/common/Leftovers.groovy above $basedir"
def leftovers = new GroovyClassLoader(getClass().classLoader).parseClass(new File(top, 'src/it/common/Leftovers.groovy'))
def log = new File(basedir, 'build.log').readLines()
def took = /(\d+ ms|\d+\.\d s|\d+ min \d+ s)/

expectLine(log, /\[INFO\] Starting 1 service\(s\) of generic\.clnrm\.toml \(run \p{XDigit}{8}, network clnrm-\p{XDigit}{8}\)/)
expectLine(log, /\[INFO\] Service test \(generic_container, cleanroom\/busybox:fixture, sha256:\p{XDigit}{64}\) ready in $took/)
expectLine(log, /\[INFO\] Step ping_service PASSED in $took/)
expectLine(log, /\[INFO\] Steps: 1 passed, 0 failed, 0 tolerated, 0 skipped/)
expectLine(log, /\[INFO\] BUILD SUCCESS/)
leftovers.expectNothingLeft('dev.cleanroom.it:seed-generic')

void expectLine(List<String> log, String regex) {
    assert log.any { it ==~ regex } : "build.log has no line matching /$regex/"
}
