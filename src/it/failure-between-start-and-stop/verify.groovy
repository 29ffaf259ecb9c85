// The build fails in integration-test, after cleanroom:start and before cleanroom:stop, in
// another plugin. Stop never runs; the services must be removed all the same as the project's
// build fails (Cleanroom listens for it), not left for the next build to sweep.
File top = basedir.absoluteFile
while (top != null && !new File(top, 'src/it/common/Leftovers.groovy').file) { top = top.parentFile }
assert top != null : "no src/it/common/Leftovers.groovy above $basedir"
def leftovers = new GroovyClassLoader(getClass().classLoader).parseClass(new File(top, 'src/it/common/Leftovers.groovy'))
def log = new File(basedir, 'build.log').readLines()
def took = /(\d+ ms|\d+\.\d s|\d+ min \d+ s)/

expectLine(log, /\[INFO\] Starting 1 service\(s\) of box\.clnrm\.toml \(run \p{XDigit}{8}, network clnrm-\p{XDigit}{8}\)/)
expectLine(log, /\[INFO\] Step echo PASSED in $took/)
expectLine(log, /\[ERROR\] Failed to execute goal org\.apache\.maven\.plugins:maven-enforcer-plugin:3\.5\.0:enforce \(fails-on-purpose\) on project failure-between-start-and-stop: .*/)
expectLine(log, /\[INFO\] Removing the services of failure-between-start-and-stop because its build failed before cleanroom:stop/)
expectLine(log, /\[INFO\] Removed the containers and network of run \p{XDigit}{8} in $took \(the run ended\)/)
expectLine(log, /\[INFO\] BUILD FAILURE/)
assert !log.any { it ==~ /\[INFO\] --- cleanroom:.*:stop .*/ } : 'cleanroom:stop ran although the build failed before post-integration-test'
def broken = log.find { it.contains('Exception in thread "cleanroom-shutdown-') || it.contains('NoClassDefFoundError') }
assert !broken : "the shutdown cleanup failed: $broken"
leftovers.expectNothingLeft('dev.cleanroom.it:failure-between-start-and-stop')

void expectLine(List<String> log, String regex) {
    assert log.any { it ==~ regex } : "build.log has no line matching /$regex/"
}
