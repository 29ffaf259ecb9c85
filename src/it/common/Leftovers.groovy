// The check every verify.groovy ends with: Docker has no container and no network left that
// is labelled with the project (dev.cleanroom.project=<groupId>:<artifactId>). It is not an
// invoker project (no pom.xml), so the invoker neither builds nor clones it; each script finds
// it by walking up from its basedir to the folder that holds src/it/common:
//
//   File top = basedir.absoluteFile
//   while (top != null && !new File(top, 'src/it/common/Leftovers.groovy').file) { top = top.parentFile }
//   def leftovers = new GroovyClassLoader(getClass().classLoader).parseClass(new File(top, 'src/it/common/Leftovers.groovy'))
//   leftovers.expectNothingLeft('dev.cleanroom.it:<artifactId>')
//
// The file holds only this class, so parseClass() returns it and its static methods are
// called on it.
class Leftovers {

    static final String PROJECT_LABEL = 'dev.cleanroom.project'

    /** Fails unless no container and no network labelled with {@code project} remains. */
    static void expectNothingLeft(String project) {
        def containers = containers(project)
        assert containers.isEmpty() : "containers labelled $project remain: $containers"
        def networks = networks(project)
        assert networks.isEmpty() : "networks labelled $project remain: $networks"
    }

    /** Name and status ("Up 3 seconds", "Exited (3) ...") of every container of {@code project}. */
    static List<String> containers(String project) {
        lines(docker('ps', '-a', '--filter', "label=$PROJECT_LABEL=$project", '--format', '{{.Names}} {{.Status}}'))
    }

    /** Name of every network of {@code project}. */
    static List<String> networks(String project) {
        lines(docker('network', 'ls', '--filter', "label=$PROJECT_LABEL=$project", '--format', '{{.Name}}'))
    }

    /**
     * Every container (running or not) and network on the daemon, labelled or not, one
     * {@code container <id>} or {@code network <id>} per line, sorted: a setup.groovy writes it
     * before the build, and {@link #expectUnchangedSince} compares after it.
     */
    static String snapshot() {
        def ids = lines(docker('ps', '-aq', '--no-trunc')).collect { "container $it" } +
                lines(docker('network', 'ls', '-q', '--no-trunc')).collect { "network $it" }
        ids.sort().join('\n')
    }

    /**
     * Fails unless the daemon has exactly the containers and networks of {@code before} (a
     * {@link #snapshot}): a leak without our labels is caught too. Only valid while nothing else
     * uses the daemon, as when the invoker runs one project at a time.
     */
    static void expectUnchangedSince(File before) {
        def was = lines(before.getText('UTF-8').trim()) as Set
        def is = lines(snapshot()) as Set
        def added = (is - was).collect { describe(it) }
        def gone = was - is
        assert added.isEmpty() && gone.isEmpty() :
                "Docker changed during the build; new: $added, gone: $gone (snapshot: $before)"
    }

    /** {@code container <id>} with the name, image and labels Docker has for it, for the message. */
    private static String describe(String entry) {
        def (kind, id) = entry.split(' ')
        def format = kind == 'container' ? '{{.Name}} {{.Config.Image}} {{json .Config.Labels}}' : '{{.Name}} {{json .Labels}}'
        def process = ['docker', kind, 'inspect', '--format', format, id].execute()
        def out = new StringBuilder()
        process.waitForProcessOutput(out, new StringBuilder())
        "$entry (${out.toString().trim() ?: 'already gone'})"
    }

    /** Runs the docker CLI; fails on a non-zero exit; returns its trimmed standard output. */
    static String docker(String... args) {
        def process = (['docker'] + args.toList()).execute()
        def out = new StringBuilder()
        def err = new StringBuilder()
        process.waitForProcessOutput(out, err)
        assert process.exitValue() == 0 : "docker ${args.join(' ')} failed: $err"
        out.toString().trim()
    }

    private static List<String> lines(String text) {
        text.isEmpty() ? [] : text.readLines()
    }
}
