// -Dcleanroom.skip skips the goal: the build passes and says why nothing ran.
def log = new File(basedir, 'build.log').readLines()

expectLine(log, /\[INFO\] Cleanroom is skipped \(cleanroom\.skip\)/)
expectLine(log, /\[INFO\] BUILD SUCCESS/)
assert !log.any { it.contains('Starting') } : 'a service was started although the goal is skipped'
expectNothingLeft('dev.cleanroom.it:skip')

void expectLine(List<String> log, String regex) {
    assert log.any { it ==~ regex } : "build.log has no line matching /$regex/"
}

void expectNothingLeft(String project) {
    def label = "label=dev.cleanroom.project=$project"
    assert docker('ps', '-aq', '--filter', label) == '' : "containers labelled $project remain"
    assert docker('network', 'ls', '-q', '--filter', label) == '' : "networks labelled $project remain"
}

String docker(String... args) {
    def process = (['docker'] + args.toList()).execute()
    def out = new StringBuilder()
    def err = new StringBuilder()
    process.waitForProcessOutput(out, err)
    assert process.exitValue() == 0 : "docker ${args.join(' ')} failed: $err"
    out.toString().trim()
}
