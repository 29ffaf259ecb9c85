// Two builds of the reactor, the first in one thread, the second with -T 2 (invoker.goals.1/2).
// In each: the parent and module-b have no src/test/cleanroom, so the default execution skips
// there with one line; PostgreSQL (shared/db.clnrm.toml, <shared>true</shared> in both modules)
// starts once, module-a's IT writes a row, module-b's IT reads that very row, and the database
// is removed once, when the build ends. Each module's tests see their own services: module-a
// its web service and the database, module-b only the database.
File top = basedir.absoluteFile
while (top != null && !new File(top, 'src/it/common/Leftovers.groovy').file) { top = top.parentFile }
assert top != null : "no src/it/common/Leftovers.groovy above $basedir"
def leftovers = new GroovyClassLoader(getClass().classLoader).parseClass(new File(top, 'src/it/common/Leftovers.groovy'))
def log = new File(basedir, 'build.log').readLines()
def run = /\p{XDigit}{8}/
def took = /(\d+ ms|\d+\.\d s|\d+ min \d+ s)/

def builds = log.findIndexValues { it == '[INFO] Scanning for projects...' }
assert builds.size() == 2 : "build.log holds ${builds.size()} builds, not 2"
def first = log.subList(0, builds[1] as int)
def second = log.subList(builds[1] as int, log.size())
assert !first.any { it.contains('MultiThreadedBuilder') } : 'build 1 is not the single-threaded one'
assert second.any { it.contains('Using the MultiThreadedBuilder implementation with a thread count of 2') } : 'build 2 is not a parallel build'

[first, second].eachWithIndex { build, i ->
    def which = "build ${i + 1}"
    // Modules without cleanroom files: one line, no failure.
    expectLine(build, /\[INFO\] Nothing to start: src\/test\/cleanroom does not exist in reactor-shared-postgres and no file is named \(-Dfile or <file>\)/, which)
    expectLine(build, /\[INFO\] Nothing to start: src\/test\/cleanroom does not exist in module-b and no file is named \(-Dfile or <file>\)/, which)
    assert build.count { it.startsWith('[INFO] Nothing to start: ') } == 2 : "$which: expected the parent and module-b to skip"
    assert !build.any { it.contains('does not exist. Perhaps you should') } : "$which: a module without files failed"

    // One start of the shared database, by module-a; module-b uses it.
    def starts = build.findAll { it ==~ /\[INFO\] Starting 1 service\(s\) of db\.clnrm\.toml \(run $run, network clnrm-$run\)/ }
    assert starts.size() == 1 : "$which: expected one start of the shared database, got $starts"
    String dbRun = (starts[0] =~ /run ($run)/)[0][1]
    expectLine(build, /\[INFO\] Started the services of shared\/db\.clnrm\.toml for the whole reactor \(shared\); they are removed when the build ends/, which)
    expectLine(build, /\[INFO\] Using the shared services of shared\/db\.clnrm\.toml \(run $dbRun\), started by dev\.cleanroom\.it:module-a/, which)
    // module-a's own service, started and removed by module-a alone.
    def webStarts = build.findAll { it ==~ /\[INFO\] Starting 1 service\(s\) of web\.clnrm\.toml \(run $run, network clnrm-$run\)/ }
    assert webStarts.size() == 1 : "$which: expected one start of module-a's web service, got $webStarts"
    String webRun = (webStarts[0] =~ /run ($run)/)[0][1]
    expectLine(build, /\[INFO\] Removed the containers and network of run $webRun in $took \(the run ended\)/, which)

    // The row module-a wrote is the row module-b read.
    def wrote = build.find { it.startsWith('WriteRowIT wrote: ') }
    assert wrote : "$which: module-a's IT wrote no row"
    String row = wrote.substring('WriteRowIT wrote: '.length())
    expectLine(build, 'ReadRowIT read: ' + java.util.regex.Pattern.quote(row), which)
    expectLine(build, /\[INFO\] Tests run: 2, Failures: 0, Errors: 0, Skipped: 0, Time elapsed: .* -- in dev\.cleanroom\.it\.WriteRowIT/, which)
    expectLine(build, /\[INFO\] Tests run: 2, Failures: 0, Errors: 0, Skipped: 0, Time elapsed: .* -- in dev\.cleanroom\.it\.ReadRowIT/, which)

    // One stop of the shared database, at the end of the build, after module-b's tests.
    def removals = build.findIndexValues { it ==~ /\[INFO\] Removing the shared services of shared\/db\.clnrm\.toml \(run $dbRun\) at the end of the build/ }
    assert removals.size() == 1 : "$which: expected one removal of the shared database"
    def readAt = build.findIndexOf { it.startsWith('ReadRowIT read: ') }
    assert removals[0] > readAt : "$which: the shared database was removed before module-b read from it"
    def removed = build.findAll { it ==~ /\[INFO\] Removed the containers and network of run $dbRun in $took \(the run ended\)/ }
    assert removed.size() == 1 : "$which: expected one removal of run $dbRun, got $removed"
    expectLine(build, /\[INFO\] The shared services stay up for the other modules; they are removed when the build ends/, which)
    // Two stops in a module (the parent's execution and shared-db): the second says so.
    assert build.count { it == '[INFO] Nothing left to stop: an earlier cleanroom:stop of this build removed it' } == 2 : "$which: expected module-a's and module-b's second stop to have nothing left"
    assert build.count { it == '[INFO] Nothing to stop: cleanroom:start started nothing in this project' } == 1 : "$which: expected only the parent's stop to have had nothing"
    assert !build.any { it.contains('left behind by a build that died') } : "$which: a sweep removed something"
    expectLine(build, /\[INFO\] BUILD SUCCESS/, which)
}

// Part 4: each module's properties file holds its own module's services and the shared ones.
def a = exported(basedir, 'module-a')
def b = exported(basedir, 'module-b')
assert a.keySet().containsAll(['cleanroom.db.host', 'cleanroom.db.port', 'cleanroom.web.url']) : "module-a exported $a"
assert b.keySet().contains('cleanroom.db.port') : "module-b exported $b"
assert !b.keySet().any { it.startsWith('cleanroom.web.') } : "module-a's web service leaked into module-b: $b"
assert a['cleanroom.db.port'] == b['cleanroom.db.port'] : 'the modules were given different databases'

// Nothing left: the shared run carries the reactor's label, module-a's own run module-a's.
leftovers.expectNothingLeft('dev.cleanroom.it:reactor-shared-postgres')
leftovers.expectNothingLeft('dev.cleanroom.it:module-a')
leftovers.expectNothingLeft('dev.cleanroom.it:module-b')

Properties exported(File basedir, String module) {
    def properties = new Properties()
    new File(basedir, "$module/target/cleanroom/cleanroom.properties").withReader('UTF-8') { properties.load(it) }
    properties
}

void expectLine(List<String> log, String pattern, String which) {
    assert log.any { it ==~ pattern } : "$which: no line matches: $pattern"
}
