// Build 1 (verify -Dcleanroom.keepRunning) leaves the services running and says how to
// remove them; build 2 (a separate mvn cleanroom:stop) finds them by the project label and
// removes them. Build 3 (mvn cleanroom:start -Dcleanroom.keepRunning=true, nothing else) leaves
// them running after its JVM has exited, which build 4 (mvn cleanroom:stop) proves by finding
// and removing them. All builds log into this one build.log, one after the other.
File top = basedir.absoluteFile
while (top != null && !new File(top, 'src/it/common/Leftovers.groovy').file) { top = top.parentFile }
assert top != null : "no src/it/common/Leftovers.groovy above $basedir"
def leftovers = new GroovyClassLoader(getClass().classLoader).parseClass(new File(top, 'src/it/common/Leftovers.groovy'))
def log = new File(basedir, 'build.log').readLines()
def project = 'dev.cleanroom.it:keep-running-then-stop'
def took = /(\d+ ms|\d+\.\d s|\d+ min \d+ s)/

def builds = log.findIndexValues { it == '[INFO] Scanning for projects...' }
assert builds.size() == 4 : "build.log holds ${builds.size()} builds, not 4"
def first = log.subList(0, builds[1] as int)
def second = log.subList(builds[1] as int, builds[2] as int)
def third = log.subList(builds[2] as int, builds[3] as int)
def fourth = log.subList(builds[3] as int, log.size())

// Build 1: the steps pass against the services, which stop leaves running.
expectLine(first, /\[INFO\] Starting 2 service\(s\) of left-up\.clnrm\.toml \(run \p{XDigit}{8}, network clnrm-\p{XDigit}{8}\)/)
expectLine(first, /\[INFO\] Step web_is_up PASSED in $took/)
def left = first.find { it.startsWith('[INFO] Left the services of run ') }
assert left : 'build 1 did not leave the services running'
def matcher = left =~ /\[INFO\] Left the services of run (\p{XDigit}{8}) running; remove them with mvn cleanroom:stop, or .*/
assert matcher.matches() : "unexpected keepRunning line: $left"
String run = matcher.group(1)
assert left.contains(" docker rm -f \$(docker ps -aq --filter label=dev.cleanroom.run=$run") : left
assert left.endsWith(") && docker network rm clnrm-$run") : left
expectLine(first, /\[INFO\] Steps: 1 passed, 0 failed, 0 tolerated, 0 skipped/)
assert !first.any { it.startsWith('[INFO] Removed the containers and network of run') } : 'build 1 removed the services'
expectLine(first, /\[INFO\] BUILD SUCCESS/)

// Build 2: the services of build 1 were still there, and it is this project's stop that
// removes them (not a sweep of dead builds).
expectLine(second, /\[INFO\] --- cleanroom:.*:stop \(default-cli\) @ keep-running-then-stop ---/)
def swept = second.find { it.contains('left behind by a build that died') }
assert !swept : "build 2 took the kept services for leftovers of a dead build: $swept"
expectLine(second, /\[INFO\] Removed 2 container\(s\) and 1 network\(s\) of project ${java.util.regex.Pattern.quote(project)}: .*/)
def removed = second.find { it.startsWith("[INFO] Removed 2 container(s) and 1 network(s) of project $project: ") }
assert removed.substring(removed.indexOf(': ') + 2).split(', ') as Set == ["clnrm-$run-web", "clnrm-$run-box"]*.toString() as Set
expectLine(second, /\[INFO\] BUILD SUCCESS/)

// Build 3: start alone, with keepRunning; nothing removes the services when its JVM exits.
def started = third.find { it ==~ /\[INFO\] Starting 2 service\(s\) of left-up\.clnrm\.toml \(run \p{XDigit}{8}, network clnrm-\p{XDigit}{8}\)/ }
assert started : 'build 3 did not start the services'
String keptRun = (started =~ /run (\p{XDigit}{8})/)[0][1]
expectLine(third, /\[INFO\] Left the services of run $keptRun running; remove them with mvn cleanroom:stop, or .*/)
assert !third.any { it.contains('Removed the containers and network of run') } : 'build 3 removed the services'
expectLine(third, /\[INFO\] BUILD SUCCESS/)

// Build 4: build 3's containers were still there after its JVM had exited.
def removedKept = fourth.find { it.startsWith("[INFO] Removed 2 container(s) and 1 network(s) of project $project: ") }
assert removedKept : "build 4 found none of build 3's services: they did not outlive its JVM"
assert removedKept.substring(removedKept.indexOf(': ') + 2).split(', ') as Set ==
        ["clnrm-$keptRun-web", "clnrm-$keptRun-box"]*.toString() as Set
expectLine(fourth, /\[INFO\] BUILD SUCCESS/)
leftovers.expectNothingLeft(project)

void expectLine(List<String> log, String regex) {
    assert log.any { it ==~ regex } : "build.log has no line matching /$regex/"
}
