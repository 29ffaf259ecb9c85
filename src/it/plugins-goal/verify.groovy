// The plugins goal lists the built-in service types, one line each.
File top = basedir.absoluteFile
while (top != null && !new File(top, 'src/it/common/Leftovers.groovy').file) { top = top.parentFile }
assert top != null : "no src/it/common/Leftovers.groovy above $basedir"
def leftovers = new GroovyClassLoader(getClass().classLoader).parseClass(new File(top, 'src/it/common/Leftovers.groovy'))
def log = new File(basedir, 'build.log').readLines()

expectLine(log, /\[INFO\] Available Service Plugins:/)
expectLine(log, /\[INFO\] - generic_container: Generic Docker container support/)
def heading = log.indexOf('[INFO] Available Service Plugins:')
assert log[heading + 1].startsWith('[INFO] - ') : 'the list does not follow its heading'
// Every built-in type, each once, each with a description.
def listed = log.drop(heading + 1).takeWhile { it.startsWith('[INFO] - ') }
def types = listed.collect { (it =~ /^\[INFO\] - ([a-z_]+): \S.*/)[0][1] }
assert types == types.unique(false) : "a type is listed twice: $types"
assert types.sort(false) == ['chaos_engine', 'generic_container', 'ollama', 'otel_collector', 'surrealdb', 'tgi', 'vllm'] :
        "listed types: $types"
expectLine(log, /\[INFO\] BUILD SUCCESS/)
leftovers.expectNothingLeft('dev.cleanroom.it:plugins-goal')

void expectLine(List<String> log, String regex) {
    assert log.any { it ==~ regex } : "build.log has no line matching /$regex/"
}
