// Outside a project: the run is labelled "standalone", the step passes, nothing is left.
File top = basedir.absoluteFile
while (top != null && !new File(top, 'src/it/common/Leftovers.groovy').file) { top = top.parentFile }
assert top != null : "no src/it/common/Leftovers.groovy above $basedir"
def leftovers = new GroovyClassLoader(getClass().classLoader).parseClass(new File(top, 'src/it/common/Leftovers.groovy'))
def log = new File(basedir, 'build.log').readLines()
def took = /(\d+ ms|\d+\.\d s|\d+ min \d+ s)/

expectLine(log, /\[INFO\] Starting 1 service\(s\) of test-plugin\.clnrm\.toml \(run \p{XDigit}{8}, network clnrm-\p{XDigit}{8}\)/)
expectLine(log, /\[INFO\] Service test \(generic_container, cleanroom\/alpine-standin:fixture, sha256:\p{XDigit}{64}\) ready in $took/)
expectLine(log, /\[INFO\] Step echo PASSED in $took/)
expectLine(log, /\[INFO\] Steps: 1 passed, 0 failed, 0 tolerated, 0 skipped/)
expectLine(log, /\[INFO\] BUILD SUCCESS/)
assert !new File(basedir, 'pom.xml').exists() : 'this project must run without a POM'
leftovers.expectNothingLeft('standalone')

void expectLine(List<String> log, String regex) {
    assert log.any { it ==~ regex } : "build.log has no line matching /$regex/"
}
