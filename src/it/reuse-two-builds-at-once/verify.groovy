// Two builds at once (see invoker.properties): the other one (other-build.log) took the reuse lock
// and started web and client; the invoker's (build.log) waited for it and adopted both. Docker's
// own events show that each service was created once and that the builds took the lock in turn.
// Whatever happens, the other build is ended and the reused services are removed.
File top = basedir.absoluteFile
while (top != null && !new File(top, 'src/it/common/Leftovers.groovy').file) { top = top.parentFile }
assert top != null : "no src/it/common/Leftovers.groovy above $basedir"
def leftovers = new GroovyClassLoader(getClass().classLoader).parseClass(new File(top, 'src/it/common/Leftovers.groovy'))
def background = new GroovyClassLoader(getClass().classLoader).parseClass(new File(basedir, 'Background.groovy'))
def project = 'dev.cleanroom.it:reuse-two-builds-at-once'
def file = 'src/test/cleanroom/contended.clnrm.toml'
Process other = context.otherBuild
Process events = context.dockerEvents

try {
    assert other != null : 'setup.groovy did not start the other build'
    assert background.awaitExit(other, 120) : "the other build still runs after 120 s:\n${background.tail(new File(basedir, 'other-build.log'))}"
    def otherLog = new File(basedir, 'other-build.log').readLines()
    def log = new File(basedir, 'build.log').readLines()
    assert other.exitValue() == 0 : "the other build failed:\n${background.tail(new File(basedir, 'other-build.log'))}"

    // The other build took the lock at once and started both services.
    assert !otherLog.any { it.contains('Waiting for build') } : 'the other build waited for the lock'
    expectLine(otherLog, /\[INFO\] Service web \(generic_container, .*\) ready in .*/)
    expectLine(otherLog, /\[INFO\] Service client \(generic_container, .*\) ready in .*/)
    expectLine(otherLog, /\[INFO\] Steps: 1 passed, 0 failed, 0 tolerated, 0 skipped/)
    def started = left(otherLog)

    // The invoker's build waited for that build (its process) to release the lock, then adopted both.
    def waiting = expectLine(log, /\[INFO\] Waiting for build (\S+), which is starting the reused services of ${java.util.regex.Pattern.quote(file)} \(lock clnrm-lock-\p{XDigit}{16}, .*\)/)
    def holder = (waiting =~ /Waiting for build (\S+),/)[0][1]
    assert holder.split('/')[2] == String.valueOf(other.pid()) : "the build waited for $holder, not for the other build (pid ${other.pid()})"
    expectLine(log, /\[INFO\] Waited .* for build ${java.util.regex.Pattern.quote(holder)} to start the reused services of ${java.util.regex.Pattern.quote(file)}; it is done, so this build adopts what it left running/)
    expectLine(log, /\[INFO\] Reused web \(${started.web}, generic_container, .*/)
    expectLine(log, /\[INFO\] Reused client \(${started.client}, generic_container, .*/)
    assert !log.any { it ==~ /\[INFO\] Service \w+ \(generic_container, .*\) ready in .*/ } : 'the invoker\'s build started a service afresh'
    expectLine(log, /\[INFO\] Steps: 1 passed, 0 failed, 0 tolerated, 0 skipped/)
    assert left(log) == started

    // Docker's side: each service created once, between the other build's lock and the invoker's.
    // Both builds released the lock before they ended: wait (bounded) for the stream to show both.
    def eventsLog = new File(basedir, 'docker-events.log')
    def seen = { eventsLog.readLines().findAll { it.startsWith('create ') || it.startsWith('destroy ') } }
    long deadline = System.nanoTime() + 30_000_000_000L
    while (seen().count { it ==~ /destroy clnrm-lock-.*/ } < 2 && System.nanoTime() < deadline) { Thread.sleep(100) }
    def order = seen().collect { it.replaceAll(/clnrm-reuse-\p{XDigit}{12}-/, '').replaceAll(/clnrm-lock-\p{XDigit}{16}/, 'lock') }
    assert order == ['create lock', 'create web', 'create client', 'destroy lock', 'create lock', 'destroy lock'] :
            "expected web and client created once, while the first of two lock holders held it; Docker events: $order"
} finally {
    background.stop(other)
    background.stop(events)
    // The services are kept for reuse: remove them as a user would, whatever failed above.
    def clean = background.maven(basedir, localRepositoryPath, 'clean.log', ['cleanroom:clean'])
    def ended = background.awaitExit(clean, 120)
    background.stop(clean)
    assert ended : 'mvn cleanroom:clean still ran after 120 s'
}
def cleanLog = new File(basedir, 'clean.log').readLines()
expectLine(cleanLog, /\[INFO\] Removed 2 reused service\(s\), 1 network\(s\) and 0 lock\(s\) of project ${java.util.regex.Pattern.quote(project)}: .*/)
expectLine(cleanLog, /\[INFO\] BUILD SUCCESS/)
leftovers.expectNothingLeft(project)

/** The ids of web and client in the line saying a build left them for the next one. */
Map<String, String> left(List<String> log) {
    def line = expectLine(log, /\[INFO\] Left 2 service\(s\) of contended\.clnrm\.toml running for the next build to reuse \(.*/)
    def m = line =~ /\(web (\p{XDigit}{12}), client (\p{XDigit}{12}); network clnrm-reuse-\p{XDigit}{12}\)/
    assert m.find() : "unexpected line: $line"
    [web: m.group(1), client: m.group(2)]
}

String expectLine(List<String> log, String regex) {
    def line = log.find { it ==~ regex }
    assert line : "no line matching /$regex/"
    line
}
