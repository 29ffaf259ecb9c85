// -Dcleanroom.skip skips the goal: the build passes and says why nothing ran.
File top = basedir.absoluteFile
while (top != null && !new File(top, 'src/it/common/Leftovers.groovy').file) { top = top.parentFile }
assert top != null : "no src/it/common/Leftovers.groovy above $basedir"
def leftovers = new GroovyClassLoader(getClass().classLoader).parseClass(new File(top, 'src/it/common/Leftovers.groovy'))
def log = new File(basedir, 'build.log').readLines()

expectLine(log, /\[INFO\] Cleanroom is skipped \(cleanroom\.skip\)/)
expectLine(log, /\[INFO\] BUILD SUCCESS/)
assert !log.any { it.contains('Starting') } : 'a service was started although the goal is skipped'
leftovers.expectNothingLeft('dev.cleanroom.it:skip')

void expectLine(List<String> log, String regex) {
    assert log.any { it ==~ regex } : "build.log has no line matching /$regex/"
}
