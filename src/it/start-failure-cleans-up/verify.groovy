// A service that exits while starting fails cleanroom:start, in pre-integration-test, with
// the service's name, why, and its last log lines; the start removes what it had already
// started (healthy), because post-integration-test and cleanroom:stop never come.
File top = basedir.absoluteFile
while (top != null && !new File(top, 'src/it/common/Leftovers.groovy').file) { top = top.parentFile }
assert top != null : "no src/it/common/Leftovers.groovy above $basedir"
def leftovers = new GroovyClassLoader(getClass().classLoader).parseClass(new File(top, 'src/it/common/Leftovers.groovy'))
def log = new File(basedir, 'build.log').readLines()
def took = /(\d+ ms|\d+\.\d s|\d+ min \d+ s)/

expectLine(log, /\[INFO\] Starting 2 service\(s\) of one-dies\.clnrm\.toml \(run \p{XDigit}{8}, network clnrm-\p{XDigit}{8}\)/)
expectLine(log, /\[INFO\] Service healthy \(generic_container, cleanroom\/busybox:fixture, sha256:\p{XDigit}{64}\) ready in $took/)
expectLine(log, /\[INFO\] Removed the containers and network of run \p{XDigit}{8} in $took \(the start failed\)/)
expectLine(log, /\[ERROR\] Failed to execute goal dev\.cleanroom:cleanroom-maven-plugin:.*:start \(default\) on project start-failure-cleans-up: Service broken \(generic_container, cleanroom\/busybox:fixture\) exited with code 3 while starting/)
expectLine(log, /\[ERROR\]   Last log lines of broken:/)
expectLine(log, /\[ERROR\]     \| cannot read \/etc\/broken\.conf/)
expectLine(log, /\[ERROR\] Every container and the network of run \p{XDigit}{8} were removed\./)
expectLine(log, /\[INFO\] BUILD FAILURE/)
assert !log.any { it.startsWith('[INFO] Service broken ') } : 'broken was reported ready'

// The build ended in pre-integration-test: neither run nor stop ran.
assert !log.any { it ==~ /\[INFO\] --- cleanroom:.*:(run|stop) .*/ } : 'the build went on after the failed start'
leftovers.expectNothingLeft('dev.cleanroom.it:start-failure-cleans-up')

void expectLine(List<String> log, String regex) {
    assert log.any { it ==~ regex } : "build.log has no line matching /$regex/"
}
