// The plugins goal lists the built-in service types, one line each.
def log = new File(basedir, 'build.log').readLines()

expectLine(log, /\[INFO\] Available Service Plugins:/)
expectLine(log, /\[INFO\] - generic_container: Generic Docker container support/)
def heading = log.indexOf('[INFO] Available Service Plugins:')
assert log[heading + 1].startsWith('[INFO] - ') : 'the list does not follow its heading'
expectLine(log, /\[INFO\] BUILD SUCCESS/)
expectNothingLeft('dev.cleanroom.it:plugins-goal')

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
