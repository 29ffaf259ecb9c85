// No Cleanroom goal in the POM: Surefire alone runs WebTest, whose @Cleanroom starts the file's
// services before the class and removes them after it.
File top = basedir.absoluteFile
while (top != null && !new File(top, 'src/it/common/Leftovers.groovy').file) { top = top.parentFile }
assert top != null : "no src/it/common/Leftovers.groovy above $basedir"
def leftovers = new GroovyClassLoader(getClass().classLoader).parseClass(new File(top, 'src/it/common/Leftovers.groovy'))
def log = new File(basedir, 'build.log').readLines()
def took = /(\d+ ms|\d+\.\d s|\d+ min \d+ s)/
def run = /\p{XDigit}{8}/

assert !log.any { it.contains('--- cleanroom:') } : 'a cleanroom goal ran, but the POM binds none'
expectLine(log, /\[cleanroom\] src\/test\/cleanroom\/web\.clnrm\.toml: starting its services for WebTest \(no cleanroom\.<service>\.\* system properties and no target\/cleanroom\/cleanroom\.properties\); they are removed after the class, unless reuse leaves them for the next run/)
expectLine(log, /\[cleanroom\] Starting 1 service\(s\) of web\.clnrm\.toml \(run $run, network clnrm-$run\)/)
expectLine(log, /\[cleanroom\] Service web \(generic_container, cleanroom\/busybox:fixture, sha256:\p{XDigit}{64}\) ready in $took at http:\/\/127\.0\.0\.1:\d+/)
expectLine(log, /WebTest fetches http:\/\/127\.0\.0\.1:\d+\//)
expectLine(log, /\[cleanroom\] Removed the containers and network of run $run in $took \(the run ended\)/)
expectLine(log, /\[INFO\] Tests run: 1, Failures: 0, Errors: 0, Skipped: 0, Time elapsed: .* -- in dev\.cleanroom\.it\.WebTest/)
expectLine(log, /\[INFO\] BUILD SUCCESS/)

// The extension labels its runs with its file and with the project "junit5:<base directory>".
def file = new File(basedir, 'src/test/cleanroom/web.clnrm.toml').canonicalPath
assert leftovers.docker('ps', '-aq', '--filter', "label=dev.cleanroom.file=$file").isEmpty() : "containers of $file remain"
leftovers.expectNothingLeft("junit5:${basedir.canonicalPath}")

void expectLine(List<String> log, String regex) {
    assert log.any { it ==~ regex } : "build.log has no line matching /$regex/"
}
