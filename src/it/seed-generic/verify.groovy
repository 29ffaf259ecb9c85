// The seed's example passes, says so in the lines users read, and leaves nothing behind.
def log = new File(basedir, 'build.log').readLines()
def took = /(\d+ ms|\d+\.\d s|\d+ min \d+ s)/

expectLine(log, /\[INFO\] Starting 1 service\(s\) of generic\.clnrm\.toml \(run \p{XDigit}{8}, network clnrm-\p{XDigit}{8}\)/)
expectLine(log, /\[INFO\] Service test \(generic_container, cleanroom\/busybox:fixture\) ready in $took/)
expectLine(log, /\[INFO\] Step ping_service PASSED in $took/)
expectLine(log, /\[INFO\] Steps: 1 passed, 0 failed, 0 tolerated, 0 skipped/)
expectLine(log, /\[INFO\] BUILD SUCCESS/)
expectNothingLeft('dev.cleanroom.it:seed-generic')

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
