// A failing IT fails the build only in failsafe:verify, after cleanroom:stop removed the
// service in post-integration-test: nothing is left although the build failed.
File top = basedir.absoluteFile
while (top != null && !new File(top, 'src/it/common/Leftovers.groovy').file) { top = top.parentFile }
assert top != null : "no src/it/common/Leftovers.groovy above $basedir"
def leftovers = new GroovyClassLoader(getClass().classLoader).parseClass(new File(top, 'src/it/common/Leftovers.groovy'))
def log = new File(basedir, 'build.log').readLines()
def took = /(\d+ ms|\d+\.\d s|\d+ min \d+ s)/

// The IT reached the service (the page came back, just not the one it wants).
expectLine(log, /\[ERROR\] Tests run: 1, Failures: 1, Errors: 0, Skipped: 0, Time elapsed: .* <<< FAILURE! -- in dev\.cleanroom\.it\.WrongPageIT/)
expectLine(log, /.*fails on purpose ==> expected: <a page nobody serves.*/)
expectLine(log, /\[INFO\] Step serves_the_page PASSED in $took/)
expectLine(log, /\[INFO\] Steps: 1 passed, 0 failed, 0 tolerated, 0 skipped/)
expectLine(log, /\[ERROR\] Failed to execute goal org\.apache\.maven\.plugins:maven-failsafe-plugin:3\.5\.2:verify \(default\) on project failing-failsafe-test: .*/)
expectLine(log, /\[INFO\] BUILD FAILURE/)

def removed = log.findIndexOf { it ==~ /\[INFO\] Removed the containers and network of run \p{XDigit}{8} in $took \(the run ended\)/ }
def stop = log.findIndexOf { it ==~ /\[INFO\] --- cleanroom:.*:stop \(default\) @ failing-failsafe-test ---/ }
def verify = log.findIndexOf { it ==~ /\[INFO\] --- failsafe:3\.5\.2:verify \(default\) @ failing-failsafe-test ---/ }
def failure = log.findIndexOf { it.startsWith('[INFO] BUILD FAILURE') }
assert removed >= 0 : 'cleanroom:stop did not remove the service'
assert stop >= 0 && stop < removed : 'the service was not removed by cleanroom:stop'
assert verify >= 0 : 'failsafe:verify did not run'
assert removed < verify && verify < failure : 'the service was removed only after failsafe:verify failed the build'
leftovers.expectNothingLeft('dev.cleanroom.it:failing-failsafe-test')
// Docker as it was before the build (setup.groovy), whatever the labels: docker ps -a and
// docker network ls list the same ids.
leftovers.expectUnchangedSince(new File(basedir, 'docker-before.txt'))

void expectLine(List<String> log, String regex) {
    assert log.any { it ==~ regex } : "build.log has no line matching /$regex/"
}
