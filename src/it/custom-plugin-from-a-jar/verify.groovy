// A service type from the team's own jar, added as a dependency of the Maven plugin: listed by
// cleanroom:plugins next to the built-in ones, started, its step passes, nothing is left.
File top = basedir.absoluteFile
while (top != null && !new File(top, 'src/it/common/Leftovers.groovy').file) { top = top.parentFile }
assert top != null : "no src/it/common/Leftovers.groovy above $basedir"
def leftovers = new GroovyClassLoader(getClass().classLoader).parseClass(new File(top, 'src/it/common/Leftovers.groovy'))
def log = new File(basedir, 'build.log').readLines()
def took = /(\d+ ms|\d+\.\d s|\d+ min \d+ s)/

def heading = log.indexOf('[INFO] Available Service Plugins:')
assert heading >= 0 : 'cleanroom:plugins printed no list'
def listed = log.drop(heading + 1).takeWhile { it.startsWith('[INFO] - ') }.collect { (it =~ /^\[INFO\] - ([a-z_]+): /)[0][1] }
assert listed.sort() == ['chaos_engine', 'generic_container', 'greeting', 'ollama', 'otel_collector', 'surrealdb', 'tgi', 'vllm'] :
        "listed types: $listed"
expectLine(log, /\[INFO\] - greeting: A greeting held by a container \(a custom type from a jar\)/)
expectLine(log, /\[INFO\] Service hello \(greeting, cleanroom\/busybox:fixture, sha256:\p{XDigit}{64}\) ready in $took/)
expectLine(log, /\[INFO\]   cleanroom\.hello\.greeting = hello from a jar/)
expectLine(log, /\[INFO\] Step greets PASSED in $took/)
expectLine(log, /\[INFO\] BUILD SUCCESS/)
leftovers.expectNothingLeft('dev.cleanroom.it:app')

void expectLine(List<String> log, String regex) {
    assert log.any { it ==~ regex } : "build.log has no line matching /$regex/"
}
