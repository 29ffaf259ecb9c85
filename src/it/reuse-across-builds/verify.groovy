// Build 1 starts web and box and leaves them for reuse, naming their containers; build 2 adopts
// both (the same containers, no new one); build 3 changed box's env, so box alone is replaced
// and web adopted; build 4 (mvn cleanroom:stop -Dcleanroom.reuse=false) removes everything.
File top = basedir.absoluteFile
while (top != null && !new File(top, 'src/it/common/Leftovers.groovy').file) { top = top.parentFile }
assert top != null : "no src/it/common/Leftovers.groovy above $basedir"
def leftovers = new GroovyClassLoader(getClass().classLoader).parseClass(new File(top, 'src/it/common/Leftovers.groovy'))
def log = new File(basedir, 'build.log').readLines()
def project = 'dev.cleanroom.it:reuse-across-builds'

def builds = log.findIndexValues { it == '[INFO] Scanning for projects...' }
assert builds.size() == 4 : "build.log holds ${builds.size()} builds, not 4"
def first = log.subList(0, builds[1] as int)
def second = log.subList(builds[1] as int, builds[2] as int)
def third = log.subList(builds[2] as int, builds[3] as int)
def fourth = log.subList(builds[3] as int, log.size())

def left = { List<String> build ->
    def line = build.find { it.startsWith('[INFO] Left 2 service(s) of reuse.clnrm.toml running for the next build to reuse (') }
    assert line : 'the build did not leave its services for reuse'
    def m = line =~ /\(web (\p{XDigit}{12}), box (\p{XDigit}{12}); network clnrm-reuse-\p{XDigit}{12}\); remove them with mvn cleanroom:clean, or mvn cleanroom:stop -Dcleanroom.reuse=false/
    assert m.find() : "unexpected line: $line"
    [web: m.group(1), box: m.group(2)]
}

// Build 1: reuse on from the command line; both services started afresh and left running.
expectLine(first, /\[INFO\] reuse on: -Dcleanroom.reuse=true/)
expectLine(first, /\[INFO\] Service web \(generic_container, .*\) ready in .*/)
expectLine(first, /\[INFO\] Steps: 2 passed, 0 failed, 0 tolerated, 0 skipped/)
assert !first.any { it.contains('Removed the containers and network') } : 'build 1 removed its services'
def ids1 = left(first)

// Build 2: both adopted; nothing created.
expectLine(second, /\[INFO\] Reused web \(${ids1.web}, generic_container, .*/)
expectLine(second, /\[INFO\] Reused box \(${ids1.box}, generic_container, .*/)
assert !second.any { it ==~ /\[INFO\] Service \w+ \(generic_container, .*\) ready in .*/ } : 'build 2 started a service afresh'
expectLine(second, /\[INFO\] Steps: 2 passed, 0 failed, 0 tolerated, 0 skipped/)
assert left(second) == ids1

// Build 3: box's env changed: box replaced, web adopted.
expectLine(third, /\[INFO\] Reused web \(${ids1.web}, generic_container, .*/)
expectLine(third, /\[INFO\] Replacing reused service box \(${ids1.box}\): its definition changed .*/)
expectLine(third, /\[INFO\] Service box \(generic_container, .*\) ready in .*/)
expectLine(third, /\[INFO\] Step box_mode PASSED in .*/)
def ids3 = left(third)
assert ids3.web == ids1.web
assert ids3.box != ids1.box

// Build 4: stop with reuse=false removes the reused services and their network.
expectLine(fourth, /\[INFO\] Removed 2 container\(s\) and 1 network\(s\) of project ${java.util.regex.Pattern.quote(project)}: .*/)
expectLine(fourth, /\[INFO\] BUILD SUCCESS/)
leftovers.expectNothingLeft(project)

void expectLine(List<String> log, String regex) {
    assert log.any { it ==~ regex } : "build.log has no line matching /$regex/"
}
