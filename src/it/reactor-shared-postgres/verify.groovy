// Two builds of the reactor, the first in one thread, the second with -T 2 (invoker.goals.1/2).
// In each: the parent, module-b and module-c have no src/test/cleanroom, so the default
// execution skips there with one line; PostgreSQL (shared/db.clnrm.toml: <shared>true</shared>
// in module-a and module-b, shared = true under the file's [meta] for module-c) starts once, module-a's IT writes a row, module-b's IT (built after module-a)
// reads that very row, module-c's IT queries the same server, and the database is removed once,
// when the build ends. In build 2, module-c is built beside module-a, so either may start the
// database. Each module's tests see their own services: module-a its web service and the
// database, module-b and module-c only the database.
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
    ['module-b', 'module-c'].each { module ->
        expectLine(build, /\[INFO\] Nothing to start: src\/test\/cleanroom does not exist in $module and no file is named \(-Dfile or <file>\)/, which)
    }
    assert build.count { it.startsWith('[INFO] Nothing to start: ') } == 3 : "$which: expected the parent, module-b and module-c to skip"
    assert !build.any { it.contains('does not exist. Perhaps you should') } : "$which: a module without files failed"

    // One start of the shared database (by module-a in build 1); the two other modules use it.
    def starts = build.findAll { it ==~ /\[INFO\] Starting 1 service\(s\) of db\.clnrm\.toml \(run $run, network clnrm-$run\)/ }
    assert starts.size() == 1 : "$which: expected one start of the shared database, got $starts"
    String dbRun = (starts[0] =~ /run ($run)/)[0][1]
    assert build.count { it == '[INFO] Started the services of shared/db.clnrm.toml for the whole reactor (shared); they are removed when the build ends' } == 1 : "$which: expected one shared start"
    def uses = build.findAll { it.startsWith('[INFO] Using the shared services of ') }
    assert uses.size() == 2 : "$which: expected two modules to use the shared database, got $uses"
    String starter = i == 0 ? 'module-a' : '(module-a|module-c)'
    uses.each { assert it ==~ /\[INFO\] Using the shared services of shared\/db\.clnrm\.toml \(run $dbRun\), started by dev\.cleanroom\.it:$starter/ : "$which: $it" }
    assert uses.collect { (it =~ /started by (\S+)/)[0][1] }.unique().size() == 1 : "$which: two modules claim the start: $uses"
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
    expectLine(build, 'QueryIT queried PostgreSQL 15', which)
    // module-c binds run to its shared execution: it leaves the shared file alone.
    assert build.count { it == '[INFO] Nothing to run: the services of these files are shared by the reactor, and cleanroom:run does not run the steps of shared files' } == 1 : "$which: module-c's run did not leave the shared file alone"
    expectLine(build, /\[INFO\] Tests run: 1, Failures: 0, Errors: 0, Skipped: 0, Time elapsed: .* -- in dev\.cleanroom\.it\.QueryIT/, which)

    // One stop of the shared database, at the end of the build, after the modules' tests.
    def removals = build.findIndexValues { it ==~ /\[INFO\] Removing the shared services of shared\/db\.clnrm\.toml \(run $dbRun\) at the end of the build/ }
    assert removals.size() == 1 : "$which: expected one removal of the shared database"
    def lastTest = [build.findIndexOf { it.startsWith('ReadRowIT read: ') }, build.findIndexOf { it == 'QueryIT queried PostgreSQL 15' }].max()
    assert removals[0] > lastTest : "$which: the shared database was removed before a module's test used it"
    def removed = build.findAll { it ==~ /\[INFO\] Removed the containers and network of run $dbRun in $took \(the run ended\)/ }
    assert removed.size() == 1 : "$which: expected one removal of run $dbRun, got $removed"
    expectLine(build, /\[INFO\] The shared services stay up for the other modules; they are removed when the build ends/, which)
    // Two stops in a module (the parent's execution and shared-db): the second says so.
    assert build.count { it == '[INFO] Nothing left to stop: an earlier cleanroom:stop of this build removed it' } == 3 : "$which: expected each module's second stop to have nothing left"
    assert build.count { it == '[INFO] Nothing to stop: cleanroom:start started nothing in this project' } == 1 : "$which: expected only the parent's stop to have had nothing"
    assert !build.any { it.contains('left behind by a build that died') } : "$which: a sweep removed something"
    expectLine(build, /\[INFO\] BUILD SUCCESS/, which)
}

// Part 4: each module's properties file holds its own module's services and the shared ones.
def a = exported(basedir, 'module-a')
assert a.keySet().containsAll(['cleanroom.db.host', 'cleanroom.db.port', 'cleanroom.web.url']) : "module-a exported $a"
['module-b', 'module-c'].each { module ->
    def other = exported(basedir, module)
    assert other.keySet().contains('cleanroom.db.port') : "$module exported $other"
    assert !other.keySet().any { it.startsWith('cleanroom.web.') } : "module-a's web service leaked into $module: $other"
    assert other['cleanroom.db.port'] == a['cleanroom.db.port'] : "$module was given another database than module-a"
}

// Nothing left: the shared run carries the reactor's label, module-a's own run module-a's.
leftovers.expectNothingLeft('dev.cleanroom.it:reactor-shared-postgres')
leftovers.expectNothingLeft('dev.cleanroom.it:module-a')
leftovers.expectNothingLeft('dev.cleanroom.it:module-b')
leftovers.expectNothingLeft('dev.cleanroom.it:module-c')

Properties exported(File basedir, String module) {
    def properties = new Properties()
    new File(basedir, "$module/target/cleanroom/cleanroom.properties").withReader('UTF-8') { properties.load(it) }
    properties
}

void expectLine(List<String> log, String pattern, String which) {
    assert log.any { it ==~ pattern } : "$which: no line matches: $pattern"
}
