// Both modules started, tested and removed their own services while building in parallel; each
// client reached its own module's web server by the same name.
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
assert log.any { it.contains('BUILD SUCCESS') }
leftovers.expectNothingLeft('dev.cleanroom.it:alpha')
leftovers.expectNothingLeft('dev.cleanroom.it:beta')
