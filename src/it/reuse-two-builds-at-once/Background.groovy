// The processes this project runs beside the invoker's build: the other Maven build, its
// cleanroom:clean, and a docker events stream. setup.groovy and verify.groovy load this file as
// common/Leftovers.groovy is loaded (it holds only this class, so parseClass() returns it).
import java.util.concurrent.TimeUnit
import java.util.regex.Pattern

class Background {

    /**
     * Starts a build of the project in {@code basedir} as the invoker starts its own: the same
     * Maven, the same settings (the invoker's interpolated copy of src/it/settings.xml beside the
     * cloned projects, there while the invoker runs) and the same local repository. Its output
     * goes to {@code logName} in {@code basedir}.
     */
    static Process maven(File basedir, File localRepository, String logName, List<String> arguments) {
        def mvn = new File(System.getProperty('maven.home'), 'bin/mvn')
        assert mvn.file : "no Maven at $mvn (maven.home)"
        def settings = new File(basedir.parentFile, 'interpolated-settings.xml')
        assert settings.file : "no invoker settings at $settings"
        def command = [mvn.path, '-B', '-e', '-s', settings.path, "-Dmaven.repo.local=${localRepository.path}".toString()] +
                arguments
        new ProcessBuilder(command)
                .directory(basedir)
                .redirectErrorStream(true)
                .redirectOutput(new File(basedir, logName))
                .start()
    }

    /**
     * Streams the creation and removal of every container labelled with {@code project} from
     * {@code sinceMillis} on into {@code logName} in {@code basedir}, one "action name" a line.
     * From a past instant, not from now: docker events sends what happened since then first, so
     * nothing is missed between this call and the stream's start.
     */
    static Process dockerEvents(File basedir, String project, long sinceMillis, String logName) {
        def since = String.format('%d.%03d000000', sinceMillis.intdiv(1000), sinceMillis % 1000)
        def command = ['docker', 'events', '--since', since, '--filter', 'type=container',
                       '--filter', 'event=create', '--filter', 'event=destroy',
                       '--filter', "label=dev.cleanroom.project=$project".toString(),
                       '--format', '{{.Action}} {{.Actor.Attributes.name}}']
        new ProcessBuilder(command)
                .directory(basedir)
                .redirectErrorStream(true)
                .redirectOutput(new File(basedir, logName))
                .start()
    }

    /**
     * Waits, at most {@code seconds}, until {@code log} has a line matching {@code line}, and
     * returns it; fails at once, with the log's end, when {@code process} ends first.
     */
    static String awaitLine(Process process, File log, Pattern line, int seconds) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds)
        while (true) {
            String found = log.file ? log.readLines().find { it ==~ line } : null
            if (found != null) {
                return found
            }
            assert process.alive : "${log.name} has no line matching /$line/ and its process ended " +
                    "(exit code ${process.exitValue()}); it ends with:\n${tail(log)}"
            assert System.nanoTime() < deadline : "${log.name} has no line matching /$line/ after $seconds s; " +
                    "it ends with:\n${tail(log)}"
            Thread.sleep(100)
        }
    }

    /** Waits, at most {@code seconds}, until {@code process} ends; returns whether it did. */
    static boolean awaitExit(Process process, int seconds) {
        process.waitFor(seconds, TimeUnit.SECONDS)
    }

    /**
     * Ends {@code process} (and what it started) if it still runs: SIGTERM first, so a Maven build
     * runs its shutdown hooks (they remove its containers and reuse lock), then SIGKILL.
     */
    static void stop(Process process) {
        if (process == null || !process.alive) {
            return
        }
        def children = process.descendants().toList()
        process.destroy()
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly()
            process.waitFor(10, TimeUnit.SECONDS)
        }
        children.findAll { it.alive }.each { it.destroyForcibly() }
    }

    static String tail(File log) {
        log.file ? log.readLines().takeRight(40).join('\n') : '(no log)'
    }
}
