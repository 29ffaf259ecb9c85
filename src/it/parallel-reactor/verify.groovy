// Both modules started, tested and removed their own services while building in parallel; each
// client reached its own module's web server by the same name, and each module's Failsafe test
// fetched its own module's page through cleanroom.web.url, though the other module's start
// came in between (the order is forced: see WaitForFile.java).
File top = basedir.absoluteFile
while (top != null && !new File(top, 'src/it/common/Leftovers.groovy').file) { top = top.parentFile }
assert top != null : "no src/it/common/Leftovers.groovy above $basedir"
def leftovers = new GroovyClassLoader(getClass().classLoader).parseClass(new File(top, 'src/it/common/Leftovers.groovy'))
def log = new File(basedir, 'build.log').readLines()

assert log.any { it.contains('Using the MultiThreadedBuilder implementation with a thread count of 2') } : 'not a parallel build'
def runs = log.findAll { it ==~ /.*\[INFO\] Starting 2 service\(s\) of (alpha|beta)\.clnrm\.toml \(run \p{XDigit}{8}, network clnrm-\p{XDigit}{8}\)/ }
assert runs.size() == 2 : "expected one run per module, got $runs"
assert runs.collect { (it =~ /run (\p{XDigit}{8})/)[0][1] }.unique().size() == 2 : "the modules shared a run: $runs"
assert log.count { it.contains('Step reaches_its_own_web PASSED') } == 2
assert log.count { it.contains('Steps: 1 passed, 0 failed, 0 tolerated, 0 skipped') } == 2
assert !log.any { it.contains('left behind by a build that died') } : 'a module swept the other one'
assert log.count { it ==~ /WaitForFile: .*\/(alpha|beta)\/target\/cleanroom\/cleanroom\.properties exists/ } == 2 : 'a module did not wait for the other'
['alpha', 'beta'].each { module ->
    def url = exported(basedir, module, 'cleanroom.web.url')
    def className = module.capitalize() + 'PageIT'
    assert log.any { it.contains("${className} fetches $url/") } : "$module's test did not fetch its own module's url $url"
    assert log.any { it ==~ /\[INFO\] Tests run: 1, Failures: 0, Errors: 0, Skipped: 0, Time elapsed: .* -- in dev\.cleanroom\.it\.$className/ } :
            "$className did not pass"
}
assert exported(basedir, 'alpha', 'cleanroom.web.url') != exported(basedir, 'beta', 'cleanroom.web.url')
assert log.any { it.contains('BUILD SUCCESS') }
leftovers.expectNothingLeft('dev.cleanroom.it:alpha')
leftovers.expectNothingLeft('dev.cleanroom.it:beta')

/** A property cleanroom:start of {@code module} wrote to its target/cleanroom/cleanroom.properties. */
String exported(File basedir, String module, String key) {
    def properties = new Properties()
    new File(basedir, "$module/target/cleanroom/cleanroom.properties").withReader('UTF-8') { properties.load(it) }
    assert properties[key] : "$module exported no $key"
    properties[key]
}
