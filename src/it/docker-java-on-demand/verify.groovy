// Build 1 (-Dcleanroom.docker.client=docker-java) resolved docker-java into the plugin's realm
// and ran its step through it; build 2 (the built-in client) resolved nothing.
File top = basedir.absoluteFile
while (top != null && !new File(top, 'src/it/common/Leftovers.groovy').file) { top = top.parentFile }
assert top != null : "no src/it/common/Leftovers.groovy above $basedir"
def leftovers = new GroovyClassLoader(getClass().classLoader).parseClass(new File(top, 'src/it/common/Leftovers.groovy'))
def log = new File(basedir, 'build.log').readLines()

def builds = log.findIndexValues { it == '[INFO] Scanning for projects...' }
assert builds.size() == 2 : "build.log holds ${builds.size()} builds, not 2"
def first = log.subList(0, builds[1] as int)
def second = log.subList(builds[1] as int, log.size())

expectLine(first, /\[INFO\] Using docker-java \d+\.\d+\.\d+ \(cleanroom\.docker\.client=docker-java is set\): resolved \d+ jars/)
expectLine(first, /\[INFO\] Step box_answers PASSED in .*/)
expectLine(first, /\[INFO\] BUILD SUCCESS/)
assert !second.any { it.contains('Using docker-java') } : 'the build with the built-in client resolved docker-java'
expectLine(second, /\[INFO\] Step box_answers PASSED in .*/)
expectLine(second, /\[INFO\] BUILD SUCCESS/)
leftovers.expectNothingLeft('dev.cleanroom.it:docker-java-on-demand')

void expectLine(List<String> log, String regex) {
    assert log.any { it ==~ regex } : "build.log has no line matching /$regex/"
}
