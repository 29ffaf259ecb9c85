// Both mistakes of the file are reported at once, each with file, line, key, the bad value
// and a way out, and nothing was started: no container was even created.
File top = basedir.absoluteFile
while (top != null && !new File(top, 'src/it/common/Leftovers.groovy').file) { top = top.parentFile }
assert top != null : "no src/it/common/Leftovers.groovy above $basedir"
def leftovers = new GroovyClassLoader(getClass().classLoader).parseClass(new File(top, 'src/it/common/Leftovers.groovy'))
def log = new File(basedir, 'build.log').readLines()
def project = 'dev.cleanroom.it:invalid-toml'

expectLine(log, /\[ERROR\] Failed to execute goal dev\.cleanroom:cleanroom-maven-plugin:.*:run \(default-cli\) on project invalid-toml: .*/)
expectLine(log, /\[ERROR\] +\S*\/broken\.clnrm\.toml:3:1: services\.web\.image: expected a string, found an integer 5 \(quote the value: image = "5"\)/)
expectLine(log, /\[ERROR\] +\S*\/broken\.clnrm\.toml:7:1: services\.worker\.imgae: .*\(did you mean `image`\?\)/)
expectLine(log, /\[INFO\] BUILD FAILURE/)
assert !log.any { it.contains('Starting') } : 'a service was started although a file is invalid'
assert !log.any { it.contains('a-valid.clnrm.toml') } : 'the valid file was reported or run'

def since = new File(basedir, 'started-at').text.trim()
def until = String.valueOf(System.currentTimeMillis().intdiv(1000) + 1)
def events = leftovers.docker('events', '--since', since, '--until', until, '--filter', 'type=container',
        '--filter', "label=dev.cleanroom.project=$project", '--format', '{{.Action}} {{.Actor.ID}}')
assert events == '' : "containers were created for $project: $events"
leftovers.expectNothingLeft(project)

void expectLine(List<String> log, String regex) {
    assert log.any { it ==~ regex } : "build.log has no line matching /$regex/"
}
