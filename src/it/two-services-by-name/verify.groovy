// The client reaches the web service by its name on the run's own network; web started
// first (depends_on) and was ready (health.http) before the client asked.
def log = new File(basedir, 'build.log').readLines()
def took = /(\d+ ms|\d+\.\d s|\d+ min \d+ s)/

expectLine(log, /\[INFO\] Starting 2 service\(s\) of web\.clnrm\.toml \(run \p{XDigit}{8}, network clnrm-\p{XDigit}{8}\)/)
expectLine(log, /\[INFO\] Service web \(generic_container, cleanroom\/busybox:fixture\) ready in $took at http:\/\/127\.0\.0\.1:\d+/)
expectLine(log, /\[INFO\] Service client \(generic_container, cleanroom\/busybox:fixture\) ready in $took/)
expectLine(log, /\[INFO\] Step fetch_by_name PASSED in $took/)
expectLine(log, /\[INFO\] Steps: 1 passed, 0 failed, 0 tolerated, 0 skipped/)
expectLine(log, /\[INFO\] BUILD SUCCESS/)
def web = log.findIndexOf { it.startsWith('[INFO] Service web ') }
def client = log.findIndexOf { it.startsWith('[INFO] Service client ') }
assert web < client : 'client was ready before web, which it depends on'
expectNothingLeft('dev.cleanroom.it:two-services-by-name')

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
