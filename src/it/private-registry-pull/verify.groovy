// Both private images were pulled (the daemon has them now), each with its progress lines, with
// the settings.xml login; nothing was started, the password is not in the log, nothing is left.
File top = basedir.absoluteFile
while (top != null && !new File(top, 'src/it/common/Leftovers.groovy').file) { top = top.parentFile }
assert top != null : "no src/it/common/Leftovers.groovy above $basedir"
def leftovers = new GroovyClassLoader(getClass().classLoader).parseClass(new File(top, 'src/it/common/Leftovers.groovy'))

def registry = System.getProperty('cleanroom.it.registry')
def pulls = ["$registry/private/busybox:1": 'private/busybox', "$registry/private/alpine:1": 'private/alpine']
try {
    def text = new File(basedir, 'build.log').text
    def log = text.readLines()
    pulls.each { image, repository ->
        def quoted = java.util.regex.Pattern.quote(image)
        expectLine(log, /\[INFO\] Credentials for $quoted: settings.xml server `${java.util.regex.Pattern.quote(registry)}`/)
        expectLine(log, /\[INFO\] Pulling image $quoted.*/)
        // The daemon's progress, as the CLI shows it (these layers are already on the daemon, as
        // the fixture images share them, so there is no "Pull complete" to see).
        expectLine(log, /\[INFO\] Pulling $quoted: 1: Pulling from ${java.util.regex.Pattern.quote(repository)}/)
        expectLine(log, /\[INFO\] Pulling $quoted: Digest: sha256:\p{XDigit}{64}/)
        expectLine(log, /\[INFO\] Pulling $quoted: Status: Downloaded newer image for $quoted/)
        expectLine(log, /\[INFO\] Pulled image $quoted: digest sha256:\p{XDigit}{64} \(new on this daemon\)/)
        def inspect = ['docker', 'image', 'inspect', image].execute()
        inspect.waitForProcessOutput(new StringBuilder(), new StringBuilder())
        assert inspect.exitValue() == 0 : "$image is not on the daemon after cleanroom:pull"
    }
    expectLine(log, /\[INFO\] 2 image\(s\) of 1 file\(s\): 2 pulled, 0 present/)
    expectLine(log, /\[INFO\] BUILD SUCCESS/)
    assert !log.any { it.contains('Starting ') || it.contains('Started ') } : 'cleanroom:pull must start no service'
    assert !text.contains('settings-pw-c40a') : 'build.log contains the password'
} finally {
    pulls.keySet().each { ['docker', 'rmi', it].execute().waitFor() }
}
leftovers.expectNothingLeft('dev.cleanroom.it:private-registry-pull')

void expectLine(List<String> log, String regex) {
    assert log.any { it ==~ regex } : "build.log has no line matching /$regex/"
}
